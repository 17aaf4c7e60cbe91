import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ErrorResponse } from '@parley/protocol';
import { hashPassword } from '../auth/passwords.ts';
import { createMemoryPresence } from '../core/presence.ts';
import { createRateLimits } from '../core/rate-limit.ts';
import type { AgentRecord, SiteRecord, Store, WorkspaceRecord } from '../core/store.ts';
import { createMemoryBus } from '../fanout/memory-bus.ts';
import { seedIfEmpty, type SeedResult } from '../seed.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { createApp } from './app.ts';

const PUBLIC_URL = 'https://chat.acme.test';
const ADMIN_EMAIL = 'admin@acme.test';
const ADMIN_PASSWORD = 'correct horse battery';
const AGENT_PASSWORD = 'agent password 1';

const dir = tempDir('parley-app-');
let store: Store;
let app: ReturnType<typeof createApp>;
let seed: SeedResult;
let home: { workspace: WorkspaceRecord; site: SiteRecord };
let adminCookie: string;

beforeAll(async () => {
  store = createSqliteStore({ filename: dir.file('app.db') });
  const seeded = await seedIfEmpty(store, { adminEmail: ADMIN_EMAIL, adminPassword: ADMIN_PASSWORD, now: Date.now() });
  if (!seeded) throw new Error('seed expected on an empty store');
  seed = seeded;
  const site = (await store.siteByKey(seed.siteKey))!;
  home = { workspace: (await store.workspace(site.workspaceId))!, site };
  app = createApp({
    store,
    bus: createMemoryBus(),
    presence: createMemoryPresence(),
    limits: createRateLimits(),
    now: Date.now,
    heartbeatMs: 1000,
    log: () => {},
    publicUrl: PUBLIC_URL,
    widgetDir: dir.file('widget-dist'),
    inboxDir: dir.file('inbox-dist'),
    version: '9.9.9-test',
    secureCookies: true,
  });
  adminCookie = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
});

afterAll(async () => {
  await store.close();
  dir.remove();
});

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: PUBLIC_URL, ...headers },
  body: JSON.stringify(body),
});

async function errorOf(response: Response): Promise<ErrorResponse['error']> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return ((await response.json()) as ErrorResponse).error;
}

/** Signs in and returns the `Cookie` header value carrying the session. */
async function login(email: string, password: string): Promise<string> {
  const response = await app.request('/api/v1/auth/login', json({ email, password }));
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const match = /^(parley_session=[^;]+)/.exec(setCookie);
  if (!match) throw new Error(`no session cookie in ${setCookie}`);
  return match[1]!;
}

async function otherWorkspace() {
  const workspace = await store.createWorkspace({ name: 'Globex', now: 1 });
  const site = await store.createSite({
    workspaceId: workspace.id, key: `site_globex_${Math.random().toString(36).slice(2, 8)}`, name: 'Globex', allowedOrigins: ['*'],
    appearance: home.site.appearance, now: 1,
  });
  const agent = await store.createAgent({
    workspaceId: workspace.id, email: `boss+${site.key}@globex.test`, name: 'Boss', role: 'admin', passwordHash: 'x', now: 1,
  });
  const contact = await store.createContact({ siteId: site.id, workspaceId: workspace.id, tokenHash: `globex-${site.key}`, now: 1 });
  const { conversation } = await store.appendMessage({
    workspaceId: workspace.id, siteId: site.id, contactId: contact.id, conversationId: undefined, clientId: 'globex_1',
    kind: 'text', author: { kind: 'visitor', id: contact.id, name: null }, text: 'Globex secret', now: 2,
  });
  return { workspace, site, agent, contact, conversation };
}

/** A visitor conversation in the seeded workspace, with an agent reply and a note. */
async function homeConversation(admin: AgentRecord) {
  const contact = await store.createContact({
    siteId: home.site.id, workspaceId: home.workspace.id, tokenHash: `home-${Math.random()}`, now: 1,
  });
  const first = await store.appendMessage({
    workspaceId: home.workspace.id, siteId: home.site.id, contactId: contact.id, conversationId: undefined,
    clientId: 'v1', kind: 'text', author: { kind: 'visitor', id: contact.id, name: null }, text: 'Where is my order?', now: 10,
  });
  const id = first.message.conversationId;
  const agentSays = (clientId: string, text: string, kind: 'text' | 'note') =>
    store.appendMessage({
      workspaceId: home.workspace.id, siteId: home.site.id, contactId: null, conversationId: id, clientId, kind,
      author: { kind: 'agent', id: admin.id, name: admin.name }, text, now: 20,
    });
  await agentSays('a1', 'Let me check.', 'text');
  await agentSays('a2', 'Customer is on the old plan', 'note');
  return { contact, id };
}

describe('GET /healthz', () => {
  it('answers 200 with version and protocol as JSON', async () => {
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ ok: true, version: '9.9.9-test', protocol: PROTOCOL_VERSION });
  });
});

describe('POST /api/v1/auth/login', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and returns the agent', async () => {
    const response = await app.request('/api/v1/auth/login', json({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }));
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^parley_session=[\w-]{20,};/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(await response.json()).toEqual({
      agent: { id: expect.any(String), email: ADMIN_EMAIL, name: 'Admin', role: 'admin' },
      workspace: { id: home.workspace.id, name: home.workspace.name },
    });
  });

  it('accepts the email in any case and with surrounding spaces', async () => {
    const response = await app.request('/api/v1/auth/login', json({ email: '  Admin@ACME.test ', password: ADMIN_PASSWORD }));
    expect(response.status).toBe(200);
  });

  it('a wrong password is 401 NOT_AUTHENTICATED, without a cookie', async () => {
    const response = await app.request('/api/v1/auth/login', json({ email: ADMIN_EMAIL, password: 'wrong password' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await errorOf(response)).toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it('an unknown email answers exactly like a wrong password', async () => {
    const unknown = await app.request('/api/v1/auth/login', json({ email: 'nobody@acme.test', password: 'wrong password' }));
    const wrong = await app.request('/api/v1/auth/login', json({ email: ADMIN_EMAIL, password: 'wrong password' }));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it('a body missing a field is 400 INVALID_REQUEST naming the field', async () => {
    const response = await app.request('/api/v1/auth/login', json({ email: ADMIN_EMAIL }));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'INVALID_REQUEST', field: 'password' });
  });

  it('an extra field is 400 naming it', async () => {
    const response = await app.request('/api/v1/auth/login', json({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, admin: true }));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'INVALID_REQUEST', field: 'admin' });
  });

  it('a body that is not JSON is 400 INVALID_REQUEST', async () => {
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', origin: PUBLIC_URL }, body: '{"email":',
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('a foreign Origin is 403 FORBIDDEN, even with the right password', async () => {
    const response = await app.request(
      '/api/v1/auth/login',
      json({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { origin: 'https://evil.test' }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await errorOf(response)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a cross-site request without Origin is 403; a non-browser client without Origin may sign in', async () => {
    const { origin: _origin, ...noOrigin } = { origin: PUBLIC_URL, 'content-type': 'application/json' };
    const body = JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const crossSite = await app.request('/api/v1/auth/login', {
      method: 'POST', headers: { ...noOrigin, 'sec-fetch-site': 'cross-site' }, body,
    });
    expect(crossSite.status).toBe(403);
    const cli = await app.request('/api/v1/auth/login', { method: 'POST', headers: noOrigin, body });
    expect(cli.status).toBe(200);
  });

  it('a body over 64 KB is 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ email: ADMIN_EMAIL, password: 'x'.repeat(70 * 1024) });
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', origin: PUBLIC_URL, 'content-length': String(big.length) }, body: big,
    });
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('a body over 64 KB without Content-Length is 413 too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"email":"a@b.c","password":"'));
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      },
    });
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json', origin: PUBLIC_URL }, body: stream, duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('POST /api/v1/auth/logout', () => {
  it('ends the session: the cookie is cleared and no longer accepted', async () => {
    const cookie = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await app.request('/api/v1/me', { headers: { cookie } })).status).toBe(200);
    const response = await app.request('/api/v1/auth/logout', { method: 'POST', headers: { cookie, origin: PUBLIC_URL } });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toMatch(/^parley_session=;.*Max-Age=0/i);
    expect((await app.request('/api/v1/me', { headers: { cookie } })).status).toBe(401);
  });

  it('a foreign Origin is 403 and the session survives', async () => {
    const cookie = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const response = await app.request('/api/v1/auth/logout', { method: 'POST', headers: { cookie, origin: 'https://evil.test' } });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await app.request('/api/v1/me', { headers: { cookie } })).status).toBe(200);
  });
});

describe('GET /api/v1/me', () => {
  it('without a cookie is 401 NOT_AUTHENTICATED', async () => {
    const response = await app.request('/api/v1/me');
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: 'NOT_AUTHENTICATED' });
  });

  it('with an unknown session token is 401', async () => {
    const response = await app.request('/api/v1/me', { headers: { cookie: 'parley_session=forged-token-value' } });
    expect(response.status).toBe(401);
  });

  it('with the session cookie returns the agent and workspace', async () => {
    const response = await app.request('/api/v1/me', { headers: { cookie: adminCookie } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      agent: { id: expect.any(String), email: ADMIN_EMAIL, name: 'Admin', role: 'admin' },
      workspace: { id: home.workspace.id, name: 'My workspace' },
    });
  });
});

describe('conversations', () => {
  it('need a session', async () => {
    expect((await app.request('/api/v1/conversations')).status).toBe(401);
    expect((await app.request('/api/v1/conversations/whatever/messages')).status).toBe(401);
  });

  it('lists the workspace’s conversations, not another workspace’s, without relay-only fields', async () => {
    const admin = (await store.agentByEmail(ADMIN_EMAIL))!;
    const { id } = await homeConversation(admin);
    const foreign = await otherWorkspace();
    const response = await app.request('/api/v1/conversations', { headers: { cookie: adminCookie } });
    expect(response.status).toBe(200);
    const { conversations } = (await response.json()) as { conversations: Array<Record<string, unknown>> };
    const ids = conversations.map((c) => c.id);
    expect(ids).toContain(id);
    expect(ids).not.toContain(foreign.conversation.id);
    const mine = conversations.find((c) => c.id === id)!;
    expect(mine).toMatchObject({ status: 'open', lastSeq: 3, siteId: home.site.id });
    expect(mine).not.toHaveProperty('workspaceId');
  });

  it('filters by status and validates the query', async () => {
    const admin = (await store.agentByEmail(ADMIN_EMAIL))!;
    const { id } = await homeConversation(admin);
    await store.updateConversation(id, { status: 'snoozed' }, Date.now());
    const list = async (query: string) => {
      const response = await app.request(`/api/v1/conversations${query}`, { headers: { cookie: adminCookie } });
      return ((await response.json()) as { conversations: Array<{ id: string; status: string }> }).conversations;
    };
    const snoozed = await list('?status=snoozed');
    expect(snoozed.map((c) => c.id)).toEqual([id]);
    expect((await list('?status=open')).map((c) => c.id)).not.toContain(id);

    const bad = await app.request('/api/v1/conversations?status=bogus', { headers: { cookie: adminCookie } });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: 'INVALID_REQUEST', field: 'status' });
    // Unknown parameters (cache busters) are ignored, as the protocol's ConversationListQuery says.
    const busted = await app.request('/api/v1/conversations?status=snoozed&_=1700000000', { headers: { cookie: adminCookie } });
    expect(busted.status).toBe(200);
    expect(((await busted.json()) as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id)).toEqual([id]);
  });

  it('returns one conversation and its messages, notes included, paged', async () => {
    const admin = (await store.agentByEmail(ADMIN_EMAIL))!;
    const { id, contact } = await homeConversation(admin);
    const one = await app.request(`/api/v1/conversations/${id}`, { headers: { cookie: adminCookie } });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ conversation: { id, contact: { id: contact.id }, lastSeq: 3 } });

    const all = await app.request(`/api/v1/conversations/${id}/messages`, { headers: { cookie: adminCookie } });
    expect(all.status).toBe(200);
    const body = (await all.json()) as { messages: Array<{ seq: number; kind: string; text: string }>; hasMore: boolean };
    expect(body.hasMore).toBe(false);
    expect(body.messages.map((m) => [m.seq, m.kind, m.text])).toEqual([
      [1, 'text', 'Where is my order?'],
      [2, 'text', 'Let me check.'],
      [3, 'note', 'Customer is on the old plan'],
    ]);

    const page = await app.request(`/api/v1/conversations/${id}/messages?limit=1&before=3`, { headers: { cookie: adminCookie } });
    expect(await page.json()).toMatchObject({ messages: [{ seq: 2 }], hasMore: true });
  });

  it('another workspace’s conversation is 404, exactly like one that does not exist', async () => {
    const foreign = await otherWorkspace();
    for (const path of [`/api/v1/conversations/${foreign.conversation.id}`, `/api/v1/conversations/${foreign.conversation.id}/messages`]) {
      const response = await app.request(path, { headers: { cookie: adminCookie } });
      expect(response.status).toBe(404);
      expect(await errorOf(response)).toEqual({ code: 'NOT_FOUND', message: 'Conversation not found' });
    }
    const missing = await app.request('/api/v1/conversations/no_such_id', { headers: { cookie: adminCookie } });
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toEqual({ code: 'NOT_FOUND', message: 'Conversation not found' });
  });
});

describe('GET /api/v1/sites', () => {
  it('returns the workspace’s sites with the snippet to paste, for admins', async () => {
    const response = await app.request('/api/v1/sites', { headers: { cookie: adminCookie } });
    expect(response.status).toBe(200);
    const { sites } = (await response.json()) as { sites: Array<Record<string, unknown> & { snippet: string; key: string }> };
    expect(sites.map((s) => s.key)).toEqual([seed.siteKey]);
    expect(sites[0]).toMatchObject({ id: home.site.id, name: 'My website', allowedOrigins: ['*'] });
    expect(sites[0]).not.toHaveProperty('workspaceId');
    expect(sites[0]!.snippet).toContain(`<script src="${PUBLIC_URL}/widget.js" data-site="${seed.siteKey}" async></script>`);
  });

  it('is 403 for an agent who is not an admin', async () => {
    await store.createAgent({
      workspaceId: home.workspace.id, email: 'agent@acme.test', name: 'Agent', role: 'agent',
      passwordHash: await hashPassword(AGENT_PASSWORD), now: Date.now(),
    });
    const cookie = await login('agent@acme.test', AGENT_PASSWORD);
    const response = await app.request('/api/v1/sites', { headers: { cookie } });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('is 401 without a session', async () => {
    expect((await app.request('/api/v1/sites')).status).toBe(401);
  });
});

describe('unknown routes', () => {
  it.each(['/nope', '/api/v1/nope', '/api/v2/conversations'])('%s is a JSON 404', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({ code: 'NOT_FOUND' });
  });
});
