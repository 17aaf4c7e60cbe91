import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_FRAME_TYPES, PROTOCOL_VERSION, type ClientFrameType } from '@parley/protocol';
import { hashToken, newToken } from '../../apps/relay/src/auth/tokens.ts';
import { createMemoryPresence } from '../../apps/relay/src/core/presence.ts';
import { createRateLimits } from '../../apps/relay/src/core/rate-limit.ts';
import { createMemoryBus } from '../../apps/relay/src/fanout/memory-bus.ts';
import { createApp } from '../../apps/relay/src/http/app.ts';
import { startTestRelay, type TestRelay } from '../../apps/relay/src/testing/relay-fixture.ts';

/**
 * Issue 6, isolation row: a generated walk. Every REST route of the relay's Hono app (read from
 * `app.routes`, so a new route cannot be forgotten: the walk fails until it is classified below)
 * is called with the credentials of another workspace's admin, of the victim workspace's non-admin
 * agent (for admin routes), and with none, with the victim's ids in its `:id`. Every client frame
 * type that names a conversation is sent by another visitor of the same site and by another
 * workspace's agent. Nothing returns the victim's data, nothing of the victim's changes.
 */

type Access = 'public' | 'agent' | 'admin';
interface RouteCase {
  access: Access;
  body?: unknown;
  query?: string;
}

/** Every `/api` route, by who may call it, with a valid body so that validation cannot hide a missing check. */
const ROUTES: Record<string, RouteCase> = {
  'POST /api/v1/auth/login': { access: 'public', body: { email: 'nobody@victim.test', password: 'wrong password here' } },
  'POST /api/v1/auth/logout': { access: 'public' },
  'GET /api/v1/me': { access: 'agent' },
  'GET /api/v1/conversations': { access: 'agent' },
  'GET /api/v1/conversations/:id': { access: 'agent' },
  'GET /api/v1/conversations/:id/messages': { access: 'agent' },
  'GET /api/v1/sites': { access: 'admin' },
  'PATCH /api/v1/sites/:id': { access: 'admin', body: { name: 'Taken over' } },
  'POST /api/v1/sites': { access: 'admin', body: { name: 'A new site' } },
  'POST /api/v1/sites/:id/identity-secret': { access: 'admin' },
  'GET /api/v1/agents': { access: 'agent' },
  'POST /api/v1/agents/invite': { access: 'admin', body: { email: 'intruder@attacker.test', role: 'admin' } },
  'PATCH /api/v1/agents/:id': { access: 'admin', body: { active: false } },
  'GET /api/v1/invites/:token': { access: 'public' },
  'POST /api/v1/auth/accept-invite': { access: 'public', body: { token: 'x'.repeat(43), name: 'Intruder', password: 'a long enough password' } },
  'GET /api/v1/labels': { access: 'agent' },
  'POST /api/v1/labels': { access: 'admin', body: { name: 'Injected', color: '#112233' } },
  'PATCH /api/v1/labels/:id': { access: 'admin', body: { name: 'Renamed', color: '#445566' } },
  'DELETE /api/v1/labels/:id': { access: 'admin' },
  'GET /api/v1/teams': { access: 'agent' },
  'POST /api/v1/teams': { access: 'admin', body: { name: 'Injected', agentIds: [] } },
  'PATCH /api/v1/teams/:id': { access: 'admin', body: { name: 'Renamed', agentIds: [] } },
  'DELETE /api/v1/teams/:id': { access: 'admin' },
  'GET /api/v1/canned-responses': { access: 'agent' },
  'POST /api/v1/canned-responses': { access: 'agent', body: { shortcut: 'inj', title: 'Injected', body: 'Injected' } },
  'PATCH /api/v1/canned-responses/:id': { access: 'agent', body: { shortcut: 'ren', title: 'Renamed', body: 'Renamed' } },
  'DELETE /api/v1/canned-responses/:id': { access: 'agent' },
  'GET /api/v1/contacts/:id': { access: 'agent' },
  // The search term is a word only the victim's transcript contains.
  'GET /api/v1/search': { access: 'agent', query: '?q=zanzibarquokka' },
};

/** Every client frame type: how to aim it at a conversation, or null when it names none. */
const FRAMES: Record<ClientFrameType, ((conversationId: string) => Record<string, unknown>) | null> = {
  hello: null, // resume is walked separately: it is part of hello
  send: (id) => ({ type: 'send', clientId: 'probe-send', conversationId: id, text: 'let me in' }),
  typing: (id) => ({ type: 'typing', conversationId: id, typing: true }),
  read: (id) => ({ type: 'read', conversationId: id, seq: 5 }),
  history: (id) => ({ type: 'history', requestId: 'probe-history', conversationId: id }),
  update: (id) => ({ type: 'update', requestId: 'probe-update', conversationId: id, status: 'resolved' }),
  viewing: (id) => ({ type: 'viewing', conversationId: id }),
  profile: null,
  presence: null,
  ping: null,
};

let fixture: TestRelay;
let app: ReturnType<typeof createApp>;
const ORIGIN = 'http://relay.test';

interface Victim {
  ids: Record<string, string>;
  /** Every id, name, email and text of the victim workspace: none may appear in an answer to someone else. */
  secrets: string[];
  agentCookie: string;
  snapshot(): Promise<string>;
  visitorToken: string;
  siteKey: string;
}
let victim: Victim;
let attackerAdminId: string;

beforeAll(async () => {
  fixture = await startTestRelay('parley-isolation-');
  const { side } = fixture;
  app = createApp({
    store: side, bus: createMemoryBus(), presence: createMemoryPresence(), limits: createRateLimits(), now: Date.now,
    heartbeatMs: 1000, log: () => {}, publicUrl: ORIGIN, widgetDir: '/nonexistent', inboxDir: '/nonexistent',
    version: 'test', secureCookies: false,
  });

  const v = await fixture.workspace();
  const agent = await fixture.addAgent(v.workspace.id, { role: 'agent', name: 'Victor Victimagent' });
  const { socket, welcome } = await fixture.visitor(v.site.key);
  socket.send({ type: 'profile', requestId: 'p1', name: 'Valerie Victimvisitor', email: 'valerie@victim.test' });
  await socket.next('ok');
  const ack = await fixture.say(socket, 'my zanzibarquokka order is late');
  await fixture.say((await fixture.agent(v.adminCookie)).socket, 'sorry about that', { conversationId: ack.conversationId });
  const label = await side.createLabel({ workspaceId: v.workspace.id, name: 'VictimLabel', color: '#abcdef', now: Date.now() });
  const team = await side.createTeam({ workspaceId: v.workspace.id, name: 'VictimTeam', agentIds: [agent.agent.id], now: Date.now() });
  const canned = await side.createCannedResponse({ workspaceId: v.workspace.id, shortcut: 'victimcanned', title: 'VictimCanned', body: 'VictimCannedBody', now: Date.now() });
  await fixture.closeSockets();

  const ids = {
    conversations: ack.conversationId, sites: v.site.id, agents: agent.agent.id, labels: label.id, teams: team.id,
    'canned-responses': canned.id, contacts: welcome.contact.id,
  };
  victim = {
    ids,
    secrets: [
      ...Object.values(ids), v.workspace.id, v.workspace.name, v.site.key, v.admin.id, v.admin.email, v.admin.name,
      agent.agent.email, 'Victor Victimagent', 'Valerie Victimvisitor', 'valerie@victim.test', 'zanzibarquokka',
      'sorry about that', 'VictimLabel', 'VictimTeam', 'VictimCanned', 'VictimCannedBody', ack.messageId,
    ],
    agentCookie: agent.cookie,
    visitorToken: welcome.visitorToken,
    siteKey: v.site.key,
    async snapshot() {
      const page = await side.messagesBefore(ack.conversationId, undefined, 50, { includeNotes: true });
      return JSON.stringify([
        await side.listSites(v.workspace.id), await side.listAgents(v.workspace.id),
        await side.listLabels(v.workspace.id), await side.listTeams(v.workspace.id), await side.listCannedResponses(v.workspace.id),
        await side.conversation(ack.conversationId), page, await side.contact(welcome.contact.id),
      ]);
    },
  };
  const attacker = await fixture.workspace();
  attackerAdminId = attacker.admin.id;
});
afterAll(async () => {
  await fixture?.close();
});

/** A fresh session for `agentId`: logout and deactivation in the walk must not end the sessions other calls use. */
async function cookieOf(agentId: string): Promise<string> {
  const token = newToken();
  await fixture.side.createSession({ tokenHash: hashToken(token), agentId, now: Date.now(), expiresAt: Date.now() + 3_600_000 });
  return `parley_session=${token}`;
}

function target(path: string): string {
  return path
    .replace(/^\/api\/v1\/([\w-]+)\/:id/, (_, resource: string) => {
      const id = victim.ids[resource];
      if (!id) throw new Error(`no victim object for /${resource}/:id: add one to the walk`);
      return `/api/v1/${resource}/${id}`;
    })
    .replace(':token', newToken());
}

describe('isolation walk over every REST route', () => {
  it('lists exactly the routes classified here', () => {
    const routes = new Set(app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`));
    expect([...routes].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('another workspace’s admin, the victim’s non-admin agent and no credentials never get or change the victim’s data', async () => {
    const before = await victim.snapshot();
    const calls: string[] = [];
    for (const [route, spec] of Object.entries(ROUTES)) {
      const [method, path] = route.split(' ') as [string, string];
      const url = `${ORIGIN}${target(path)}${spec.query ?? ''}`;
      const identities: Array<{ who: string; cookie: string | null; expect: (status: number) => boolean }> = [
        {
          who: 'another workspace’s admin',
          cookie: await cookieOf(attackerAdminId),
          // An :id of another workspace is exactly like a missing one; lists answer with the attacker's own rows.
          expect: (status) => (path.includes(':id') ? status === 404 : spec.access === 'public' ? status < 500 : status >= 200 && status < 300),
        },
        {
          who: 'no credentials',
          cookie: null,
          expect: (status) => (spec.access === 'public' ? status < 500 : status === 401),
        },
      ];
      if (spec.access === 'admin') {
        identities.push({ who: 'the victim workspace’s non-admin agent', cookie: await cookieOf(victimAgentId()), expect: (status) => status === 403 });
      }
      for (const identity of identities) {
        const headers: Record<string, string> = { origin: ORIGIN, 'content-type': 'application/json' };
        if (identity.cookie) headers['cookie'] = identity.cookie;
        const response = await app.request(url, { method, headers, ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }) });
        const text = await response.text();
        calls.push(`${route} as ${identity.who}: ${response.status}`);
        expect(identity.expect(response.status), `${route} as ${identity.who} answered ${response.status}: ${text.slice(0, 200)}`).toBe(true);
        for (const secret of victim.secrets) expect(text, `${route} as ${identity.who} leaked "${secret}"`).not.toContain(secret);
      }
    }
    expect(await victim.snapshot()).toBe(before);
    expect(calls.length).toBeGreaterThanOrEqual(Object.keys(ROUTES).length * 2);
  });
});

function victimAgentId(): string {
  return victim.ids['agents']!;
}

describe('isolation walk over every WebSocket frame that names a conversation', () => {
  const aimed = (Object.entries(FRAMES) as Array<[ClientFrameType, ((id: string) => Record<string, unknown>) | null]>).filter(([, build]) => build);

  it('every client frame type is classified', () => {
    expect(Object.keys(FRAMES).sort()).toEqual([...CLIENT_FRAME_TYPES].sort());
  });

  it('another visitor of the same site and another workspace’s agent: NOT_FOUND (or FORBIDDEN), nothing leaks, nothing reaches the victim', async () => {
    const conversationId = victim.ids['conversations']!;
    const watcher = await fixture.visitor(victim.siteKey, { visitorToken: victim.visitorToken });
    const stranger = await fixture.visitor(victim.siteKey, {}, { 'x-forwarded-for': '10.9.9.9' });
    const attacker = await fixture.agent(await cookieOf(attackerAdminId));
    for (const [who, socket, allowed] of [
      ['another visitor', stranger.socket, ['NOT_FOUND', 'FORBIDDEN']],
      ['another workspace’s agent', attacker.socket, ['NOT_FOUND']],
    ] as const) {
      for (const [type, build] of aimed) {
        const ref = `probe-${type}`;
        socket.send({ ...build!(conversationId), ...('clientId' in build!(conversationId) ? { clientId: ref } : {}), ...('requestId' in build!(conversationId) ? { requestId: ref } : {}) });
        const error = await socket.next('error');
        expect(allowed as readonly string[], `${type} from ${who}: ${error.code}`).toContain(error.code);
      }
      await socket.sync();
    }
    // Resume is authorised like live delivery.
    const resumer = await fixture.visitorSocket(victim.siteKey, { resume: [{ conversationId, seq: 0 }] }, { 'x-forwarded-for': '10.9.9.10' });
    expect(await resumer.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: conversationId });
    expect((await resumer.next('resumed')).conversations).toEqual([]);
    const attackerResume = await fixture.open('/ws/agent', { origin: fixture.relay.url, cookie: await cookieOf(attackerAdminId) });
    attackerResume.send({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', resume: [{ conversationId, seq: 0 }] });
    expect(await attackerResume.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: conversationId });
    expect((await attackerResume.next('resumed')).conversations).toEqual([]);

    await watcher.socket.sync();
    for (const socket of [stranger.socket, attacker.socket, resumer, attackerResume]) {
      const leaked = JSON.stringify(socket.frames.filter((f) => f.type !== 'error'));
      // The site key is public (it is in the site's page); a visitor of that site is told it in welcome.
      for (const secret of victim.secrets.filter((s) => s !== victim.siteKey)) expect(leaked, `leaked "${secret}"`).not.toContain(secret);
      expect(socket.frames.filter((f) => f.type === 'message')).toEqual([]);
    }
    // The victim saw nobody typing, reading or writing in their conversation.
    expect(watcher.socket.frames.filter((f) => ['typing', 'read', 'message'].includes(f.type))).toEqual([]);
    expect(JSON.parse(await victim.snapshot())[6].messages).toHaveLength(2);
  });
});
