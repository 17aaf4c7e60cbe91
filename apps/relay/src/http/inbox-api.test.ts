import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SITE_SETTINGS,
  type AgentListResponse,
  type ContactResponse,
  type ErrorResponse,
  type InviteResponse,
  type SearchResponse,
  type SiteListResponse,
  type SiteResponse,
} from '@parley/protocol';
import { hashToken, newToken } from '../auth/tokens.ts';
import { createMemoryPresence } from '../core/presence.ts';
import { createRateLimits } from '../core/rate-limit.ts';
import type { AgentRecord, Store } from '../core/store.ts';
import { createMemoryBus } from '../fanout/memory-bus.ts';
import { DEFAULT_APPEARANCE } from '../seed.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { tempDir } from '../testing/temp-dir.ts';
import { createApp } from './app.ts';

/** The admin and inbox REST resources through `app.request()`: sites, agents and invites, labels, teams, saved replies, contacts, search. */

const PUBLIC_URL = 'https://chat.acme.test';
const DAY = 24 * 3600 * 1000;
const dir = tempDir('parley-inbox-api-');
let store: Store;
let app: ReturnType<typeof createApp>;
/** The relay's clock, moved by tests that need time to pass (invites expire). */
let clock = Date.UTC(2026, 0, 5, 12);

beforeAll(() => {
  store = createSqliteStore({ filename: dir.file('api.db') });
  app = createApp({
    store,
    bus: createMemoryBus(),
    presence: createMemoryPresence(),
    limits: createRateLimits(),
    now: () => clock,
    heartbeatMs: 1000,
    log: () => {},
    publicUrl: PUBLIC_URL,
    widgetDir: dir.file('widget-dist'),
    inboxDir: dir.file('inbox-dist'),
    version: '9.9.9-test',
    secureCookies: true,
  });
});
afterAll(async () => {
  await store.close();
  dir.remove();
});

let counter = 0;

async function cookieFor(agent: AgentRecord): Promise<string> {
  const token = newToken();
  await store.createSession({ tokenHash: hashToken(token), agentId: agent.id, now: clock, expiresAt: clock + 365 * DAY });
  return `parley_session=${token}`;
}

/** A workspace of its own with a site, an admin and a plain agent, each with a session. */
async function team() {
  const n = ++counter;
  const workspace = await store.createWorkspace({ name: `Workspace ${n}`, now: clock });
  const site = await store.createSite({
    workspaceId: workspace.id, key: `site_api_${n}`, name: `Site ${n}`, allowedOrigins: ['*'], appearance: DEFAULT_APPEARANCE, now: clock,
  });
  const newAgent = (role: 'admin' | 'agent', name: string) =>
    store.createAgent({ workspaceId: workspace.id, email: `${name.toLowerCase()}${n}@ws.test`, name, role, passwordHash: 'x', now: clock });
  const admin = await newAgent('admin', 'Ada');
  const agent = await newAgent('agent', 'Bob');
  const contact = await store.createContact({ siteId: site.id, workspaceId: workspace.id, tokenHash: `contact-${n}`, now: clock });
  const { conversation } = await store.appendMessage({
    workspaceId: workspace.id, siteId: site.id, contactId: contact.id, conversationId: undefined, clientId: `first_${n}`,
    kind: 'text', author: { kind: 'visitor', id: contact.id, name: null }, text: `Where is parcel ${n}?`, now: clock,
  });
  return {
    workspace, site, admin, agent, contact, conversation,
    adminCookie: await cookieFor(admin),
    agentCookie: await cookieFor(agent),
    newAgent,
  };
}

function call(cookie: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.request(`/api/v1${path}`, {
    method,
    headers: { origin: PUBLIC_URL, 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function errorOf(response: Response): Promise<ErrorResponse['error']> {
  return ((await response.json()) as ErrorResponse).error;
}

async function expectError(response: Response | Promise<Response>, status: number, error: Partial<ErrorResponse['error']>) {
  const resolved = await response;
  expect(resolved.status).toBe(status);
  expect(await errorOf(resolved)).toMatchObject(error);
}

describe('PATCH /api/v1/sites/:id', () => {
  it('changes name, origins, appearance and settings; GET /sites shows them', async () => {
    const { site, adminCookie } = await team();
    const appearance = { ...DEFAULT_APPEARANCE, color: '#0f766e', position: 'left' as const };
    const settings = { ...DEFAULT_SITE_SETTINGS, preChat: 'email-optional' as const, businessHours: { timezone: 'Europe/Berlin', days: [{ day: 1, open: '09:00', close: '17:00' }] } };
    const response = await call(adminCookie, 'PATCH', `/sites/${site.id}`, {
      name: '  Shop ', allowedOrigins: ['https://shop.example', 'http://localhost:3000'], appearance, settings,
    });
    expect(response.status).toBe(200);
    const { site: updated } = (await response.json()) as SiteResponse;
    expect(updated).toMatchObject({ id: site.id, name: 'Shop', allowedOrigins: ['https://shop.example', 'http://localhost:3000'], appearance, settings });
    expect(updated).not.toHaveProperty('identitySecret');
    const { sites } = (await (await call(adminCookie, 'GET', '/sites')).json()) as SiteListResponse;
    expect(sites).toMatchObject([{ id: site.id, name: 'Shop', appearance, settings }]);
    // Fields left out stay as they are.
    const renamed = (await (await call(adminCookie, 'PATCH', `/sites/${site.id}`, { name: 'Shop 2' })).json()) as SiteResponse;
    expect(renamed.site).toMatchObject({ name: 'Shop 2', allowedOrigins: ['https://shop.example', 'http://localhost:3000'], settings });
  });

  it.each([
    ['an origin with a path', { allowedOrigins: ['https://shop.example/cart'] }, 'allowedOrigins.0'],
    ['an origin without a scheme', { allowedOrigins: ['shop.example'] }, 'allowedOrigins.0'],
    ['an origin with a trailing slash', { allowedOrigins: ['*', 'https://shop.example/'] }, 'allowedOrigins.1'],
    ['no origins at all', { allowedOrigins: [] }, 'allowedOrigins'],
    ['a colour that is not #rrggbb', { appearance: { ...DEFAULT_APPEARANCE, color: 'red' } }, 'appearance.color'],
    ['a position that does not exist', { appearance: { ...DEFAULT_APPEARANCE, position: 'top' } }, 'appearance.position'],
    ['an unknown pre-chat mode', { settings: { ...DEFAULT_SITE_SETTINGS, preChat: 'maybe' } }, 'settings.preChat'],
    ['an hour past 23', { settings: { ...DEFAULT_SITE_SETTINGS, businessHours: { timezone: 'UTC', days: [{ day: 1, open: '25:00', close: '26:00' }] } } }, 'settings.businessHours.days.0.open'],
    ['a weekday 7', { settings: { ...DEFAULT_SITE_SETTINGS, businessHours: { timezone: 'UTC', days: [{ day: 7, open: '09:00', close: '17:00' }] } } }, 'settings.businessHours.days.0.day'],
    ['an empty name', { name: '   ' }, 'name'],
    ['an unknown field', { identitySecret: 'mine' }, 'identitySecret'],
  ])('refuses %s (400, naming the field) and changes nothing', async (_name, body, field) => {
    const { site, adminCookie } = await team();
    await expectError(call(adminCookie, 'PATCH', `/sites/${site.id}`, body), 400, { code: 'INVALID_REQUEST', field });
    expect(await store.siteByKey(site.key)).toEqual(site);
  });

  it('requiring identity verification needs a secret first (CONFLICT), then works', async () => {
    const { site, adminCookie } = await team();
    const strict = { settings: { ...DEFAULT_SITE_SETTINGS, requireIdentityVerification: true } };
    await expectError(call(adminCookie, 'PATCH', `/sites/${site.id}`, strict), 409, {
      code: 'CONFLICT', field: 'settings.requireIdentityVerification',
    });
    expect((await store.siteByKey(site.key))?.settings.requireIdentityVerification).toBe(false);
    expect((await call(adminCookie, 'POST', `/sites/${site.id}/identity-secret`)).status).toBe(200);
    const response = await call(adminCookie, 'PATCH', `/sites/${site.id}`, strict);
    expect(response.status).toBe(200);
    expect(((await response.json()) as SiteResponse).site).toMatchObject({ settings: { requireIdentityVerification: true }, identitySecretSet: true });
  });

  it('is for admins of the site’s workspace: 403 for agents, 404 for other workspaces, 401 without a session', async () => {
    const mine = await team();
    const theirs = await team();
    await expectError(call(mine.agentCookie, 'PATCH', `/sites/${mine.site.id}`, { name: 'x' }), 403, { code: 'FORBIDDEN' });
    await expectError(call(mine.adminCookie, 'PATCH', `/sites/${theirs.site.id}`, { name: 'x' }), 404, { code: 'NOT_FOUND' });
    await expectError(call(null, 'PATCH', `/sites/${mine.site.id}`, { name: 'x' }), 401, { code: 'NOT_AUTHENTICATED' });
    // A foreign page cannot ride the admin's cookie.
    await expectError(call(mine.adminCookie, 'PATCH', `/sites/${mine.site.id}`, { name: 'x' }, { origin: 'https://evil.test' }), 403, { code: 'FORBIDDEN' });
    expect((await store.siteByKey(theirs.site.key))?.name).toBe(theirs.site.name);
    expect((await store.siteByKey(mine.site.key))?.name).toBe(mine.site.name);
  });
});

describe('identity secret', () => {
  it('is shown once on creation, replaced on rotation, and never listed', async () => {
    const { site, adminCookie } = await team();
    const first = (await (await call(adminCookie, 'POST', `/sites/${site.id}/identity-secret`)).json()) as { secret: string };
    const second = (await (await call(adminCookie, 'POST', `/sites/${site.id}/identity-secret`)).json()) as { secret: string };
    expect(first.secret).toMatch(/^[\w-]{32,}$/);
    expect(second.secret).not.toBe(first.secret);
    expect((await store.siteByKey(site.key))?.identitySecret).toBe(second.secret);
    const listing = await (await call(adminCookie, 'GET', '/sites')).text();
    expect(listing).not.toContain(first.secret);
    expect(listing).not.toContain(second.secret);
    expect((JSON.parse(listing) as SiteListResponse).sites).toMatchObject([{ identitySecretSet: true }]);
  });

  it('is for admins of the workspace only', async () => {
    const mine = await team();
    const theirs = await team();
    await expectError(call(mine.agentCookie, 'POST', `/sites/${mine.site.id}/identity-secret`), 403, { code: 'FORBIDDEN' });
    await expectError(call(mine.adminCookie, 'POST', `/sites/${theirs.site.id}/identity-secret`), 404, { code: 'NOT_FOUND' });
    expect((await store.siteByKey(theirs.site.key))?.identitySecret).toBeNull();
    expect((await store.siteByKey(mine.site.key))?.identitySecret).toBeNull();
  });
});

describe('POST /api/v1/sites', () => {
  it('creates a locked-down site with its own key and default settings, for admins', async () => {
    const { workspace, site, adminCookie, agentCookie } = await team();
    const response = await call(adminCookie, 'POST', '/sites', { name: 'Docs' });
    expect(response.status).toBe(201);
    const { site: created } = (await response.json()) as SiteResponse;
    expect(created).toMatchObject({ name: 'Docs', allowedOrigins: [], settings: DEFAULT_SITE_SETTINGS, identitySecretSet: false });
    expect(created.key).toMatch(/^site_[a-z0-9]{12}$/);
    expect(created.key).not.toBe(site.key);
    expect(created.snippet).toContain(`data-site="${created.key}"`);
    expect((await store.listSites(workspace.id)).map((s) => s.id)).toEqual([site.id, created.id]);
    await expectError(call(agentCookie, 'POST', '/sites', { name: 'Nope' }), 403, { code: 'FORBIDDEN' });
    await expectError(call(adminCookie, 'POST', '/sites', { name: '' }), 400, { code: 'INVALID_REQUEST', field: 'name' });
  });
});

describe('agents and invitations', () => {
  it('GET /agents lists the workspace’s agents with presence, and only them', async () => {
    const mine = await team();
    const theirs = await team();
    const response = await call(mine.agentCookie, 'GET', '/agents');
    expect(response.status).toBe(200);
    const { agents } = (await response.json()) as AgentListResponse;
    expect(agents).toEqual([
      { id: mine.admin.id, email: mine.admin.email, name: 'Ada', role: 'admin', status: 'online', connected: false, active: true },
      { id: mine.agent.id, email: mine.agent.email, name: 'Bob', role: 'agent', status: 'online', connected: false, active: true },
    ]);
    expect(JSON.stringify(agents)).not.toContain(theirs.admin.id);
    expect(JSON.stringify(agents)).not.toContain('passwordHash');
    expect((await call(null, 'GET', '/agents')).status).toBe(401);
  });

  it('an admin invites; accepting creates the agent with the invited role and signs them in', async () => {
    const { workspace, adminCookie } = await team();
    const invited = await call(adminCookie, 'POST', '/agents/invite', { email: '  New.Hire@Acme.TEST ', role: 'admin' });
    expect(invited.status).toBe(201);
    const { inviteUrl, expiresAt } = (await invited.json()) as InviteResponse;
    expect(inviteUrl).toMatch(new RegExp(`^${PUBLIC_URL}/inbox/invite/[\\w-]{32,}$`));
    expect(expiresAt).toBe(clock + 7 * DAY);
    const token = inviteUrl.split('/').pop()!;

    // The invite page can greet the new agent before they join: no session needed, nothing more.
    const info = await call(null, 'GET', `/invites/${token}`);
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({ workspace: { name: workspace.name }, email: 'new.hire@acme.test', role: 'admin', expiresAt });

    const accepted = await call(null, 'POST', '/auth/accept-invite', { token, name: 'New Hire', password: 'a long password' });
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ agent: { email: 'new.hire@acme.test', name: 'New Hire', role: 'admin' }, workspace: { id: workspace.id } });
    const cookie = /^(parley_session=[^;]+)/.exec(accepted.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeDefined();
    expect(accepted.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(await (await call(cookie!, 'GET', '/me')).json()).toMatchObject({ agent: { email: 'new.hire@acme.test', role: 'admin' } });
    // The password works for signing in later, too.
    const login = await call(null, 'POST', '/auth/login', { email: 'new.hire@acme.test', password: 'a long password' });
    expect(login.status).toBe(200);

    // Used once: the same link is now a 404, for the page as for joining.
    expect((await call(null, 'GET', `/invites/${token}`)).status).toBe(404);
    await expectError(call(null, 'POST', '/auth/accept-invite', { token, name: 'Again', password: 'a long password' }), 404, {
      code: 'NOT_FOUND', field: 'token',
    });
  });

  it('an expired or unknown invitation is a 404 and creates nobody', async () => {
    const { adminCookie } = await team();
    const { inviteUrl } = (await (await call(adminCookie, 'POST', '/agents/invite', { email: 'late@acme.test', role: 'agent' })).json()) as InviteResponse;
    const token = inviteUrl.split('/').pop()!;
    const started = clock;
    clock += 7 * DAY;
    try {
      await expectError(call(null, 'POST', '/auth/accept-invite', { token, name: 'Late', password: 'a long password' }), 404, { code: 'NOT_FOUND' });
    } finally {
      clock = started;
    }
    expect(await store.agentByEmail('late@acme.test')).toBeNull();
    await expectError(call(null, 'POST', '/auth/accept-invite', { token: newToken(), name: 'Who', password: 'a long password' }), 404, { code: 'NOT_FOUND' });
  });

  it('invitations are for admins; an existing email is a CONFLICT; bad input is named', async () => {
    const { admin, adminCookie, agentCookie } = await team();
    await expectError(call(agentCookie, 'POST', '/agents/invite', { email: 'x@acme.test', role: 'agent' }), 403, { code: 'FORBIDDEN' });
    await expectError(call(adminCookie, 'POST', '/agents/invite', { email: admin.email.toUpperCase(), role: 'agent' }), 409, { code: 'CONFLICT', field: 'email' });
    await expectError(call(adminCookie, 'POST', '/agents/invite', { email: 'not-an-email', role: 'agent' }), 400, { field: 'email' });
    await expectError(call(adminCookie, 'POST', '/agents/invite', { email: 'x@acme.test', role: 'owner' }), 400, { field: 'role' });
    const { inviteUrl } = (await (await call(adminCookie, 'POST', '/agents/invite', { email: 'short@acme.test', role: 'agent' })).json()) as InviteResponse;
    await expectError(call(null, 'POST', '/auth/accept-invite', { token: inviteUrl.split('/').pop(), name: 'S', password: 'short' }), 400, {
      code: 'INVALID_REQUEST', field: 'password',
    });
    // A foreign page cannot accept an invitation on someone's behalf.
    await expectError(
      call(null, 'POST', '/auth/accept-invite', { token: inviteUrl.split('/').pop(), name: 'S', password: 'a long password' }, { origin: 'https://evil.test' }),
      403, { code: 'FORBIDDEN' },
    );
  });

  it('deactivating an agent ends their REST access at once', async () => {
    const { agent, adminCookie, agentCookie } = await team();
    expect((await call(agentCookie, 'GET', '/me')).status).toBe(200);
    const response = await call(adminCookie, 'PATCH', `/agents/${agent.id}`, { active: false });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ agent: { id: agent.id, active: false } });
    await expectError(call(agentCookie, 'GET', '/me'), 401, { code: 'NOT_AUTHENTICATED' });
    await expectError(call(agentCookie, 'GET', '/conversations'), 401, { code: 'NOT_AUTHENTICATED' });
    // Nor can they sign in again.
    expect((await store.agentById(agent.id))?.active).toBe(false);
  });

  it('an agent cannot change agents; an admin cannot change another workspace’s', async () => {
    const mine = await team();
    const theirs = await team();
    await expectError(call(mine.agentCookie, 'PATCH', `/agents/${mine.admin.id}`, { active: false }), 403, { code: 'FORBIDDEN' });
    await expectError(call(mine.adminCookie, 'PATCH', `/agents/${theirs.agent.id}`, { active: false }), 404, { code: 'NOT_FOUND' });
    expect((await store.agentById(theirs.agent.id))?.active).toBe(true);
    expect((await store.agentById(mine.admin.id))?.active).toBe(true);
  });

  it('a workspace keeps at least one active admin (CONFLICT)', async () => {
    const { admin, adminCookie, newAgent } = await team();
    await expectError(call(adminCookie, 'PATCH', `/agents/${admin.id}`, { active: false }), 409, { code: 'CONFLICT' });
    await expectError(call(adminCookie, 'PATCH', `/agents/${admin.id}`, { role: 'agent' }), 409, { code: 'CONFLICT' });
    expect(await store.agentById(admin.id)).toMatchObject({ role: 'admin', active: true });

    const second = await newAgent('admin', 'Cy');
    const demoted = await call(adminCookie, 'PATCH', `/agents/${second.id}`, { role: 'agent' });
    expect(demoted.status).toBe(200);
    await expectError(call(adminCookie, 'PATCH', `/agents/${admin.id}`, { role: 'agent' }), 409, { code: 'CONFLICT' });
    // With another active admin, one may step down.
    await call(adminCookie, 'PATCH', `/agents/${second.id}`, { role: 'admin' });
    expect((await call(adminCookie, 'PATCH', `/agents/${admin.id}`, { role: 'agent' })).status).toBe(200);
  });
});

describe('labels, teams and canned responses', () => {
  it('labels: every agent reads them, only admins change them', async () => {
    const { adminCookie, agentCookie } = await team();
    const created = await call(adminCookie, 'POST', '/labels', { name: 'VIP', color: '#ff0000' });
    expect(created.status).toBe(201);
    const { label } = (await created.json()) as { label: { id: string } };
    expect(label).toEqual({ id: expect.any(String), name: 'VIP', color: '#ff0000' });
    expect(await (await call(agentCookie, 'GET', '/labels')).json()).toEqual({ labels: [label] });

    await expectError(call(agentCookie, 'POST', '/labels', { name: 'Mine', color: '#000000' }), 403, { code: 'FORBIDDEN' });
    await expectError(call(agentCookie, 'PATCH', `/labels/${label.id}`, { name: 'x', color: '#000000' }), 403, { code: 'FORBIDDEN' });
    await expectError(call(agentCookie, 'DELETE', `/labels/${label.id}`), 403, { code: 'FORBIDDEN' });
    await expectError(call(adminCookie, 'POST', '/labels', { name: 'VIP', color: '#00ff00' }), 409, { code: 'CONFLICT', field: 'name' });
    await expectError(call(adminCookie, 'POST', '/labels', { name: 'Bad', color: 'blue' }), 400, { field: 'color' });

    const patched = await call(adminCookie, 'PATCH', `/labels/${label.id}`, { name: 'Gold', color: '#ffd700' });
    expect(await patched.json()).toEqual({ label: { id: label.id, name: 'Gold', color: '#ffd700' } });
    expect((await call(adminCookie, 'DELETE', `/labels/${label.id}`)).status).toBe(204);
    expect(await (await call(agentCookie, 'GET', '/labels')).json()).toEqual({ labels: [] });
  });

  it('teams: admins only, and only with agents of their own workspace', async () => {
    const mine = await team();
    const theirs = await team();
    await expectError(call(mine.agentCookie, 'POST', '/teams', { name: 'Sales', agentIds: [] }), 403, { code: 'FORBIDDEN' });
    await expectError(call(mine.adminCookie, 'POST', '/teams', { name: 'Sales', agentIds: [mine.agent.id, theirs.agent.id] }), 404, {
      code: 'NOT_FOUND', field: 'agentIds',
    });
    const created = await call(mine.adminCookie, 'POST', '/teams', { name: 'Sales', agentIds: [mine.agent.id] });
    expect(created.status).toBe(201);
    const { team: sales } = (await created.json()) as { team: { id: string } };
    expect(sales).toEqual({ id: expect.any(String), name: 'Sales', agentIds: [mine.agent.id] });
    await expectError(call(mine.adminCookie, 'PATCH', `/teams/${sales.id}`, { name: 'Sales', agentIds: [theirs.admin.id] }), 404, { field: 'agentIds' });
    await expectError(call(mine.adminCookie, 'POST', '/teams', { name: 'Sales', agentIds: [] }), 409, { code: 'CONFLICT' });
    const patched = await call(mine.adminCookie, 'PATCH', `/teams/${sales.id}`, { name: 'Sales EU', agentIds: [mine.admin.id, mine.agent.id] });
    expect(((await patched.json()) as { team: { agentIds: string[] } }).team.agentIds.sort()).toEqual([mine.admin.id, mine.agent.id].sort());
    expect(await (await call(mine.agentCookie, 'GET', '/teams')).json()).toMatchObject({ teams: [{ id: sales.id, name: 'Sales EU' }] });
    expect((await call(mine.adminCookie, 'DELETE', `/teams/${sales.id}`)).status).toBe(204);
  });

  it('canned responses: any agent creates, edits and deletes them; shortcuts are unique', async () => {
    const { agentCookie, adminCookie } = await team();
    const created = await call(agentCookie, 'POST', '/canned-responses', { shortcut: 'thanks', title: 'Thanks', body: 'Thank you, {{contact.firstName}}!' });
    expect(created.status).toBe(201);
    const { cannedResponse } = (await created.json()) as { cannedResponse: { id: string } };
    await expectError(call(adminCookie, 'POST', '/canned-responses', { shortcut: 'thanks', title: 'Again', body: 'x' }), 409, { code: 'CONFLICT' });
    await expectError(call(agentCookie, 'POST', '/canned-responses', { shortcut: 'has space', title: 'x', body: 'x' }), 400, { field: 'shortcut' });
    const patched = await call(agentCookie, 'PATCH', `/canned-responses/${cannedResponse.id}`, { shortcut: 'ty', title: 'Thanks', body: 'Cheers!' });
    expect(await patched.json()).toEqual({ cannedResponse: { id: cannedResponse.id, shortcut: 'ty', title: 'Thanks', body: 'Cheers!' } });
    expect((await call(agentCookie, 'DELETE', `/canned-responses/${cannedResponse.id}`)).status).toBe(204);
    expect(await (await call(adminCookie, 'GET', '/canned-responses')).json()).toEqual({ cannedResponses: [] });
  });

  it('every :id route of another workspace is a 404, exactly like a missing id, and changes nothing', async () => {
    const mine = await team();
    const theirs = await team();
    const label = await store.createLabel({ workspaceId: theirs.workspace.id, name: 'theirs', color: '#000000', now: clock });
    const teamRecord = await store.createTeam({ workspaceId: theirs.workspace.id, name: 'theirs', agentIds: [], now: clock });
    const canned = await store.createCannedResponse({ workspaceId: theirs.workspace.id, shortcut: 'theirs', title: 'T', body: 'B', now: clock });
    const routes: Array<[method: string, path: (id: string) => string, foreignId: string, body?: unknown]> = [
      ['PATCH', (id) => `/labels/${id}`, label.id, { name: 'hijacked', color: '#ffffff' }],
      ['DELETE', (id) => `/labels/${id}`, label.id],
      ['PATCH', (id) => `/teams/${id}`, teamRecord.id, { name: 'hijacked', agentIds: [] }],
      ['DELETE', (id) => `/teams/${id}`, teamRecord.id],
      ['PATCH', (id) => `/canned-responses/${id}`, canned.id, { shortcut: 'hijacked', title: 'x', body: 'x' }],
      ['DELETE', (id) => `/canned-responses/${id}`, canned.id],
      ['PATCH', (id) => `/agents/${id}`, theirs.agent.id, { name: 'hijacked' }],
      ['PATCH', (id) => `/sites/${id}`, theirs.site.id, { name: 'hijacked' }],
      ['POST', (id) => `/sites/${id}/identity-secret`, theirs.site.id],
      ['GET', (id) => `/contacts/${id}`, theirs.contact.id],
      ['GET', (id) => `/conversations/${id}`, theirs.conversation.id],
      ['GET', (id) => `/conversations/${id}/messages`, theirs.conversation.id],
    ];
    for (const [method, path, foreignId, body] of routes) {
      const foreign = await call(mine.adminCookie, method, path(foreignId), body);
      expect(foreign.status, `${method} ${path(foreignId)}`).toBe(404);
      const missing = await call(mine.adminCookie, method, path('no_such_id'), body);
      expect(missing.status, `${method} ${path('no_such_id')}`).toBe(404);
      // Same answer: ids of other workspaces cannot be probed.
      expect(await errorOf(foreign)).toEqual(await errorOf(missing));
    }
    expect(await store.label(label.id)).toEqual(label);
    expect(await store.team(teamRecord.id)).toEqual(teamRecord);
    expect(await store.cannedResponse(canned.id)).toEqual(canned);
    expect((await store.agentById(theirs.agent.id))?.name).toBe('Bob');
    expect(await store.siteByKey(theirs.site.key)).toEqual(theirs.site);
  });
});

describe('contacts and search', () => {
  it('GET /contacts/:id shows the contact panel: profile, page, locale, zone, browser and conversations', async () => {
    const { contact, conversation, agentCookie } = await team();
    await store.updateContact(contact.id, {
      name: 'Vera', email: 'vera@example.com', attributes: { plan: 'pro' }, lastPage: { url: 'https://shop.example/cart', title: 'Cart' },
      locale: 'de-DE', timezone: 'Europe/Berlin', userAgent: 'Mozilla/5.0 (Test)',
    });
    const response = await call(agentCookie, 'GET', `/contacts/${contact.id}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as ContactResponse;
    expect(body.contact).toEqual({
      id: contact.id, siteId: contact.siteId, name: 'Vera', email: 'vera@example.com', externalId: null, attributes: { plan: 'pro' },
      lastPage: { url: 'https://shop.example/cart', title: 'Cart' }, locale: 'de-DE', timezone: 'Europe/Berlin', userAgent: 'Mozilla/5.0 (Test)',
      createdAt: contact.createdAt, lastSeenAt: expect.any(Number),
      conversations: [{ id: conversation.id, status: 'open', createdAt: conversation.createdAt, summary: conversation.lastMessage?.text }],
    });
    expect((await call(null, 'GET', `/contacts/${contact.id}`)).status).toBe(401);
  });

  it('search returns hits from the agent’s workspace only', async () => {
    const mine = await team();
    const theirs = await team();
    // Both first messages say "Where is parcel N?".
    const response = await call(mine.agentCookie, 'GET', '/search?q=parcel');
    expect(response.status).toBe(200);
    const { hits } = (await response.json()) as SearchResponse;
    expect(hits).toEqual([expect.objectContaining({ conversationId: mine.conversation.id, snippet: expect.stringContaining('[parcel]') })]);
    expect(JSON.stringify(hits)).not.toContain(theirs.conversation.id);
    await expectError(call(mine.agentCookie, 'GET', '/search?q=%20%20'), 400, { code: 'INVALID_REQUEST', field: 'q' });
    expect((await call(null, 'GET', '/search?q=parcel')).status).toBe(401);
    // Query syntax is searched as text, not run: no 500.
    expect((await call(mine.agentCookie, 'GET', `/search?q=${encodeURIComponent('parcel" OR * NEAR(')}`)).status).toBe(200);
  });

  it('GET /conversations filters by assignee (me, unassigned, an id), label and team', async () => {
    const { workspace, site, admin, agent, adminCookie, conversation } = await team();
    const second = await store.appendMessage({
      workspaceId: workspace.id, siteId: site.id, contactId: (await store.createContact({ siteId: site.id, workspaceId: workspace.id, tokenHash: `c2-${counter}`, now: clock })).id,
      conversationId: undefined, clientId: 'second', kind: 'text', author: { kind: 'visitor', id: null, name: null }, text: 'second', now: clock + 1,
    });
    const label = await store.createLabel({ workspaceId: workspace.id, name: 'vip', color: '#000000', now: clock });
    const squad = await store.createTeam({ workspaceId: workspace.id, name: 'Squad', agentIds: [], now: clock });
    await store.updateConversation(conversation.id, { assigneeId: admin.id, addLabelIds: [label.id] }, clock + 2);
    await store.updateConversation(second.conversation.id, { teamId: squad.id }, clock + 3);
    const list = async (query: string) =>
      ((await (await call(adminCookie, 'GET', `/conversations${query}`)).json()) as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id);
    expect(await list('?assignee=me')).toEqual([conversation.id]);
    expect(await list('?assignee=unassigned')).toEqual([second.conversation.id]);
    expect(await list(`?assignee=${agent.id}`)).toEqual([]);
    expect(await list(`?labelId=${label.id}`)).toEqual([conversation.id]);
    expect(await list(`?teamId=${squad.id}`)).toEqual([second.conversation.id]);
  });

  it('GET /conversations pages with a cursor: every conversation once, newest activity first', async () => {
    const { workspace, site, adminCookie, conversation } = await team();
    const ids = [conversation.id];
    for (let i = 0; i < 6; i++) {
      const contact = await store.createContact({ siteId: site.id, workspaceId: workspace.id, tokenHash: `page-${counter}-${i}`, now: clock });
      const { conversation: created } = await store.appendMessage({
        workspaceId: workspace.id, siteId: site.id, contactId: contact.id, conversationId: undefined, clientId: `p${i}`,
        kind: 'text', author: { kind: 'visitor', id: contact.id, name: null }, text: `page ${i}`,
        // Two share a timestamp: the id breaks the tie, so the cursor neither skips nor repeats.
        now: clock + 10 + Math.min(i, 4),
      });
      ids.push(created.id);
    }
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const response = await call(adminCookie, 'GET', `/conversations?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const body = (await response.json()) as { conversations: Array<{ id: string; updatedAt: number }>; nextCursor?: string | null };
      seen.push(...body.conversations.map((c) => c.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(ids.length);
    expect(new Set(seen)).toEqual(new Set(ids));
    await expectError(call(adminCookie, 'GET', '/conversations?cursor=nope'), 400, { code: 'INVALID_REQUEST', field: 'cursor' });
  });
});
