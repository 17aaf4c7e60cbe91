import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.ts';
import type { Chat, ChatState } from '../store/chat.ts';
import { Composer } from './Composer.tsx';
import { ChevronIcon } from './icons.tsx';
import { Thread } from './Thread.tsx';

interface PanelProps {
  chat: Chat;
  state: ChatState;
  /** Closes and hands focus back to the launcher. */
  onClose: () => void;
}

/**
 * The chat window. It stays mounted while closed (hidden), so the draft and scroll position
 * survive a close and reopen.
 */
export function Panel({ chat, state, onClose }: PanelProps) {
  const input = useRef<HTMLTextAreaElement>(null);
  const name = state.appearance?.name || t('chat');

  useEffect(() => {
    if (state.open) input.current?.focus();
  }, [state.open]);

  return (
    <div
      id="pw-panel"
      class="pw-panel"
      role="dialog"
      aria-label={name}
      hidden={!state.open}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <header class="pw-header">
        <div class="pw-title">
          <h2>{name}</h2>
          {state.appearance?.replyTime && <p>{state.appearance.replyTime}</p>}
        </div>
        <button type="button" class="pw-minimize" aria-label={t('minimize')} onClick={onClose}>
          <ChevronIcon />
        </button>
      </header>
      {state.status === 'reconnecting' && (
        <p class="pw-status" role="status">
          {t('reconnecting')}
        </p>
      )}
      <Thread
        messages={state.messages}
        agentRead={state.agentRead}
        greeting={state.appearance?.greeting}
        typing={state.typing}
        onRetry={chat.retry}
      />
      <Composer onSend={chat.send} onTyping={chat.typing} inputRef={input} />
    </div>
  );
}
