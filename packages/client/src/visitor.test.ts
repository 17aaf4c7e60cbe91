import { parseServerFrame, type ServerFrame } from '@parley/protocol';
import { WebSocket as WsSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRelay, until } from './fake-relay.ts';
import { createVisitorClient } from './visitor.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The protocol's `Id` (entities.ts): what the relay accepts as a `clientId` or `requestId`. */
const ID = /^[\w-]{1,64}$/;

const parseFrame = (data: string): ServerFrame | undefined => {
  const parsed = parseServerFrame(data);
  return parsed.ok ? parsed.value : undefined;
};

describe('createVisitorClient', () => {
  it('speaks for a visitor like the full client: hello, send with ack, history, profile', async () => {
    const relay = await startFakeRelay();
    cleanup.push(() => relay.close());
    const client = createVisitorClient({
      url: relay.url,
      hello: () => ({ role: 'visitor', siteKey: 'site_1' }),
      parseFrame,
      createSocket: (url) => new WsSocket(url),
    });
    cleanup.push(() => client.close());
    client.connect();
    await until(() => client.status === 'open', 'status open');
    const { clientId, ack } = client.send({ text: 'hi' });
    await expect(ack).resolves.toMatchObject({ clientId });
    await expect(client.history('conv_default')).resolves.toMatchObject({ type: 'history' });
    await expect(client.profile({ email: 'ana@example.com' })).resolves.toBeUndefined();
    expect(relay.frames.map((f) => f.type)).toEqual(['hello', 'send', 'history', 'profile']);
    for (const frame of relay.frames) {
      if ('clientId' in frame) expect(frame.clientId).toMatch(ID);
      if ('requestId' in frame) expect(frame.requestId).toMatch(ID);
    }
  });

  it('has none of the agent calls', () => {
    const client = createVisitorClient({ url: 'ws://127.0.0.1:9', hello: () => ({ role: 'visitor', siteKey: 's' }), parseFrame });
    expect(client).not.toHaveProperty('update');
    expect(client).not.toHaveProperty('presence');
    expect(client).not.toHaveProperty('viewing');
  });
});
