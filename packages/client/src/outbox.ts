import type { AckFrame } from '@parley/protocol';
import { defer, type Deferred } from './deferred.ts';
import type { ParleyClientError, PendingSend } from './types.ts';

export interface Outbox {
  /**
   * The entries in the order the relay should see them. A new array (of new entry objects
   * for changed entries) on every change and the same one otherwise, so a UI store can
   * compare snapshots by reference (`useSyncExternalStore` requires it).
   */
  readonly entries: readonly PendingSend[];
  get(clientId: string): PendingSend | undefined;
  /** The ack promise of a pending entry. */
  waitFor(clientId: string): Promise<AckFrame> | undefined;
  /** Appends a `sending` entry, replacing a failed one with the same client id. */
  add(entry: Omit<PendingSend, 'state' | 'error'>): Promise<AckFrame>;
  /** Removes the entry the ack is for and resolves its promise; false when there is none (a second ack of a resend). */
  ack(frame: AckFrame): boolean;
  /** Marks a `sending` entry failed and rejects its promise; false when there is none. */
  fail(clientId: string, error: ParleyClientError): boolean;
  /** Sets a failed entry back to `sending` with a new promise; undefined unless it had failed. */
  retry(clientId: string): Promise<AckFrame> | undefined;
}

/** The ordered list of unacknowledged sends and the promises waiting on their acks. */
export function createOutbox(): Outbox {
  let entries: readonly PendingSend[] = [];
  const waiters = new Map<string, Deferred<AckFrame>>();

  function waiter(clientId: string): Promise<AckFrame> {
    const deferred = defer<AckFrame>();
    // The outbox event reports a failure too, so a caller may well ignore the promise (a
    // benchmark firing sends, a UI rendering `state`). Node kills the process on an unhandled
    // rejection; this marks it handled while callers that chain on it still see the rejection.
    deferred.promise.catch(() => {});
    waiters.set(clientId, deferred);
    return deferred.promise;
  }

  const find = (clientId: string) => entries.find((entry) => entry.clientId === clientId);
  const without = (clientId: string) => entries.filter((entry) => entry.clientId !== clientId);

  return {
    get entries() {
      return entries;
    },
    get: find,
    waitFor: (clientId) => waiters.get(clientId)?.promise,
    add(entry) {
      entries = [...without(entry.clientId), { ...entry, state: 'sending' }];
      return waiter(entry.clientId);
    },
    ack(frame) {
      if (!find(frame.clientId)) return false;
      entries = without(frame.clientId);
      // A failed entry has no waiter left (its promise was rejected); if the relay stored it
      // after all, it leaves the outbox but its settled promise stays as it was.
      waiters.get(frame.clientId)?.resolve(frame);
      waiters.delete(frame.clientId);
      return true;
    },
    fail(clientId, error) {
      const deferred = waiters.get(clientId);
      if (!deferred || find(clientId)?.state !== 'sending') return false;
      waiters.delete(clientId);
      entries = entries.map((entry) =>
        entry.clientId === clientId
          ? { ...entry, state: 'failed', error: { code: error.code, message: error.message } }
          : entry,
      );
      deferred.reject(error);
      return true;
    },
    retry(clientId) {
      const failed = find(clientId);
      if (failed?.state !== 'failed') return undefined;
      const { error: _error, ...rest } = failed;
      // To the end: the relay assigns seq in arrival order, and this is when it will arrive.
      entries = [...without(clientId), { ...rest, state: 'sending' }];
      return waiter(clientId);
    },
  };
}
