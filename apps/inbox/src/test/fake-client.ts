import type { ClientEvents, ClientStatus, ParleyClient, PendingSend, SendInput } from '@parley/client';
import { ParleyClientError } from '@parley/client';
import type { AckFrame } from '@parley/protocol';
import { vi } from 'vitest';
import type { InboxClient } from '../store/inbox.ts';

type Listener = (value: never) => void;

/**
 * A `ParleyClient` without a socket: every method is a spy, and the test plays the relay by
 * emitting events and settling sends.
 */
export function createFakeClient() {
  const listeners = new Map<keyof ClientEvents, Set<Listener>>();
  const settlers = new Map<string, { resolve: (ack: AckFrame) => void; reject: (error: Error) => void }>();
  let outbox: PendingSend[] = [];
  let nextId = 0;

  function emit<K extends keyof ClientEvents>(event: K, value: ClientEvents[K]) {
    for (const listener of listeners.get(event) ?? []) (listener as (value: ClientEvents[K]) => void)(value);
  }

  function setOutbox(next: PendingSend[]) {
    outbox = next;
    emit('outbox', outbox);
  }

  function track(clientId: string, input: Omit<SendInput, 'clientId'>): Promise<AckFrame> {
    const ack = new Promise<AckFrame>((resolve, reject) => settlers.set(clientId, { resolve, reject }));
    ack.catch(() => {});
    setOutbox([
      ...outbox.filter((send) => send.clientId !== clientId),
      {
        clientId,
        conversationId: input.conversationId,
        text: input.text,
        kind: input.kind ?? 'text',
        createdAt: Date.now(),
        state: 'sending',
      },
    ]);
    return ack;
  }

  const client = {
    status: 'idle' as ClientStatus,
    connect: vi.fn(() => emit('status', 'connecting')),
    close: vi.fn(),
    send: vi.fn((input: SendInput) => {
      const clientId = input.clientId ?? `cid_${++nextId}`;
      return { clientId, ack: track(clientId, input) };
    }),
    retry: vi.fn((clientId: string) => {
      const failed = outbox.find((send) => send.clientId === clientId);
      if (!failed) return undefined;
      return track(clientId, { text: failed.text, kind: failed.kind, ...(failed.conversationId ? { conversationId: failed.conversationId } : {}) });
    }),
    history: vi.fn<ParleyClient['history']>(),
    update: vi.fn<ParleyClient['update']>(async () => {}),
    profile: vi.fn<ParleyClient['profile']>(async () => {}),
    typing: vi.fn<ParleyClient['typing']>(),
    markRead: vi.fn<ParleyClient['markRead']>(),
    presence: vi.fn<(status: 'online' | 'away') => void>(),
    viewing: vi.fn<(conversationId: string | null) => void>(),
    lastSeq: vi.fn<ParleyClient['lastSeq']>(() => 0),
    track: vi.fn<ParleyClient['track']>(),
    outbox: () => outbox,
    on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => void set.delete(listener as Listener);
    },
  } satisfies InboxClient;

  return {
    client,
    emit,
    /** The relay stored a send: `ack` then drop it from the outbox, as the real client does. */
    acknowledge(clientId: string, fields: { messageId: string; seq: number; createdAt: number }) {
      const pending = outbox.find((send) => send.clientId === clientId);
      if (!pending) throw new Error(`No pending send ${clientId}`);
      const ack: AckFrame = {
        type: 'ack',
        clientId,
        conversationId: pending.conversationId ?? '',
        duplicate: false,
        ...fields,
      };
      emit('ack', ack);
      setOutbox(outbox.filter((send) => send.clientId !== clientId));
      settlers.get(clientId)?.resolve(ack);
    },
    /** The relay refused a send: it stays in the outbox as `failed`. */
    refuse(clientId: string, message: string) {
      const error = { code: 'RATE_LIMITED' as const, message };
      setOutbox(outbox.map((send) => (send.clientId === clientId ? { ...send, state: 'failed' as const, error } : send)));
      settlers.get(clientId)?.reject(new ParleyClientError(error.code, message));
    },
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
  };
}

export type FakeClient = ReturnType<typeof createFakeClient>;
