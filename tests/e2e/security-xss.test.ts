import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser.ts';
import { storedMessages } from '../support/chat-peers.ts';
import { serveHostPage, type HostPage } from '../support/host-page.ts';
import { connectVisitor, inviteAgent, signInAgent, type AgentSession } from '../support/inbox-session.ts';
import { ADMIN, startRelayProcess, type RelayProcess } from '../support/relay-process.ts';
import { widget, widgetPage } from '../support/widget.ts';

/**
 * Issue 6, row B9: script in a message, in names and a `javascript:` link, in both directions,
 * through the real widget and the real inbox in Chromium. Stored exactly as sent (database and
 * REST), rendered inert everywhere they show: the widget's thread (the visitor's message, the
 * agent's reply and the agent's name), and in the inbox the thread, the conversation list
 * (name and preview) and the contact panel (name). "Inert": no dialog ever opens, no script,
 * iframe or element with an `on…` attribute appears, the payload's `<img src=x>` is never an
 * element, and `javascript:` is never a link — while the text itself is there, as text.
 */
let relay: RelayProcess;
let browser: Browser;
let admin: AgentSession;
let host: HostPage;

const VISITOR_NAME = '<img src=x onerror=alert("name-img")>Mallory<script>alert("name-script")</script>';
const PROFILE_NAME = '"><svg onload=alert("profile-svg")>Pat<script>alert(1)</script>';
const AGENT_NAME = 'Eve<img src=x onerror=alert("agent-name")>';
const AGENT = { email: 'eve@parley.test', name: AGENT_NAME, password: 'eve-password-123' };
const VISITOR_TEXT = 'V-MARK <script>alert("v-script")</script><img src=x onerror=alert("v-img")> javascript:alert("v-link") <a href="javascript:alert(2)">click</a> https://example.com/ok';
const PROFILE_TEXT = 'P-MARK <iframe src="javascript:alert(3)"></iframe><svg><script>alert(4)</script></svg>';
const AGENT_TEXT = 'A-MARK <script>alert("a-script")</script><img src=x onerror=alert("a-img")> javascript:alert("a-link") https://example.org/help';

beforeAll(async () => {
  relay = await startRelayProcess();
  browser = await launchChromium();
  admin = await signInAgent(relay.url, ADMIN.email, ADMIN.password);
  await inviteAgent(relay.url, admin, AGENT);
  // identify (unsigned: the visitor's own profile) with the hostile name. `<` is escaped so the
  // name cannot end the host page's own script: the owner's page is not what is under test.
  const identity = JSON.stringify({ userId: 'xss-visitor', name: VISITOR_NAME }).replace(/</g, '\\u003c');
  host = await serveHostPage(widgetPage(relay, { queued: `Parley('identify', ${identity});` }));
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await relay?.dispose();
});

/** Whatever the page or its shadow roots hold that would run or navigate: must all be empty. */
async function activeContent(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const roots: Array<Document | ShadowRoot> = [document];
    for (const el of Array.from(document.querySelectorAll('*'))) if (el.shadowRoot) roots.push(el.shadowRoot);
    const found: Record<string, string[]> = { scripts: [], frames: [], handlers: [], payloadImages: [], javascriptLinks: [], otherLinks: [] };
    const origin = location.origin;
    for (const root of roots) {
      for (const s of Array.from(root.querySelectorAll('script'))) {
        // The page's own scripts are allowed: the host's inline snippet, the inbox's bundle, widget.js.
        const own = root === document && (s.src.startsWith(origin) || s.src.includes('/widget') || s.textContent?.includes('window.Parley'));
        if (!own) found['scripts']!.push(s.outerHTML.slice(0, 120));
      }
      for (const f of Array.from(root.querySelectorAll('iframe, object, embed, frame'))) found['frames']!.push(f.outerHTML.slice(0, 120));
      for (const el of Array.from(root.querySelectorAll('*'))) {
        for (const attr of el.getAttributeNames()) if (/^on/i.test(attr)) found['handlers']!.push(`${el.tagName}[${attr}]`);
      }
      for (const img of Array.from(root.querySelectorAll('img'))) if (img.getAttribute('src') === 'x') found['payloadImages']!.push(img.outerHTML);
      for (const a of Array.from(root.querySelectorAll('a[href]'))) {
        const href = a.getAttribute('href') ?? '';
        if (/^\s*javascript:/i.test(href)) found['javascriptLinks']!.push(href);
        else if (a.closest('.pw-bubble, [role="log"]') && !/^https?:\/\//.test(href)) found['otherLinks']!.push(href);
      }
    }
    return found;
  });
}
const NOTHING_ACTIVE = { scripts: [], frames: [], handlers: [], payloadImages: [], javascriptLinks: [], otherLinks: [] };

test('script and javascript: links in messages and names, both ways: stored as sent, inert in the widget and the inbox', async () => {
  const dialogs: string[] = [];

  // The agent with a hostile name, in the inbox (first: with nobody online the widget asks for an email instead).
  const agentContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const inbox = await agentContext.newPage();
  inbox.on('dialog', (dialog) => {
    dialogs.push(`inbox: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await inbox.goto(`${relay.url}/inbox/`);
  await inbox.getByLabel('Email').fill(AGENT.email);
  await inbox.getByLabel('Password').fill(AGENT.password);
  await inbox.getByRole('button', { name: 'Sign in' }).click();
  await inbox.getByRole('navigation', { name: 'Inbox' }).waitFor();

  // The visitor, in the widget, identified with a hostile name, sends a hostile message.
  const visitorContext = await browser.newContext();
  const visitorPage = await visitorContext.newPage();
  visitorPage.on('dialog', (dialog) => {
    dialogs.push(`widget: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await visitorPage.goto(host.origin);
  const w = widget(visitorPage);
  await w.launcher.click();
  await w.say(VISITOR_TEXT);

  // A second visitor, on a raw socket, sets a hostile name through `profile` and writes too.
  const other = await connectVisitor(relay.url, relay.siteKey);
  other.profile({ name: PROFILE_NAME });
  await other.waitFor((f) => f.type === 'ok');
  other.send(PROFILE_TEXT);
  await other.waitFor((f) => f.type === 'ack');

  // The conversation list shows both names and previews, as text.
  const list = inbox.getByRole('list', { name: 'Conversations' });
  await list.getByRole('button', { name: /V-MARK/ }).waitFor();
  await list.getByRole('button', { name: /P-MARK/ }).waitFor();
  const listText = await list.textContent();
  for (const text of [VISITOR_NAME, PROFILE_NAME, 'V-MARK <script>alert("v-script")</script>', 'P-MARK <iframe']) {
    expect(listText, `the list shows ${text}`).toContain(text);
  }

  // The other visitor's thread and contact panel.
  await list.getByRole('button', { name: /P-MARK/ }).click();
  const log = inbox.getByRole('log', { name: 'Messages' });
  await log.getByText(PROFILE_TEXT, { exact: true }).waitFor();
  const panel = inbox.getByRole('complementary', { name: 'Contact' });
  await panel.getByText(PROFILE_NAME, { exact: true }).first().waitFor();

  // The widget visitor's thread and contact panel; the agent answers with script and a link.
  await list.getByRole('button', { name: /V-MARK/ }).click();
  await log.getByText(VISITOR_TEXT, { exact: true }).waitFor();
  await panel.getByText(VISITOR_NAME, { exact: true }).first().waitFor();
  const reply = inbox.getByRole('textbox', { name: 'Reply' });
  await reply.fill(AGENT_TEXT);
  await reply.press('Enter');
  await log.getByText(AGENT_TEXT, { exact: true }).waitFor();
  // Links in the inbox thread: only the http(s) ones.
  expect(await log.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['https://example.com/ok', 'https://example.org/help']);

  // The widget shows the reply and the agent's name, as text; its only link is the https one.
  await w.log.getByText(AGENT_TEXT, { exact: true }).waitFor();
  await w.log.getByText(AGENT_NAME, { exact: true }).first().waitFor();
  expect(await w.log.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['https://example.com/ok', 'https://example.org/help']);

  // Give any injected handler its chance to run (an <img src=x> errors within a tick or two).
  await visitorPage.waitForTimeout(300);
  await visitorPage.screenshot({ path: screenshotPath('security-xss-widget') });
  await inbox.screenshot({ path: screenshotPath('security-xss-inbox') });
  expect(dialogs).toEqual([]);
  expect(await activeContent(visitorPage)).toEqual(NOTHING_ACTIVE);
  expect(await activeContent(inbox)).toEqual(NOTHING_ACTIVE);

  // Stored exactly as sent: the rows, and REST as the inbox reads it.
  const rows = storedMessages(relay.databasePath).map((m) => m.text);
  for (const text of [VISITOR_TEXT, PROFILE_TEXT, AGENT_TEXT]) expect(rows).toContain(text);
  const { conversations } = await admin.request<{ conversations: Array<{ id: string; contact: { id: string; name: string | null } }> }>('GET', '/conversations');
  expect(conversations.map((c) => c.contact.name).sort()).toEqual([VISITOR_NAME, PROFILE_NAME].sort());
  const mine = conversations.find((c) => c.contact.name === VISITOR_NAME)!;
  const { messages } = await admin.request<{ messages: Array<{ text: string; author: { kind: string; name?: string | null } }> }>('GET', `/conversations/${mine.id}/messages`);
  expect(messages.map((m) => [m.author.kind, m.text])).toEqual([['visitor', VISITOR_TEXT], ['agent', AGENT_TEXT]]);
  expect(messages[1]!.author.name).toBe(AGENT_NAME);
  const { contact } = await admin.request<{ contact: { name: string } }>('GET', `/contacts/${mine.contact.id}`);
  expect(contact.name).toBe(VISITOR_NAME);

  other.close();
  await visitorContext.close();
  await agentContext.close();
});
