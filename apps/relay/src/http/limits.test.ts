import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMIT_RULES } from '../core/rate-limit.ts';
import { startTestRelay } from '../testing/relay-fixture.ts';

/** Abuse limits (issue 6, B3, B12, B14) and signing out, against a real relay over real sockets. */

let fixture: Awaited<ReturnType<typeof startTestRelay>>;

beforeAll(async () => {
  fixture = await startTestRelay('parley-limits-');
});
afterEach(async () => {
  expect(await fixture.closeSockets()).toEqual([]);
});
afterAll(async () => {
  await fixture.close();
});

describe('visitor message rate', () => {
  it('refuses the message past the per-minute limit with a retry time, and other visitors carry on', async () => {
    const { site } = await fixture.workspace();
    const { socket } = await fixture.visitor(site.key);
    const limit = LIMIT_RULES.visitorMessages.limit;
    for (let i = 0; i < limit; i++) socket.send({ type: 'send', clientId: `flood_${i}`, text: `message ${i}` });
    socket.send({ type: 'send', clientId: 'flood_over', text: 'one too many' });
    const refused = await socket.nextWhere((f) => f.type === 'error' && f.ref === 'flood_over', 'the refusal');
    expect(refused).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    expect(refused.type === 'error' && refused.retryAfterMs).toBeGreaterThan(0);
    const acks = socket.frames.filter((f) => f.type === 'ack');
    expect(acks).toHaveLength(limit);

    const other = await fixture.visitor(site.key);
    await expect(fixture.say(other.socket, 'I am not a bot')).resolves.toMatchObject({ type: 'ack', seq: 1 });
  });
});

describe('history pages', () => {
  it('refuses pages past the per-minute limit per person, with a retry time, and another visitor still reads hers', async () => {
    const { site } = await fixture.workspace();
    const { socket, welcome } = await fixture.visitor(site.key);
    const { conversationId } = await fixture.say(socket, 'hello');
    const limit = LIMIT_RULES.historyPages.limit;
    for (let i = 0; i < limit; i++) socket.send({ type: 'history', requestId: `page_${i}`, conversationId });
    socket.send({ type: 'history', requestId: 'page_over', conversationId });
    const refused = await socket.nextWhere((f) => f.type === 'error' && f.ref === 'page_over', 'the refusal');
    expect(refused).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    expect(refused.type === 'error' && refused.retryAfterMs).toBeGreaterThan(0);
    expect(socket.frames.filter((f) => f.type === 'history')).toHaveLength(limit);

    // The same visitor on a second connection (another tab) shares the allowance.
    const tab = await fixture.visitor(site.key, { visitorToken: welcome.visitorToken });
    tab.socket.send({ type: 'history', requestId: 'tab_page', conversationId });
    await expect(tab.socket.nextWhere((f) => f.type === 'error' && f.ref === 'tab_page', 'the tab refused')).resolves.toMatchObject({ code: 'RATE_LIMITED' });

    const other = await fixture.visitor(site.key);
    const mine = await fixture.say(other.socket, 'mine');
    other.socket.send({ type: 'history', requestId: 'other_page', conversationId: mine.conversationId });
    await expect(other.socket.nextWhere((f) => f.type === 'history', 'her page')).resolves.toMatchObject({ ref: 'other_page' });
  });
});

describe('resends and the message rate', () => {
  it('does not count a resend of a stored message against the limit', async () => {
    const { site } = await fixture.workspace();
    const { socket } = await fixture.visitor(site.key);
    const limit = LIMIT_RULES.visitorMessages.limit;
    for (let i = 0; i < limit - 1; i++) await fixture.say(socket, `message ${i}`);
    // A client catching up after an outage resends what the relay already holds: same client ids.
    const first = socket.frames.find((f) => f.type === 'ack');
    for (let i = 0; i < 5; i++) socket.send({ type: 'send', clientId: first?.type === 'ack' ? first.clientId : 'x', text: 'message 0' });
    await socket.sync();
    expect(socket.frames.filter((f) => f.type === 'error')).toEqual([]);
    // The allowance still holds its last new message.
    await expect(fixture.say(socket, 'the last one that fits')).resolves.toMatchObject({ type: 'ack', duplicate: false });
  });
});

describe('sign-in guessing', () => {
  async function attempt(email: string, password: string, ip = '203.0.113.7') {
    return fetch(`${fixture.relay.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: fixture.relay.url, 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });
  }

  it('locks an account after repeated failures, even for the right password, and says when to retry', async () => {
    const email = 'admin@example.com';
    for (let i = 0; i < LIMIT_RULES.signInPerAccount.limit; i++) expect((await attempt(email, `wrong ${i}`)).status).toBe(401);
    const locked = await attempt(email, 'fixture-admin-password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('answers an unknown email exactly like a known one', async () => {
    const known = await attempt('nobody-here@example.com', 'x');
    expect(known.status).toBe(401);
    expect(await known.json()).toEqual({ error: { code: 'NOT_AUTHENTICATED', message: 'Wrong email or password' } });
  });
});

describe('signing out', () => {
  it('closes the sockets opened with that session, and only those', async () => {
    const { workspace } = await fixture.workspace();
    const first = await fixture.addAgent(workspace.id);
    const secondCookie = await fixture.sessionCookie(first.agent.id);
    const a = await fixture.agent(first.cookie);
    const b = await fixture.agent(secondCookie);
    const out = await fixture.api(first.cookie, '/auth/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(await a.socket.closed).toMatchObject({ code: 4001 });
    expect(a.socket.frames.some((f) => f.type === 'error' && f.code === 'NOT_AUTHENTICATED')).toBe(true);
    b.socket.send({ type: 'ping', t: 1 });
    await expect(b.socket.next('pong')).resolves.toMatchObject({ t: 1 });
  });
});

describe('fragment floods', () => {
  it('closes a socket that sends one message in too many fragments, with 1008', async () => {
    const { site } = await fixture.workspace();
    const { socket } = await fixture.visitor(site.key);
    const piece = 'x'.repeat(8);
    for (let i = 0; i < 200; i++) socket.ws.send(piece, { fin: false });
    expect((await socket.closed).code).toBe(1008);
  });
});
