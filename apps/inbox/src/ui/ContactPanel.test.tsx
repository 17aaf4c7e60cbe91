import type { ContactDetail } from '@parley/protocol';
import { fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { requests } from '../test/fake-fetch.ts';
import { contact, NOW, summary } from '../test/fixtures.ts';
import { renderInbox } from '../test/render-inbox.tsx';
import { describeUserAgent } from './ContactPanel.tsx';

const grace: ContactDetail = {
  id: 'k1',
  siteId: 'site_1',
  name: 'Grace Hopper',
  email: 'grace@example.com',
  externalId: 'user_42',
  attributes: { plan: 'Pro', seats: 12, trial: false },
  lastPage: { url: 'https://shop.example.com/pricing', title: 'Pricing', referrer: 'https://www.google.com/' },
  locale: 'en-US',
  timezone: 'America/New_York',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  createdAt: NOW - 86_400_000,
  lastSeenAt: NOW,
  conversations: [
    { id: 'c1', status: 'open', createdAt: NOW, summary: 'Charged twice' },
    { id: 'old', status: 'resolved', createdAt: NOW - 30 * 86_400_000, summary: 'Cannot reset my password' },
  ],
};

describe('ContactPanel', () => {
  it('shows who the customer is, where they are, their local time and past conversations', async () => {
    const { fetch } = renderInbox({
      conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper', 'grace@example.com'), assigneeId: 'agent_2', labelIds: ['lab_billing'] })],
      contacts: { k1: grace },
    });
    fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));
    const panel = screen.getByRole('complementary', { name: 'Contact' });
    await within(panel).findByText('user_42');
    expect(requests(fetch)).toContain('GET /api/v1/contacts/k1');

    expect(within(panel).getByRole('link', { name: 'Pricing' }).getAttribute('href')).toBe('https://shop.example.com/pricing');
    expect(within(panel).getByText('www.google.com')).toBeDefined();
    expect(within(panel).getByText('Chrome 126 on macOS')).toBeDefined();
    expect(within(panel).getByText(/\(America\/New_York\)$/)).toBeDefined();
    expect(within(panel).getByText('plan').nextElementSibling?.textContent).toBe('Pro');
    expect(within(panel).getByText('seats').nextElementSibling?.textContent).toBe('12');
    expect(within(panel).getByText('trial').nextElementSibling?.textContent).toBe('false');

    // The current conversation is not its own past.
    const past = within(panel).getByRole('list', { name: 'Past conversations' });
    expect(within(past).getAllByRole('button').map((button) => button.textContent)).toEqual([expect.stringContaining('Cannot reset my password')]);

    // Assignment and labels of this conversation.
    expect(within(panel).getByRole('button', { name: 'Assignee: Bea Turing. Change' })).toBeDefined();
    expect(within(within(panel).getByRole('list', { name: 'Labels of this conversation' })).getByText('billing')).toBeDefined();
  });

  it('assigns to me in one click, and removes a label from its chip', async () => {
    const { fake } = renderInbox({
      conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper'), labelIds: ['lab_billing'] })],
      contacts: { k1: grace },
    });
    fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));
    const panel = screen.getByRole('complementary', { name: 'Contact' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Assign to me' }));
    expect(fake.client.update).toHaveBeenCalledWith('c1', { assigneeId: 'agent_1' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Remove label billing' }));
    expect(fake.client.update).toHaveBeenLastCalledWith('c1', { removeLabelIds: ['lab_billing'] });
  });

  it('says so when the contact cannot be loaded, with a retry', async () => {
    renderInbox({ conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper') })] });
    fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));
    const panel = screen.getByRole('complementary', { name: 'Contact' });
    expect((await within(panel).findByRole('alert')).textContent).toMatch(/^Could not load the contact: No contact/);
    expect(within(panel).getByRole('button', { name: 'Retry' })).toBeDefined();
  });
});

describe('describeUserAgent', () => {
  it('names common browsers and systems', () => {
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('Firefox 128 on Linux');
    expect(describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe(
      'Safari 17 on iOS',
    );
  });
});
