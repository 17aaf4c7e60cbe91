import type { PendingSend } from '@parley/client';
import type { Author, Message } from '@parley/protocol';
import { createStore } from 'zustand/vanilla';

export interface Thread {
  /** Ascending by `seq`, one entry per message id. */
  messages: readonly Message[];
  /** `loading` until the first REST page is in; live messages may already be here by then. */
  status: 'loading' | 'ready' | 'error';
  /** Older messages exist before the first one held. */
  hasMore: boolean;
  loadingEarlier: boolean;
  error: string | null;
}

export interface MessagesState {
  /** Threads of conversations opened in this session; live messages for others only touch the list. */
  threads: Readonly<Record<string, Thread>>;
  /** Who is typing in each conversation (the visitor), while they are. */
  typing: Readonly<Record<string, Author>>;
  /** The client's unacknowledged and failed sends. */
  outbox: readonly PendingSend[];
}

export const initialMessages: MessagesState = { threads: {}, typing: {}, outbox: [] };

export const emptyThread: Thread = { messages: [], status: 'loading', hasMore: false, loadingEarlier: false, error: null };

export type MessagesStore = ReturnType<typeof createMessagesStore>;

export function createMessagesStore() {
  return createStore<MessagesState>()(() => ({ ...initialMessages }));
}

/**
 * Merges messages into a thread: deduplicated by id (a live frame, an ack and a REST page may all
 * carry the same message), ascending by `seq`. Returns `existing` itself when nothing is new.
 */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): readonly Message[] {
  const known = new Set(existing.map((message) => message.id));
  const fresh = incoming.filter((message) => {
    if (known.has(message.id)) return false;
    known.add(message.id);
    return true;
  });
  if (fresh.length === 0) return existing;
  const last = existing.at(-1);
  const sorted = fresh.toSorted((a, b) => a.seq - b.seq);
  // The common case, a live message after the last one held, needs no re-sort.
  if (!last || sorted[0]!.seq > last.seq) return [...existing, ...sorted];
  return [...existing, ...sorted].sort((a, b) => a.seq - b.seq);
}

/** Sends for a conversation that are still waiting or failed, and not already in its thread. */
export function pendingFor(outbox: readonly PendingSend[], conversationId: string, thread: readonly Message[]) {
  const pending = outbox.filter((send) => send.conversationId === conversationId);
  if (pending.length === 0) return pending;
  const delivered = new Set(thread.map((message) => message.clientId));
  return pending.filter((send) => !delivered.has(send.clientId));
}
