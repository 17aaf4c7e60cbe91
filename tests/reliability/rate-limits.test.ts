import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawVisitor } from '../support/chat-peers.ts';
import { inviteAgent, signInAgent } from '../support/inbox-session.ts';
import { ADMIN, startRelayProcess, type RelayProcess } from '../support/relay-process.ts';
import type { TestSocket } from '../../apps/relay/src/testing/ws-client.ts';

/**
 * Issue 6, rows B12 (new conversations per address) and B14 (password guessing per address,
 * unknown emails treated like known ones), end to end on the relay as users run it. The limits
 * are in memory per process, so this file has a relay child of its own, started with
 * TRUST_PROXY=1: each simulated client's address is its `X-Forwarded-For`. Every test uses
 * addresses and accounts of its own, so the limits of one test never touch another.
 *
 * The numbers are those of LIMIT_RULES in apps/relay/src/core/rate-limit.ts, repeated here on
 * purpose: a change to them should be a visible change to this test too.
 */
const CONVERSATIONS_PER_IP = 30;
const SIGN_IN_FAILURES_PER_IP = 30;
const SIGN_IN_FAILURES_PER_ACCOUNT = 5;

let relay: RelayProcess;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  relay = await startRelayProcess({ TRUST_PROXY: '1' });
});
afterAll(async () => {
  for (const socket of sockets) socket.ws.terminate();
  await relay?.dispose();
});

async function visitorFrom(ip: string, token?: string) {
  const visitor = await rawVisitor(relay.url, relay.siteKey, { ip, ...(token ? { token } : {}) });
  sockets.push(visitor.socket);
  await visitor.socket.next('resumed');
  return visitor;
}

/** Sends one message and resolves with the ack or the error frame answering it. */
async function send(socket: TestSocket, clientId: string, text: string, conversationId?: string) {
  socket.send({ type: 'send', clientId, text, ...(conversationId ? { conversationId } : {}) });
  return socket.nextWhere(
    (f) => (f.type === 'ack' && f.clientId === clientId) || (f.type === 'error' && f.ref === clientId),
    `the answer to ${clientId}`,
    10_000,
  );
}

describe('B12: new conversations per address, end to end', () => {
  it(`an address opens ${CONVERSATIONS_PER_IP} conversations an hour; the next is RATE_LIMITED with retryAfterMs; other addresses and existing conversations carry on`, async () => {
    const office = '203.0.113.50';
    const opened: Array<{ socket: TestSocket; token: string; conversationId: string }> = [];
    for (let i = 0; i < CONVERSATIONS_PER_IP; i++) {
      const { socket, welcome } = await visitorFrom(office);
      const answer = await send(socket, `open-${i}`, `Hello from desk ${i}`);
      expect(answer, `visitor ${i} of the office`).toMatchObject({ type: 'ack', seq: 1 });
      if (answer.type === 'ack') opened.push({ socket, token: welcome.visitorToken, conversationId: answer.conversationId });
    }

    // The 31st new visitor from the same address is refused, with when to try again.
    const late = await visitorFrom(office);
    const refused = await send(late.socket, 'open-late', 'Me too');
    expect(refused).toMatchObject({ type: 'error', code: 'RATE_LIMITED', ref: 'open-late' });
    const retryAfterMs = refused.type === 'error' ? refused.retryAfterMs ?? 0 : 0;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(3_600_000);
    // Refused, not half-done: the refused visitor has no conversation, its socket is still served.
    late.socket.send({ type: 'ping', t: 1 });
    await late.socket.next('pong');
    expect(late.socket.frames.some((f) => f.type === 'message')).toBe(false);

    // A visitor from another address still opens one.
    const elsewhere = await visitorFrom('198.51.100.77');
    expect(await send(elsewhere.socket, 'open-elsewhere', 'Hi from home')).toMatchObject({ type: 'ack', seq: 1 });

    // Existing conversations of the limited address carry on: by id, without an id (the current
    // one), and from a new connection of the same visitor (its token, same address).
    const first = opened[0]!;
    expect(await send(first.socket, 'more-by-id', 'Still there?', first.conversationId)).toMatchObject({ type: 'ack', seq: 2, conversationId: first.conversationId });
    expect(await send(first.socket, 'more-current', 'Hello?')).toMatchObject({ type: 'ack', seq: 3, conversationId: first.conversationId });
    await first.socket.close();
    const back = await visitorFrom(office, first.token);
    expect(await send(back.socket, 'more-after-reconnect', 'Back again')).toMatchObject({ type: 'ack', seq: 4, conversationId: first.conversationId });
  });

  it(`new conversations sent all at once from one address cannot exceed ${CONVERSATIONS_PER_IP} either`, async () => {
    // The check and the count must not be split by the write: the first messages of many
    // visitors land in one group commit, and each must see the ones before it counted.
    const burst = '203.0.113.51';
    const visitors = await Promise.all(Array.from({ length: CONVERSATIONS_PER_IP + 10 }, () => visitorFrom(burst)));
    const answers = await Promise.all(visitors.map(({ socket }, i) => send(socket, `burst-${i}`, `Burst ${i}`)));
    const acked = answers.filter((a) => a.type === 'ack').length;
    const limited = answers.filter((a) => a.type === 'error' && a.code === 'RATE_LIMITED').length;
    expect({ acked, limited }).toEqual({ acked: CONVERSATIONS_PER_IP, limited: 10 });
  });
});

describe('B14: password guessing', () => {
  const password = 'a long enough password';
  function attempt(email: string, pw: string, ip: string) {
    return fetch(`${relay.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: relay.url, 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password: pw }),
    });
  }
  const statuses = (responses: Response[]) => {
    const counts: Record<number, number> = {};
    for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
    return counts;
  };

  let known: { email: string }[] = [];
  beforeAll(async () => {
    const admin = await signInAgent(relay.url, ADMIN.email, ADMIN.password);
    known = [];
    for (const name of ['Tim', 'Pat']) {
      const email = `${name.toLowerCase()}@parley.test`;
      await inviteAgent(relay.url, admin, { email, name, password });
      known.push({ email });
    }
  });

  it(`${SIGN_IN_FAILURES_PER_IP} failures from one address across different emails lock that address, even all at once and for the right password; another address is unaffected`, async () => {
    const guesser = '192.0.2.10';
    // Sent at once: the limit must hold although scrypt makes each answer take a while.
    const guesses = await Promise.all(
      Array.from({ length: SIGN_IN_FAILURES_PER_IP + 10 }, (_, i) => attempt(`guess-${i}@nowhere.test`, 'hunter2 hunter2', guesser)),
    );
    expect(statuses(guesses)).toEqual({ 401: SIGN_IN_FAILURES_PER_IP, 429: 10 });

    const locked = await attempt(ADMIN.email, ADMIN.password, guesser);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });

    const colleague = await attempt(ADMIN.email, ADMIN.password, '192.0.2.11');
    expect(colleague.status).toBe(200);
  });

  it(`guesses for one account sent all at once: only ${SIGN_IN_FAILURES_PER_ACCOUNT} are tried, then the account is locked`, async () => {
    const pat = known[1]!.email;
    const guesses = await Promise.all(
      Array.from({ length: SIGN_IN_FAILURES_PER_ACCOUNT + 5 }, (_, i) => attempt(pat, `guess number ${i}`, `192.0.2.${100 + i}`)),
    );
    expect(statuses(guesses)).toEqual({ 401: SIGN_IN_FAILURES_PER_ACCOUNT, 429: 5 });
    expect((await attempt(pat, password, '192.0.2.99')).status).toBe(429);
  });

  it('an unknown email gets the same status and byte-identical body as a wrong password, and takes as long (scrypt on both paths)', async () => {
    const tim = known[0]!.email;
    const timings = { unknown: [] as number[], wrong: [] as number[] };
    const bodies = new Set<string>();
    const headerSets = new Set<string>();
    // Interleaved, each from an address of its own, so that load on a busy machine hits both
    // alike and neither lockout is reached (5 wrong passwords for Tim: the 5th is still tried).
    for (let i = 0; i < SIGN_IN_FAILURES_PER_ACCOUNT; i++) {
      for (const kind of ['unknown', 'wrong'] as const) {
        const email = kind === 'unknown' ? `nobody-${i}@parley.test` : tim;
        const started = performance.now();
        const response = await attempt(email, `not the password ${i}`, `192.0.2.${200 + i * 2 + (kind === 'wrong' ? 1 : 0)}`);
        const body = await response.text();
        timings[kind].push(performance.now() - started);
        expect(response.status, `${kind} #${i}`).toBe(401);
        bodies.add(body);
        const headers: string[] = [];
        response.headers.forEach((value, name) => {
          if (name !== 'date') headers.push(`${name}: ${value}`);
        });
        headerSets.add(headers.join('\n'));
      }
    }
    expect([...bodies]).toEqual([JSON.stringify({ error: { code: 'NOT_AUTHENTICATED', message: 'Wrong email or password' } })]);
    expect(headerSets.size, [...headerSets].join('\n---\n')).toBe(1);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const unknown = median(timings.unknown);
    const wrong = median(timings.wrong);
    console.info(`[B14] median sign-in time: unknown email ${unknown.toFixed(0)} ms, wrong password ${wrong.toFixed(0)} ms`);
    // scrypt at N=2^17 takes hundreds of ms; without it the unknown path would answer in about
    // one. Half is far from both, so a busy 2-core machine does not make this flaky.
    expect(unknown).toBeGreaterThanOrEqual(wrong * 0.5);
    expect(wrong).toBeGreaterThanOrEqual(unknown * 0.5);
  });
});
