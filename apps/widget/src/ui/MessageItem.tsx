import { t } from '../i18n.ts';
import type { ChatMessage } from '../store/thread.ts';
import { formatTime } from './format.ts';
import { linkify } from './linkify.ts';

interface MessageItemProps {
  message: ChatMessage;
  /** The highest `seq` an agent has read in this message's conversation. */
  agentRead: number;
  onRetry: (clientId: string) => void;
}

export function MessageItem({ message, agentRead, onRetry }: MessageItemProps) {
  const { author, delivery } = message;
  const own = author.kind === 'visitor';
  const state =
    delivery === 'sending'
      ? t('sending')
      : delivery === 'failed'
        ? t('failed')
        : own && message.seq > 0 && message.seq <= agentRead
          ? t('seen')
          : own
            ? t('sent')
            : undefined;
  return (
    <div class={`pw-msg pw-${own ? 'own' : author.kind}${delivery === 'failed' ? ' pw-failed' : ''}`}>
      {author.kind === 'agent' && <span class="pw-author">{author.name ?? t('someone')}</span>}
      <p class="pw-bubble">
        {own && <span class="pw-sr">{t('you')}: </span>}
        {linkify(message.text).map((segment, i) =>
          segment.href ? (
            <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
              {segment.text}
            </a>
          ) : (
            segment.text
          ),
        )}
      </p>
      <p class="pw-meta">
        <time dateTime={new Date(message.createdAt).toISOString()}>{formatTime(message.createdAt)}</time>
        {state && <span> · {state}</span>}
        {delivery === 'failed' && (
          <button type="button" class="pw-retry" onClick={() => onRetry(message.clientId)}>
            {t('retry')}
          </button>
        )}
      </p>
    </div>
  );
}
