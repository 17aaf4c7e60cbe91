import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { serveHostPage, type HostPage } from '../support/host-page.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';
import { connectAgent, signInAdmin, until, userHash, widget, widgetPage, type Admin, type AgentSocket } from '../support/widget.ts';

/** `identify` with the timestamped HMAC: a verified user on two devices, and a forged hash refused. */
let relay: RelayProcess;
let browser: Browser;
let admin: Admin;
let agent: AgentSocket;
let secret: string;
const hosts: HostPage[] = [];

beforeAll(async () => {
  relay = await startRelayProcess();
  browser = await launchChromium();
  admin = await signInAdmin(relay);
  ({ secret } = await admin.send<{ secret: string }>('POST', `/sites/${await admin.siteId()}/identity-secret`));
  agent = await connectAgent(relay, admin);
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  for (const host of hosts) await host.close();
  await relay?.dispose();
});

/** A page as the owner's server renders it for a signed-in user: identify queued with the hash it computed. */
async function signedInPage(userId: string, hash: string, issuedAt: number): Promise<string> {
  const identity = JSON.stringify({ userId, userHash: hash, issuedAt, name: 'Ana Lima', email: `${userId}@example.com` });
  const host = await serveHostPage(widgetPage(relay, { queued: `Parley('identify', ${identity});` }));
  hosts.push(host);
  return host.origin;
}

test('a verified user sees the same thread from a second device', async () => {
  const issuedAt = Math.floor(Date.now() / 1000);
  const origin = await signedInPage('user-42', userHash(secret, 'user-42', issuedAt), issuedAt);

  const laptop = await browser.newContext();
  const page = await laptop.newPage();
  await page.goto(origin);
  const w = widget(page);
  await w.launcher.click();
  await w.say('Hi from my laptop');
  await w.log.getByText('Sent').waitFor();

  // Another browser: no shared storage, only the identity links them.
  const phone = await browser.newContext({ viewport: { width: 375, height: 667 } });
  const other = await phone.newPage();
  await other.goto(origin);
  const v = widget(other);
  await v.launcher.click();
  await v.log.getByText('You: Hi from my laptop', { exact: true }).waitFor();
  await v.say('And now from my phone');

  const conversation = await until(
    async () => (await admin.conversations()).find((c) => c.messages.some((m) => m.text === 'And now from my phone')),
    'the shared conversation',
  );
  expect(conversation.contact.externalId).toBe('user-42');
  expect(conversation.messages.map((m) => m.text)).toEqual(['Hi from my laptop', 'And now from my phone']);
  await laptop.close();
  await phone.close();
});

test('a forged hash is refused with a clear console error, and the visitor still chats anonymously', async () => {
  const issuedAt = Math.floor(Date.now() / 1000);
  // Signed with the wrong secret: what an attacker claiming user-42 would send.
  const origin = await signedInPage('user-42', userHash('not-the-secret', 'user-42', issuedAt), issuedAt);
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(origin);
  const w = widget(page);
  await w.launcher.click();
  await until(async () => errors.some((text) => text.includes('identify refused')), 'the refusal in the console');
  expect(errors.find((text) => text.includes('identify refused'))).toMatch(/userHash does not match/);

  // The forged identity sees none of user-42's thread, and can still write as an anonymous visitor.
  await w.say('Hello as nobody in particular');
  await w.log.getByText('Sent').waitFor();
  expect(await w.log.getByText('Hi from my laptop').count()).toBe(0);
  const conversation = await until(
    async () => (await admin.conversations()).find((c) => c.messages.some((m) => m.text === 'Hello as nobody in particular')),
    'the anonymous conversation',
  );
  expect(conversation.contact.externalId).toBeNull();
  await context.close();
});
