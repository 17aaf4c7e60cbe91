import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../storage.ts';
import { agentMessage, createFakeClient, welcome, type FakeClient } from '../test/fake-client.ts';
import { createChat, unreadCount } from './chat.ts';

function setup(token?: string) {
  const storage = createMemoryStorage();
  if (token) storage.set('token', token);
  let client: FakeClient | undefined;
  const chat = createChat({ siteKey: 'site_1', storage, createClient: (hello) => (client = createFakeClient(hello)) });
  chat.start();
  const fake = () => {
    if (!client) throw new Error('no client yet');
    return client;
  };
  return { chat, storage, fake };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const texts = (chat: ReturnType<typeof setup>['chat']) => chat.store.get().messages.map((m) => m.text);

describe('createChat', () => {
  it('keeps the token from welcome and sends it in the next hello', () => {
    const { chat, storage, fake } = setup();
    chat.open();
    expect(fake().hello()).toEqual({ role: 'visitor', siteKey: 'site_1' });
    fake().emit('welcome', welcome({ visitorToken: 'tok_fedcba9876543210' }));
    expect(storage.get('token')).toBe('tok_fedcba9876543210');
    expect(fake().hello()).toMatchObject({ visitorToken: 'tok_fedcba9876543210' });
  });

  it('ignores a stored token that cannot be one of the relay\'s', () => {
    const { chat, fake } = setup('short');
    chat.open();
    expect(fake().hello()).not.toHaveProperty('visitorToken');
  });

  it('loads the newest three conversations and merges them by time', async () => {
    const { chat, fake } = setup('tok_0123456789abcdef');
    const refs = ['c4', 'c3', 'c2', 'c1'].map((id, i) => ({ id, status: 'open' as const, lastSeq: 1, createdAt: 10 - i }));
    fake().histories.set('c4', [agentMessage('newest', { conversationId: 'c4', seq: 1, createdAt: 300 })]);
    fake().histories.set('c3', [agentMessage('middle', { conversationId: 'c3', seq: 1, createdAt: 200 })]);
    fake().histories.set('c2', [agentMessage('oldest', { conversationId: 'c2', seq: 1, createdAt: 100 })]);
    fake().emit('welcome', welcome({ conversations: refs }));
    await flush();
    expect(fake().historyRequests).toEqual(['c4', 'c3', 'c2']);
    expect(texts(chat)).toEqual(['oldest', 'middle', 'newest']);
    // History is what the visitor had already: no badge for it.
    expect(unreadCount(chat.store.get())).toBe(0);

    // A reconnect's welcome does not load them again.
    fake().emit('welcome', welcome({ conversations: refs }));
    expect(fake().historyRequests).toHaveLength(3);
  });

  it('drops live duplicates, by message id and by the client id of a pending send', async () => {
    const { chat, fake } = setup();
    chat.open();
    const first = agentMessage('once', { conversationId: 'conv_1', seq: 1 });
    fake().emit('message', first);
    fake().emit('message', first);
    chat.send('mine');
    const { clientId } = fake().sends[0] ?? { clientId: '' };
    fake().emit('message', {
      ...agentMessage('mine', { conversationId: 'conv_1', seq: 2, clientId }),
      author: { kind: 'visitor', id: 'contact_1', name: null },
    });
    expect(texts(chat)).toEqual(['once', 'mine']);
    expect(chat.store.get().messages[1]?.delivery).toBe('sent');
    fake().sends[0]?.ack({ conversationId: 'conv_1', seq: 2 });
    await flush();
    expect(texts(chat)).toEqual(['once', 'mine']);
  });

  it('reloads a conversation on reset, keeping sends still on their way', async () => {
    const { chat, fake } = setup();
    chat.open();
    fake().emit('message', agentMessage('stale', { conversationId: 'conv_1', seq: 7 }));
    chat.send('pending');
    fake().histories.set('conv_1', [agentMessage('fresh', { conversationId: 'conv_1', seq: 1, createdAt: 1 })]);
    fake().emit('reset', { type: 'reset', conversationId: 'conv_1', reason: 'AHEAD_OF_SERVER' });
    await flush();
    expect(texts(chat)).toEqual(['fresh', 'pending']);
  });

  it('counts unread agent replies for a returning visitor from the read marks it stored', async () => {
    const storage = createMemoryStorage();
    storage.set('token', 'tok_0123456789abcdef');
    storage.set('read', JSON.stringify({ conv_1: 1 }));
    let client: FakeClient | undefined;
    const chat = createChat({ siteKey: 'site_1', storage, createClient: (hello) => (client = createFakeClient(hello)) });
    chat.start();
    client?.histories.set('conv_1', [
      agentMessage('seen before', { conversationId: 'conv_1', seq: 1, createdAt: 1 }),
      agentMessage('new since', { conversationId: 'conv_1', seq: 2, createdAt: 2 }),
    ]);
    client?.emit('welcome', welcome({ conversations: [{ id: 'conv_1', status: 'open', lastSeq: 2, createdAt: 1 }] }));
    await flush();
    expect(unreadCount(chat.store.get())).toBe(1);
    chat.open();
    expect(unreadCount(chat.store.get())).toBe(0);
    expect(JSON.parse(storage.get('read') ?? '{}')).toEqual({ conv_1: 2 });
  });

  it('throttles typing and stops it after a quiet spell', async () => {
    const { chat, fake } = setup();
    chat.open();
    fake().emit('welcome', welcome({ conversations: [{ id: 'conv_1', status: 'open', lastSeq: 0, createdAt: 1 }] }));
    chat.typing(true);
    chat.typing(true);
    chat.typing(true);
    expect(fake().typings).toEqual([['conv_1', true]]);
    chat.typing(false);
    expect(fake().typings).toEqual([['conv_1', true], ['conv_1', false]]);
  });

  it('does not send typing before any conversation exists', () => {
    const { chat, fake } = setup();
    chat.open();
    chat.typing(true);
    expect(fake().typings).toEqual([]);
  });
});
