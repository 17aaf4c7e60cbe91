import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser.ts';
import { serveHostPage, type HostPage } from '../support/host-page.ts';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.ts';
import { STUB, connectAgent, cspHash, signInAdmin, snippet, widget, widgetPage, type AgentSocket } from '../support/widget.ts';

/** Host pages that fight back, a strict CSP, a phone, a keyboard, a right-to-left locale. */
let relay: RelayProcess;
let browser: Browser;
let agent: AgentSocket;
const hosts: HostPage[] = [];

beforeAll(async () => {
  relay = await startRelayProcess();
  browser = await launchChromium();
  agent = await connectAgent(relay, await signInAdmin(relay));
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  for (const host of hosts) await host.close();
  await relay?.dispose();
});

async function host(html: string, headers: Record<string, string> = {}) {
  const page = await serveHostPage(html, headers);
  hosts.push(page);
  return page.origin;
}

test('the hostile host page: launcher in the corner above everything, readable sizes, the whole flow works', async () => {
  const fixture = readFileSync('/work/shared/fixtures/hostile-host.html', 'utf8').replace('<!-- PARLEY_SNIPPET -->', snippet(relay));
  const origin = await host(fixture);
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(origin);
  const w = widget(page);
  await w.launcher.waitFor();
  const box = (await w.launcher.boundingBox())!;
  expect(box.width).toBe(56);
  expect(box.height).toBe(56);
  expect(1100 - (box.x + box.width)).toBe(20);
  expect(760 - (box.y + box.height)).toBe(20);
  // On top of the page's z-index 999999 promo in the same corner.
  expect(await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.tagName, [box.x + 28, box.y + 28])).toBe('PARLEY-WIDGET');

  await w.launcher.click();
  await w.say('Hello from a hostile page');
  await w.log.getByText('Sent').waitFor();
  const sizes = await w.box.evaluate((el) => {
    const style = getComputedStyle(el);
    return { font: style.fontSize, transform: style.textTransform, spacing: style.letterSpacing };
  });
  expect(sizes).toEqual({ font: '14px', transform: 'none', spacing: 'normal' });
  const panel = (await w.dialog.boundingBox())!;
  expect(panel.width).toBe(376);
  // Nothing of the page's was replaced or relied on.
  expect(await page.evaluate(() => [(window as unknown as { h: string }).h, (window as unknown as { render: string }).render, typeof window.onmessage])).toEqual([
    'host-owned global h',
    'host-owned global render',
    'function',
  ]);
  await page.screenshot({ path: screenshotPath('widget-hostile'), animations: 'disabled' });
  expect(errors).toEqual([]);
  await context.close();
});

test('a strict Content-Security-Policy with only the lines docs/embedding.md lists', async () => {
  const wsOrigin = relay.url.replace('http', 'ws');
  // The documented lines (script-src and connect-src for the relay), plus the stub's hash, and nothing inline otherwise.
  const csp = `default-src 'none'; script-src ${relay.url} ${cspHash(STUB)}; connect-src ${wsOrigin}; base-uri 'none'`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict</title></head>
<body><h1>Strict CSP</h1>
<script>${STUB}</script>
<script src="${relay.url}/widget.js" data-site="${relay.siteKey}" async></script>
</body></html>`;
  const origin = await host(html, { 'Content-Security-Policy': csp });
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => /Content Security Policy|Refused to/i.test(message.text()) && violations.push(message.text()));
  await page.goto(origin);
  const w = widget(page);
  await w.launcher.click();
  await w.say('Hello under a strict CSP');
  await w.log.getByText('Sent').waitFor();
  // Styled: the constructable stylesheets applied (a blocked stylesheet would leave the launcher unstyled).
  expect(await w.launcher.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
  expect(violations).toEqual([]);
  await context.close();
});

test('a 375 × 667 phone: the panel fills the screen, the page does not scroll behind it, and is restored exactly', async () => {
  const origin = await host(widgetPage(relay, { body: '<div style="height: 3000px">Long page</div>' }));
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(origin);
  await page.evaluate(() => document.body.style.setProperty('overflow', 'auto'));
  const w = widget(page);
  await w.launcher.click();
  await w.box.waitFor();
  expect(await w.dialog.boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 667 });
  expect(await page.evaluate(() => [getComputedStyle(document.documentElement).overflow, getComputedStyle(document.body).overflow])).toEqual(['hidden', 'hidden']);
  await w.say('Hello from my phone');
  await page.screenshot({ path: screenshotPath('widget-phone'), animations: 'disabled' });
  await w.dialog.getByRole('button', { name: 'Minimize chat' }).click();
  await w.dialog.waitFor({ state: 'hidden' });
  expect(await page.evaluate(() => [document.documentElement.style.overflow, document.body.style.overflow])).toEqual(['', 'auto']);
  await context.close();
});

test('keyboard only: Tab to the launcher, Enter opens, type and send, Escape closes and focus returns', async () => {
  const origin = await host(widgetPage(relay));
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin);
  const w = widget(page);
  await w.launcher.waitFor();
  const focused = () => page.evaluate(() => {
    const inner = document.activeElement?.shadowRoot?.activeElement;
    return inner?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? null;
  });
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('See plans');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('Open chat');
  await page.keyboard.press('Enter');
  await w.dialog.waitFor();
  await until(async () => (await focused()) === 'Message');
  await page.keyboard.type('Typed without a mouse');
  await page.keyboard.press('Enter');
  await w.log.getByText('You: Typed without a mouse', { exact: true }).waitFor();
  await w.log.getByText('Sent').waitFor();
  await page.keyboard.press('Escape');
  await w.dialog.waitFor({ state: 'hidden' });
  expect(await focused()).toBe('Open chat');
  await context.close();
});

test('Arabic, set with setLocale before load: the panel reads right to left', async () => {
  const origin = await host(widgetPage(relay, { queued: "Parley('setLocale', 'ar');", lang: 'ar' }));
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  await page.goto(origin);
  await page.getByRole('button', { name: 'فتح المحادثة' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'رسالة' }).fill('مرحبا');
  await dialog.getByRole('button', { name: 'إرسال' }).click();
  await dialog.getByText('أُرسلت').waitFor();
  expect(await dialog.getAttribute('dir')).toBe('rtl');
  await page.screenshot({ path: screenshotPath('widget-rtl'), animations: 'disabled' });
  await context.close();
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition never held');
}
