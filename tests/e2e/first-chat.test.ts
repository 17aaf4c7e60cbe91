import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser.ts';
import { plainHostPage, serveHostPage, type HostPage } from '../support/host-page.ts';
import { ADMIN, startRelayProcess, type RelayProcess } from '../support/relay-process.ts';

/**
 * The foundation's promise, in a real browser: a visitor on someone's site says hello through the
 * widget, an agent in the inbox sees it arrive without reloading and answers, the visitor sees the
 * answer live, and after a reload the thread is still there.
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

async function signIn(page: Page) {
  await page.goto(`${relay.url}/inbox/`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Inbox' }).waitFor();
}

test('a visitor and an agent chat live, and the thread survives a reload', async () => {
  const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const agent = await agentContext.newPage();
  await signIn(agent);
  await agent.getByRole('heading', { name: 'No conversations yet' }).waitFor();
  const conversations = agent.getByRole('list', { name: 'Conversations' });

  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const visitor = await visitorContext.newPage();
  await visitor.goto(host.origin);
  await visitor.getByRole('button', { name: /Open chat/ }).click();
  const dialog = visitor.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: 'Message' }).fill('Hello');
  await dialog.getByRole('button', { name: 'Send' }).click();
  const visitorLog = dialog.getByRole('log', { name: 'Messages' });
  // The visitor's own messages carry a screen-reader prefix, "You:".
  await visitorLog.getByText('You: Hello', { exact: true }).waitFor();
  await visitorLog.getByText('Sent').waitFor();

  // The agent's list updates live: no reload.
  const item = conversations.getByRole('button', { name: /Hello/ });
  await item.waitFor({ timeout: 10_000 });
  await item.click();
  const agentLog = agent.getByRole('log', { name: 'Messages' });
  await agentLog.getByText('Hello', { exact: true }).waitFor();
  await agent.getByRole('textbox', { name: 'Reply' }).fill('Hi! How can I help?');
  await agent.keyboard.press('Enter');
  await agentLog.getByText('Hi! How can I help?').waitFor();

  await visitorLog.getByText('Hi! How can I help?').waitFor({ timeout: 10_000 });
  await visitor.screenshot({ path: screenshotPath('foundation-visitor') });
  await agent.screenshot({ path: screenshotPath('foundation-inbox') });

  await visitor.reload();
  await visitor.getByRole('button', { name: /Open chat/ }).click();
  const reloadedLog = visitor.getByRole('dialog').getByRole('log', { name: 'Messages' });
  await reloadedLog.getByText('You: Hello', { exact: true }).waitFor();
  await reloadedLog.getByText('Hi! How can I help?').waitFor();
  // Each message once, not duplicated by history plus resume.
  expect(await reloadedLog.getByText('Hi! How can I help?').count()).toBe(1);
  expect(await reloadedLog.getByText('You: Hello', { exact: true }).count()).toBe(1);

  await agent.getByRole('button', { name: 'Resolve', exact: true }).click();
  await agent.getByRole('button', { name: 'Reopen', exact: true }).waitFor();

  await visitorContext.close();
  await agentContext.close();
});
