import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_SETTINGS, type SiteListResponse, type SiteResponse } from '@parley/protocol';
import { identityHash, IDENTITY_MAX_AGE_SECONDS } from '../core/identity.ts';
import { startTestRelay, type TestRelay } from '../testing/relay-fixture.ts';
import type { TestSocket } from '../testing/ws-client.ts';

/** Identity verification and site settings, end to end: REST to configure, real sockets to see the effect. */

let t: TestRelay;
beforeAll(async () => {
  t = await startTestRelay('parley-identity-');
});
afterEach(async () => {
  expect(await t.closeSockets()).toEqual([]);
});
afterAll(async () => {
  await t?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A workspace whose site has an identity secret, and a way to sign user ids as the owner's server does. */
async function siteWithSecret(settings: Partial<typeof DEFAULT_SITE_SETTINGS> = {}) {
  const ws = await t.workspace({ settings: { ...DEFAULT_SITE_SETTINGS, ...settings } });
  const response = await t.api(ws.adminCookie, `/sites/${ws.site.id}/identity-secret`, { method: 'POST' });
  expect(response.status).toBe(200);
  const { secret } = (await response.json()) as { secret: string };
  const identify = (userId: string, issuedAt = nowSeconds(), key = secret) => ({
    identity: { userId, issuedAt, userHash: identityHash(key, userId, issuedAt) },
  });
  return { ...ws, secret, identify };
}

/** The refusal of an identify: FORBIDDEN on identity.userHash, then close 1008, and nothing else. */
async function expectRefused(socket: TestSocket) {
  expect(await socket.next('error')).toMatchObject({ code: 'FORBIDDEN', field: 'identity.userHash' });
  expect((await socket.closed).code).toBe(1008);
  expect(socket.frames.map((f) => f.type)).toEqual(['error']);
}

describe('verified identify', () => {
  it('links the user on every device: one contact, each device with its own token', async () => {
    const site = await siteWithSecret();
    const laptop = await t.visitor(site.site.key, site.identify('user_1'));
    expect(laptop.welcome).toMatchObject({ identified: true, contact: { externalId: 'user_1' } });
    const asked = await t.say(laptop.socket, 'Asked on the laptop');

    const phone = await t.visitor(site.site.key, site.identify('user_1'));
    expect(phone.welcome).toMatchObject({ identified: true, contact: { id: laptop.welcome.contact.id, externalId: 'user_1' } });
    expect(phone.welcome.visitorToken).not.toBe(laptop.welcome.visitorToken);
    expect(phone.welcome.conversations.map((c) => c.id)).toEqual([asked.conversationId]);
    phone.socket.send({ type: 'history', requestId: 'h_phone', conversationId: asked.conversationId });
    expect((await phone.socket.next('history')).messages.map((m) => m.text)).toEqual(['Asked on the laptop']);

    // Both tokens stay valid: the laptop comes back as the same person.
    const laptopAgain = await t.visitor(site.site.key, { visitorToken: laptop.welcome.visitorToken, ...site.identify('user_1') });
    expect(laptopAgain.welcome.contact.id).toBe(laptop.welcome.contact.id);
    expect(laptopAgain.welcome.visitorToken).toBe(laptop.welcome.visitorToken);
  });

  it('an anonymous visitor who signs in keeps their thread: it moves to the user', async () => {
    const site = await siteWithSecret();
    const elsewhere = await t.visitor(site.site.key, site.identify('user_2'));
    const userThread = await t.say(elsewhere.socket, 'Signed-in question');
    await t.side.updateConversation(userThread.conversationId, { status: 'resolved' }, Date.now());

    const anonymous = await t.visitor(site.site.key);
    expect(anonymous.welcome).toMatchObject({ identified: false, contact: { externalId: null } });
    const anonThread = await t.say(anonymous.socket, 'Asked before signing in');

    const signedIn = await t.visitor(site.site.key, { visitorToken: anonymous.welcome.visitorToken, ...site.identify('user_2') });
    expect(signedIn.welcome.contact.id).toBe(elsewhere.welcome.contact.id);
    expect(signedIn.welcome.visitorToken).toBe(anonymous.welcome.visitorToken);
    expect(signedIn.welcome.conversations.map((c) => c.id).sort()).toEqual([anonThread.conversationId, userThread.conversationId].sort());
    expect(await t.side.contact(anonymous.welcome.contact.id)).toBeNull();
    expect((await t.side.conversation(anonThread.conversationId))?.contact).toMatchObject({ id: elsewhere.welcome.contact.id, externalId: 'user_2' });
  });

  it('an anonymous visitor signing in for the first time becomes that user', async () => {
    const site = await siteWithSecret();
    const anonymous = await t.visitor(site.site.key);
    const thread = await t.say(anonymous.socket, 'hello');
    const signedIn = await t.visitor(site.site.key, { visitorToken: anonymous.welcome.visitorToken, ...site.identify('user_3') });
    expect(signedIn.welcome).toMatchObject({ identified: true, contact: { id: anonymous.welcome.contact.id, externalId: 'user_3' } });
    expect(signedIn.welcome.conversations.map((c) => c.id)).toEqual([thread.conversationId]);
  });

  it('another user on the same device gets their own contact and token, and never the first user’s threads', async () => {
    const site = await siteWithSecret();
    const alice = await t.visitor(site.site.key, site.identify('alice'));
    const private_ = await t.say(alice.socket, 'Alice’s private question');

    const bob = await t.visitor(site.site.key, { visitorToken: alice.welcome.visitorToken, ...site.identify('bob') });
    expect(bob.welcome).toMatchObject({ identified: true, contact: { externalId: 'bob' } });
    expect(bob.welcome.contact.id).not.toBe(alice.welcome.contact.id);
    expect(bob.welcome.visitorToken).not.toBe(alice.welcome.visitorToken);
    expect(bob.welcome.conversations).toEqual([]);
    bob.socket.send({ type: 'history', requestId: 'h_bob', conversationId: private_.conversationId });
    expect(await bob.socket.next('error')).toMatchObject({ code: 'NOT_FOUND', ref: 'h_bob' });

    // Alice is still Alice on that device.
    const aliceAgain = await t.visitor(site.site.key, { visitorToken: alice.welcome.visitorToken, ...site.identify('alice') });
    expect(aliceAgain.welcome.contact.id).toBe(alice.welcome.contact.id);
    expect(aliceAgain.welcome.conversations.map((c) => c.id)).toEqual([private_.conversationId]);
  });

  it('a known user signing in on another user’s device gets their own contact; the device’s user is not merged into them', async () => {
    const site = await siteWithSecret();
    const carolPhone = await t.visitor(site.site.key, site.identify('carol'));
    const carolThread = await t.say(carolPhone.socket, 'Carol’s question');
    const dan = await t.visitor(site.site.key, site.identify('dan'));
    const danThread = await t.say(dan.socket, 'Dan’s private question');

    const carolOnDansLaptop = await t.visitor(site.site.key, { visitorToken: dan.welcome.visitorToken, ...site.identify('carol') });
    expect(carolOnDansLaptop.welcome.contact.id).toBe(carolPhone.welcome.contact.id);
    expect(carolOnDansLaptop.welcome.visitorToken).not.toBe(dan.welcome.visitorToken);
    expect(carolOnDansLaptop.welcome.conversations.map((c) => c.id)).toEqual([carolThread.conversationId]);
    expect((await t.side.conversation(danThread.conversationId))?.contact.id).toBe(dan.welcome.contact.id);
    // Dan's token is still Dan's.
    const danAgain = await t.visitor(site.site.key, { visitorToken: dan.welcome.visitorToken, ...site.identify('dan') });
    expect(danAgain.welcome.contact.id).toBe(dan.welcome.contact.id);
  });
});

describe('a refused identify', () => {
  it('a forged hash never reveals the user’s conversations', async () => {
    const site = await siteWithSecret();
    const victim = await t.visitor(site.site.key, site.identify('victim'));
    await t.say(victim.socket, 'My account number is 12345');

    const issuedAt = nowSeconds();
    const forgeries = [
      { userId: 'victim', issuedAt, userHash: 'f'.repeat(64) },
      { userId: 'victim', issuedAt, userHash: identityHash('guessed-secret', 'victim', issuedAt) },
      { userId: 'victim', issuedAt: issuedAt + 3600, userHash: identityHash(site.secret, 'victim', issuedAt) },
      { userId: 'victim', userHash: identityHash(site.secret, 'victim', issuedAt) },
    ];
    for (const identity of forgeries) {
      const socket = await t.visitorSocket(site.site.key, { identity });
      await expectRefused(socket);
      expect(JSON.stringify(socket.frames)).not.toContain('12345');
    }
    // Not even with the victim's device token: a refused identify ends the connection before anything is sent.
    const withToken = await t.visitorSocket(site.site.key, {
      visitorToken: victim.welcome.visitorToken, identity: forgeries[0],
    });
    await expectRefused(withToken);
  });

  it('an expired hash is refused; a fresh one for the same user works', async () => {
    const site = await siteWithSecret();
    const old = nowSeconds() - IDENTITY_MAX_AGE_SECONDS - 60;
    const expired = await t.visitorSocket(site.site.key, site.identify('user_4', old));
    await expectRefused(expired);
    expect(expired.frames[0]).toMatchObject({ message: expect.stringMatching(/expired/) });
    const fresh = await t.visitor(site.site.key, site.identify('user_4'));
    expect(fresh.welcome.identified).toBe(true);
  });

  it('a hash on a site without a secret is refused', async () => {
    const ws = await t.workspace();
    const issuedAt = nowSeconds();
    const socket = await t.visitorSocket(ws.site.key, { identity: { userId: 'u', issuedAt, userHash: identityHash('x', 'u', issuedAt) } });
    await expectRefused(socket);
  });

  it('rotating the secret: the old hash stops verifying at once, the new one verifies', async () => {
    const site = await siteWithSecret();
    const before = site.identify('user_5');
    expect((await t.visitor(site.site.key, before)).welcome.identified).toBe(true);

    const rotated = await t.api(site.adminCookie, `/sites/${site.site.id}/identity-secret`, { method: 'POST' });
    const { secret } = (await rotated.json()) as { secret: string };
    expect(secret).not.toBe(site.secret);
    expect(secret.length).toBeGreaterThanOrEqual(32);

    await expectRefused(await t.visitorSocket(site.site.key, before));
    const after = await t.visitor(site.site.key, site.identify('user_5', nowSeconds(), secret));
    expect(after.welcome).toMatchObject({ identified: true, contact: { externalId: 'user_5' } });
  });
});

describe('unsigned identify', () => {
  it('where verification is not required, only labels the visitor: name, email, attributes, never an external id', async () => {
    const ws = await t.workspace();
    const identity = { userId: 'claimed_admin', name: 'Vera', email: 'Vera@Example.com', attributes: { plan: 'pro', seats: 3 } };
    const first = await t.visitor(ws.site.key, { identity });
    expect(first.welcome).toMatchObject({ identified: false, contact: { name: 'Vera', email: 'vera@example.com', externalId: null } });
    const stored = await t.side.contact(first.welcome.contact.id);
    expect(stored).toMatchObject({ externalId: null, attributes: { plan: 'pro', seats: 3 } });
    await t.say(first.socket, 'unverified thread');

    // The same claimed user id from another device is somebody else.
    const second = await t.visitor(ws.site.key, { identity });
    expect(second.welcome.contact.id).not.toBe(first.welcome.contact.id);
    expect(second.welcome.conversations).toEqual([]);
  });

  it('where verification is required, is refused (and so is a hash-less identify)', async () => {
    const site = await siteWithSecret({ requireIdentityVerification: true });
    await expectRefused(await t.visitorSocket(site.site.key, { identity: { userId: 'u1', name: 'Vera' } }));
    // Anonymous visitors still chat.
    const anonymous = await t.visitor(site.site.key);
    expect(anonymous.welcome.identified).toBe(false);
  });

  it('a signed-in device coming back without identify: the same user, unless the site requires verification each time', async () => {
    const site = await siteWithSecret();
    const user = await t.visitor(site.site.key, site.identify('user_6'));
    const thread = await t.say(user.socket, 'remember me');
    const back = await t.visitor(site.site.key, { visitorToken: user.welcome.visitorToken });
    expect(back.welcome).toMatchObject({ identified: true, contact: { id: user.welcome.contact.id, externalId: 'user_6' } });

    const patched = await t.api(site.adminCookie, `/sites/${site.site.id}`, {
      method: 'PATCH', body: { settings: { ...DEFAULT_SITE_SETTINGS, requireIdentityVerification: true } },
    });
    expect(patched.status).toBe(200);
    const strict = await t.visitor(site.site.key, { visitorToken: user.welcome.visitorToken });
    expect(strict.welcome.identified).toBe(false);
    expect(strict.welcome.contact.id).not.toBe(user.welcome.contact.id);
    expect(strict.welcome.conversations.map((c) => c.id)).not.toContain(thread.conversationId);
  });
});

describe('unsigned identify on a verified user\'s device', () => {
  it('never speaks for the verified user: another user id gets a fresh visitor, the same one cannot rewrite the profile', async () => {
    const site = await siteWithSecret();
    const user = await t.visitor(site.site.key, { ...site.identify('user_shared'), identity: { ...site.identify('user_shared').identity, name: 'Real Name' } });
    const thread = await t.say(user.socket, 'private thread');
    const token = user.welcome.visitorToken;

    const someoneElse = await t.visitor(site.site.key, { visitorToken: token, identity: { userId: 'intruder', name: 'Mallory' } });
    expect(someoneElse.welcome.contact.id).not.toBe(user.welcome.contact.id);
    expect(someoneElse.welcome.conversations.map((c) => c.id)).not.toContain(thread.conversationId);

    const sameClaim = await t.visitor(site.site.key, { visitorToken: token, identity: { userId: 'user_shared', name: 'Overwritten' } });
    expect(sameClaim.welcome.contact.id).toBe(user.welcome.contact.id);
    expect((await t.side.contact(user.welcome.contact.id))?.name).toBe('Real Name');
  });
});

describe('site settings reach the widget', () => {
  it('pre-chat mode and business hours are in the welcome', async () => {
    const ws = await t.workspace();
    const plain = await t.visitor(ws.site.key);
    expect(plain.welcome.site).toMatchObject({ preChat: 'off', withinBusinessHours: true });

    const closedAlways = { timezone: 'UTC', days: [] };
    const response = await t.api(ws.adminCookie, `/sites/${ws.site.id}`, {
      method: 'PATCH', body: { settings: { ...DEFAULT_SITE_SETTINGS, preChat: 'email-required', businessHours: closedAlways } },
    });
    expect(response.status).toBe(200);
    const after = await t.visitor(ws.site.key);
    expect(after.welcome.site).toMatchObject({ preChat: 'email-required', withinBusinessHours: false });

    // Every day from noon into the next morning (an overnight range) plus the minute before noon: open at any time.
    const allWeek = {
      timezone: 'Pacific/Auckland',
      days: [0, 1, 2, 3, 4, 5, 6].flatMap((day) => [{ day, open: '12:00', close: '11:59' }, { day, open: '11:59', close: '12:00' }]),
    };
    await t.api(ws.adminCookie, `/sites/${ws.site.id}`, { method: 'PATCH', body: { settings: { ...DEFAULT_SITE_SETTINGS, businessHours: allWeek } } });
    expect((await t.visitor(ws.site.key)).welcome.site.withinBusinessHours).toBe(true);
  });

  it('a new site refuses its widget from every origin until its origins are set', async () => {
    const ws = await t.workspace();
    const created = await t.api(ws.adminCookie, '/sites', { method: 'POST', body: { name: 'Second shop' } });
    expect(created.status).toBe(201);
    const { site } = (await created.json()) as SiteResponse;
    expect(site).toMatchObject({ name: 'Second shop', allowedOrigins: [], identitySecretSet: false, settings: DEFAULT_SITE_SETTINGS });

    for (const headers of [{ origin: 'https://shop.example' }, { origin: 'https://other.example' }]) {
      const socket = await t.visitorSocket(site.key, {}, headers);
      expect(await socket.next('error')).toMatchObject({ code: 'FORBIDDEN' });
      expect((await socket.closed).code).toBe(1008);
    }

    const patched = await t.api(ws.adminCookie, `/sites/${site.id}`, { method: 'PATCH', body: { allowedOrigins: ['https://shop.example'] } });
    expect(patched.status).toBe(200);
    const allowed = await t.visitor(site.key, {}, { origin: 'https://shop.example' });
    expect(allowed.welcome.site.key).toBe(site.key);
    const other = await t.visitorSocket(site.key, {}, { origin: 'https://other.example' });
    expect(await other.next('error')).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('GET /sites says whether a secret exists and never shows it', async () => {
    const site = await siteWithSecret();
    const response = await t.api(site.adminCookie, '/sites');
    const text = await response.text();
    expect(text).not.toContain(site.secret);
    const { sites } = JSON.parse(text) as SiteListResponse;
    expect(sites).toMatchObject([{ id: site.site.id, identitySecretSet: true }]);
    expect(sites[0]).not.toHaveProperty('identitySecret');
  });
});
