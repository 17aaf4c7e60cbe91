import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { serveHostPage, type HostPage } from '../support/host-page.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';
import { connectAgent, signInAdmin, until, widget, widgetPage, type Admin, type AgentSocket } from '../support/widget.ts';

/**
 * Issue 6, row B13: `postMessage` to the widget from a foreign origin is ignored. The widget has
 * no iframe and adds no `message` listener, so there is nothing to talk to; this proves it in
 * Chromium. A cross-origin iframe on the host page (an ad, say) and the page itself post
 * messages shaped like commands; the widget's state does not change (the panel stays closed,
 * nothing reaches the agent), no `message` listener was added by anyone but the host, and the
 * host's own `window.onmessage` still receives every message. Then the widget still works.
 */
let relay: RelayProcess;
let browser: Browser;
let admin: Admin;
let agent: AgentSocket;
const hosts: HostPage[] = [];

/** Shapes other widgets accept over postMessage, and plain strings. */
const CRAFTED: unknown[] = [
  { type: 'open' },
  { type: 'send', text: 'x' },
  { type: 'parley:open' },
  { event: 'open', data: {} },
  { Parley: ['open'] },
  ['open'],
  ['send', 'x'],
  'open',
  'send:x',
  JSON.stringify({ type: 'send', text: 'x' }),
  JSON.stringify({ type: 'open' }),
];

beforeAll(async () => {
  relay = await startRelayProcess();
  browser = await launchChromium();
  admin = await signInAdmin(relay);
  agent = await connectAgent(relay, admin);
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  for (const host of hosts) await host.close();
  await relay?.dispose();
});

/** Runs before any script of the page: records every `message` listener added to window or document. */
const RECORD_MESSAGE_LISTENERS = () => {
  const w = window as unknown as { __messageListeners: string[] };
  w.__messageListeners = [];
  const original = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
    if (type === 'message' && (this === window || this === document)) w.__messageListeners.push(new Error().stack ?? 'unknown');
    return (original as (...args: unknown[]) => void).call(this, type, ...rest);
  } as typeof EventTarget.prototype.addEventListener;
};

test('messages posted from a foreign iframe and from the page change nothing in the widget; the host still gets them', async () => {
  const foreign = await serveHostPage('<!doctype html><title>Ad</title><p>An ad</p>');
  hosts.push(foreign);
  const hostHandler = `window.__received = []; window.__hostHandler = function (event) { window.__received.push(event.origin); }; window.onmessage = window.__hostHandler;`;
  const host = await serveHostPage(widgetPage(relay, {
    head: `<script>${hostHandler}</script>`,
    body: `<iframe src="${foreign.origin}/ad" title="Advertisement" width="300" height="100"></iframe>`,
  }));
  hosts.push(host);

  const context = await browser.newContext();
  await context.addInitScript(RECORD_MESSAGE_LISTENERS);
  const page = await context.newPage();
  await page.goto(host.origin);
  const w = widget(page);
  // Load everything the widget loads (the panel is a chunk of its own, the socket opens with it),
  // then close it again: the state under test is "closed, nothing sent".
  await w.launcher.click();
  await w.dialog.waitFor();
  await w.launcher.click();
  await w.dialog.waitFor({ state: 'hidden' });

  const ad = page.frames().find((frame) => frame.url().startsWith(foreign.origin));
  if (!ad) throw new Error('the foreign iframe did not load');
  await ad.evaluate((messages) => {
    for (const message of messages) window.parent.postMessage(message, '*');
  }, CRAFTED);
  await page.evaluate((messages) => {
    for (const message of messages) window.postMessage(message, '*');
  }, CRAFTED);

  // The host's own handler got all of them, from both origins: messages were delivered.
  await page.waitForFunction((n) => (window as unknown as { __received: string[] }).__received.length >= n, CRAFTED.length * 2);
  const received = await page.evaluate(() => (window as unknown as { __received: string[] }).__received);
  expect(received.filter((origin) => origin === foreign.origin)).toHaveLength(CRAFTED.length);
  expect(received.filter((origin) => origin === host.origin)).toHaveLength(CRAFTED.length);

  // Time for a listener, if there were one, to act on them.
  await page.waitForTimeout(500);
  expect(await w.dialog.isVisible()).toBe(false);
  expect(await w.launcher.getAttribute('aria-expanded')).not.toBe('true');
  expect(agent.frames.filter((f) => f.type === 'message')).toEqual([]);
  expect(await admin.conversations()).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __messageListeners: string[] }).__messageListeners)).toEqual([]);
  expect(await page.evaluate(() => window.onmessage === (window as unknown as { __hostHandler: unknown }).__hostHandler)).toBe(true);

  // And the widget is alive: opened by the visitor, it sends.
  await w.launcher.click();
  await w.say('Hello after the noise');
  await agent.next((f) => f.type === 'message' && (f['message'] as { text: string }).text === 'Hello after the noise', 'the real message');
  const conversations = await until(async () => {
    const list = await admin.conversations();
    return list.length > 0 && list;
  }, 'the conversation');
  expect(conversations.flatMap((c) => c.messages.map((m) => m.text))).toEqual(['Hello after the noise']);
  await context.close();
});
