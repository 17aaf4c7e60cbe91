import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createWriteCoalescer } from './write-coalescer.ts';

describe('write coalescer', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  async function pair() {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    closers.push(() => server.close());
    await once(server, 'listening');
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    closers.push(() => client.terminate());
    const [serverSide] = (await once(server, 'connection')) as [WebSocket];
    await once(client, 'open');
    const received: string[] = [];
    client.on('message', (data: Buffer) => received.push(data.toString()));
    return { serverSide, received };
  }

  it('holds the frames of one turn, sent from promise jobs too, and releases them in order at its end', async () => {
    const { serverSide, received } = await pair();
    const socket = (serverSide as unknown as { _socket: { writableCorked: number } })._socket;
    const coalescer = createWriteCoalescer();
    const sendInTurn = async () => {
      for (let i = 0; i < 3; i++) {
        coalescer.hold(serverSide);
        serverSide.send(`frame ${i}`);
        await Promise.resolve();
      }
      expect(socket.writableCorked).toBe(1);
    };
    await sendInTurn();
    await new Promise((resolve) => process.nextTick(resolve));
    expect(socket.writableCorked).toBe(0);
    await expect.poll(() => received).toEqual(['frame 0', 'frame 1', 'frame 2']);
  });

  it('corks each socket once per turn, and again in the next turn', async () => {
    const a = await pair();
    const b = await pair();
    const coalescer = createWriteCoalescer();
    const corked = (ws: WebSocket) => (ws as unknown as { _socket: { writableCorked: number } })._socket.writableCorked;
    for (const round of [1, 2]) {
      for (const { serverSide } of [a, b, a, b]) {
        coalescer.hold(serverSide);
        serverSide.send(`round ${round}`);
      }
      expect([corked(a.serverSide), corked(b.serverSide)]).toEqual([1, 1]);
      await new Promise((resolve) => setImmediate(resolve));
      expect([corked(a.serverSide), corked(b.serverSide)]).toEqual([0, 0]);
    }
    await expect.poll(() => [a.received.length, b.received.length]).toEqual([4, 4]);
    expect(a.received).toEqual(['round 1', 'round 1', 'round 2', 'round 2']);
  });
});
