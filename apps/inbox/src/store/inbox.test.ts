import type { ConversationSummary } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../api.ts';
import { createFakeClient } from '../test/fake-client.ts';
import { createFakeFetch, requests, type FakeReply, type FakeRequest } from '../test/fake-fetch.ts';
import { ME, message, summary, welcome as makeWelcome } from '../test/fixtures.ts';
import { createInbox } from './inbox.ts';

function setup(route: (request: FakeRequest) => FakeReply | undefined) {
  const fake = createFakeClient();
  const fetch = createFakeFetch((request) => {
    if (request.url === '/api/v1/me') return { status: 200, body: ME };
    if (request.url === '/api/v1/auth/logout') return { status: 204 };
    return route(request);
  });
  const inbox = createInbox({ api: createApi({ fetch }), createClient: () => fake.client, socketUrl: 'ws://x/ws/agent' });
  return { inbox, fake, fetch };
}

const list = (conversations: ConversationSummary[]): FakeReply => ({ status: 200, body: { conversations } });

describe('createInbox', () => {
  it('returns to sign-in with a reason when the session ends mid-way', async () => {
    const { inbox, fake } = setup(({ url }) =>
      url.startsWith('/api/v1/conversations?')
        ? { status: 401, body: { error: { code: 'NOT_AUTHENTICATED', message: 'Session expired' } } }
        : undefined,
    );
    await inbox.restore();
    await vi.waitFor(() => expect(inbox.session.getState().phase).toBe('signedOut'));
    expect(inbox.session.getState().error).toBe('Your session has ended. Sign in again.');
    expect(fake.client.close).toHaveBeenCalled();
  });

  it('drops a list that arrives after sign-out', async () => {
    let answer!: (reply: { status: number; body?: unknown }) => void;
    const { inbox } = setup(({ url }) =>
      url.startsWith('/api/v1/conversations?') ? new Promise((resolve) => (answer = resolve)) : undefined,
    );
    await inbox.restore();
    await inbox.signOut();
    answer({ status: 200, body: { conversations: [summary({ id: 'c1' })] } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(inbox.conversations.getState().byId).toEqual({});
  });

  it('reloads the list when the connection comes back, not on the first welcome', async () => {
    const { inbox, fake, fetch } = setup(({ url }) => (url.startsWith('/api/v1/conversations?') ? list([]) : undefined));
    await inbox.restore();
    const welcome = makeWelcome([]);
    const lists = () => requests(fetch).filter((r) => r.includes('/conversations?')).length;
    await vi.waitFor(() => expect(lists()).toBe(1));

    fake.emit('welcome', welcome);
    expect(lists()).toBe(1);
    fake.emit('welcome', welcome);
    expect(lists()).toBe(2);
  });

  it('pages back through history with `before`', async () => {
    const { inbox, fetch } = setup(({ url }) => {
      if (url.startsWith('/api/v1/conversations?')) return list([summary({ id: 'c1', lastSeq: 60 })]);
      if (url === '/api/v1/conversations/c1/messages?limit=50')
        return { status: 200, body: { messages: [message({ id: 'm51', seq: 51 }), message({ id: 'm60', seq: 60 })], hasMore: true } };
      if (url === '/api/v1/conversations/c1/messages?limit=50&before=51')
        return { status: 200, body: { messages: [message({ id: 'm1', seq: 1 })], hasMore: false } };
      return undefined;
    });
    await inbox.restore();
    await inbox.open('c1');
    expect(inbox.messages.getState().threads['c1']?.hasMore).toBe(true);

    await inbox.loadEarlier('c1');

    const thread = inbox.messages.getState().threads['c1'];
    expect(thread?.messages.map((m) => m.seq)).toEqual([1, 51, 60]);
    expect(thread?.hasMore).toBe(false);
    expect(requests(fetch)).toContain('GET /api/v1/conversations/c1/messages?limit=50&before=51');
  });

  it('does not mark read while the page is hidden, and does once it is visible', async () => {
    let visible = false;
    const fake = createFakeClient();
    const fetch = createFakeFetch(({ url }) => {
      if (url === '/api/v1/me') return { status: 200, body: ME };
      if (url.startsWith('/api/v1/conversations?')) return list([summary({ id: 'c1', lastSeq: 1, agentReadSeq: 0 })]);
      if (url.startsWith('/api/v1/conversations/c1/messages')) return { status: 200, body: { messages: [message({ id: 'm1', seq: 1 })], hasMore: false } };
      return undefined;
    });
    const inbox = createInbox({ api: createApi({ fetch }), createClient: () => fake.client, socketUrl: 'ws://x', isVisible: () => visible });
    await inbox.restore();
    await vi.waitFor(() => expect(inbox.conversations.getState().byId['c1']).toBeDefined());
    await inbox.open('c1');
    expect(fake.client.markRead).not.toHaveBeenCalled();

    visible = true;
    inbox.markSelectedRead();
    expect(fake.client.markRead).toHaveBeenCalledWith('c1', 1);
    expect(inbox.conversations.getState().byId['c1']?.agentReadSeq).toBe(1);
  });
});
