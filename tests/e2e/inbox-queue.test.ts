import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshotPath } from '../support/browser.ts';
import { connectVisitor, inviteAgent, signInAgent, type AgentSession, type RawVisitor } from '../support/inbox-session.ts';
import { ADMIN, startRelayProcess, type RelayProcess } from '../support/relay-process.ts';

/**
 * Issue 4, acceptance 1: two agents and one visitor working the queue in Chromium. Ada is the
 * admin; Bea is invited through the API and accepts over REST. The visitor is a raw socket, so
 * the test can prove what it never received.
 */
let relay: RelayProcess;
let browser: Browser;
let admin: AgentSession;
const BEA = { email: 'bea@parley.test', name: 'Bea Turing', password: 'bea-password-123' };

beforeAll(async () => {
  relay = await startRelayProcess();
  browser = await launchChromium();
  admin = await signInAgent(relay.url, ADMIN.email, ADMIN.password);
  await inviteAgent(relay.url, admin, BEA);
  await admin.request('POST', '/canned-responses', {
    shortcut: 'refund',
    title: 'Refund on its way',
    body: 'Thanks {{contact.firstName}}, this is {{agent.name}}. Your refund is on its way.',
  });
  await admin.request('POST', '/labels', { name: 'billing', color: '#b45309' });
});

afterAll(async () => {
  await browser?.close();
  await relay?.dispose();
});

/**
 * Chromium's notifications need a permission prompt and a visible desktop; this stub records them
 * instead, and lets the test hide the tab (`__setHidden(true)`), which is when the inbox alerts.
 */
const NOTIFICATION_STUB = () => {
  const w = window as unknown as { __notifications: string[]; __hidden: boolean; __setHidden(hidden: boolean): void };
  w.__notifications = [];
  w.__hidden = false;
  w.__setHidden = (hidden) => {
    w.__hidden = hidden;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  Object.defineProperty(document, 'visibilityState', { get: () => (w.__hidden ? 'hidden' : 'visible') });
  class StubNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      w.__notifications.push(`${title}: ${options?.body ?? ''}`);
    }
    close() {}
  }
  (window as unknown as { Notification: unknown }).Notification = StubNotification;
};

async function agentPage(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(NOTIFICATION_STUB);
  const page = await context.newPage();
  await page.goto(`${relay.url}/inbox/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Inbox' }).waitFor();
  return { context, page };
}

const frameTexts = (visitor: RawVisitor) =>
  visitor.frames.flatMap((frame) => (frame.type === 'message' ? [frame.message.text] : []));

test('two agents and a visitor: live list, transfer with a note, canned reply, resolve with e, mention, snooze', async () => {
  const ada = await agentPage(ADMIN.email, ADMIN.password);
  const bea = await agentPage(BEA.email, BEA.password);

  const visitor = await connectVisitor(relay.url, relay.siteKey);
  visitor.profile({ name: 'Grace Hopper', email: 'grace@example.com' });
  visitor.send('Hi, I was charged twice and need a refund');

  // Both agents see it arrive, without reloading.
  for (const { page } of [ada, bea]) {
    await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /charged twice/ }).waitFor();
  }

  // Ada opens it: the contact panel shows who this is and where they are.
  const adaPage = ada.page;
  await adaPage.getByRole('button', { name: /charged twice/ }).click();
  await adaPage.getByRole('log', { name: 'Messages' }).getByText('Hi, I was charged twice and need a refund').waitFor();
  const contactPanel = adaPage.getByRole('complementary', { name: 'Contact' });
  await contactPanel.getByText('Pricing').waitFor();
  await contactPanel.getByText(/Europe\/Berlin/).waitFor();

  // Bea opens it too: each sees the other there (collision).
  const beaPage = bea.page;
  await beaPage.getByRole('button', { name: /charged twice/ }).click();
  await adaPage.getByRole('status', { name: 'Teammates here' }).getByText('Bea Turing is viewing').waitFor();
  await beaPage.getByRole('status', { name: 'Teammates here' }).getByText(/is viewing/).waitFor();
  await adaPage.screenshot({ path: screenshotPath('inbox-conversation') });

  // Ada assigns it to Bea with a transfer note, from the keyboard: a.
  await adaPage.getByRole('log', { name: 'Messages' }).click();
  await adaPage.keyboard.press('a');
  const assign = adaPage.getByRole('dialog', { name: 'Assign conversation' });
  await assign.getByLabel('Transfer note (optional)').fill('Double charge on order 1042, refund approved by finance.');
  await assign.getByRole('combobox', { name: 'Assign to' }).fill('Bea');
  await adaPage.screenshot({ path: screenshotPath('inbox-assign') });
  await assign.getByRole('combobox', { name: 'Assign to' }).press('Enter');
  await assign.waitFor({ state: 'detached' });

  // The note is shown to both agents, distinctly; Bea is now the assignee.
  await adaPage.getByRole('log', { name: 'Messages' }).getByText('Double charge on order 1042', { exact: false }).waitFor();
  const beaLog = beaPage.getByRole('log', { name: 'Messages' });
  await beaLog.getByText('Double charge on order 1042', { exact: false }).waitFor();
  await beaLog.getByText('Internal note').first().waitFor();
  await beaPage.getByRole('button', { name: /Assignee: Bea Turing/ }).waitFor();

  // Bea replies with a canned response: `/refund`, Enter inserts it with the variables filled, Enter sends.
  const reply = beaPage.getByRole('textbox', { name: 'Reply' });
  await reply.click();
  await reply.pressSequentially('/refu');
  await beaPage.getByRole('listbox', { name: 'Canned responses' }).getByRole('option', { name: /refund/ }).waitFor();
  await reply.press('Enter');
  const expected = 'Thanks Grace, this is Bea Turing. Your refund is on its way.';
  expect(await reply.inputValue()).toBe(expected);
  await reply.press('Enter');
  await beaLog.getByText(expected).waitFor();

  // The visitor gets the reply, and never a byte of the note.
  await visitor.waitFor((frame) => frame.type === 'message' && frame.message.text === expected);
  expect(frameTexts(visitor).some((text) => text.includes('Double charge'))).toBe(false);
  expect(visitor.frames.some((frame) => frame.type === 'message' && frame.message.kind === 'note')).toBe(false);

  // Ada mentions Bea in a note while Bea's tab is hidden: Bea gets a browser notification.
  await beaPage.evaluate(() => (window as unknown as { __setHidden(hidden: boolean): void }).__setHidden(true));
  await adaPage.getByRole('log', { name: 'Messages' }).click();
  await adaPage.keyboard.press('n');
  const note = adaPage.getByRole('textbox', { name: 'Note' });
  await note.pressSequentially('Thanks @Be');
  await adaPage.getByRole('listbox', { name: 'Mention a teammate' }).getByRole('option', { name: /Bea Turing/ }).waitFor();
  await note.press('Enter');
  expect(await note.inputValue()).toBe('Thanks @Bea Turing ');
  await note.pressSequentially('for taking this one');
  await note.press('Enter');
  await beaLog.getByText('Thanks @Bea Turing for taking this one').waitFor();
  await beaPage.waitForFunction(() =>
    (window as unknown as { __notifications: string[] }).__notifications.some((text) => text.includes('mentioned you')),
  );
  await beaPage.evaluate(() => (window as unknown as { __setHidden(hidden: boolean): void }).__setHidden(false));
  expect(frameTexts(visitor).some((text) => text.includes('taking this one'))).toBe(false);

  // Bea resolves with `e`, keyboard only.
  await beaLog.click();
  await beaPage.keyboard.press('e');
  const beaMain = beaPage.getByRole('main');
  await beaMain.getByRole('button', { name: 'Reopen', exact: true }).waitFor();
  await beaMain.getByText('Resolved', { exact: true }).waitFor();

  // Snooze returns by itself: Ada reopens it and snoozes it for 2 s.
  await adaPage.getByRole('main').getByRole('button', { name: 'Reopen', exact: true }).click();
  await adaPage.getByRole('main').getByText('Open', { exact: true }).waitFor();
  await adaPage.getByRole('log', { name: 'Messages' }).click();
  await adaPage.keyboard.press('s');
  const snooze = adaPage.getByRole('dialog', { name: 'Snooze until' });
  const until = await adaPage.evaluate(() => {
    const at = new Date(Date.now() + 2_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  });
  await snooze.getByLabel('Until a date and time').fill(until);
  await snooze.getByRole('button', { name: 'Snooze' }).click();
  await adaPage.getByRole('main').getByText('Snoozed', { exact: true }).waitFor();
  // Nobody touches it: it comes back to Open on its own.
  await adaPage.getByRole('main').getByText('Open', { exact: true }).waitFor({ timeout: 15_000 });

  await ada.context.close();
  await bea.context.close();
  visitor.close();
});

test('keyboard only: sign in, move with j, open with Enter, reply with r, resolve with e', async () => {
  const visitor = await connectVisitor(relay.url, relay.siteKey);
  visitor.send('Keyboard person here, is the shop open on Sunday?');

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${relay.url}/inbox/`);
  // The email field has focus once the form is up.
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'email');
  await page.keyboard.type(ADMIN.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Inbox' }).waitFor();
  const item = page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Keyboard person here/ });
  await item.waitFor();

  // ? shows every shortcut; Escape closes it.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await page.screenshot({ path: screenshotPath('inbox-shortcuts') });
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });

  // j until the cursor is on it, then Enter.
  for (let i = 0; i < 10 && !(await item.evaluate((el) => el === document.activeElement)); i++) {
    const before = await page.evaluate(() => document.activeElement?.getAttribute('data-id') ?? null);
    await page.keyboard.press('j');
    await page.waitForFunction(
      (previous) => {
        const now = document.activeElement?.getAttribute('data-id') ?? null;
        return now !== null && (now !== previous || document.activeElement?.closest('li')?.getAttribute('aria-posinset') === document.activeElement?.closest('li')?.getAttribute('aria-setsize'));
      },
      before,
    );
  }
  await page.keyboard.press('Enter');
  await page.getByRole('log', { name: 'Messages' }).getByText('Keyboard person here, is the shop open on Sunday?').waitFor();

  // Letters typed into the reply are text, not shortcuts.
  await page.keyboard.press('r');
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.evaluate((el) => new Promise<void>((resolve) => {
    const check = () => (el === document.activeElement ? resolve() : requestAnimationFrame(check));
    check();
  }));
  await page.keyboard.type('Yes, 10 to 4. See you!');
  expect(await reply.inputValue()).toBe('Yes, 10 to 4. See you!');
  await page.keyboard.press('Enter');
  await visitor.waitFor((frame) => frame.type === 'message' && frame.message.text === 'Yes, 10 to 4. See you!');

  // Escape leaves the field; e resolves.
  await page.keyboard.press('Escape');
  await page.keyboard.press('e');
  await page.getByRole('main').getByRole('button', { name: 'Reopen', exact: true }).waitFor();

  await context.close();
  visitor.close();
});
