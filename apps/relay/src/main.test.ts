import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type AckFrame, type Message } from '@parley/protocol';
import { tempDir } from './testing/temp-dir.ts';
import { TestSocket } from './testing/ws-client.ts';

/**
 * The acceptance point of the delivery rules: an acked message survives the relay being killed
 * (SIGKILL, no shutdown hook) right after the ack, and is stored exactly once.
 */

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const ADMIN_PASSWORD = 'restart-test-password';
const dir = tempDir('parley-restart-');
const children = new Set<ChildProcess>();
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) await socket.close();
  for (const child of children) await stop(child, 'SIGKILL');
});
afterAll(() => dir.remove());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node src/main.ts` on the given database file and resolves once it says it is listening. */
async function startMain(databasePath: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['PUBLIC_URL', 'PARLEY_ADMIN_EMAIL', 'HOST', 'PORT', 'DATABASE_URL']) delete env[key];
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databasePath,
      PARLEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PARLEY_HEARTBEAT_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start within 10 s:\n${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Parley is running at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`relay exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }));
    child.kill(signal);
  });
}

async function visitorSocket(url: string, token?: string) {
  const socket = await TestSocket.open(`${url.replace(/^http/, 'ws')}/ws/visitor`, { origin: 'https://shop.example' });
  sockets.push(socket);
  const siteKey = await firstSiteKey(url);
  socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey, ...(token ? { visitorToken: token } : {}) });
  const welcome = await socket.next('welcome');
  if (welcome.role !== 'visitor') throw new Error('expected a visitor welcome');
  return { socket, token: welcome.visitorToken };
}

async function adminCookie(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@example.com', password: ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return /^(parley_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
}

async function firstSiteKey(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/sites`, { headers: { cookie: await adminCookie(url) } });
  const { sites } = (await response.json()) as { sites: Array<{ key: string }> };
  return sites[0]!.key;
}

async function messagesOf(url: string, conversationId: string): Promise<Message[]> {
  const response = await fetch(`${url}/api/v1/conversations/${conversationId}/messages?limit=200`, {
    headers: { cookie: await adminCookie(url) },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: Message[] }).messages;
}

// Two process starts per test: generous, for a loaded CI machine.
describe('relay process restart', { timeout: 30_000 }, () => {
  it('a message acked just before SIGKILL is there exactly once after restart', async () => {
    const databasePath = dir.file('kill-once.db');
    const first = await startMain(databasePath);
    const { socket, token } = await visitorSocket(first.url);
    socket.send({ type: 'send', clientId: 'before_kill_1', text: 'Please do not lose this' });
    const ack = await socket.next('ack');
    first.child.kill('SIGKILL');
    expect((await stop(first.child, 'SIGKILL')).signal).toBe('SIGKILL');

    const second = await startMain(databasePath);
    const messages = await messagesOf(second.url, ack.conversationId);
    expect(messages).toEqual([
      expect.objectContaining({ id: ack.messageId, seq: ack.seq, clientId: 'before_kill_1', text: 'Please do not lose this' }),
    ]);

    // The client did not see the ack in time and resends after reconnecting: same message, not a second one.
    const again = await visitorSocket(second.url, token);
    again.socket.send({ type: 'send', clientId: 'before_kill_1', text: 'Please do not lose this' });
    const resent = await again.socket.next('ack');
    expect(resent).toEqual({ ...ack, duplicate: true });
    expect(await messagesOf(second.url, ack.conversationId)).toHaveLength(1);
  });

  it('every message of a burst acked before SIGKILL survives, in seq order', async () => {
    const databasePath = dir.file('kill-burst.db');
    const first = await startMain(databasePath);
    const { socket } = await visitorSocket(first.url);
    const count = 30;
    for (let i = 1; i <= count; i++) socket.send({ type: 'send', clientId: `burst_${i}`, text: `message ${i}` });
    const acks: AckFrame[] = [];
    for (let i = 1; i <= count; i++) acks.push(await socket.next('ack', (f) => f.clientId === `burst_${i}`));
    first.child.kill('SIGKILL');
    await stop(first.child, 'SIGKILL');

    const second = await startMain(databasePath);
    const messages = await messagesOf(second.url, acks[0]!.conversationId);
    expect(messages.map((m) => [m.seq, m.clientId, m.id])).toEqual(acks.map((a, i) => [i + 1, `burst_${i + 1}`, a.messageId]));
  });
});
