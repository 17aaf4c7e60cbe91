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

      it('cuts the list preview at 140 UTF-16 units without splitting a character: what an append returns is what is stored', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        // The 140th unit is the first half of an emoji: a cut there would leave a lone surrogate,
        // which SQLite stores as U+FFFD while the live summary would carry it as is.
        const text = `${'a'.repeat(139)}😀 and the rest of a long message`;
        const sent = await visitorSays(ws, contact, text);
        expect(sent.conversation.lastMessage?.text).toBe('a'.repeat(139));
        expect(sent.conversation).toEqual(await store.conversation(sent.message.conversationId));
        // Where the cut falls between two characters, it is 140 units, emoji included whole.
        const whole = `${'b'.repeat(138)}😀 and more`;
        const next = await visitorSays(ws, contact, whole, { conversationId: sent.message.conversationId });
        expect(next.conversation.lastMessage?.text).toBe(`${'b'.repeat(138)}😀`);
        expect(next.conversation).toEqual(await store.conversation(sent.message.conversationId));
        // The message itself is stored whole.
        expect(next.message.text).toBe(whole);
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

      it('a visitor naming another visitor\'s conversation is NOT_FOUND, and nothing is written', async () => {
        const ws = await makeWorkspace();
        const ann = await makeContact(ws);
        const bob = await makeContact(ws);
        const { conversation } = await visitorSays(ws, ann, 'mine');
        await expect(visitorSays(ws, bob, 'not yours', { conversationId: conversation.id })).rejects.toMatchObject({
          code: ErrorCode.NOT_FOUND,
        });
        expect((await store.conversation(conversation.id))?.lastSeq).toBe(1);
        expect((await store.messagesAfter(conversation.id, 0, 10, { includeNotes: true })).map((m) => m.text)).toEqual(['mine']);
        // Bob's own first message still opens a conversation of his own.
        expect((await visitorSays(ws, bob, 'hello')).conversation.contact.id).toBe(bob.id);
      });

      it('an agent naming another workspace\'s conversation is NOT_FOUND, and nothing is written', async () => {
        const acme = await makeWorkspace('Acme');
        const globex = await makeWorkspace('Globex');
        const { conversation } = await visitorSays(acme, await makeContact(acme), 'hi Acme');
        await expect(agentSays(globex, conversation.id, 'hi from Globex')).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
        expect((await store.conversation(conversation.id))?.lastSeq).toBe(1);
        expect((await agentSays(acme, conversation.id, 'hi from Acme')).message.seq).toBe(2);
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

      it('conversationAccess(id) names the workspace, site, contact and last seq; null for an unknown id', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const { message, conversation } = await visitorSays(ws, contact, 'one');
        await agentSays(ws, message.conversationId, 'two');
        expect(await store.conversationAccess(message.conversationId)).toEqual({
          id: message.conversationId,
          workspaceId: conversation.workspaceId,
          siteId: conversation.siteId,
          contactId: contact.id,
          lastSeq: 2,
        });
        expect(await store.conversationAccess('no_such_conversation')).toBeNull();
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

    describe('inbox: agents', () => {
      it('listAgents lists the workspace’s agents by name; updateAgent changes only what it is given', async () => {
        const ws = await makeWorkspace('A');
        const other = await makeWorkspace('B');
        const zoe = await store.createAgent({ workspaceId: ws.workspace.id, email: 'zoe@a.test', name: 'zoe', role: 'agent', passwordHash: 'h', now: 1 });
        const bea = await store.createAgent({ workspaceId: ws.workspace.id, email: 'bea@a.test', name: 'Bea', role: 'agent', passwordHash: 'h', now: 1 });
        expect((await store.listAgents(ws.workspace.id)).map((a) => a.id)).toEqual([ws.agent.id, bea.id, zoe.id]);
        expect((await store.listAgents(other.workspace.id)).map((a) => a.id)).toEqual([other.agent.id]);

        const away = await store.updateAgent(zoe.id, { status: 'away', lastAssignedAt: 7_000 });
        expect(away).toEqual({ ...zoe, status: 'away', lastAssignedAt: 7_000 });
        const demoted = await store.updateAgent(zoe.id, { role: 'admin', active: false, name: 'Zoë' });
        expect(demoted).toEqual({ ...zoe, status: 'away', lastAssignedAt: 7_000, role: 'admin', active: false, name: 'Zoë' });
        expect(await store.agentById(zoe.id)).toEqual(demoted);
        await expect(store.updateAgent('no_such_agent', { name: 'x' })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      });

      it('deleteSessionsOf ends every session of that agent and no one else’s; a deactivated agent has no session', async () => {
        const ws = await makeWorkspace();
        const other = await store.createAgent({ workspaceId: ws.workspace.id, email: 'o@acme.test', name: 'O', role: 'agent', passwordHash: 'h', now: 1 });
        for (const hash of ['s1', 's2']) await store.createSession({ tokenHash: hash, agentId: ws.agent.id, now: 1, expiresAt: 10_000 });
        await store.createSession({ tokenHash: 's3', agentId: other.id, now: 1, expiresAt: 10_000 });
        await store.deleteSessionsOf(ws.agent.id);
        expect(await store.sessionAgent('s1', 2)).toBeNull();
        expect(await store.sessionAgent('s2', 2)).toBeNull();
        expect((await store.sessionAgent('s3', 2))?.id).toBe(other.id);
        await store.updateAgent(other.id, { active: false });
        expect(await store.sessionAgent('s3', 2)).toBeNull();
      });
    });

    describe('inbox: labels, teams and canned responses', () => {
      it('labels: create, list by name within the workspace, find, update, delete', async () => {
        const ws = await makeWorkspace('A');
        const other = await makeWorkspace('B');
        const vip = await store.createLabel({ workspaceId: ws.workspace.id, name: 'vip', color: '#ff0000', now: 1 });
        const billing = await store.createLabel({ workspaceId: ws.workspace.id, name: 'Billing', color: '#00ff00', now: 1 });
        await store.createLabel({ workspaceId: other.workspace.id, name: 'vip', color: '#0000ff', now: 1 });
        expect(vip).toEqual({ id: expect.any(String), workspaceId: ws.workspace.id, name: 'vip', color: '#ff0000' });
        expect(await store.listLabels(ws.workspace.id)).toEqual([billing, vip]);
        expect(await store.label(vip.id)).toEqual(vip);
        expect(await store.label('no_such_label')).toBeNull();

        expect(await store.updateLabel(vip.id, { color: '#123456' })).toEqual({ ...vip, color: '#123456' });
        expect(await store.updateLabel(vip.id, { name: 'VIP' })).toEqual({ ...vip, name: 'VIP', color: '#123456' });
        await expect(store.updateLabel('no_such_label', { name: 'x' })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
        await store.deleteLabel(billing.id);
        expect((await store.listLabels(ws.workspace.id)).map((l) => l.id)).toEqual([vip.id]);
        expect(await store.label(billing.id)).toBeNull();
      });

      it('labels: a duplicate name in the same workspace is CONFLICT, on create and on rename', async () => {
        const ws = await makeWorkspace();
        const vip = await store.createLabel({ workspaceId: ws.workspace.id, name: 'vip', color: '#ff0000', now: 1 });
        const other = await store.createLabel({ workspaceId: ws.workspace.id, name: 'other', color: '#ff0000', now: 1 });
        await expect(store.createLabel({ workspaceId: ws.workspace.id, name: 'vip', color: '#000000', now: 2 })).rejects.toMatchObject({
          code: ErrorCode.CONFLICT, field: 'name',
        });
        await expect(store.updateLabel(other.id, { name: 'vip' })).rejects.toMatchObject({ code: ErrorCode.CONFLICT, field: 'name' });
        expect(await store.listLabels(ws.workspace.id)).toEqual([other, vip]);
      });

      it('labels on conversations: added in order, idempotent, removable, and gone when the label is deleted', async () => {
        const ws = await makeWorkspace();
        const [a, b] = [
          await store.createLabel({ workspaceId: ws.workspace.id, name: 'zeta', color: '#000000', now: 1 }),
          await store.createLabel({ workspaceId: ws.workspace.id, name: 'alpha', color: '#000000', now: 1 }),
        ];
        const id = (await visitorSays(ws, await makeContact(ws), 'label me')).message.conversationId;
        expect((await store.updateConversation(id, { addLabelIds: [a!.id] }, 3_000)).labelIds).toEqual([a!.id]);
        expect((await store.updateConversation(id, { addLabelIds: [b!.id, a!.id] }, 3_100)).labelIds).toEqual([a!.id, b!.id]);
        expect((await store.updateConversation(id, { removeLabelIds: [a!.id] }, 3_200)).labelIds).toEqual([b!.id]);
        await store.updateConversation(id, { addLabelIds: [a!.id] }, 3_300);
        await store.deleteLabel(b!.id);
        expect((await store.conversation(id))?.labelIds).toEqual([a!.id]);
      });

      it('teams: members kept, replaced on update, CONFLICT on a duplicate name; deleting one unsets it on conversations', async () => {
        const ws = await makeWorkspace();
        const ann = await store.createAgent({ workspaceId: ws.workspace.id, email: 'ann@acme.test', name: 'Ann', role: 'agent', passwordHash: 'h', now: 1 });
        const sales = await store.createTeam({ workspaceId: ws.workspace.id, name: 'Sales', agentIds: [ws.agent.id, ann.id], now: 1 });
        expect(sales).toEqual({ id: expect.any(String), workspaceId: ws.workspace.id, name: 'Sales', agentIds: [ws.agent.id, ann.id].sort() });
        expect(await store.team(sales.id)).toEqual(sales);
        expect(await store.team('no_such_team')).toBeNull();
        const support = await store.createTeam({ workspaceId: ws.workspace.id, name: 'Support', agentIds: [], now: 1 });
        expect(await store.listTeams(ws.workspace.id)).toEqual([sales, support]);
        expect(await store.listTeams((await makeWorkspace('B')).workspace.id)).toEqual([]);

        await expect(store.createTeam({ workspaceId: ws.workspace.id, name: 'Sales', agentIds: [], now: 2 })).rejects.toMatchObject({
          code: ErrorCode.CONFLICT,
        });
        await expect(store.updateTeam(support.id, { name: 'Sales' })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
        expect(await store.updateTeam(sales.id, { agentIds: [ann.id] })).toEqual({ ...sales, agentIds: [ann.id] });
        expect(await store.updateTeam(sales.id, { name: 'Deals' })).toEqual({ ...sales, name: 'Deals', agentIds: [ann.id] });
        await expect(store.updateTeam('no_such_team', { name: 'x' })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });

        const id = (await visitorSays(ws, await makeContact(ws), 'for sales')).message.conversationId;
        expect((await store.updateConversation(id, { teamId: sales.id }, 3_000)).teamId).toBe(sales.id);
        await store.deleteTeam(sales.id);
        expect(await store.team(sales.id)).toBeNull();
        expect((await store.conversation(id))?.teamId).toBeNull();
      });

      it('what an append returns of its conversation agrees with a fresh read, after every kind of change to it', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const id = (await visitorSays(ws, contact, 'first')).message.conversationId;
        let n = 0;
        // Each step changes the conversation, its contact, its labels or its team another way; the
        // summary the next message carries (what agents see live) must show it.
        const expectAgrees = async (conversationId = id, who: ContactRecord = contact) => {
          const viaVisitor = await visitorSays(ws, who, `visitor ${++n}`, { conversationId });
          expect(viaVisitor.conversation).toEqual(await store.conversation(conversationId));
          const viaAgent = await agentSays(ws, conversationId, `agent ${n}`);
          expect(viaAgent.conversation).toEqual(await store.conversation(conversationId));
          expect((await store.conversationAccess(conversationId))?.lastSeq).toBe(viaAgent.message.seq);
        };
        await expectAgrees();
        const label = await store.createLabel({ workspaceId: ws.workspace.id, name: 'billing', color: '#000000', now: 1 });
        const team = await store.createTeam({ workspaceId: ws.workspace.id, name: 'Tier 2', agentIds: [], now: 1 });
        await store.updateConversation(id, { addLabelIds: [label.id], teamId: team.id, assigneeId: ws.agent.id, priority: 'high' }, 4_000);
        await expectAgrees();
        await store.updateContact(contact.id, { name: 'Dana', email: 'dana@example.com' });
        await expectAgrees();
        await store.markRead(id, 'agent', 100);
        await store.markRead(id, 'visitor', 100);
        await expectAgrees();
        await store.updateConversation(id, { status: 'resolved' }, 5_000);
        await expectAgrees();
        await store.deleteLabel(label.id);
        await store.deleteTeam(team.id);
        await expectAgrees();
        // An identified visitor's earlier anonymous self is folded in: the conversation changes hands.
        const known = await store.createContact({ siteId: ws.site.id, workspaceId: ws.workspace.id, tokenHash: 'tok-known', externalId: 'u_1', now: 1 });
        await store.mergeContact(contact.id, known.id);
        expect((await store.conversationAccess(id))?.contactId).toBe(known.id);
        await expectAgrees(id, known);
      });

      it('canned responses: listed by shortcut, CONFLICT on a duplicate shortcut, updated and deleted', async () => {
        const ws = await makeWorkspace('A');
        const other = await makeWorkspace('B');
        const thanks = await store.createCannedResponse({ workspaceId: ws.workspace.id, shortcut: 'thanks', title: 'Thanks', body: 'Thank you, {{contact.firstName}}!', now: 1 });
        const hello = await store.createCannedResponse({ workspaceId: ws.workspace.id, shortcut: 'hello', title: 'Hello', body: 'Hi!', now: 1 });
        await store.createCannedResponse({ workspaceId: other.workspace.id, shortcut: 'thanks', title: 'Theirs', body: 'x', now: 1 });
        expect(thanks).toEqual({ id: expect.any(String), workspaceId: ws.workspace.id, shortcut: 'thanks', title: 'Thanks', body: 'Thank you, {{contact.firstName}}!' });
        expect(await store.listCannedResponses(ws.workspace.id)).toEqual([hello, thanks]);
        expect(await store.cannedResponse(hello.id)).toEqual(hello);
        expect(await store.cannedResponse('no_such_canned')).toBeNull();

        await expect(
          store.createCannedResponse({ workspaceId: ws.workspace.id, shortcut: 'thanks', title: 'Again', body: 'x', now: 2 }),
        ).rejects.toMatchObject({ code: ErrorCode.CONFLICT, field: 'shortcut' });
        await expect(store.updateCannedResponse(hello.id, { shortcut: 'thanks' })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
        expect(await store.updateCannedResponse(hello.id, { body: 'Hello there!' })).toEqual({ ...hello, body: 'Hello there!' });
        await expect(store.updateCannedResponse('no_such_canned', { body: 'x' })).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
        await store.deleteCannedResponse(thanks.id);
        expect((await store.listCannedResponses(ws.workspace.id)).map((c) => c.shortcut)).toEqual(['hello']);
      });
    });

    describe('inbox: invites', () => {
      it('an invite is found while pending and unexpired, and no more once accepted or expired', async () => {
        const ws = await makeWorkspace();
        const invite = { workspaceId: ws.workspace.id, email: 'new@acme.test', role: 'agent' as const, invitedBy: ws.agent.id, expiresAt: 10_000, acceptedAt: null };
        await store.createInvite({ ...invite, tokenHash: 'inv-1', now: 1_000 });
        await store.createInvite({ ...invite, email: 'other@acme.test', tokenHash: 'inv-2', now: 1_000 });
        expect(await store.invite('inv-1', 1_000)).toEqual(invite);
        expect(await store.invite('inv-1', 9_999)).toEqual(invite);
        expect(await store.invite('inv-1', 10_000)).toBeNull();
        expect(await store.invite('no-such-invite', 1_000)).toBeNull();

        await store.acceptInvite('inv-1', 2_000);
        expect(await store.invite('inv-1', 2_001)).toBeNull();
        // Accepting one invite leaves the others pending.
        expect(await store.invite('inv-2', 2_001)).toMatchObject({ email: 'other@acme.test' });
      });
    });

    describe('inbox: contacts and snoozes', () => {
      it('contact(id) returns the whole record; contactConversations lists newest first with the first visitor message as summary', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        await store.updateContact(contact.id, { timezone: 'Europe/Berlin', userAgent: 'Mozilla/5.0 Test', locale: 'de' });
        expect(await store.contact(contact.id)).toMatchObject({ id: contact.id, workspaceId: ws.workspace.id, timezone: 'Europe/Berlin', userAgent: 'Mozilla/5.0 Test', locale: 'de' });
        expect(await store.contact('no_such_contact')).toBeNull();

        const long = `${'x'.repeat(150)} tail`;
        const old = await visitorSays(ws, contact, long, { now: 1_000 });
        await agentSays(ws, old.message.conversationId, 'agent reply is never the summary', { now: 1_100 });
        await visitorSays(ws, contact, 'second visitor line', { now: 1_200 });
        await store.updateConversation(old.message.conversationId, { status: 'resolved' }, 1_300);
        const current = await visitorSays(ws, contact, 'Where is my parcel?', { now: 2_000 });

        const list = await store.contactConversations(contact.id, 10);
        expect(list).toEqual([
          { id: current.message.conversationId, status: 'open', createdAt: 2_000, summary: 'Where is my parcel?' },
          { id: old.message.conversationId, status: 'resolved', createdAt: 1_000, summary: 'x'.repeat(120) },
        ]);
        expect(await store.contactConversations(contact.id, 1)).toHaveLength(1);
        expect(await store.contactConversations('no_such_contact', 10)).toEqual([]);
      });

      it('dueSnoozed lists snoozed conversations whose time has come, and nothing else', async () => {
        const ws = await makeWorkspace();
        const early = (await visitorSays(ws, await makeContact(ws), 'early')).message.conversationId;
        const late = (await visitorSays(ws, await makeContact(ws), 'late')).message.conversationId;
        const open = (await visitorSays(ws, await makeContact(ws), 'open')).message.conversationId;
        expect(await store.updateConversation(early, { status: 'snoozed', snoozedUntil: 5_000 }, 3_000)).toMatchObject({ status: 'snoozed', snoozedUntil: 5_000 });
        await store.updateConversation(late, { status: 'snoozed', snoozedUntil: 9_000 }, 3_000);
        // A time without the snoozed status is not a snooze.
        expect((await store.updateConversation(open, { snoozedUntil: 4_000 }, 3_000)).snoozedUntil).toBeNull();

        expect(await store.dueSnoozed(4_999)).toEqual([]);
        expect(await store.dueSnoozed(5_000)).toEqual([early]);
        expect((await store.dueSnoozed(9_000)).sort()).toEqual([early, late].sort());

        // Woken by hand: the time is cleared with the status.
        expect(await store.updateConversation(early, { status: 'open' }, 6_000)).toMatchObject({ status: 'open', snoozedUntil: null });
        expect(await store.dueSnoozed(9_000)).toEqual([late]);
      });

      it('a visitor writing into a snoozed conversation brings it back to open', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const id = (await visitorSays(ws, contact, 'first')).message.conversationId;
        await store.updateConversation(id, { status: 'snoozed', snoozedUntil: 50_000 }, 3_000);
        // An agent's note does not wake it.
        expect((await agentSays(ws, id, 'noted', { kind: 'note' })).conversation).toMatchObject({ status: 'snoozed', snoozedUntil: 50_000 });
        const again = await visitorSays(ws, contact, 'anyone?', { now: 4_000 });
        expect(again.message.conversationId).toBe(id);
        expect(again.conversation).toMatchObject({ status: 'open', snoozedUntil: null });
        expect(await store.dueSnoozed(60_000)).toEqual([]);
      });
    });

    describe('inbox: listConversations filters', () => {
      it('by assignee, unassigned, label, team and status, combined, within the workspace', async () => {
        const ws = await makeWorkspace('A');
        const other = await makeWorkspace('B');
        const ann = await store.createAgent({ workspaceId: ws.workspace.id, email: 'ann@a.test', name: 'Ann', role: 'agent', passwordHash: 'h', now: 1 });
        const label = await store.createLabel({ workspaceId: ws.workspace.id, name: 'vip', color: '#000000', now: 1 });
        const team = await store.createTeam({ workspaceId: ws.workspace.id, name: 'Sales', agentIds: [ann.id], now: 1 });
        const conv = async (text: string, now: number) => (await visitorSays(ws, await makeContact(ws), text, { now })).message.conversationId;
        const mine = await conv('mine', 1_000);
        const anns = await conv('anns', 2_000);
        const nobody = await conv('nobody', 3_000);
        const resolvedAnns = await conv('resolved', 4_000);
        await visitorSays(other, await makeContact(other), 'theirs', { now: 5_000 });
        await store.updateConversation(mine, { assigneeId: ws.agent.id, addLabelIds: [label.id] }, 6_000);
        await store.updateConversation(anns, { assigneeId: ann.id, teamId: team.id, addLabelIds: [label.id] }, 7_000);
        await store.updateConversation(resolvedAnns, { assigneeId: ann.id, status: 'resolved', teamId: team.id }, 8_000);

        const ids = async (query: Partial<Parameters<Store['listConversations']>[1]>) =>
          (await store.listConversations(ws.workspace.id, { status: 'all', limit: 50, ...query })).map((c) => c.id);
        expect(await ids({ assigneeId: ws.agent.id })).toEqual([mine]);
        expect(await ids({ assigneeId: ann.id })).toEqual([resolvedAnns, anns]);
        expect(await ids({ assigneeId: ann.id, status: 'open' })).toEqual([anns]);
        expect(await ids({ assigneeId: null })).toEqual([nobody]);
        expect(await ids({ labelId: label.id })).toEqual([anns, mine]);
        expect(await ids({ teamId: team.id })).toEqual([resolvedAnns, anns]);
        expect(await ids({ teamId: team.id, labelId: label.id, assigneeId: ann.id, status: 'open' })).toEqual([anns]);
        expect(await ids({ labelId: label.id, status: 'resolved' })).toEqual([]);
        expect(await ids({ assigneeId: other.agent.id })).toEqual([]);
      });
    });

    describe('inbox: search', () => {
      async function searchable() {
        const ws = await makeWorkspace('A');
        const other = await makeWorkspace('B');
        const vera = await makeContact(ws);
        await store.updateContact(vera.id, { name: 'Vera Lynn', email: 'vera@example.com' });
        const refund = await visitorSays(ws, vera, 'Please refund my order, it arrived broken', { now: 2_000 });
        const id = refund.message.conversationId;
        const note = await agentSays(ws, id, 'Finance approved the reimbursement', { kind: 'note', now: 3_000 });
        const sam = await makeContact(ws);
        await store.updateContact(sam.id, { name: 'Sam' });
        const cafe = await visitorSays(ws, sam, 'Is the café open and serving breakfast? My name is Sam.', { now: 4_000 });
        const stranger = await makeContact(other);
        await store.updateContact(stranger.id, { name: 'Vera Other' });
        await visitorSays(other, stranger, 'Please refund me too', { now: 5_000 });
        return { ws, vera, refund, note, cafe, id };
      }

      it('finds messages (notes included) of the workspace only, with a marked snippet', async () => {
        const { ws, refund, note, id } = await searchable();
        const hits = await store.search(ws.workspace.id, 'refund', 10);
        expect(hits).toEqual([
          { conversationId: id, messageId: refund.message.id, snippet: expect.stringContaining('[refund]'), contactName: 'Vera Lynn', createdAt: 2_000 },
        ]);
        expect(await store.search(ws.workspace.id, 'reimbursement', 10)).toMatchObject([{ messageId: note.message.id }]);
        expect(await store.search(ws.workspace.id, 'nothing-like-this', 10)).toEqual([]);
      });

      it('finds contacts by name and email, pointing at their latest conversation', async () => {
        const { ws, id } = await searchable();
        const hits = await store.search(ws.workspace.id, 'vera', 10);
        expect(hits).toEqual([{ conversationId: id, messageId: null, snippet: 'Vera Lynn · vera@example.com', contactName: 'Vera Lynn', createdAt: expect.any(Number) }]);
        expect(await store.search(ws.workspace.id, 'example.com', 10)).toMatchObject([{ conversationId: id, messageId: null }]);
      });

      it('every word must match; the last one as a prefix, as while typing', async () => {
        const { ws, refund } = await searchable();
        expect((await store.search(ws.workspace.id, 'refu', 10)).map((h) => h.messageId)).toEqual([refund.message.id]);
        expect((await store.search(ws.workspace.id, 'refund ord', 10)).map((h) => h.messageId)).toEqual([refund.message.id]);
        // Only the last word is a prefix.
        expect(await store.search(ws.workspace.id, 'refu order', 10)).toEqual([]);
        expect(await store.search(ws.workspace.id, 'refund breakfast', 10)).toEqual([]);
        // Case and accents do not matter.
        expect(await store.search(ws.workspace.id, 'CAFE', 10)).toMatchObject([{ contactName: 'Sam' }]);
      });

      it('ranks the closer match first and honours the limit', async () => {
        const ws = await makeWorkspace();
        const contact = await makeContact(ws);
        const id = (await visitorSays(ws, contact, 'hello')).message.conversationId;
        const long = await agentSays(ws, id, `${'filler words about many unrelated things '.repeat(10)}and one shipping mention`);
        const close = await agentSays(ws, id, 'shipping shipping shipping');
        expect((await store.search(ws.workspace.id, 'shipping', 10)).map((h) => h.messageId)).toEqual([close.message.id, long.message.id]);
        expect(await store.search(ws.workspace.id, 'shipping', 1)).toHaveLength(1);
      });

      it('searches FTS syntax in the input as text, never interpreting it', async () => {
        const { ws, refund, cafe } = await searchable();
        for (const query of ['"', '*', '"*"', '()', ':', '-', '^']) {
          expect(await store.search(ws.workspace.id, query, 10)).toEqual([]);
        }
        expect((await store.search(ws.workspace.id, '"refund', 10)).map((h) => h.messageId)).toEqual([refund.message.id]);
        expect((await store.search(ws.workspace.id, 'refund*', 10)).map((h) => h.messageId)).toEqual([refund.message.id]);
        // `OR` would widen the search if it were an operator; as a word it narrows it to nothing.
        expect(await store.search(ws.workspace.id, 'refund OR breakfast', 10)).toEqual([]);
        // `AND` is a word to find ("and" is in the café message), not an operator.
        expect((await store.search(ws.workspace.id, 'breakfast AND', 10)).map((h) => h.messageId)).toEqual([cafe.message.id]);
        expect(await store.search(ws.workspace.id, 'refund NOT', 10)).toEqual([]);
        // `name:` is not a column filter: "name" must be in the text (the café message says "My name is Sam").
        expect((await store.search(ws.workspace.id, 'name:sam', 10)).map((h) => h.messageId)).toEqual([cafe.message.id]);
        expect(await store.search(ws.workspace.id, 'name:vera', 10)).toEqual([]);
        expect(await store.search(ws.workspace.id, 'NEAR(refund order)', 10)).toEqual([]);
      });
    });
  });
}
