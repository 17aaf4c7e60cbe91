import type { ConversationSummary, Label } from '@parley/protocol';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { contactName, formatDuration, PRIORITY_LABEL, STATUS_LABEL, waitingLabel } from '../format.ts';
import { createVisibleSelector, hasConversations, unreadCount, type Scope } from '../store/conversations.ts';
import { useStore } from '../store/use-store.ts';
import { useInbox } from './context.ts';
import { FILTERS, SCOPES } from './Nav.tsx';
import { useNow } from './use-now.ts';

/** Longest preview kept in an item's accessible name; the visible one is cut by CSS. */
const PREVIEW_CHARS = 140;
/** Every row is this tall, so the window is arithmetic, not measurement. Matches `.row` in styles.css. */
export const ROW_HEIGHT = 72;
/** Rows rendered beyond each edge of the viewport, so a fast scroll does not show blank space. */
const OVERSCAN = 6;
/** Assumed viewport before the first measurement (and in environments without layout). */
const FALLBACK_VIEWPORT = 900;

/**
 * The middle column: the current folder, longest-waiting first. Windowed: only the rows in view
 * (and a few either side) are in the DOM, so 10,000 conversations cost what 20 do.
 */
export function ConversationList() {
  const inbox = useInbox();
  const selectVisible = useMemo(createVisibleSelector, []);
  const visible = useStore(inbox.conversations, selectVisible);
  const filter = useStore(inbox.conversations, (state) => state.filter);
  const scope = useStore(inbox.conversations, (state) => state.scope);
  const selectedId = useStore(inbox.conversations, (state) => state.selectedId);
  const cursorId = useStore(inbox.conversations, (state) => state.cursorId);
  const cursorMoved = useStore(inbox.ui, (state) => state.cursorMoved);
  const loading = useStore(inbox.conversations, (state) => state.loading);
  const error = useStore(inbox.conversations, (state) => state.error);
  const hasAny = useStore(inbox.conversations, (state) => hasConversations(state.byId));
  const labels = useStore(inbox.workspace, (state) => state.labels);
  const teams = useStore(inbox.workspace, (state) => state.teams);
  const now = useNow();

  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const focusCursor = useRef(false);

  const statusLabel = FILTERS.find((candidate) => candidate.value === filter)?.label ?? 'All';
  const scopeLabel = describeScope(scope, labels, teams);
  const title = scope === 'all' ? statusLabel : `${scopeLabel} · ${statusLabel}`;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, [visible.length > 0]);

  // j / k moved the cursor: bring its row into view, then focus it once rendered.
  useLayoutEffect(() => {
    if (cursorMoved === 0 || cursorId === null) return;
    const index = visible.findIndex((summary) => summary.id === cursorId);
    const el = scroller.current;
    if (index === -1 || !el) return;
    const height = el.clientHeight || FALLBACK_VIEWPORT;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + height) el.scrollTop = top + ROW_HEIGHT - height;
    setScrollTop(el.scrollTop);
    focusCursor.current = true;
  }, [cursorMoved]);

  useLayoutEffect(() => {
    if (!focusCursor.current || cursorId === null) return;
    const button = scroller.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(cursorId)}"]`);
    if (button) {
      button.focus({ preventScroll: true });
      focusCursor.current = false;
    }
  });

  const height = viewport > 0 ? viewport : FALLBACK_VIEWPORT;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(visible.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = visible.slice(first, last);

  return (
    <section class="list-pane" aria-labelledby="list-title">
      <header class="pane-header">
        <h2 id="list-title">{title}</h2>
        {visible.length > 0 && <span class="count">{visible.length.toLocaleString()}</span>}
      </header>
      {error && (
        <p class="inline-alert" role="alert">
          Could not load conversations: {error}
        </p>
      )}
      {visible.length > 0 ? (
        <div class="list-scroll" ref={scroller} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
          <ul class="conversations" aria-label="Conversations" style={{ height: `${visible.length * ROW_HEIGHT}px` }}>
            {rows.map((summary, offset) => (
              <li
                key={summary.id}
                class="row"
                style={{ transform: `translateY(${(first + offset) * ROW_HEIGHT}px)` }}
                aria-setsize={visible.length}
                aria-posinset={first + offset + 1}
              >
                <ConversationItem
                  summary={summary}
                  now={now}
                  selected={summary.id === selectedId}
                  cursor={summary.id === cursorId}
                  showStatus={filter === 'all'}
                  labels={labels}
                  onOpen={() => void inbox.open(summary.id)}
                />
              </li>
            ))}
          </ul>
        </div>
      ) : loading ? (
        <p class="empty-hint">Loading conversations…</p>
      ) : (
        <div class="empty">
          <h3>
            {!hasAny
              ? 'No conversations yet'
              : `No ${statusLabel === 'All' ? '' : `${statusLabel.toLowerCase()} `}conversations${scope === 'all' ? '' : ` in ${scopeLabel}`}`}
          </h3>
          <p>
            {!hasAny
              ? 'When a visitor writes through the chat widget on your site, the conversation appears here at once.'
              : 'Choose another folder or status to see the rest.'}
          </p>
        </div>
      )}
    </section>
  );
}

function describeScope(scope: Scope, labels: readonly Label[], teams: readonly { id: string; name: string }[]): string {
  const fixed = SCOPES.find((candidate) => candidate.value === scope);
  if (fixed) return fixed.label;
  if (scope.startsWith('label:')) return labels.find((label) => label.id === scope.slice(6))?.name ?? 'Label';
  return teams.find((team) => team.id === scope.slice(5))?.name ?? 'Team';
}

interface ItemProps {
  summary: ConversationSummary;
  now: number;
  selected: boolean;
  /** Where j / k stand. */
  cursor: boolean;
  /** In the All view, say which conversations are not open. */
  showStatus: boolean;
  labels: readonly Label[];
  onOpen: () => void;
}

function ConversationItem({ summary, now, selected, cursor, showStatus, labels, onOpen }: ItemProps) {
  const name = contactName(summary.contact);
  const preview = previewOf(summary);
  const waiting = waitingLabel(summary.waitingSince, now);
  const unread = unreadCount(summary);
  const priority = summary.priority === 'none' ? null : PRIORITY_LABEL[summary.priority];
  const status = showStatus && summary.status !== 'open' ? STATUS_LABEL[summary.status] : null;
  const firstLabel = summary.labelIds.length > 0 ? labels.find((label) => label.id === summary.labelIds[0]) : undefined;
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
    <button
      type="button"
      data-id={summary.id}
      class={`conversation${unread > 0 ? ' conversation-unread' : ''}${cursor && !selected ? ' conversation-cursor' : ''}`}
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
        {firstLabel && (
          <span class="tag" title={firstLabel.name}>
            <span class="swatch" style={{ background: firstLabel.color }} aria-hidden="true" />
            {firstLabel.name}
          </span>
        )}
        {status && <span class={`status status-${summary.status}`}>{status}</span>}
        {priority && <span class={`priority priority-${summary.priority}`}>{priority}</span>}
        {unread > 0 && <span class="unread">{unread > 99 ? '99+' : unread}</span>}
      </span>
    </button>
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
