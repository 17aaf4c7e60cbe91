import type { ConversationSummary } from '@parley/protocol';
import { useMemo } from 'preact/hooks';
import { contactName, formatDuration, PRIORITY_LABEL, STATUS_LABEL, waitingLabel } from '../format.ts';
import { createVisibleSelector, unreadCount } from '../store/conversations.ts';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';
import { FILTERS } from './Nav.tsx';
import { useNow } from './use-now.ts';

/** Longest preview kept in an item's accessible name; the visible one is cut by CSS. */
const PREVIEW_CHARS = 140;

/** The middle column: the queue for the current status filter, longest-waiting first. */
export function ConversationList() {
  const inbox = useInbox();
  const selectVisible = useMemo(createVisibleSelector, []);
  const visible = useStore(inbox.conversations, selectVisible);
  const filter = useStore(inbox.conversations, (state) => state.filter);
  const selectedId = useStore(inbox.conversations, (state) => state.selectedId);
  const loading = useStore(inbox.conversations, (state) => state.loading);
  const error = useStore(inbox.conversations, (state) => state.error);
  const hasAny = useStore(inbox.conversations, (state) => Object.keys(state.byId).length > 0);
  const now = useNow();
  const title = FILTERS.find((candidate) => candidate.value === filter)?.label ?? 'Conversations';

  return (
    <section class="list-pane" aria-labelledby="list-title">
      <header class="pane-header">
        <h2 id="list-title">{title}</h2>
        {visible.length > 0 && <span class="count">{visible.length}</span>}
      </header>
      {error && (
        <p class="inline-alert" role="alert">
          Could not load conversations: {error}
        </p>
      )}
      {visible.length > 0 ? (
        <ul class="conversations" aria-label="Conversations">
          {visible.map((summary) => (
            <ConversationItem
              key={summary.id}
              summary={summary}
              now={now}
              selected={summary.id === selectedId}
              showStatus={filter === 'all'}
              onOpen={() => void inbox.open(summary.id)}
            />
          ))}
        </ul>
      ) : loading ? (
        <p class="empty-hint">Loading conversations…</p>
      ) : (
        <div class="empty">
          <h3>{hasAny && filter !== 'all' ? `No ${title.toLowerCase()} conversations` : 'No conversations yet'}</h3>
          <p>
            {hasAny && filter !== 'all'
              ? 'Choose another status to see the rest.'
              : 'When a visitor writes through the chat widget on your site, the conversation appears here at once.'}
          </p>
        </div>
      )}
    </section>
  );
}

interface ItemProps {
  summary: ConversationSummary;
  now: number;
  selected: boolean;
  /** In the All view, say which conversations are not open. */
  showStatus: boolean;
  onOpen: () => void;
}

function ConversationItem({ summary, now, selected, showStatus, onOpen }: ItemProps) {
  const name = contactName(summary.contact);
  const preview = previewOf(summary);
  const waiting = waitingLabel(summary.waitingSince, now);
  const unread = unreadCount(summary);
  const priority = summary.priority === 'none' ? null : PRIORITY_LABEL[summary.priority];
  const status = showStatus && summary.status !== 'open' ? STATUS_LABEL[summary.status] : null;
  // The accessible name reads in a useful order (who, what, how long) rather than the visual one.
  const label = [
    name,
    preview.slice(0, PREVIEW_CHARS),
    waiting,
    unread > 0 ? `${unread} unread` : null,
    priority,
    status,
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <li>
      <button
        type="button"
        class={unread > 0 ? 'conversation conversation-unread' : 'conversation'}
        aria-current={selected ? 'true' : undefined}
        aria-label={label}
        onClick={onOpen}
      >
        <span class="conversation-top">
          <span class="conversation-name">{name}</span>
          {waiting ? (
            <span class={waitClass(summary.waitingSince, now)}>{waiting}</span>
          ) : (
            <span class="conversation-age">{formatDuration(Math.max(0, now - summary.updatedAt))}</span>
          )}
        </span>
        <span class="conversation-bottom">
          <span class="conversation-preview">{preview}</span>
          {status && <span class={`status status-${summary.status}`}>{status}</span>}
          {priority && <span class={`priority priority-${summary.priority}`}>{priority}</span>}
          {unread > 0 && <span class="unread">{unread > 99 ? '99+' : unread}</span>}
        </span>
      </button>
    </li>
  );
}

function previewOf(summary: ConversationSummary): string {
  const last = summary.lastMessage;
  if (!last) return 'No messages yet';
  const text = last.text.replace(/\s+/g, ' ').trim();
  if (last.kind === 'note') return `Note: ${text}`;
  if (last.authorKind === 'agent') return `Agent: ${text}`;
  return text;
}

/** Waiting turns amber after five minutes and red after fifteen: first-response targets. */
function waitClass(waitingSince: number | null, now: number): string {
  const waited = waitingSince === null ? 0 : now - waitingSince;
  if (waited >= 15 * 60_000) return 'waiting waiting-late';
  if (waited >= 5 * 60_000) return 'waiting waiting-warn';
  return 'waiting';
}
