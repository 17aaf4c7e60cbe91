import { useEffect, useRef, useState } from 'preact/hooks';
import { isRtl, t } from '../i18n.ts';
import { emailGate, type Chat, type ChatState } from '../store/chat.ts';
import { Composer } from './Composer.tsx';
import { ChevronIcon } from './icons.tsx';
import { Thread } from './Thread.tsx';

interface PanelProps {
  chat: Chat;
  state: ChatState;
  /** Closes and hands focus back to the launcher. */
  onClose: () => void;
  /** Adds a stylesheet to the shadow root (the email form brings its own). */
  adopt: (css: string) => void;
}

type Form = typeof import('./EmailForm.tsx');

/**
 * The chat window. It stays mounted while closed (hidden), so the draft and scroll position
 * survive a close and reopen.
 */
export function Panel({ chat, state, onClose, adopt }: PanelProps) {
  const panel = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const name = state.appearance?.name || t('chat');
  const gate = emailGate(state);
  const online = state.site?.online;
  // The email form is a chunk of its own: only sites with a pre-chat form, or a team that is
  // away, need it. `welcome` says so, before the visitor could type, and it loads then.
  const [form, setForm] = useState<Form>();
  useEffect(() => {
    if (gate && !form) {
      import('./EmailForm.tsx').then((module) => {
        adopt(module.css);
        setForm(module);
      }, (error: unknown) => console.error('[Parley] The email form could not load.', error));
    }
  }, [gate]);

  // On open, and when the email form gives way to the composer (or arrives): focus the first field.
  useEffect(() => {
    if (state.open) panel.current?.querySelector<HTMLElement>('input, textarea')?.focus();
  }, [state.open, gate, form]);

  return (
    <div
      ref={panel}
      id="pw-panel"
      class="pw-panel"
      role="dialog"
      aria-label={name}
      dir={isRtl(state.locale) ? 'rtl' : 'ltr'}
      lang={state.locale}
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
          {online !== undefined && (
            <p>
              <span class={`pw-dot${online ? ' pw-on' : ''}`} aria-hidden="true" />
              {online ? t('online') : t('away')}
              {online && state.appearance?.replyTime ? ` · ${state.appearance.replyTime}` : ''}
            </p>
          )}
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
      {gate ? (
        form && <form.EmailForm gate={gate} onSubmit={chat.submitEmail} onSkip={chat.skipEmail} />
      ) : (
        <>
          {online === false && state.email && <p class="pw-note">{t('replyTo', { email: state.email })}</p>}
          <Composer onSend={chat.send} onTyping={chat.typing} inputRef={input} />
        </>
      )}
    </div>
  );
}
