import type { PendingSend } from '@parley/client';
import type { ConversationSummary, Message } from '@parley/protocol';
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { contactName, formatMessageTime } from '../format.ts';
import { emptyThread, pendingFor } from '../store/messages.ts';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';
import { MessageText } from './MessageText.tsx';
import { useNow } from './use-now.ts';

/** Closer than this to the bottom counts as "at the bottom": new messages keep it there. */
const STICK_PX = 48;

/** The messages of one conversation, its pending sends, and the visitor's typing. */
export function Thread({ summary }: { summary: ConversationSummary }) {
  const inbox = useInbox();
  const id = summary.id;
  const thread = useStore(inbox.messages, (state) => state.threads[id] ?? emptyThread);
  const outbox = useStore(inbox.messages, (state) => state.outbox);
  const typing = useStore(inbox.messages, (state) => state.typing[id]);
  const pending = useMemo(() => pendingFor(outbox, id, thread.messages), [outbox, id, thread.messages]);
  const now = useNow(60_000);
  const visitorName = contactName(summary.contact);
  const seenId = lastSeenAgentMessage(thread.messages, summary.visitorReadSeq);

  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastHeight = useRef(0);
  const firstId = useRef<string | undefined>(undefined);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const prepended = firstId.current !== undefined && thread.messages[0]?.id !== firstId.current;
    if (stick.current) el.scrollTop = el.scrollHeight;
    // Older messages loaded above: keep the agent's place instead of jumping.
    else if (prepended) el.scrollTop += el.scrollHeight - lastHeight.current;
    lastHeight.current = el.scrollHeight;
    firstId.current = thread.messages[0]?.id;
  }, [thread.messages, pending, typing]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
  };

  return (
    <div class="thread-wrap">
      <div class="thread" ref={scroller} onScroll={onScroll} role="log" aria-live="polite" aria-label="Messages">
        {thread.hasMore && (
          <button
            type="button"
            class="btn btn-quiet load-earlier"
            disabled={thread.loadingEarlier}
            onClick={() => void inbox.loadEarlier(id)}
          >
            {thread.loadingEarlier ? 'Loading…' : 'Load earlier messages'}
          </button>
        )}
        {thread.status === 'loading' && thread.messages.length === 0 && <p class="thread-note">Loading messages…</p>}
        {thread.error && (
          <p class="inline-alert" role="alert">
            Could not load messages: {thread.error}
          </p>
        )}
        {thread.status === 'ready' && thread.messages.length === 0 && pending.length === 0 && (
          <p class="thread-note">No messages yet.</p>
        )}
        {thread.messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            visitorName={visitorName}
            now={now}
            seen={message.id === seenId}
          />
        ))}
        {pending.map((send) => (
          <PendingItem key={send.clientId} send={send} onRetry={() => inbox.retry(send.clientId)} />
        ))}
      </div>
      <p class="typing" aria-hidden={typing ? undefined : 'true'}>
        {typing ? `${typing.name ?? visitorName} is typing…` : ''}
      </p>
    </div>
  );
}

/** The last message the visitor could see from an agent, if they have read it: where "Seen" goes. */
function lastSeenAgentMessage(messages: readonly Message[], visitorReadSeq: number): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.author.kind === 'agent' && message.kind === 'text') {
      return visitorReadSeq >= message.seq ? message.id : null;
    }
  }
  return null;
}

interface MessageItemProps {
  message: Message;
  visitorName: string;
  now: number;
  seen: boolean;
}

function MessageItem({ message, visitorName, now, seen }: MessageItemProps) {
  const { author } = message;
  const note = message.kind === 'note';
  const side = author.kind === 'visitor' ? 'in' : author.kind === 'agent' ? 'out' : 'system';
  const name = author.name ?? (author.kind === 'visitor' ? visitorName : author.kind === 'agent' ? 'Agent' : 'Parley');
  return (
    <div class={`message message-${side}${note ? ' message-note' : ''}`}>
      <div class="message-meta">
        <span class="message-author">{name}</span>
        {note && <span class="note-tag">Internal note</span>}
        <time dateTime={new Date(message.createdAt).toISOString()}>{formatMessageTime(message.createdAt, now)}</time>
      </div>
      <div class="bubble">
        <MessageText text={message.text} />
      </div>
      {seen && <div class="seen">Seen</div>}
    </div>
  );
}

function PendingItem({ send, onRetry }: { send: PendingSend; onRetry: () => void }) {
  const failed = send.state === 'failed';
  return (
    <div class={`message message-out message-pending${failed ? ' message-failed' : ''}`}>
      <div class="bubble">
        <MessageText text={send.text} />
      </div>
      <div class="message-status">
        {failed ? (
          <>
            <span class="failed-text">Not sent{send.error ? `: ${send.error.message}` : ''}</span>
            <button type="button" class="btn btn-link" onClick={onRetry}>
              Retry
            </button>
          </>
        ) : (
          'Sending…'
        )}
      </div>
    </div>
  );
}
