import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS, type ServerFrame } from '@parley/protocol';
import { startTestRelay, type TestRelay } from '../testing/relay-fixture.ts';
import { TestSocket, UpgradeRefused } from '../testing/ws-client.ts';

/**
 * The inbox's live features over real sockets: presence and availability, collision (viewers),
 * mentions and assignment notifications, labels, snoozes, round-robin, note typing, deactivation.
 * Each test has a workspace of its own, so the presence of one test's agents never leaks into another.
 */

let t: TestRelay;
beforeAll(async () => {
  t = await startTestRelay('parley-ws-inbox-');
});
afterEach(async () => {
  expect(await t.closeSockets()).toEqual([]);
});
afterAll(async () => {
  await t?.close();
});

const ofType = <T extends ServerFrame['type']>(socket: TestSocket, type: T) =>
  socket.frames.filter((f): f is Extract<ServerFrame, { type: T }> => f.type === type);

/** A workspace with its admin and `extra` more agents, a visitor and their open conversation. */
async function scene(extra = 1, options: { settings?: typeof DEFAULT_SITE_SETTINGS } = {}) {
  const ws = await t.workspace(options.settings ? { settings: options.settings } : {});
  const agents = [];
  for (let i = 0; i < extra; i++) agents.push(await t.addAgent(ws.workspace.id));
  return { ...ws, agents };
}

async function visitorWithConversation(siteKey: string, text = 'I need help') {
  const v = await t.visitor(siteKey);
  const ack = await t.say(v.socket, text);
  return { ...v, ack, conversationId: ack.conversationId };
}

describe('presence', () => {
  it('the agent welcome lists the workspace’s agents with connected and status', async () => {
    const s = await scene(1);
    const bob = s.agents[0]!;
    await t.side.updateAgent(bob.agent.id, { status: 'away' });
    const other = await t.workspace();

    const admin = await t.agent(s.adminCookie);
    expect(admin.welcome.agents).toEqual([
      { id: s.admin.id, email: s.admin.email, name: s.admin.name, role: 'admin', status: 'online', connected: true, active: true },
      { id: bob.agent.id, email: bob.agent.email, name: bob.agent.name, role: 'agent', status: 'away', connected: false, active: true },
    ]);
    expect(JSON.stringify(admin.welcome.agents)).not.toContain(other.admin.id);

    // Bob opening the inbox is announced to the admin.
    await t.agent(bob.cookie);
    const update = await admin.socket.next('agents', (f) => f.agents.some((a) => a.id === bob.agent.id && a.connected));
    expect(update.agents.find((a) => a.id === bob.agent.id)).toMatchObject({ connected: true, status: 'away' });
  });

  it('going away is announced to teammates; visitors hear only when “anyone online” flips', async () => {
    const s = await scene(1);
    const bob = s.agents[0]!;
    const outsider = await t.workspace();
    const theirVisitor = await t.visitor(outsider.site.key);
    const vis = await t.visitor(s.site.key);
    expect(vis.welcome.site.agentsOnline).toBe(false);

    const admin = await t.agent(s.adminCookie);
    expect(await vis.socket.next('availability')).toEqual({ type: 'availability', agentsOnline: true, withinBusinessHours: true });
    const bobSocket = (await t.agent(bob.cookie)).socket;

    admin.socket.send({ type: 'presence', status: 'away' });
    const seen = await bobSocket.next('agents', (f) => f.agents.some((a) => a.id === s.admin.id && a.status === 'away'));
    expect(seen.agents.find((a) => a.id === bob.agent.id)).toMatchObject({ status: 'online', connected: true });
    // Bob is still online: nothing flipped for visitors.
    await admin.socket.next('agents', (f) => f.agents.some((a) => a.id === s.admin.id && a.status === 'away'));
    expect((await t.side.agentById(s.admin.id))?.status).toBe('away');

    bobSocket.send({ type: 'presence', status: 'away' });
    expect(await vis.socket.next('availability')).toMatchObject({ agentsOnline: false });
    await admin.socket.next('agents', (f) => f.agents.every((a) => a.status === 'away'));
    // A new visitor now sees the team as away.
    expect((await t.visitor(s.site.key)).welcome.site.agentsOnline).toBe(false);

    admin.socket.send({ type: 'presence', status: 'online' });
    expect(await vis.socket.next('availability')).toMatchObject({ agentsOnline: true });
    await vis.socket.sync();
    expect(ofType(vis.socket, 'availability').map((f) => f.agentsOnline)).toEqual([true, false, true]);
    // Another workspace's visitors hear nothing of it; visitors never see the agents list.
    await theirVisitor.socket.sync();
    expect(ofType(theirVisitor.socket, 'availability')).toEqual([]);
    expect(ofType(vis.socket, 'agents')).toEqual([]);
  });

  it('a visitor cannot set a presence', async () => {
    const s = await scene(0);
    const vis = await t.visitor(s.site.key);
    vis.socket.send({ type: 'presence', status: 'online' });
    expect(await vis.socket.next('error')).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('collision: who is viewing', () => {
  it('viewers frames follow what each agent has on screen, and a disconnect clears it', async () => {
    const s = await scene(1);
    const bob = s.agents[0]!;
    const { conversationId, socket: vis } = await visitorWithConversation(s.site.key);
    const admin = await t.agent(s.adminCookie);
    const bobSocket = (await t.agent(bob.cookie)).socket;

    admin.socket.send({ type: 'viewing', conversationId });
    expect(await bobSocket.next('viewers')).toEqual({ type: 'viewers', conversationId, agentIds: [s.admin.id] });
    bobSocket.send({ type: 'viewing', conversationId });
    const both = await admin.socket.next('viewers', (f) => f.agentIds.length === 2);
    expect(both.agentIds.sort()).toEqual([s.admin.id, bob.agent.id].sort());

    admin.socket.send({ type: 'viewing', conversationId: null });
    expect(await bobSocket.next('viewers', (f) => f.agentIds.length === 1)).toEqual({ type: 'viewers', conversationId, agentIds: [bob.agent.id] });

    bobSocket.send({ type: 'viewing', conversationId: null });
    await bobSocket.next('viewers', (f) => f.agentIds.length === 0);
    admin.socket.send({ type: 'viewing', conversationId });
    await bobSocket.next('viewers', (f) => f.agentIds.length === 1);
    await admin.socket.close();
    expect(await bobSocket.next('viewers')).toEqual({ type: 'viewers', conversationId, agentIds: [] });

    // Visitors never learn who is looking.
    await vis.sync();
    expect(ofType(vis, 'viewers')).toEqual([]);
  });

  it('viewing another workspace’s conversation is NOT_FOUND; a visitor cannot view', async () => {
    const s = await scene(0);
    const other = await scene(0);
    const foreign = await visitorWithConversation(other.site.key);
    const theirAgent = await t.agent(other.adminCookie);
    const admin = await t.agent(s.adminCookie);
    admin.socket.send({ type: 'viewing', conversationId: foreign.conversationId });
    expect(await admin.socket.next('error')).toMatchObject({ code: 'NOT_FOUND' });
    foreign.socket.send({ type: 'viewing', conversationId: foreign.conversationId });
    expect(await foreign.socket.next('error')).toMatchObject({ code: 'FORBIDDEN' });
    await theirAgent.socket.sync();
    expect(ofType(theirAgent.socket, 'viewers')).toEqual([]);
  });
});

describe('notifications', () => {
  it('a long note’s mention notification is cut to 200 units without splitting an emoji', async () => {
    const s = await scene(1);
    const [bob] = s.agents as [(typeof s.agents)[0]];
    const { conversationId } = await visitorWithConversation(s.site.key);
    const admin = await t.agent(s.adminCookie);
    const bobSocket = (await t.agent(bob.cookie)).socket;
    // "@Bob " and 194 x's are 199 units: the 200th is the first half of the emoji.
    const text = `@Bob ${'x'.repeat(194)}😀 and the rest of the note`;
    await t.say(admin.socket, text, { conversationId, kind: 'note', mentions: [bob.agent.id] });
    expect(await bobSocket.next('notification')).toMatchObject({ kind: 'mention', text: `@Bob ${'x'.repeat(194)}` });
  });

  it('a note’s mentions notify the mentioned agent only: not the author, not another workspace, never the visitor', async () => {
    const s = await scene(2);
    const [bob, carol] = s.agents as [(typeof s.agents)[0], (typeof s.agents)[0]];
    const other = await t.workspace();
    const { conversationId, socket: vis } = await visitorWithConversation(s.site.key);
    const admin = await t.agent(s.adminCookie);
    const bobSocket = (await t.agent(bob.cookie)).socket;
    const carolSocket = (await t.agent(carol.cookie)).socket;
    const outsider = (await t.agent(other.adminCookie)).socket;

    const note = await t.say(admin.socket, '@Bob can you check the refund?', {
      conversationId, kind: 'note', mentions: [bob.agent.id, s.admin.id, other.admin.id, 'ghost_agent', bob.agent.id],
    });
    expect(await bobSocket.next('notification')).toEqual({
      type: 'notification', kind: 'mention', conversationId, messageId: note.messageId,
      by: { kind: 'agent', id: s.admin.id, name: s.admin.name }, text: '@Bob can you check the refund?',
    });
    // A plain reply with mentions is not a mention: only notes notify.
    const reply = await t.say(admin.socket, 'We are on it', { conversationId, mentions: [carol.agent.id] });
    await vis.next('message', (f) => f.message.id === reply.messageId);

    for (const socket of [bobSocket, carolSocket, admin.socket, outsider, vis]) await socket.sync();
    expect(ofType(bobSocket, 'notification')).toHaveLength(1);
    expect(ofType(carolSocket, 'notification')).toEqual([]);
    expect(ofType(admin.socket, 'notification')).toEqual([]);
    expect(ofType(outsider, 'notification')).toEqual([]);
    expect(ofType(vis, 'notification')).toEqual([]);
    expect(JSON.stringify(vis.frames)).not.toContain('check the refund');
  });

  it('assigning a conversation notifies the assignee, not when assigning oneself or re-assigning the same agent', async () => {
    const s = await scene(2);
    const [bob, carol] = s.agents as [(typeof s.agents)[0], (typeof s.agents)[0]];
    const { conversationId } = await visitorWithConversation(s.site.key, 'Please call me back');
    const admin = await t.agent(s.adminCookie);
    const bobSocket = (await t.agent(bob.cookie)).socket;
    const carolSocket = (await t.agent(carol.cookie)).socket;

    admin.socket.send({ type: 'update', requestId: 'u_assign', conversationId, assigneeId: bob.agent.id });
    expect(await admin.socket.next('ok')).toEqual({ type: 'ok', ref: 'u_assign' });
    expect(await bobSocket.next('notification')).toEqual({
      type: 'notification', kind: 'assigned', conversationId, messageId: null,
      by: { kind: 'agent', id: s.admin.id, name: s.admin.name }, text: 'Please call me back',
    });
    expect((await carolSocket.next('conversation', (f) => f.conversation.id === conversationId)).conversation.assigneeId).toBe(bob.agent.id);

    admin.socket.send({ type: 'update', requestId: 'u_again', conversationId, assigneeId: bob.agent.id });
    await admin.socket.next('ok', (f) => f.ref === 'u_again');
    admin.socket.send({ type: 'update', requestId: 'u_self', conversationId, assigneeId: s.admin.id });
    await admin.socket.next('ok', (f) => f.ref === 'u_self');
    for (const socket of [bobSocket, carolSocket, admin.socket]) await socket.sync();
    expect(ofType(bobSocket, 'notification')).toHaveLength(1);
    expect(ofType(carolSocket, 'notification')).toEqual([]);
    expect(ofType(admin.socket, 'notification')).toEqual([]);
  });
});

describe('updates', () => {
  it('refuses another workspace’s team or label (NOT_FOUND) and a snooze without a future time (INVALID_FRAME); nothing changes', async () => {
    const s = await scene(0);
    const other = await t.workspace();
    const theirTeam = await t.side.createTeam({ workspaceId: other.workspace.id, name: 'Theirs', agentIds: [], now: Date.now() });
    const theirLabel = await t.side.createLabel({ workspaceId: other.workspace.id, name: 'Theirs', color: '#000000', now: Date.now() });
    const { conversationId } = await visitorWithConversation(s.site.key);
    const admin = await t.agent(s.adminCookie);

    const refused = async (patch: Record<string, unknown>) => {
      const requestId = `u_${Math.random().toString(36).slice(2, 10)}`;
      admin.socket.send({ type: 'update', requestId, conversationId, ...patch });
      return admin.socket.next('error', (f) => f.ref === requestId);
    };
    expect(await refused({ teamId: theirTeam.id })).toMatchObject({ code: 'NOT_FOUND', field: 'teamId' });
    expect(await refused({ addLabelIds: [theirLabel.id] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused({ removeLabelIds: [theirLabel.id] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused({ status: 'snoozed' })).toMatchObject({ code: 'INVALID_FRAME', field: 'snoozedUntil' });
    expect(await refused({ status: 'snoozed', snoozedUntil: Date.now() - 1000 })).toMatchObject({ code: 'INVALID_FRAME', field: 'snoozedUntil' });
    // All or nothing: a valid change riding with an invalid one is not applied either.
    expect(await refused({ priority: 'urgent', teamId: theirTeam.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.side.conversation(conversationId)).toMatchObject({ status: 'open', teamId: null, labelIds: [], priority: 'none', snoozedUntil: null });
  });

  it('labels added and removed show in the conversation frames’ labelIds, in the order added', async () => {
    const s = await scene(1);
    const vip = await t.side.createLabel({ workspaceId: s.workspace.id, name: 'vip', color: '#ff0000', now: Date.now() });
    const billing = await t.side.createLabel({ workspaceId: s.workspace.id, name: 'billing', color: '#00ff00', now: Date.now() });
    const squad = await t.side.createTeam({ workspaceId: s.workspace.id, name: 'Squad', agentIds: [], now: Date.now() });
    const { conversationId } = await visitorWithConversation(s.site.key);
    const admin = await t.agent(s.adminCookie);
    const bobSocket = (await t.agent(s.agents[0]!.cookie)).socket;

    admin.socket.send({ type: 'update', requestId: 'l_1', conversationId, addLabelIds: [vip.id, billing.id], teamId: squad.id, priority: 'high' });
    const added = await bobSocket.next('conversation', (f) => f.conversation.id === conversationId && f.conversation.labelIds.length === 2);
    expect(added.conversation).toMatchObject({ labelIds: [vip.id, billing.id], teamId: squad.id, priority: 'high' });
    admin.socket.send({ type: 'update', requestId: 'l_2', conversationId, removeLabelIds: [vip.id] });
    const removed = await bobSocket.next('conversation', (f) => f.conversation.id === conversationId);
    expect(removed.conversation).toMatchObject({ labelIds: [billing.id], teamId: squad.id });
  });
});

describe('snooze', () => {
  it('a snoozed conversation comes back to open by itself when its time comes', async () => {
    const s = await scene(0);
    const { conversationId } = await visitorWithConversation(s.site.key);
    const admin = await t.agent(s.adminCookie);
    const snoozedUntil = Date.now() + 1200;
    admin.socket.send({ type: 'update', requestId: 's_1', conversationId, status: 'snoozed', snoozedUntil });
    const snoozed = await admin.socket.next('conversation', (f) => f.conversation.id === conversationId);
    expect(snoozed.conversation).toMatchObject({ status: 'snoozed', snoozedUntil });

    // The scheduler polls every second: back within about two seconds of the time.
    const woken = await admin.socket.next('conversation', (f) => f.conversation.id === conversationId, 3500);
    expect(Date.now()).toBeGreaterThanOrEqual(snoozedUntil);
    expect(woken.conversation).toMatchObject({ status: 'open', snoozedUntil: null });
    expect(await t.side.conversation(conversationId)).toMatchObject({ status: 'open', snoozedUntil: null });
  });

  it('a visitor writing brings a snoozed conversation back at once', async () => {
    const s = await scene(0);
    const { conversationId, socket: vis } = await visitorWithConversation(s.site.key);
    const admin = await t.agent(s.adminCookie);
    admin.socket.send({ type: 'update', requestId: 's_2', conversationId, status: 'snoozed', snoozedUntil: Date.now() + 3_600_000 });
    await admin.socket.next('conversation', (f) => f.conversation.id === conversationId && f.conversation.status === 'snoozed');
    const ack = await t.say(vis, 'Any news?');
    expect(ack.conversationId).toBe(conversationId);
    const back = await admin.socket.next('conversation', (f) => f.conversation.id === conversationId);
    expect(back.conversation).toMatchObject({ status: 'open', snoozedUntil: null, lastMessage: { text: 'Any news?' } });
  });
});

describe('round-robin assignment', () => {
  it('new conversations alternate between the online agents and skip one who is away', async () => {
    const s = await scene(2, { settings: { ...DEFAULT_SITE_SETTINGS, autoAssign: 'round-robin' } });
    const [bob, carol] = s.agents as [(typeof s.agents)[0], (typeof s.agents)[0]];
    const bobSocket = (await t.agent(bob.cookie)).socket;
    const carolSocket = (await t.agent(carol.cookie)).socket;

    /** A new visitor's first message, and who it went to. */
    const next = async () => {
      const { conversationId } = await visitorWithConversation(s.site.key);
      const frame = await bobSocket.next('conversation', (f) => f.conversation.id === conversationId && f.conversation.assigneeId !== null);
      return frame.conversation.assigneeId;
    };
    const first = [await next(), await next(), await next(), await next()];
    expect(new Set(first)).toEqual(new Set([bob.agent.id, carol.agent.id]));
    expect(first[1]).not.toBe(first[0]);
    expect(first[2]).toBe(first[0]);
    expect(first[3]).toBe(first[1]);
    // The admin is not connected: never assigned.
    expect(first).not.toContain(s.admin.id);

    // Each assignee hears of their own assignments only.
    await bobSocket.sync();
    await carolSocket.sync();
    const assigned = (socket: TestSocket) => ofType(socket, 'notification').filter((f) => f.kind === 'assigned');
    expect(assigned(bobSocket)).toHaveLength(2);
    expect(assigned(carolSocket)).toHaveLength(2);
    expect(assigned(bobSocket)[0]).toMatchObject({ by: { kind: 'system', id: null, name: null }, messageId: null, text: 'I need help' });

    carolSocket.send({ type: 'presence', status: 'away' });
    await bobSocket.next('agents', (f) => f.agents.some((a) => a.id === carol.agent.id && a.status === 'away'));
    expect([await next(), await next()]).toEqual([bob.agent.id, bob.agent.id]);
  });

  it('with round-robin off, new conversations stay unassigned', async () => {
    const s = await scene(0);
    const admin = await t.agent(s.adminCookie);
    const { conversationId } = await visitorWithConversation(s.site.key);
    await admin.socket.next('conversation', (f) => f.conversation.id === conversationId);
    await admin.socket.sync();
    expect(ofType(admin.socket, 'conversation').filter((f) => f.conversation.id === conversationId).every((f) => f.conversation.assigneeId === null)).toBe(true);
    expect(ofType(admin.socket, 'notification')).toEqual([]);
  });
});

describe('typing', () => {
  it('an agent drafting a note is shown to other agents, never to the visitor', async () => {
    const s = await scene(1);
    const { conversationId, socket: vis } = await visitorWithConversation(s.site.key);
    const admin = await t.agent(s.adminCookie);
    const bobSocket = (await t.agent(s.agents[0]!.cookie)).socket;

    admin.socket.send({ type: 'typing', conversationId, typing: true, note: true });
    expect(await bobSocket.next('typing')).toMatchObject({ conversationId, typing: true, author: { kind: 'agent', id: s.admin.id } });
    await vis.sync();
    expect(ofType(vis, 'typing')).toEqual([]);

    // A reply being typed is shown to the visitor.
    admin.socket.send({ type: 'typing', conversationId, typing: true });
    expect(await vis.next('typing')).toMatchObject({ conversationId, typing: true, author: { kind: 'agent' } });
    await admin.socket.sync();
    expect(ofType(admin.socket, 'typing')).toEqual([]);
  });
});

describe('deactivation', () => {
  it('closes the agent’s open sockets with an error, then 4001; their REST and new sockets are refused', async () => {
    const s = await scene(1);
    const bob = s.agents[0]!;
    const admin = await t.agent(s.adminCookie);
    const bobSocket = (await t.agent(bob.cookie)).socket;
    const bobTab = (await t.agent(bob.cookie)).socket;

    const response = await t.api(s.adminCookie, `/agents/${bob.agent.id}`, { method: 'PATCH', body: { active: false } });
    expect(response.status).toBe(200);
    for (const socket of [bobSocket, bobTab]) {
      expect(await socket.next('error')).toMatchObject({ code: 'NOT_AUTHENTICATED' });
      expect((await socket.closed).code).toBe(4001);
    }
    const seen = await admin.socket.next('agents', (f) => f.agents.some((a) => a.id === bob.agent.id && !a.active));
    expect(seen.agents.find((a) => a.id === bob.agent.id)).toMatchObject({ active: false });
    // The admin's own socket stays open.
    await admin.socket.sync();

    expect((await t.api(bob.cookie, '/me')).status).toBe(401);
    const refused = await TestSocket.open(`${t.wsUrl}/ws/agent`, { origin: t.relay.url, cookie: bob.cookie }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect((refused as UpgradeRefused).status).toBe(401);
  });
});

describe('contact panel', () => {
  it('shows the page, locale, zone and the browser’s User-Agent from the visitor’s upgrade request', async () => {
    const s = await scene(0);
    const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) ParleyTest/1.0';
    const page = { url: 'https://shop.example/checkout', title: 'Checkout', referrer: 'https://search.example/' };
    const vis = await t.visitor(s.site.key, { page, locale: 'fr-FR', timezone: 'Europe/Paris' }, { 'user-agent': userAgent });
    const ack = await t.say(vis.socket, 'Payment failed');
    const response = await t.api(s.adminCookie, `/contacts/${vis.welcome.contact.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      contact: {
        id: vis.welcome.contact.id, lastPage: page, locale: 'fr-FR', timezone: 'Europe/Paris', userAgent,
        conversations: [{ id: ack.conversationId, status: 'open', summary: 'Payment failed' }],
      },
    });
  });
});
