import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser.ts';
import { serveHostPage, type HostPage } from '../support/host-page.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';
import { connectAgent, signInAdmin, until, widget, widgetPage, type Admin, type AgentFrame, type AgentSocket } from '../support/widget.ts';

/**
 * The visitor's side of a real conversation with an agent on a raw agent socket (so the inbox,
 * reworked elsewhere, is not in the way): forms, typing, badge, reload, and the network going away.
 */
let relay: RelayProcess;
let host: HostPage;
let browser: Browser;
let admin: Admin;
let agent: AgentSocket;

beforeAll(async () => {
  relay = await startRelayProcess();
  host = await serveHostPage(widgetPage(relay));
  browser = await launchChromium();
  admin = await signInAdmin(relay);
  // While an agent is connected, visitors see the team as online.
  agent = await connectAgent(relay, admin);
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  await host?.close();
  await relay?.dispose();
});

async function visitor(): Promise<{ context: BrowserContext; w: ReturnType<typeof widget>; page: import('playwright-core').Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  await page.goto(host.origin);
  return { context, page, w: widget(page) };
}

const messageFrom = (text: string) => (f: AgentFrame) => f.type === 'message' && (f['message'] as { text: string }).text === text;

test('pre-chat email required: the visitor gives an email before the first message, and the contact has it', async () => {
  await admin.settings({ preChat: 'email-required' });
  try {
    const { context, w } = await visitor();
    await w.launcher.click();
    await w.email.waitFor();
    expect(await w.box.count()).toBe(0);
    await w.email.fill('nope');
    await w.dialog.getByRole('button', { name: 'Continue' }).click();
    await w.dialog.getByRole('alert').getByText('Please enter a valid email address.').waitFor();
    await w.email.fill('ana@example.com');
    await w.dialog.getByRole('button', { name: 'Continue' }).click();
    await w.say('Hello, I gave my email');
    await w.log.getByText('Sent').waitFor();
    const conversation = await until(
      async () => (await admin.conversations()).find((c) => c.messages.some((m) => m.text === 'Hello, I gave my email')),
      'the conversation',
    );
    expect(conversation.contact.email).toBe('ana@example.com');
    await context.close();
  } finally {
    await admin.settings({});
  }
});

test('offline (outside business hours): the visitor leaves an email and a message, stored as a conversation', async () => {
  // No opening days at all: always closed.
  await admin.settings({ businessHours: { timezone: 'UTC', days: [] } });
  try {
    const { context, page, w } = await visitor();
    await w.launcher.click();
    await w.dialog.getByText('Away', { exact: true }).waitFor();
    await w.dialog.getByRole('heading', { name: 'Leave a message' }).waitFor();
    await page.screenshot({ path: screenshotPath('widget-offline-form'), animations: 'disabled' });
    await w.email.fill('bo@example.com');
    await w.dialog.getByRole('button', { name: 'Continue' }).click();
    await w.dialog.getByText('We will reply to bo@example.com.').waitFor();
    await w.say('Please call me back tomorrow');
    await w.log.getByText('Sent').waitFor();
    await page.screenshot({ path: screenshotPath('widget-offline-sent'), animations: 'disabled' });
    const conversation = await until(
      async () => (await admin.conversations()).find((c) => c.messages.some((m) => m.text === 'Please call me back tomorrow')),
      'the offline conversation',
    );
    expect(conversation.contact.email).toBe('bo@example.com');
    await context.close();
  } finally {
    await admin.settings({});
  }
});

test('typing both ways, the unread badge, replies live, and the thread after a reload', async () => {
  const { context, page, w } = await visitor();
  await w.launcher.click();
  await w.say('Is anyone there?');
  const first = await agent.next(messageFrom('Is anyone there?'), 'the visitor message');
  const conversationId = (first['message'] as { conversationId: string }).conversationId;

  // Agent → visitor typing.
  agent.send({ type: 'typing', conversationId, typing: true });
  await w.log.getByText(/is typing…$/).waitFor();
  // Visitor → agent typing.
  await w.box.pressSequentially('I am typ');
  await agent.next((f) => f.type === 'typing' && f['conversationId'] === conversationId && f['typing'] === true && (f['author'] as { kind: string }).kind === 'visitor', 'visitor typing');

  agent.send({ type: 'send', clientId: 'agent-reply-1', conversationId, text: 'Yes! How can I help?' });
  await w.log.getByText('Yes! How can I help?').waitFor();
  expect(await w.log.getByText(/is typing…$/).count()).toBe(0);
  await page.screenshot({ path: screenshotPath('widget-plain'), animations: 'disabled' });

  // Closed panel: a new reply is counted on the launcher.
  await page.keyboard.press('Escape');
  await w.dialog.waitFor({ state: 'hidden' });
  agent.send({ type: 'send', clientId: 'agent-reply-2', conversationId, text: 'Still there?' });
  const unread = page.getByRole('button', { name: 'Open chat, 1 unread' });
  await unread.waitFor();
  expect(await unread.locator('.pw-badge').textContent()).toBe('1');
  await page.screenshot({ path: screenshotPath('widget-unread'), animations: 'disabled' });
  await unread.click();
  await w.log.getByText('Still there?').waitFor();
  expect(await w.launcher.getAttribute('aria-label')).toBe('Close chat');

  // Reload: the same thread, each message once, and no badge for what was read.
  await page.reload();
  await page.getByRole('button', { name: 'Open chat', exact: true }).waitFor();
  await w.launcher.click();
  for (const text of ['You: Is anyone there?', 'Yes! How can I help?', 'Still there?']) {
    await w.log.getByText(text, { exact: true }).waitFor();
    expect(await w.log.getByText(text, { exact: true }).count()).toBe(1);
  }
  await context.close();
});

test('messages typed while the relay is down are sent once it is back: in order, each stored once', async () => {
  const { context, w } = await visitor();
  await w.launcher.click();
  await w.say('Before the outage');
  await w.log.getByText('Sent').waitFor();
  const before = await agent.next(messageFrom('Before the outage'), 'the first message');
  const conversationId = (before['message'] as { conversationId: string }).conversationId;

  // The network is gone for the socket: the relay dies mid-conversation.
  await relay.kill('SIGKILL');
  await w.dialog.getByText('Reconnecting…').waitFor();
  await w.box.fill('Queued one');
  await w.box.press('Enter');
  await w.box.fill('Queued two');
  await w.box.press('Enter');
  expect(await w.log.getByText('Sending…').count()).toBe(2);

  await relay.restart();
  await until(async () => (await w.log.getByText('Sending…').count()) === 0 && (await w.log.getByText('Sent').count()) >= 3, 'both queued messages acknowledged', 40_000);

  admin = await signInAdmin(relay);
  agent = await connectAgent(relay, admin);
  const { messages } = await admin.get<{ messages: Array<{ text: string }> }>(`/conversations/${conversationId}/messages`);
  expect(messages.map((m) => m.text)).toEqual(['Before the outage', 'Queued one', 'Queued two']);
  await context.close();
});
