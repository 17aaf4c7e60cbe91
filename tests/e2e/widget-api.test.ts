import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { serveHostPage, type HostPage } from '../support/host-page.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';
import { widget, widgetPage } from '../support/widget.ts';

/** The JavaScript API on a real page: the queue, the commands, the events, and the loader's races. */
let relay: RelayProcess;
let browser: Browser;
const hosts: HostPage[] = [];

beforeAll(async () => {
  relay = await startRelayProcess();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const host of hosts) await host.close();
  await relay?.dispose();
});

async function host(html: string) {
  const page = await serveHostPage(html);
  hosts.push(page);
  return page.origin;
}

test('commands queued before load are replayed in order; events fire; only Parley is added to window', async () => {
  const origin = await host(
    widgetPage(relay, {
      // A snapshot of the page's globals before the snippet, and listeners queued with the commands.
      head: '<script>window.__before = Object.getOwnPropertyNames(window); window.__events = [];</script>',
      queued: `
        Parley('on', 'ready', function () { __events.push('ready'); });
        Parley('on', 'open', function () { __events.push('open'); });
        Parley('on', 'close', function () { __events.push('close'); });
        Parley('open');`,
    }),
  );
  const context = await browser.newContext();
  const page = await context.newPage();
  const warnings: string[] = [];
  page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(origin);
  const w = widget(page);

  // The queued `open` opened the panel with no click.
  await w.dialog.waitFor();
  await page.waitForFunction(() => (window as unknown as { __events: string[] }).__events.includes('ready'));
  expect(await page.evaluate(() => (window as unknown as { __events: string[] }).__events)).toEqual(['open', 'ready']);
  expect(await w.launcher.getAttribute('aria-label')).toBe('Close chat');

  const added = await page.evaluate(() => {
    const before = new Set((window as unknown as { __before: string[] }).__before);
    return Object.getOwnPropertyNames(window).filter((name) => !before.has(name) && !name.startsWith('__'));
  });
  expect(added).toEqual(['Parley']);

  const call = (...args: unknown[]) => page.evaluate((a) => (window as unknown as { Parley: (...x: unknown[]) => void }).Parley(...a), args);
  await call('close');
  await w.dialog.waitFor({ state: 'hidden' });
  await call('toggle');
  await w.dialog.waitFor();
  await call('toggle');
  await w.dialog.waitFor({ state: 'hidden' });
  expect(await page.evaluate(() => (window as unknown as { __events: string[] }).__events)).toEqual(['open', 'ready', 'close', 'open', 'close']);

  await call('hide');
  await w.launcher.waitFor({ state: 'hidden' });
  await call('show');
  await w.launcher.waitFor();

  await call('bogus');
  await call('bogus', 1);
  expect(warnings.filter((text) => text.includes('Unknown command "bogus"'))).toHaveLength(1);
  // A listener that throws stays inside the widget.
  await page.evaluate(() => {
    const P = (window as unknown as { Parley: (...x: unknown[]) => void }).Parley;
    P('on', 'open', () => {
      throw new Error('host listener bug');
    });
    P('open');
  });
  await w.dialog.waitFor();
  expect(errors).toEqual([]);
  await context.close();
});

test('a click that lands while the panel chunk is still loading opens the panel once it arrives', async () => {
  const origin = await host(widgetPage(relay));
  const context = await browser.newContext();
  const page = await context.newPage();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let requested = 0;
  // Hold the panel chunk: the loader's launcher is there, the panel is not.
  await page.route('**/widget/panel-*.js', async (route) => {
    requested++;
    await held;
    await route.continue();
  });
  await page.goto(origin);
  const w = widget(page);
  await w.launcher.click();
  expect(await w.dialog.count()).toBe(0);
  release();
  await w.dialog.waitFor();
  expect(requested).toBe(1);
  expect(await w.launcher.getAttribute('aria-expanded')).toBe('true');
  await context.close();
});

test('the visitor can type and send before the thread chunk (Preact) arrives, email form included; it then shows the thread', async () => {
  const origin = await host(widgetPage(relay));
  const context = await browser.newContext();
  const page = await context.newPage();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/widget/Thread-*.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(origin);
  const w = widget(page);
  await w.launcher.click();
  // Nobody is signed in to this relay: the offline form comes first, and it is plain DOM too.
  await w.email.fill('early@example.com');
  await w.dialog.getByRole('button', { name: 'Continue' }).click();
  await w.box.fill('Sent before the thread');
  await w.send.click();
  await expect.poll(() => w.box.inputValue()).toBe('');
  expect(await w.log.textContent()).toBe('');
  release();
  await w.log.getByText('You: Sent before the thread', { exact: true }).waitFor();
  // Acknowledged by the relay while the thread was held back.
  await w.log.getByText('· Sent', { exact: true }).waitFor();
  await context.close();
});

test('the launcher shows at once, and the loader fetches nothing but the panel (and its thread chunk) until the visitor interacts', async () => {
  const origin = await host(widgetPage(relay));
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  const thread = page.waitForResponse((response) => /\/widget\/Thread-[\w-]+\.js$/.test(response.url()));
  await page.goto(origin);
  await widget(page).launcher.waitFor();
  // Idle loading brings the panel, which imports the thread at once (and, for a new visitor,
  // nothing else: no socket until they open).
  await page.waitForFunction(() => document.querySelector('parley-widget')?.shadowRoot?.querySelector('.pw-panel') !== null);
  await thread;
  expect(requests.filter((path) => path !== '/' && path !== '/favicon.ico')).toEqual([
    '/widget.js',
    expect.stringMatching(/^\/widget\/panel-[\w-]+\.js$/),
    expect.stringMatching(/^\/widget\/Thread-[\w-]+\.js$/),
  ]);
  expect(sockets).toEqual([]);
  const socket = page.waitForEvent('websocket');
  await widget(page).launcher.click();
  expect((await socket).url()).toBe(`${relay.url.replace('http', 'ws')}/ws/visitor`);
  await context.close();
});
