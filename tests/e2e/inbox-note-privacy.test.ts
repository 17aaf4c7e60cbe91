import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { plainHostPage, serveHostPage, type HostPage } from '../support/host-page.ts';
import { ADMIN, startRelayProcess, type RelayProcess } from '../support/relay-process.ts';

/**
 * Issue 4, acceptance 1: "the note never reaches the visitor's widget (check the widget's DOM and
 * the visitor's socket frames)". The real widget on a host page of another origin, every frame its
 * socket receives recorded by the browser; the real inbox writes a note and then a reply.
 */
let relay: RelayProcess;
let host: HostPage;
let browser: Browser;

beforeAll(async () => {
  relay = await startRelayProcess();
  host = await serveHostPage(plainHostPage(relay.url, relay.siteKey));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await relay?.dispose();
});

test('a private note reaches neither the widget DOM nor any frame of its socket; the reply after it does', async () => {
  const agent = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await agent.goto(`${relay.url}/inbox/`);
  await agent.getByLabel('Email').fill(ADMIN.email);
  await agent.getByLabel('Password').fill(ADMIN.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.getByRole('navigation', { name: 'Inbox' }).waitFor();

  const visitor = await (await browser.newContext()).newPage();
  const received: string[] = [];
  visitor.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => received.push(String(payload))));
  await visitor.goto(host.origin);
  await visitor.getByRole('button', { name: /Open chat/ }).click();
  const dialog = visitor.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Message' }).fill('My invoice looks wrong');
  await dialog.getByRole('button', { name: 'Send' }).click();

  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /invoice looks wrong/ }).click();
  const log = agent.getByRole('log', { name: 'Messages' });
  await log.getByText('My invoice looks wrong').waitFor();
  await log.click();
  await agent.keyboard.press('n');
  const note = agent.getByRole('textbox', { name: 'Note' });
  await note.fill('Internal: customer is on the legacy plan, refund via finance');
  await note.press('Enter');
  await log.getByText('Internal: customer is on the legacy plan, refund via finance').waitFor();

  // Out of the note box, then `r` for a reply: the composer switches back.
  await note.press('Escape');
  await agent.keyboard.press('r');
  const reply = agent.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Thanks, I am checking your invoice now.');
  await reply.press('Enter');

  const visitorLog = dialog.getByRole('log', { name: 'Messages' });
  await visitorLog.getByText('Thanks, I am checking your invoice now.').waitFor();
  // The reply came after the note: had the note been sent, it would be here by now.
  const widgetText = await visitor.evaluate(() => document.querySelector('parley-widget')?.shadowRoot?.textContent ?? '');
  expect(widgetText).toContain('Thanks, I am checking your invoice now.');
  expect(widgetText).not.toContain('legacy plan');
  expect(received.some((payload) => payload.includes('Thanks, I am checking'))).toBe(true);
  expect(received.filter((payload) => payload.includes('legacy plan') || payload.includes('"note"'))).toEqual([]);
});
