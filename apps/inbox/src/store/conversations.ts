import type { ConversationSummary, Message } from '@parley/protocol';
import { createStore } from 'zustand/vanilla';
import type { StatusFilter } from '../api.ts';

export interface ConversationsState {
  /** Every conversation this session has seen, from REST pages and live frames alike. */
  byId: Readonly<Record<string, ConversationSummary>>;
  filter: StatusFilter;
  selectedId: string | null;
  /** The list for the current filter is being fetched. */
  loading: boolean;
  error: string | null;
}

export const initialConversations: ConversationsState = {
  byId: {},
  filter: 'open',
  selectedId: null,
  loading: false,
  error: null,
};

export type ConversationsStore = ReturnType<typeof createConversationsStore>;

export function createConversationsStore() {
  return createStore<ConversationsState>()(() => ({ ...initialConversations }));
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

/** Queue order: whoever has waited longest first, then those not waiting, most recently active first. */
export function compareQueue(a: ConversationSummary, b: ConversationSummary): number {
  if (a.waitingSince !== null && b.waitingSince !== null && a.waitingSince !== b.waitingSince) {
    return a.waitingSince - b.waitingSince;
  }
  if (a.waitingSince !== null && b.waitingSince === null) return -1;
  if (a.waitingSince === null && b.waitingSince !== null) return 1;
  return b.updatedAt - a.updatedAt || a.id.localeCompare(b.id);
}

export function matchesFilter(summary: ConversationSummary, filter: StatusFilter): boolean {
  return filter === 'all' || summary.status === filter;
}

/**
 * The conversations of the current filter in queue order. Memoised on its inputs: the list
 * re-renders only when the cache or the filter changed, not on every store update.
 */
export function createVisibleSelector() {
  let lastById: ConversationsState['byId'] | undefined;
  let lastFilter: StatusFilter | undefined;
  let last: ConversationSummary[] = [];
  return (state: ConversationsState): ConversationSummary[] => {
    if (state.byId !== lastById || state.filter !== lastFilter) {
      lastById = state.byId;
      lastFilter = state.filter;
      last = Object.values(state.byId)
        .filter((summary) => matchesFilter(summary, state.filter))
        .sort(compareQueue);
    }
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

/** Conversations with something unread, for the page title. Resolved ones do not nag. */
export function unreadConversations(byId: ConversationsState['byId']): number {
  let count = 0;
  for (const summary of Object.values(byId)) {
    if (summary.status !== 'resolved' && unreadCount(summary) > 0) count++;
  }
  return count;
}
