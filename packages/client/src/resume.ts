import { LIMITS, type ResumePoint } from '@parley/protocol';

/** The highest `seq` held per conversation: what `hello` asks the relay to resume after. */
export interface ResumePoints {
  get(conversationId: string): number;
  set(conversationId: string, seq: number): void;
  /** Raises the seq held (never lowers it); starts tracking the conversation if new. */
  raise(conversationId: string, seq: number): void;
  has(conversationId: string): boolean;
  /** Stops resuming a conversation. */
  forget(conversationId: string): void;
  /** The points to put in `hello`, at most `limit`, the most recently touched. */
  list(): ResumePoint[];
}

export function createResumePoints(limit: number = LIMITS.maxResumePoints): ResumePoints {
  // Insertion order doubles as recency (every write re-inserts). An agent sees messages of
  // every conversation in the workspace; without the cap a long-lived inbox would one day send
  // more points than the relay accepts and have its `hello` refused on every reconnect.
  const seqs = new Map<string, number>();
  const set = (conversationId: string, seq: number) => {
    seqs.delete(conversationId);
    seqs.set(conversationId, seq);
  };
  return {
    get: (conversationId) => seqs.get(conversationId) ?? 0,
    set,
    raise: (conversationId, seq) => set(conversationId, Math.max(seqs.get(conversationId) ?? 0, seq)),
    has: (conversationId) => seqs.has(conversationId),
    forget: (conversationId) => {
      seqs.delete(conversationId);
    },
    list: () => [...seqs].slice(-limit).map(([conversationId, seq]) => ({ conversationId, seq })),
  };
}
