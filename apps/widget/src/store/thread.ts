import type { Author, Message } from '@parley/protocol';

/** Where one of the visitor's own messages stands; agents' messages have none. */
export type Delivery = 'sending' | 'sent' | 'failed';

/** A message as the thread shows it: from history, live, or the visitor's own still on its way. */
export interface ChatMessage {
  /** Stable from the moment the visitor presses Send to the ack and beyond: the list key. */
  clientId: string;
  /** The relay's id; undefined until acknowledged. */
  id: string | undefined;
  /** Undefined for a first message still on its way: the relay picks (or opens) the conversation. */
  conversationId: string | undefined;
  /** 0 until acknowledged. */
  seq: number;
  author: Author;
  text: string;
  createdAt: number;
  delivery: Delivery | undefined;
}

export const VISITOR: Author = { kind: 'visitor', id: null, name: null };

export function fromMessage(message: Message): ChatMessage {
  return {
    clientId: message.clientId,
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    author: message.author,
    text: message.text,
    createdAt: message.createdAt,
    delivery: message.author.kind === 'visitor' ? 'sent' : undefined,
  };
}

/**
 * Adds `next`, or merges it into the message it duplicates: the same relay id, or the same
 * client id from the same kind of author (the visitor's pending send coming back as a live
 * `message`, e.g. echoed to their other tab). Keeps the list ordered by `createdAt`.
 */
export function upsertMessage(list: readonly ChatMessage[], next: ChatMessage): ChatMessage[] {
  const index = list.findIndex(
    (m) => (next.id !== undefined && m.id === next.id) || (m.clientId === next.clientId && m.author.kind === next.author.kind),
  );
  if (index === -1) return byTime([...list, next]);
  const merged = [...list];
  const current = list[index] as ChatMessage;
  // A settled message never goes back to `sending` because an older copy of it arrived.
  const delivery = current.delivery === 'sent' ? 'sent' : next.delivery;
  merged[index] = { ...current, ...next, id: next.id ?? current.id, delivery };
  return byTime(merged);
}

/** Applies `change` to the message with `clientId`, if it is there. */
export function patchMessage(
  list: readonly ChatMessage[],
  clientId: string,
  change: Partial<ChatMessage>,
): readonly ChatMessage[] {
  const index = list.findIndex((m) => m.clientId === clientId && m.author.kind === 'visitor');
  if (index === -1) return list;
  const next = [...list];
  next[index] = { ...(list[index] as ChatMessage), ...change };
  return byTime(next);
}

/**
 * Replaces what the thread holds of one conversation with a freshly loaded page of it (after
 * `welcome`, or a `reset`). The visitor's unacknowledged sends stay: they are not the relay's yet.
 */
export function replaceConversation(
  list: readonly ChatMessage[],
  conversationId: string,
  messages: readonly Message[],
): ChatMessage[] {
  let next = list.filter((m) => m.conversationId !== conversationId || (m.delivery !== undefined && m.delivery !== 'sent'));
  for (const message of messages) next = upsertMessage(next, fromMessage(message));
  return next;
}

/** Highest `seq` among `messages` of `conversationId`, or 0. */
export function lastSeqOf(messages: readonly ChatMessage[], conversationId: string): number {
  let max = 0;
  for (const m of messages) if (m.conversationId === conversationId && m.seq > max) max = m.seq;
  return max;
}

// `sort` is stable, so messages with the same timestamp keep their arrival order.
const byTime = (list: ChatMessage[]): ChatMessage[] => list.sort((a, b) => a.createdAt - b.createdAt);
