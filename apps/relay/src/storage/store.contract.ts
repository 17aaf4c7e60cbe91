import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS, ErrorCode, type Author, type MessageKind } from '@parley/protocol';
import type { AgentRecord, AppendMessage, ContactRecord, SiteRecord, Store, WorkspaceRecord } from '../core/store.ts';

/**
 * The behaviour every Store must have, written against the interface only: the SQLite store runs
 * it (sqlite/sqlite-store.test.ts) and a Postgres store must pass the same suite unchanged.
 * `makeStore` returns a fresh, empty store for each test; the suite closes it.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<Store>) {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const appearance: SiteRecord['appearance'] = {
      name: 'Support',
      greeting: 'Hello',
      color: '#112233',
      position: 'left',
      launcherLabel: 'Chat',
      replyTime: 'Soon',
    };

    let keyCounter = 0;
    async function makeWorkspace(label = 'Acme', now = 1_000) {
      const workspace = await store.createWorkspace({ name: label, now });
      const site = await store.createSite({
        workspaceId: workspace.id,
        key: `site_${label.toLowerCase()}_${++keyCounter}`,
        name: `${label} site`,
        allowedOrigins: ['https://acme.test', 'https://www.acme.test'],
        appearance,
        now,
      });
      const agent = await store.createAgent({
        workspaceId: workspace.id,
        email: `agent${keyCounter}@${label.toLowerCase()}.test`,
        name: `${label} Agent`,
        role: 'admin',
        passwordHash: 'scrypt$hash',
        now,
      });
      return { workspace, site, agent };
    }

    async function makeContact(ws: { workspace: WorkspaceRecord; site: SiteRecord }, token = `token-${++keyCounter}`, now = 1_000) {
      return store.createContact({ siteId: ws.site.id, workspaceId: ws.workspace.id, tokenHash: token, now });
    }

    const visitorAuthor = (contact: ContactRecord): Author => ({ kind: 'visitor', id: contact.id, name: contact.name });
    const agentAuthor = (agent: AgentRecord): Author => ({ kind: 'agent', id: agent.id, name: agent.name });

    let clientCounter = 0;
    const clientId = () => `client_${++clientCounter}`;

    /** A visitor writing into their current conversation (no conversation id). */
    function visitorSays(
      ws: { workspace: WorkspaceRecord; site: SiteRecord },
      contact: ContactRecord,
      text: string,
      options: { now?: number; clientId?: string; conversationId?: string } = {},
    ) {
      const input: AppendMessage = {
        workspaceId: ws.workspace.id,
        siteId: ws.site.id,
        contactId: contact.id,
        conversationId: options.conversationId,
        clientId: options.clientId ?? clientId(),
        kind: 'text',
        author: visitorAuthor(contact),
        text,
        now: options.now ?? 2_000,
      };
      return store.appendMessage(input);
    }

    function agentSays(
      ws: { workspace: WorkspaceRecord; site: SiteRecord; agent: AgentRecord },
      conversationId: string,
      text: string,
      options: { now?: number; clientId?: string; kind?: MessageKind } = {},
    ) {
      return store.appendMessage({
        workspaceId: ws.workspace.id,
        siteId: ws.site.id,
        contactId: null,
        conversationId,
        clientId: options.clientId ?? clientId(),
        kind: options.kind ?? 'text',
        author: agentAuthor(ws.agent),
        text,
        now: options.now ?? 3_000,
      });
    }

    describe('workspaces and sites', () => {
      it('is empty until a workspace exists', async () => {
        expect(await store.isEmpty()).toBe(true);
        await store.createWorkspace({ name: 'Acme', now: 5 });
        expect(await store.isEmpty()).toBe(false);
      });

      it('creates a workspace and finds it by id', async () => {
        const workspace = await store.createWorkspace({ name: 'Acme', now: 1234 });
        expect(workspace).toEqual({ id: expect.any(String), name: 'Acme', createdAt: 1234 });
        expect(await store.workspace(workspace.id)).toEqual(workspace);
        expect(await store.workspace('no_such_workspace')).toBeNull();
      });

      it('creates a site and finds it by key, with origins and appearance intact', async () => {
        const { workspace, site } = await makeWorkspace('Acme', 777);
        expect(site).toMatchObject({
          id: expect.any(String),
          workspaceId: workspace.id,
          key: site.key,
          name: 'Acme site',
          allowedOrigins: ['https://acme.test', 'https://www.acme.test'],
          appearance,
          createdAt: 777,
          // Created without settings or secret: the defaults.
          settings: DEFAULT_SITE_SETTINGS,
          identitySecret: null,
        });
        expect(await store.siteByKey(site.key)).toEqual(site);
        expect(await store.siteByKey('site_unknown')).toBeNull();
      });

      it('firstSite is the oldest site; listSites returns only the workspace’s sites', async () => {
        expect(await store.firstSite()).toBeNull();
        const later = await makeWorkspace('Later', 2_000);
        const earlier = await makeWorkspace('Earlier', 1_000);
        expect((await store.firstSite())?.id).toBe(earlier.site.id);

        const extra = await store.createSite({
          workspaceId: later.workspace.id, key: 'site_later_extra', name: 'Extra', allowedOrigins: ['*'], appearance, now: 3_000,
        });
        const sites = await store.listSites(later.workspace.id);
        expect(sites.map((s) => s.id).sort()).toEqual([later.site.id, extra.id].sort());
        expect(sites.every((s) => s.workspaceId === later.workspace.id)).toBe(true);
        expect(await store.listSites(earlier.workspace.id)).toEqual([earlier.site]);
      });

      it('updateSite changes only the given fields', async () => {
        const { site } = await makeWorkspace();
        const settings = { ...DEFAULT_SITE_SETTINGS, preChat: 'email-required' as const, requireIdentityVerification: true };
        const renamed = await store.updateSite(site.id, { name: 'Renamed', allowedOrigins: ['*'] });
        expect(renamed).toEqual({ ...site, name: 'Renamed', allowedOrigins: ['*'] });
        const secured = await store.updateSite(site.id, { settings, identitySecret: 'shh' });
        expect(secured).toEqual({ ...site, name: 'Renamed', allowedOrigins: ['*'], settings, identitySecret: 'shh' });
        expect(await store.siteByKey(site.key)).toEqual(secured);
        expect(await store.updateSite(site.id, { identitySecret: null })).toMatchObject({ identitySecret: null, settings });
      });

      it('updateSite of an unknown site is NOT_FOUND', async () => {
        await expect(store.updateSite('no_such_site', { name: 'x' })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      });
    });

    describe('agents and sessions', () => {
      it('creates an active agent and finds it by email and by id', async () => {
        const { workspace } = await makeWorkspace();
        const agent = await store.createAgent({
          workspaceId: workspace.id, email: 'ann@acme.test', name: 'Ann', role: 'agent', passwordHash: 'h', now: 42,
        });
        expect(agent).toEqual({
          id: expect.any(String), workspaceId: workspace.id, email: 'ann@acme.test', name: 'Ann', role: 'agent',
          passwordHash: 'h', active: true, status: 'online', lastAssignedAt: null, createdAt: 42,
        });
        expect(await store.agentByEmail('ann@acme.test')).toEqual(agent);
        expect(await store.agentById(agent.id)).toEqual(agent);
        expect(await store.agentByEmail('nobody@acme.test')).toBeNull();
        expect(await store.agentById('no_such_agent')).toBeNull();
      });

      it('refuses a second agent with the same email (CONFLICT), also from another workspace', async () => {
        const a = await makeWorkspace('A');
        const b = await makeWorkspace('B');
        const input = { email: 'same@acme.test', name: 'X', role: 'agent' as const, passwordHash: 'h', now: 1 };
        await store.createAgent({ ...input, workspaceId: a.workspace.id });
        await expect(store.createAgent({ ...input, workspaceId: a.workspace.id })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
        await expect(store.createAgent({ ...input, workspaceId: b.workspace.id })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
      });

      it('compares agent emails case-insensitively', async () => {
        const { workspace } = await makeWorkspace();
        const agent = await store.createAgent({
          workspaceId: workspace.id, email: 'ann@acme.test', name: 'Ann', role: 'agent', passwordHash: 'h', now: 1,
        });
        expect((await store.agentByEmail('ANN@Acme.Test'))?.id).toBe(agent.id);
        await expect(
          store.createAgent({ workspaceId: workspace.id, email: 'Ann@ACME.test', name: 'Ann 2', role: 'agent', passwordHash: 'h', now: 1 }),
        ).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
      });

      it('resolves a session to its agent until it expires', async () => {
        const { agent } = await makeWorkspace();
        await store.createSession({ tokenHash: 'hash-1', agentId: agent.id, now: 1_000, expiresAt: 5_000 });
        expect(await store.sessionAgent('hash-1', 1_000)).toEqual(agent);
        expect(await store.sessionAgent('hash-1', 4_999)).toEqual(agent);
        expect(await store.sessionAgent('hash-1', 5_000)).toBeNull();
        expect(await store.sessionAgent('hash-1', 9_000)).toBeNull();
        expect(await store.sessionAgent('unknown-hash', 1_000)).toBeNull();
      });

      it('deleteSession ends only that session', async () => {
        const { agent } = await makeWorkspace();
        await store.createSession({ tokenHash: 'hash-1', agentId: agent.id, now: 1_000, expiresAt: 5_000 });
        await store.createSession({ tokenHash: 'hash-2', agentId: agent.id, now: 1_000, expiresAt: 5_000 });
        await store.deleteSession('hash-1');
        expect(await store.sessionAgent('hash-1', 2_000)).toBeNull();
        expect((await store.sessionAgent('hash-2', 2_000))?.id).toBe(agent.id);
      });
    });

    describe('contacts', () => {
      it('creates an anonymous contact and finds it by token within its site only', async () => {
        const a = await makeWorkspace('A');
        const b = await makeWorkspace('B');
        const contact = await store.createContact({ siteId: a.site.id, workspaceId: a.workspace.id, tokenHash: 'tok', now: 99 });
        expect(contact).toMatchObject({
          id: expect.any(String), workspaceId: a.workspace.id, siteId: a.site.id, name: null, email: null, externalId: null,
          attributes: {}, lastPage: null, locale: null, createdAt: 99,
        });
        expect(await store.contactByToken(a.site.id, 'tok')).toEqual(contact);
        expect(await store.contactByToken(b.site.id, 'tok')).toBeNull();
        expect(await store.contactByToken(a.site.id, 'other')).toBeNull();
      });

      it('updateContact changes only the given fields', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws, 'tok-update');
        const named = await store.updateContact(contact.id, { name: 'Vera' });
        expect(named).toMatchObject({ id: contact.id, name: 'Vera', email: null });
        const mailed = await store.updateContact(contact.id, { email: 'vera@example.com' });
        expect(mailed).toMatchObject({ name: 'Vera', email: 'vera@example.com' });
        const seen = await store.updateContact(contact.id, { lastSeenAt: 5_000 });
        expect(seen).toMatchObject({ name: 'Vera', email: 'vera@example.com' });
        expect(await store.contactByToken(ws.site.id, 'tok-update')).toEqual(seen);
      });

      it('updateContact stores attributes, last page, locale and external id', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws, 'tok-attrs');
        const page = { url: 'https://acme.test/pricing', title: 'Pricing' };
        const updated = await store.updateContact(contact.id, {
          attributes: { plan: 'pro', seats: 3, trial: false, note: null }, lastPage: page, locale: 'en-GB', externalId: 'user_1',
        });
        expect(updated).toMatchObject({ attributes: { plan: 'pro', seats: 3, trial: false, note: null }, lastPage: page, locale: 'en-GB', externalId: 'user_1' });
        // A later partial patch keeps them.
        expect(await store.updateContact(contact.id, { name: 'Vera' })).toEqual({ ...updated, name: 'Vera' });
      });

      it('finds a verified user by external id, within their site only', async () => {
        const a = await makeWorkspace('A');
        const b = await makeWorkspace('B');
        const user = await store.createContact({ siteId: a.site.id, workspaceId: a.workspace.id, tokenHash: 't1', externalId: 'user_42', now: 1 });
        expect(user.externalId).toBe('user_42');
        expect(await store.contactByExternalId(a.site.id, 'user_42')).toEqual(user);
        expect(await store.contactByExternalId(b.site.id, 'user_42')).toBeNull();
        expect(await store.contactByExternalId(a.site.id, 'user_43')).toBeNull();
      });

      it('a contact can hold several device tokens', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws, 'laptop');
        await store.addVisitorToken({ contactId: contact.id, siteId: ws.site.id, tokenHash: 'phone', now: 2 });
        expect((await store.contactByToken(ws.site.id, 'laptop'))?.id).toBe(contact.id);
        expect((await store.contactByToken(ws.site.id, 'phone'))?.id).toBe(contact.id);
      });

      it('mergeContact moves conversations and device tokens, then removes the merged contact', async () => {
        const ws = await makeWorkspace();
        const anonymous = await makeContact(ws, 'anon-device');
        const user = await store.createContact({ siteId: ws.site.id, workspaceId: ws.workspace.id, tokenHash: 'user-device', externalId: 'u1', now: 1 });
        const anonThread = await visitorSays(ws, anonymous, 'asked before signing in', { now: 1_000 });
        const userThread = await visitorSays(ws, user, 'asked while signed in', { now: 2_000 });
        await store.updateConversation(userThread.message.conversationId, { status: 'resolved' }, 2_500);

        await store.mergeContact(anonymous.id, user.id);

        expect((await store.contactByToken(ws.site.id, 'anon-device'))?.id).toBe(user.id);
        expect((await store.contactByToken(ws.site.id, 'user-device'))?.id).toBe(user.id);
        expect((await store.conversationsOfContact(user.id, 10)).map((c) => c.id)).toEqual([
          userThread.message.conversationId, anonThread.message.conversationId,
        ]);
        expect(await store.conversationsOfContact(anonymous.id, 10)).toEqual([]);
        expect((await store.conversation(anonThread.message.conversationId))?.contact.id).toBe(user.id);
        // The user's current conversation is now the anonymous one (the user's own is resolved).
        const next = await visitorSays(ws, user, 'and now?');
        expect(next.message.conversationId).toBe(anonThread.message.conversationId);
        await expect(store.updateContact(anonymous.id, { name: 'gone' })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      });

      it('updateContact of an unknown contact is NOT_FOUND', async () => {
        await expect(store.updateContact('no_such_contact', { name: 'X' })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      });
    });

    describe('appendMessage', () => {
      it('opens a conversation for a visitor writing without one, and keeps using it', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const first = await visitorSays(ws, contact, 'Hello', { now: 2_000 });
        expect(first.created).toBe(true);
        expect(first.duplicate).toBe(false);
        expect(first.message).toMatchObject({ seq: 1, kind: 'text', text: 'Hello', createdAt: 2_000, author: visitorAuthor(contact) });
        expect(first.conversation).toMatchObject({
          id: first.message.conversationId,
          workspaceId: ws.workspace.id,
          siteId: ws.site.id,
          status: 'open',
          priority: 'none',
          assigneeId: null,
          contact: { id: contact.id },
          lastSeq: 1,
          createdAt: 2_000,
          lastMessage: { seq: 1, kind: 'text', authorKind: 'visitor', text: 'Hello', createdAt: 2_000 },
        });

        const second = await visitorSays(ws, contact, 'Anyone?', { now: 2_500 });
        expect(second.created).toBe(false);
        expect(second.message.conversationId).toBe(first.message.conversationId);
        expect(second.message.seq).toBe(2);
        expect(second.conversation).toMatchObject({ lastSeq: 2, updatedAt: 2_500, lastMessage: { seq: 2, text: 'Anyone?' } });
      });

      it('assigns seq 1, 2, 3… per conversation', async () => {
        const ws = await makeWorkspace();
        const alice = await makeContact(ws);
        const bob = await makeContact(ws);
        const a1 = await visitorSays(ws, alice, 'a1');
        const b1 = await visitorSays(ws, bob, 'b1');
        const a2 = await agentSays(ws, a1.message.conversationId, 'a2');
        const a3 = await agentSays(ws, a1.message.conversationId, 'a3');
        const b2 = await agentSays(ws, b1.message.conversationId, 'b2');
        expect([a1, a2, a3].map((r) => r.message.seq)).toEqual([1, 2, 3]);
        expect([b1, b2].map((r) => r.message.seq)).toEqual([1, 2]);
        expect(b1.message.conversationId).not.toBe(a1.message.conversationId);
        expect((await store.conversation(a1.message.conversationId))?.lastSeq).toBe(3);
      });

      it('is idempotent on clientId within a conversation: the original comes back, flagged duplicate', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const opened = await visitorSays(ws, contact, 'hi');
        const conversationId = opened.message.conversationId;
        const original = await agentSays(ws, conversationId, 'First version', { clientId: 'retry_me', now: 3_000 });
        const resent = await agentSays(ws, conversationId, 'Changed text', { clientId: 'retry_me', now: 9_000 });
        expect(original.duplicate).toBe(false);
        expect(resent.duplicate).toBe(true);
        expect(resent.created).toBe(false);
        expect(resent.message).toEqual(original.message);
        const stored = await store.messagesAfter(conversationId, 0, 100, { includeNotes: true });
        expect(stored.map((m) => m.clientId)).toEqual([opened.message.clientId, 'retry_me']);
        expect((await store.conversation(conversationId))?.lastSeq).toBe(2);
      });

      it('is idempotent on clientId for a visitor writing without a conversation id', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const original = await visitorSays(ws, contact, 'Hello', { clientId: 'v_1' });
        const resent = await visitorSays(ws, contact, 'Hello', { clientId: 'v_1', now: 8_000 });
        expect(resent.duplicate).toBe(true);
        expect(resent.created).toBe(false);
        expect(resent.message).toEqual(original.message);
        // The resend naming the conversation explicitly is the same message too.
        const named = await visitorSays(ws, contact, 'Hello', { clientId: 'v_1', conversationId: original.message.conversationId });
        expect(named.duplicate).toBe(true);
        expect(named.message.id).toBe(original.message.id);
        expect(await store.messagesAfter(original.message.conversationId, 0, 100, { includeNotes: true })).toHaveLength(1);
      });

      it('the same clientId from two different visitors is two messages', async () => {
        const ws = await makeWorkspace();
        const alice = await visitorSays(ws, await makeContact(ws), 'from alice', { clientId: 'same_id' });
        const bob = await visitorSays(ws, await makeContact(ws), 'from bob', { clientId: 'same_id' });
        expect(bob.duplicate).toBe(false);
        expect(bob.message.id).not.toBe(alice.message.id);
        expect(bob.message.text).toBe('from bob');
      });

      it('opens a new conversation once the current one is resolved', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const first = await visitorSays(ws, contact, 'first issue', { now: 2_000 });
        await store.updateConversation(first.message.conversationId, { status: 'resolved' }, 2_100);
        const next = await visitorSays(ws, contact, 'another issue', { now: 3_000 });
        expect(next.created).toBe(true);
        expect(next.message.conversationId).not.toBe(first.message.conversationId);
        expect(next.message.seq).toBe(1);
        expect((await store.conversation(first.message.conversationId))?.status).toBe('resolved');
      });

      it('a visitor writing into a resolved conversation by id reopens it', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const first = await visitorSays(ws, contact, 'first', { now: 2_000 });
        const id = first.message.conversationId;
        await store.updateConversation(id, { status: 'resolved' }, 2_100);
        const again = await visitorSays(ws, contact, 'one more thing', { conversationId: id, now: 3_000 });
        expect(again.created).toBe(false);
        expect(again.message).toMatchObject({ conversationId: id, seq: 2 });
        expect(again.conversation).toMatchObject({ status: 'open', resolvedAt: null });
      });

      it('gives concurrent appends distinct, contiguous seqs', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const opened = await visitorSays(ws, contact, 'open');
        const id = opened.message.conversationId;
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? agentSays(ws, id, `agent ${i}`) : visitorSays(ws, contact, `visitor ${i}`))),
        );
        const seqs = results.map((r) => r.message.seq).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
        expect(results.every((r) => r.message.conversationId === id)).toBe(true);
        expect((await store.conversation(id))?.lastSeq).toBe(51);
        const stored = await store.messagesAfter(id, 0, 100, { includeNotes: true });
        expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
      });

      it('concurrent first messages of a visitor open exactly one conversation', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => visitorSays(ws, contact, `m${i}`)));
        expect(new Set(results.map((r) => r.message.conversationId)).size).toBe(1);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(await store.conversationsOfContact(contact.id, 10)).toHaveLength(1);
      });

      it('concurrent resends of one clientId store it once', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        // A visitor's very first message, resent before the first attempt was acked.
        const firsts = await Promise.all(Array.from({ length: 5 }, () => visitorSays(ws, contact, 'hello', { clientId: 'first_msg' })));
        expect(firsts.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(firsts.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(firsts.map((r) => r.message.id)).size).toBe(1);
        const id = firsts[0]!.message.conversationId;

        const replies = await Promise.all(Array.from({ length: 5 }, () => agentSays(ws, id, 'reply', { clientId: 'reply_1' })));
        expect(replies.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(replies.map((r) => `${r.message.id}:${r.message.seq}`))).toEqual(new Set([`${replies[0]!.message.id}:2`]));
        expect((await store.messagesAfter(id, 0, 100, { includeNotes: true })).map((m) => m.clientId)).toEqual(['first_msg', 'reply_1']);
      });

      it('a failing append rejects alone; the others of the same batch commit', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const opened = await visitorSays(ws, contact, 'open');
        const id = opened.message.conversationId;
        const [before, failing, after] = await Promise.allSettled([
          agentSays(ws, id, 'before'),
          agentSays(ws, 'no_such_conversation', 'lost'),
          agentSays(ws, id, 'after'),
        ]);
        expect(failing).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.NOT_FOUND } });
        expect(before).toMatchObject({ status: 'fulfilled', value: { message: { seq: 2, text: 'before' } } });
        expect(after).toMatchObject({ status: 'fulfilled', value: { message: { seq: 3, text: 'after' } } });
        const stored = await store.messagesAfter(id, 0, 100, { includeNotes: true });
        expect(stored.map((m) => m.text)).toEqual(['open', 'before', 'after']);
      });

      it('an append with neither conversation nor contact is refused', async () => {
        const ws = await makeWorkspace();
        await expect(
          store.appendMessage({
            workspaceId: ws.workspace.id, siteId: ws.site.id, contactId: null, conversationId: undefined,
            clientId: clientId(), kind: 'text', author: agentAuthor(ws.agent), text: 'where to?', now: 1,
          }),
        ).rejects.toMatchObject({ code: ErrorCode.INVALID_FRAME, field: 'conversationId' });
      });
    });

    describe('reading messages', () => {
      /** Seqs 1..6; seq 3 is an agent note. */
      async function thread() {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const first = await visitorSays(ws, contact, 'm1');
        const id = first.message.conversationId;
        await agentSays(ws, id, 'm2');
        await agentSays(ws, id, 'note 3', { kind: 'note' });
        await visitorSays(ws, contact, 'm4');
        await agentSays(ws, id, 'm5');
        await visitorSays(ws, contact, 'm6');
        return { ws, contact, id };
      }

      it('messagesAfter returns later messages ascending, at most `limit`', async () => {
        const { id } = await thread();
        const all = await store.messagesAfter(id, 0, 100, { includeNotes: true });
        expect(all.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(all[2]).toMatchObject({ kind: 'note', text: 'note 3', author: { kind: 'agent' } });
        expect((await store.messagesAfter(id, 2, 2, { includeNotes: true })).map((m) => m.seq)).toEqual([3, 4]);
        expect(await store.messagesAfter(id, 6, 10, { includeNotes: true })).toEqual([]);
        expect(await store.messagesAfter('no_such_conversation', 0, 10, { includeNotes: true })).toEqual([]);
      });

      it('messagesAfter leaves notes out when includeNotes is false', async () => {
        const { id } = await thread();
        const visible = await store.messagesAfter(id, 0, 100, { includeNotes: false });
        expect(visible.map((m) => m.seq)).toEqual([1, 2, 4, 5, 6]);
        expect(visible.some((m) => m.kind === 'note')).toBe(false);
        expect((await store.messagesAfter(id, 2, 2, { includeNotes: false })).map((m) => m.seq)).toEqual([4, 5]);
      });

      it('messagesBefore returns the latest page ascending, and says whether more exist', async () => {
        const { id } = await thread();
        const latest = await store.messagesBefore(id, undefined, 2, { includeNotes: true });
        expect(latest.messages.map((m) => m.seq)).toEqual([5, 6]);
        expect(latest.hasMore).toBe(true);
        const older = await store.messagesBefore(id, 5, 3, { includeNotes: true });
        expect(older.messages.map((m) => m.seq)).toEqual([2, 3, 4]);
        expect(older.hasMore).toBe(true);
        const oldest = await store.messagesBefore(id, 2, 3, { includeNotes: true });
        expect(oldest.messages.map((m) => m.seq)).toEqual([1]);
        expect(oldest.hasMore).toBe(false);
        const exact = await store.messagesBefore(id, undefined, 6, { includeNotes: true });
        expect(exact.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(exact.hasMore).toBe(false);
      });

      it('messagesBefore leaves notes out when includeNotes is false, also when counting', async () => {
        const { id } = await thread();
        const page = await store.messagesBefore(id, 5, 2, { includeNotes: false });
        expect(page.messages.map((m) => m.seq)).toEqual([2, 4]);
        expect(page.hasMore).toBe(true);
        const rest = await store.messagesBefore(id, 4, 2, { includeNotes: false });
        expect(rest.messages.map((m) => m.seq)).toEqual([1, 2]);
        expect(rest.hasMore).toBe(false);
      });
    });

    describe('conversations', () => {
      it('conversation(id) is null for an unknown id', async () => {
        expect(await store.conversation('no_such_conversation')).toBeNull();
      });

      it('markRead only ever raises a read mark, per reader, never past lastSeq', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const { message } = await visitorSays(ws, contact, 'one');
        const id = message.conversationId;
        await agentSays(ws, id, 'two');
        await agentSays(ws, id, 'three');

        expect(await store.markRead(id, 'agent', 2)).toBe(true);
        expect(await store.markRead(id, 'agent', 1)).toBe(false);
        expect(await store.markRead(id, 'agent', 2)).toBe(false);
        expect(await store.conversation(id)).toMatchObject({ agentReadSeq: 2, visitorReadSeq: 0 });

        expect(await store.markRead(id, 'visitor', 3)).toBe(true);
        expect(await store.markRead(id, 'agent', 3)).toBe(true);
        expect(await store.conversation(id)).toMatchObject({ agentReadSeq: 3, visitorReadSeq: 3 });

        // A mark past the last message cannot claim messages that do not exist yet.
        expect(await store.markRead(id, 'visitor', 99)).toBe(false);
        expect((await store.conversation(id))?.visitorReadSeq).toBe(3);
      });

      it('updateConversation sets status, assignee and priority, and stamps resolvedAt', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const { message } = await visitorSays(ws, contact, 'help', { now: 2_000 });
        const id = message.conversationId;

        const assigned = await store.updateConversation(id, { assigneeId: ws.agent.id, priority: 'high' }, 2_500);
        expect(assigned).toMatchObject({ status: 'open', assigneeId: ws.agent.id, priority: 'high', resolvedAt: null, updatedAt: 2_500 });

        const resolved = await store.updateConversation(id, { status: 'resolved' }, 3_000);
        expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: 3_000, assigneeId: ws.agent.id, priority: 'high' });
        // Resolving what is already resolved keeps the first resolution time.
        expect(await store.updateConversation(id, { status: 'resolved' }, 4_000)).toMatchObject({ resolvedAt: 3_000 });
        expect(await store.updateConversation(id, { priority: 'low' }, 4_500)).toMatchObject({ status: 'resolved', resolvedAt: 3_000 });

        const reopened = await store.updateConversation(id, { status: 'pending', assigneeId: null }, 5_000);
        expect(reopened).toMatchObject({ status: 'pending', resolvedAt: null, assigneeId: null, priority: 'low' });
        expect(await store.conversation(id)).toEqual(reopened);
      });

      it('updateConversation of an unknown conversation is NOT_FOUND', async () => {
        await expect(store.updateConversation('no_such_conversation', { status: 'open' }, 1)).rejects.toMatchObject({
          code: ErrorCode.NOT_FOUND,
        });
      });

      it('waitingSince starts with the visitor, stops at an agent reply; firstResponseAt is set once', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const first = await visitorSays(ws, contact, 'hello?', { now: 1_000 });
        const id = first.message.conversationId;
        expect(first.conversation).toMatchObject({ waitingSince: 1_000, firstResponseAt: null });

        expect((await visitorSays(ws, contact, 'still there?', { now: 2_000 })).conversation.waitingSince).toBe(1_000);

        // A note is not a reply: the visitor is still waiting.
        const noted = await agentSays(ws, id, 'checking the logs', { kind: 'note', now: 2_500 });
        expect(noted.conversation).toMatchObject({ waitingSince: 1_000, firstResponseAt: null });

        const replied = await agentSays(ws, id, 'Hi!', { now: 3_000 });
        expect(replied.conversation).toMatchObject({ waitingSince: null, firstResponseAt: 3_000 });

        expect((await visitorSays(ws, contact, 'thanks, one more', { now: 4_000 })).conversation.waitingSince).toBe(4_000);
        const again = await agentSays(ws, id, 'Sure', { now: 5_000 });
        expect(again.conversation).toMatchObject({ waitingSince: null, firstResponseAt: 3_000 });
      });

      it('listConversations filters by status and workspace, most recently updated first, up to limit', async () => {
        const ws = await makeWorkspace('A');
        const other = await makeWorkspace('B');
        const c1 = (await visitorSays(ws, await makeContact(ws), 'one', { now: 1_000 })).message.conversationId;
        const c2 = (await visitorSays(ws, await makeContact(ws), 'two', { now: 2_000 })).message.conversationId;
        const c3 = (await visitorSays(ws, await makeContact(ws), 'three', { now: 3_000 })).message.conversationId;
        await visitorSays(other, await makeContact(other), 'elsewhere', { now: 4_000 });
        await store.updateConversation(c2, { status: 'resolved' }, 5_000);

        const ids = async (status: 'open' | 'resolved' | 'pending' | 'all', limit = 50) =>
          (await store.listConversations(ws.workspace.id, { status, limit })).map((c) => c.id);
        expect(await ids('all')).toEqual([c2, c3, c1]);
        expect(await ids('open')).toEqual([c3, c1]);
        expect(await ids('resolved')).toEqual([c2]);
        expect(await ids('pending')).toEqual([]);
        expect(await ids('all', 2)).toEqual([c2, c3]);
        const listed = await store.listConversations(ws.workspace.id, { status: 'all', limit: 50 });
        expect(listed.every((c) => c.workspaceId === ws.workspace.id)).toBe(true);
      });

      it('conversationsOfContact lists the contact’s conversations newest first', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const someoneElse = await makeContact(ws);
        const old = await visitorSays(ws, contact, 'old', { now: 1_000 });
        await store.updateConversation(old.message.conversationId, { status: 'resolved' }, 1_500);
        const current = await visitorSays(ws, contact, 'new', { now: 2_000 });
        await visitorSays(ws, contact, 'newer', { now: 2_100 });
        await visitorSays(ws, someoneElse, 'not theirs', { now: 3_000 });

        expect(await store.conversationsOfContact(contact.id, 10)).toEqual([
          { id: current.message.conversationId, status: 'open', lastSeq: 2, createdAt: 2_000 },
          { id: old.message.conversationId, status: 'resolved', lastSeq: 1, createdAt: 1_000 },
        ]);
        expect((await store.conversationsOfContact(contact.id, 1)).map((c) => c.id)).toEqual([current.message.conversationId]);
        expect(await store.conversationsOfContact('no_such_contact', 10)).toEqual([]);
      });
    });
  });
}
