import { useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.ts';
import type { ChatMessage } from '../store/thread.ts';
import { MessageItem } from './MessageItem.tsx';

interface ThreadProps {
  messages: readonly ChatMessage[];
  agentRead: ReadonlyMap<string, number>;
  greeting: string | undefined;
  /** The typing agent's name ('' if unnamed); undefined when nobody types. */
  typing: string | undefined;
  onRetry: (clientId: string) => void;
}

/** How close to the bottom (px) still counts as "at the bottom": new messages then scroll into view. */
const STICK_PX = 48;

/** The conversation as a polite live region, so screen readers announce what arrives. */
export function Thread({ messages, agentRead, greeting, typing, onRetry }: ThreadProps) {
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const last = messages[messages.length - 1];

  useLayoutEffect(() => {
    const el = log.current;
    // Follow new messages, unless the visitor scrolled up to read; their own always shows.
    if (el && (stick.current || last?.author.kind === 'visitor')) el.scrollTop = el.scrollHeight;
  }, [messages.length, last?.clientId, typing]);

  return (
    <div
      ref={log}
      class="pw-log"
      role="log"
      aria-live="polite"
      aria-label={t('messages')}
      tabIndex={0}
      onScroll={(event) => {
        const el = event.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
      }}
    >
      {greeting && <p class="pw-greeting">{greeting}</p>}
      {messages.map((message) => (
        <MessageItem
          key={message.clientId}
          message={message}
          agentRead={(message.conversationId && agentRead.get(message.conversationId)) || 0}
          onRetry={onRetry}
        />
      ))}
      {typing !== undefined && <p class="pw-typing">{t('typing', { name: typing || t('someone') })}</p>}
    </div>
  );
}
