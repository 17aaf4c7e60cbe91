import type { AckFrame } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { createOutbox } from './outbox.ts';
import { ParleyClientError } from './types.ts';

const entry = (clientId: string) => ({ clientId, conversationId: 'c1', text: 'hi', kind: 'text' as const, createdAt: 1 });
const ack = (clientId: string, seq = 1): AckFrame => ({
  type: 'ack',
  clientId,
  conversationId: 'c1',
  messageId: `m${seq}`,
  seq,
  createdAt: 2,
  duplicate: false,
});

describe('createOutbox', () => {
  it('keeps entries in order and resolves each on its ack, once', async () => {
    const outbox = createOutbox();
    const a = outbox.add(entry('a'));
    outbox.add(entry('b'));
    expect(outbox.entries.map((e) => [e.clientId, e.state])).toEqual([['a', 'sending'], ['b', 'sending']]);
    expect(outbox.ack(ack('a', 5))).toBe(true);
    expect(outbox.ack(ack('a', 5))).toBe(false);
    await expect(a).resolves.toMatchObject({ clientId: 'a', seq: 5 });
    expect(outbox.entries.map((e) => e.clientId)).toEqual(['b']);
  });

  it('marks a failure, rejects, and retries at the end with a new promise', async () => {
    const outbox = createOutbox();
    const first = outbox.add(entry('a'));
    outbox.add(entry('b'));
    expect(outbox.fail('a', new ParleyClientError('FORBIDDEN', 'no'))).toBe(true);
    await expect(first).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(outbox.get('a')).toMatchObject({ state: 'failed', error: { code: 'FORBIDDEN', message: 'no' } });
    expect(outbox.retry('b')).toBeUndefined();
    const second = outbox.retry('a');
    expect(outbox.entries.map((e) => [e.clientId, e.state])).toEqual([['b', 'sending'], ['a', 'sending']]);
    expect(outbox.get('a')).not.toHaveProperty('error');
    outbox.ack(ack('a'));
    await expect(second).resolves.toMatchObject({ clientId: 'a' });
  });

  it('changes the entries array only when the outbox changes', () => {
    const outbox = createOutbox();
    outbox.add(entry('a'));
    const before = outbox.entries;
    expect(outbox.entries).toBe(before);
    outbox.ack(ack('zzz'));
    expect(outbox.entries).toBe(before);
    outbox.ack(ack('a'));
    expect(outbox.entries).not.toBe(before);
  });
});
