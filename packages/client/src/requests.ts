import type { HistoryFrame, HistoryRequestFrame, OkFrame, ProfileFrame, UpdateFrame } from '@parley/protocol';
import { defer } from './deferred.ts';
import type { ParleyClientError } from './types.ts';

export type RequestFrame = HistoryRequestFrame | UpdateFrame | ProfileFrame;
export type ReplyFrame = HistoryFrame | OkFrame;

interface Pending {
  frame: RequestFrame;
  /** Resolves the request if `reply` is the kind it waits for. */
  settle(reply: ReplyFrame): boolean;
  reject(error: ParleyClientError): void;
}

export interface Requests {
  /** Every unanswered request, oldest first: what to (re)send after a `welcome`. */
  frames(): RequestFrame[];
  add<R extends ReplyFrame>(frame: RequestFrame, isReply: (reply: ReplyFrame) => reply is R): Promise<R>;
  /** Settles the request `reply.ref` names; false when none waits for it. */
  reply(reply: ReplyFrame): boolean;
  /** Rejects the request `ref` names; false when none waits for it. */
  fail(ref: string, error: ParleyClientError): boolean;
}

/** Requests correlated with their replies by `requestId` (echoed back as `ref`). */
export function createRequests(): Requests {
  // A Map iterates in insertion order, which is the order requests were made.
  const pending = new Map<string, Pending>();
  return {
    frames: () => [...pending.values()].map((entry) => entry.frame),
    add<R extends ReplyFrame>(frame: RequestFrame, isReply: (reply: ReplyFrame) => reply is R): Promise<R> {
      const deferred = defer<R>();
      pending.set(frame.requestId, {
        frame,
        settle(reply) {
          if (!isReply(reply)) return false;
          deferred.resolve(reply);
          return true;
        },
        reject: deferred.reject,
      });
      return deferred.promise;
    },
    reply(reply) {
      const entry = pending.get(reply.ref);
      if (!entry?.settle(reply)) return false;
      pending.delete(reply.ref);
      return true;
    },
    fail(ref, error) {
      const entry = pending.get(ref);
      if (!entry) return false;
      pending.delete(ref);
      entry.reject(error);
      return true;
    },
  };
}
