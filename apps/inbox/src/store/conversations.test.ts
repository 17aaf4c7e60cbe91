import { describe, expect, it } from 'vitest';
import { message, NOW, summary } from '../test/fixtures.ts';
import {
  applyMessage,
  compareQueue,
  createVisibleSelector,
  initialConversations,
  unreadConversations,
  unreadCount,
  upsertConversations,
} from './conversations.ts';

describe('upsertConversations', () => {
  it('adds new conversations and replaces held ones with newer versions', () => {
    const a = summary({ id: 'a', updatedAt: 100 });
    const byId = upsertConversations({}, [a]);
    expect(byId).toEqual({ a });

    const newer = { ...a, status: 'resolved' as const, updatedAt: 200 };
    const b = summary({ id: 'b' });
    expect(upsertConversations(byId, [newer, b])).toEqual({ a: newer, b });
  });

  it('keeps a held conversation when an older version arrives (a stale REST page)', () => {
    const live = summary({ id: 'a', status: 'resolved', updatedAt: 200 });
    const stale = summary({ id: 'a', status: 'open', updatedAt: 100 });
    const byId = upsertConversations({ a: live }, [stale]);
    expect(byId.a).toBe(live);
  });

  it('returns the same object when nothing changed', () => {
    const a = summary({ id: 'a' });
    const byId = { a };
    expect(upsertConversations(byId, [a])).toBe(byId);
    expect(upsertConversations(byId, [])).toBe(byId);
  });
});

describe('compareQueue', () => {
  it('puts the longest-waiting first, the not-waiting last by latest activity', () => {
    const list = [
      summary({ id: 'idle-old', waitingSince: null, updatedAt: 10 }),
      summary({ id: 'wait-short', waitingSince: 300 }),
      summary({ id: 'idle-new', waitingSince: null, updatedAt: 50 }),
      summary({ id: 'wait-long', waitingSince: 100 }),
    ];
    expect(list.sort(compareQueue).map((c) => c.id)).toEqual(['wait-long', 'wait-short', 'idle-new', 'idle-old']);
  });

  it('breaks a tie in waiting time by latest activity', () => {
    const list = [summary({ id: 'a', waitingSince: 5, updatedAt: 1 }), summary({ id: 'b', waitingSince: 5, updatedAt: 2 })];
    expect(list.sort(compareQueue).map((c) => c.id)).toEqual(['b', 'a']);
  });
});

describe('createVisibleSelector', () => {
  it('filters by status, sorts, and returns the same array until its inputs change', () => {
    const select = createVisibleSelector();
    const byId = {
      a: summary({ id: 'a', waitingSince: 20 }),
      b: summary({ id: 'b', waitingSince: 10 }),
      r: summary({ id: 'r', status: 'resolved' }),
    };
    const state = { ...initialConversations, byId };
    const first = select(state);
    expect(first.map((c) => c.id)).toEqual(['b', 'a']);
    expect(select({ ...state, selectedId: 'a' })).toBe(first);
    expect(select({ ...state, filter: 'all' }).map((c) => c.id)).toEqual(['b', 'a', 'r']);
  });
});

describe('applyMessage', () => {
  const base = summary({ id: 'c1', lastSeq: 1, waitingSince: null });

  it('moves the preview and starts the wait on a visitor message', () => {
    const next = applyMessage(base, message({ id: 'm2', seq: 2, text: 'Hello again', createdAt: NOW }));
    expect(next.lastSeq).toBe(2);
    expect(next.lastMessage).toMatchObject({ seq: 2, text: 'Hello again', authorKind: 'visitor' });
    expect(next.waitingSince).toBe(NOW);
  });

  it('keeps the wait running while the visitor keeps writing, and ends it on an agent reply, not a note', () => {
    const waiting = { ...base, waitingSince: NOW - 1000 };
    expect(applyMessage(waiting, message({ id: 'm2', seq: 2 })).waitingSince).toBe(NOW - 1000);
    const agent = { kind: 'agent' as const, id: 'a', name: 'Ada' };
    expect(applyMessage(waiting, message({ id: 'm2', seq: 2, author: agent, kind: 'note' })).waitingSince).toBe(NOW - 1000);
    expect(applyMessage(waiting, message({ id: 'm2', seq: 2, author: agent })).waitingSince).toBeNull();
  });

  it('ignores a message it already reflects', () => {
    expect(applyMessage(base, message({ id: 'm1', seq: 1 }))).toBe(base);
  });
});

describe('unread', () => {
  it('counts messages after the agents’ read mark when the visitor spoke last', () => {
    expect(unreadCount(summary({ id: 'a', lastSeq: 5, agentReadSeq: 2 }))).toBe(3);
    expect(unreadCount(summary({ id: 'a', lastSeq: 5, agentReadSeq: 5 }))).toBe(0);
    const replied = summary({
      id: 'a',
      lastSeq: 5,
      agentReadSeq: 2,
      lastMessage: { seq: 5, kind: 'text', authorKind: 'agent', text: 'Done', createdAt: NOW },
    });
    expect(unreadCount(replied)).toBe(0);
  });

  it('counts unread conversations for the title, leaving resolved ones out', () => {
    expect(
      unreadConversations({
        a: summary({ id: 'a', lastSeq: 2, agentReadSeq: 0 }),
        b: summary({ id: 'b', lastSeq: 2, agentReadSeq: 2 }),
        c: summary({ id: 'c', lastSeq: 2, agentReadSeq: 0, status: 'resolved' }),
        d: summary({ id: 'd', lastSeq: 3, agentReadSeq: 1, status: 'pending' }),
      }),
    ).toBe(2);
  });
});

describe('incremental queue and unread count', () => {
  it('agree with a full recount after any sequence of live changes', async () => {
    const { createUnreadSelector, freshConversations, upsertInto } = await import('./conversations.ts');
    const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    let state = freshConversations();
    state = { ...state, ...upsertInto(state, Array.from({ length: 300 }, (_, i) => summary({ id: `c${i}`, waitingSince: random(3) ? random(1000) : null }))) };
    const incremental = createVisibleSelector();
    const unread = createUnreadSelector();
    incremental(state);
    unread(state);
    for (let step = 0; step < 500; step++) {
      const id = `c${random(320)}`;
      const held = state.byId[id] ?? summary({ id });
      const changed = {
        ...held,
        status: (['open', 'open', 'pending', 'resolved'] as const)[random(4)]!,
        priority: priorities[random(5)]!,
        waitingSince: random(2) ? random(1000) : null,
        lastSeq: held.lastSeq + 1,
        agentReadSeq: random(2) ? held.lastSeq + 1 : held.agentReadSeq,
        updatedAt: held.updatedAt + 1 + step,
      };
      state = { ...state, ...upsertInto(state, [changed]) };
      expect(incremental(state).map((c) => c.id)).toEqual(createVisibleSelector()(state).map((c) => c.id));
      expect(unread(state)).toBe(unreadConversations(state.byId));
    }
  });
});
