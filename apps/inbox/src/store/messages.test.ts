import type { PendingSend } from '@parley/client';
import { describe, expect, it } from 'vitest';
import { message } from '../test/fixtures.ts';
import { mergeMessages, pendingFor } from './messages.ts';

const ids = (list: readonly { id: string }[]) => list.map((m) => m.id);

describe('mergeMessages', () => {
  it('appends newer messages', () => {
    const held = [message({ id: 'a', seq: 1 })];
    expect(ids(mergeMessages(held, [message({ id: 'b', seq: 2 })]))).toEqual(['a', 'b']);
  });

  it('drops duplicates by id, within the batch and against what is held', () => {
    const held = [message({ id: 'a', seq: 1 }), message({ id: 'b', seq: 2 })];
    const merged = mergeMessages(held, [message({ id: 'b', seq: 2 }), message({ id: 'c', seq: 3 }), message({ id: 'c', seq: 3 })]);
    expect(ids(merged)).toEqual(['a', 'b', 'c']);
  });

  it('keeps ascending seq order when an older page or a late message arrives', () => {
    const held = [message({ id: 'c', seq: 3 }), message({ id: 'e', seq: 5 })];
    const merged = mergeMessages(held, [message({ id: 'd', seq: 4 }), message({ id: 'a', seq: 1 }), message({ id: 'b', seq: 2 })]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns the held array itself when nothing is new', () => {
    const held = [message({ id: 'a', seq: 1 })];
    expect(mergeMessages(held, [message({ id: 'a', seq: 1 })])).toBe(held);
  });
});

describe('pendingFor', () => {
  const send = (clientId: string, conversationId: string): PendingSend => ({
    clientId,
    conversationId,
    text: 'x',
    kind: 'text',
    createdAt: 0,
    state: 'sending',
  });

  it('keeps the sends of this conversation not yet in its thread', () => {
    const outbox = [send('k1', 'c1'), send('k2', 'c2'), send('k3', 'c1')];
    const thread = [message({ id: 'm1', seq: 1, clientId: 'k3' })];
    expect(pendingFor(outbox, 'c1', thread).map((s) => s.clientId)).toEqual(['k1']);
  });
});
