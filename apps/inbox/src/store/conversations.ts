import type { ConversationSummary, Message } from '@parley/protocol';
import { createStore } from 'zustand/vanilla';
import type { StatusFilter } from '../api.ts';

/**
 * Whose conversations a folder holds: `mine`, `unassigned`, `all`, or those of a label or team
 * (`label:<id>`, `team:<id>`). Combined with the status filter.
 */
export type Scope = 'mine' | 'unassigned' | 'all' | `label:${string}` | `team:${string}`;

export interface ConversationsState {
  /**
   * Every conversation this session has seen, from REST pages and live frames alike. Owned by the
   * store and updated in place (`upsertInto`), because copying 10,000 keys per live frame costs
   * milliseconds; `version` says that it changed.
   */
  byId: Readonly<Record<string, ConversationSummary>>;
  /** Bumped on every change to `byId`: what memoised selectors compare. */
  version: number;
  scope: Scope;
  filter: StatusFilter;
  /** The signed-in agent, for the `mine` folder. */
  meId: string | null;
  selectedId: string | null;
  /** Where j / k stand in the list; Enter opens it. Follows the selection when that changes. */
  cursorId: string | null;
  /**
   * What the last write of `byId` replaced (id → the summary before, if any) and the version it
   * started from: lets the sorted list and the unread count update in O(log n) per change
   * instead of re-sorting 10,000 items.
   */
  changes: { fromVersion: number; previous: ReadonlyMap<string, ConversationSummary | undefined> } | null;
  /** The list for the current filter is being fetched. */
  loading: boolean;
  error: string | null;
}

export const initialConversations: ConversationsState = {
  byId: {},
  version: 0,
  scope: 'all',
  filter: 'open',
  meId: null,
  selectedId: null,
  cursorId: null,
  changes: null,
  loading: false,
  error: null,
};

export type ConversationsStore = ReturnType<typeof createConversationsStore>;

export function createConversationsStore() {
  return createStore<ConversationsState>()(() => freshConversations());
}

/** The initial state with a `byId` of its own (it is written in place). */
export function freshConversations(): ConversationsState {
  return { ...initialConversations, byId: {} };
}

/**
 * Merges summaries into the cache. A summary older than the one held (by `updatedAt`) is
 * ignored: a REST page that was in flight while a live frame arrived must not roll it back.
 * Returns the same object when nothing changed, so subscribers are not woken for nothing.
 */
export function upsertConversations(
  byId: Readonly<Record<string, ConversationSummary>>,
  incoming: readonly ConversationSummary[],
): Readonly<Record<string, ConversationSummary>> {
  let next: Record<string, ConversationSummary> | null = null;
  for (const summary of incoming) {
    const held = (next ?? byId)[summary.id];
    if (held && (held === summary || held.updatedAt > summary.updatedAt)) continue;
    next ??= { ...byId };
    next[summary.id] = summary;
  }
  return next ?? byId;
}

/**
 * Merges summaries into the store's `byId` in place (older versions by `updatedAt` are ignored,
 * as in `upsertConversations`) and returns the state update announcing it, or `state` itself
 * when nothing changed. Call it inside `setState((state) => upsertInto(state, …))`.
 */
export function upsertInto(state: ConversationsState, incoming: readonly ConversationSummary[]): Partial<ConversationsState> | ConversationsState {
  const byId = state.byId as Record<string, ConversationSummary>;
  const previous = new Map<string, ConversationSummary | undefined>();
  for (const summary of incoming) {
    const held = byId[summary.id];
    if (held && (held === summary || held.updatedAt > summary.updatedAt)) continue;
    if (!previous.has(summary.id)) previous.set(summary.id, held);
    byId[summary.id] = summary;
  }
  if (previous.size === 0) return state;
  return { version: state.version + 1, changes: { fromVersion: state.version, previous } };
}

/** Replaces one held summary in place (a local guess before the relay's frame), like `upsertInto`. */
export function replaceInto(state: ConversationsState, next: ConversationSummary): Partial<ConversationsState> | ConversationsState {
  const byId = state.byId as Record<string, ConversationSummary>;
  const held = byId[next.id];
  if (held === next) return state;
  byId[next.id] = next;
  return { version: state.version + 1, changes: { fromVersion: state.version, previous: new Map([[next.id, held]]) } };
}

/** Where `summary` goes in a list sorted by `compareQueue` (its index if present). */
function searchQueue(list: readonly ConversationSummary[], summary: ConversationSummary): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareQueue(list[mid]!, summary) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Updates a summary for a live message before the relay's own `conversation` frame arrives, so
 * the preview and unread mark never lag behind the thread. The relay's frame, when it comes,
 * replaces this guess.
 */
export function applyMessage(summary: ConversationSummary, message: Message): ConversationSummary {
  if (message.seq <= summary.lastSeq && summary.lastMessage !== null) return summary;
  const fromVisitor = message.author.kind === 'visitor';
  const agentReply = message.author.kind === 'agent' && message.kind === 'text';
  return {
    ...summary,
    lastSeq: Math.max(summary.lastSeq, message.seq),
    lastMessage: {
      seq: message.seq,
      kind: message.kind,
      authorKind: message.author.kind,
      text: message.text,
      createdAt: message.createdAt,
    },
    waitingSince: agentReply ? null : fromVisitor ? (summary.waitingSince ?? message.createdAt) : summary.waitingSince,
  };
}

/** How far each priority lifts a conversation in the queue. */
export const PRIORITY_RANK: Readonly<Record<ConversationSummary['priority'], number>> = {
  urgent: 4,
  high: 3,
  medium: 2,
  low: 1,
  none: 0,
};

/**
 * Queue order. Conversations waiting for a reply come first, and among them a higher priority
 * comes first, then whoever has waited longest. Those not waiting follow, again by priority, then
 * most recently active first. Priority never lifts a conversation that waits for nobody above
 * one whose customer is waiting: the queue is about who needs an answer.
 */
export function compareQueue(a: ConversationSummary, b: ConversationSummary): number {
  const aWaits = a.waitingSince !== null;
  const bWaits = b.waitingSince !== null;
  if (aWaits !== bWaits) return aWaits ? -1 : 1;
  const lift = PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority];
  if (lift !== 0) return lift;
  if (aWaits && bWaits && a.waitingSince !== b.waitingSince) return a.waitingSince! - b.waitingSince!;
  return b.updatedAt - a.updatedAt || a.id.localeCompare(b.id);
}

export function matchesScope(summary: ConversationSummary, scope: Scope, meId: string | null): boolean {
  if (scope === 'all') return true;
  if (scope === 'mine') return meId !== null && summary.assigneeId === meId;
  if (scope === 'unassigned') return summary.assigneeId === null;
  if (scope.startsWith('label:')) return summary.labelIds.includes(scope.slice(6));
  return summary.teamId === scope.slice(5);
}

export function matchesFilter(summary: ConversationSummary, filter: StatusFilter): boolean {
  return filter === 'all' || summary.status === filter;
}

/**
 * The conversations of the current folder in queue order. Memoised on its inputs: the list
 * re-renders only when the cache or the folder changed, not on every store update.
 */
export function createVisibleSelector() {
  let lastById: ConversationsState['byId'] | undefined;
  let lastVersion = -1;
  let lastKey = '';
  let last: ConversationSummary[] = [];
  return (state: ConversationsState): ConversationSummary[] => {
    const key = `${state.scope}|${state.filter}|${state.meId ?? ''}`;
    if (state.byId === lastById && state.version === lastVersion && key === lastKey) return last;
    const matches = (summary: ConversationSummary | undefined): summary is ConversationSummary =>
      summary !== undefined && matchesFilter(summary, state.filter) && matchesScope(summary, state.scope, state.meId);
    const changes = state.changes;
    if (key === lastKey && state.byId === lastById && changes?.fromVersion === lastVersion && changes.previous.size < 64) {
      // A few live changes: move just those, keeping the rest in place.
      const next = last.slice();
      for (const [id, old] of changes.previous) {
        if (matches(old)) {
          const at = searchQueue(next, old);
          if (next[at] === old) next.splice(at, 1);
        }
        const fresh = state.byId[id];
        if (matches(fresh)) next.splice(searchQueue(next, fresh), 0, fresh);
      }
      last = next;
    } else {
      last = Object.values(state.byId).filter(matches).sort(compareQueue);
    }
    lastById = state.byId;
    lastVersion = state.version;
    lastKey = key;
    return last;
  };
}

/**
 * Messages the agents have not read. Counted only when the visitor spoke last: after an agent's
 * reply or note there is nothing waiting for the team, whatever the read marker says.
 */
export function unreadCount(summary: ConversationSummary): number {
  if (summary.lastMessage?.authorKind !== 'visitor') return 0;
  return Math.max(0, summary.lastSeq - summary.agentReadSeq);
}

const isUnread = (summary: ConversationSummary | undefined) =>
  summary !== undefined && summary.status !== 'resolved' && unreadCount(summary) > 0;

/** Conversations with something unread, for the page title. Resolved ones do not nag. */
export function unreadConversations(byId: ConversationsState['byId']): number {
  let count = 0;
  for (const id in byId) if (isUnread(byId[id])) count++;
  return count;
}

/** `unreadConversations` for a store, kept up to date from `changes` rather than recounted. */
export function createUnreadSelector() {
  let lastById: ConversationsState['byId'] | undefined;
  let lastVersion = -1;
  let count = 0;
  return (state: ConversationsState): number => {
    if (state.byId === lastById && state.version === lastVersion) return count;
    const changes = state.changes;
    if (state.byId === lastById && changes?.fromVersion === lastVersion) {
      for (const [id, old] of changes.previous) count += Number(isUnread(state.byId[id])) - Number(isUnread(old));
    } else {
      count = unreadConversations(state.byId);
    }
    lastById = state.byId;
    lastVersion = state.version;
    return count;
  };
}

/** Whether any conversation is held, without listing 10,000 keys. */
export function hasConversations(byId: ConversationsState['byId']): boolean {
  for (const _ in byId) return true;
  return false;
}
