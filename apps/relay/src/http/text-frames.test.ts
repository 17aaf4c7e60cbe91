import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeTextFrames } from './text-frames.ts';

describe('text frames', () => {
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  /** A real ws client reads what is written to the server side's TCP socket. */
  async function pair() {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 1 << 20 });
    closers.push(() => server.close());
    await once(server, 'listening');
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { maxPayload: 1 << 20 });
    closers.push(() => client.terminate());
    const [serverSide] = (await once(server, 'connection')) as [WebSocket];
    await once(client, 'open');
    const received: Array<{ text: string; binary: boolean }> = [];
    client.on('message', (data: Buffer, binary: boolean) => received.push({ text: data.toString('utf8'), binary }));
    const socket = (serverSide as unknown as { _socket: Duplex })._socket;
    return { socket, received, client };
  }

  it('a ws client reads every frame of one buffer, whatever its length and script', async () => {
    const { socket, received, client } = await pair();
    // Each header size and its edges (125/126, 65535/65536 bytes), multi-byte UTF-8 whose byte
    // length crosses an edge that its character count does not, and an empty frame.
    const texts = [
      '', 'a', 'x'.repeat(125), 'x'.repeat(126), 'é'.repeat(63), 'مرحبا 👋 こんにちは',
      'y'.repeat(65535), 'y'.repeat(65536), '€'.repeat(30000), JSON.stringify({ type: 'message', text: '<b>"\\n"</b>' }),
    ];
    const buffer = encodeTextFrames(texts);
    socket.write(buffer);
    await expect.poll(() => received.length).toBe(texts.length);
    expect(received.map((frame) => frame.text)).toEqual(texts);
    expect(received.every((frame) => !frame.binary)).toBe(true);
    // Nothing after the last frame: the client neither errored nor closed.
    expect(client.readyState).toBe(WebSocket.OPEN);
    expect(buffer.length).toBe(texts.reduce((n, t) => {
      const bytes = Buffer.byteLength(t);
      return n + bytes + (bytes < 126 ? 2 : bytes < 65536 ? 4 : 10);
    }, 0));
  });
});
