import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/chat-peers.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';

/**
 * Issue 6, row B8, the part about request targets: the relay takes its own origin from PUBLIC_URL
 * or the Host header, never from the request target. A request whose target is `//evil.example/…`
 * or an absolute-form `http://evil.example/…` (which @hono/node-server before 2.1.6 turned into
 * the request URL) must not make a foreign Origin look like the relay's own. Raw HTTP over TCP,
 * because fetch and browsers never send such targets.
 */

let relay: RelayProcess;
let host: string;
beforeAll(async () => {
  relay = await startRelayProcess();
  host = `127.0.0.1:${relay.port}`;
});
afterAll(async () => {
  await relay.dispose();
});

/** Sends one raw HTTP/1.1 request and resolves with the status code of the answer. */
function rawRequest(requestLine: string, headers: Record<string, string>, body = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(relay.port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${requestLine}`));
    }, 5_000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status && received.includes('\r\n\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', reject);
    const lines = [requestLine, ...Object.entries({ connection: 'close', ...headers, 'content-length': String(Buffer.byteLength(body)) }).map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

const WS_UPGRADE = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };

async function sessionAlive(cookie: string): Promise<boolean> {
  return (await fetch(`${relay.url}/api/v1/me`, { headers: { cookie } })).status === 200;
}

describe('B8: the Origin check is not confused by the request target', () => {
  const evil = 'http://evil.example';
  const targets = ['//evil.example/api/v1/auth/logout', `${evil}/api/v1/auth/logout`, `${evil}:${'80'}/api/v1/auth/logout`];

  it.each(targets)('a cookie POST to %s from a foreign Origin is refused and the session survives', async (path) => {
    const cookie = await signIn(relay.url);
    const status = await rawRequest(`POST ${path} HTTP/1.1`, { host, origin: evil, cookie });
    expect([403, 404]).toContain(status);
    expect(await sessionAlive(cookie)).toBe(true);
  });

  it('a state change with an absolute-form target naming the Origin’s own host is refused', async () => {
    const cookie = await signIn(relay.url);
    const status = await rawRequest(`POST ${evil}/api/v1/labels HTTP/1.1`, { host, origin: evil, cookie, 'content-type': 'application/json' },
      JSON.stringify({ name: 'Planted', color: '#112233' }));
    expect([403, 404]).toContain(status);
    const labels = (await (await fetch(`${relay.url}/api/v1/labels`, { headers: { cookie } })).json()) as { labels: Array<{ name: string }> };
    expect(labels.labels.map((l) => l.name)).not.toContain('Planted');
  });

  it.each(['//evil.example/ws/agent', `${evil}/ws/agent`])('an agent WebSocket upgrade to %s from a foreign Origin is refused', async (path) => {
    const cookie = await signIn(relay.url);
    const status = await rawRequest(`GET ${path} HTTP/1.1`, { host, origin: evil, cookie, ...WS_UPGRADE });
    expect(status).not.toBe(101);
    expect([403, 404]).toContain(status);
  });

  it('the same requests from the relay’s own Origin are accepted: the refusals above are the Origin check', async () => {
    const cookie = await signIn(relay.url);
    expect(await rawRequest('GET /ws/agent HTTP/1.1', { host, origin: relay.url, cookie, ...WS_UPGRADE })).toBe(101);
    expect(await rawRequest('POST /api/v1/auth/logout HTTP/1.1', { host, origin: relay.url, cookie })).toBe(204);
    expect(await sessionAlive(cookie)).toBe(false);
  });
});
