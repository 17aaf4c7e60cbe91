import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requests } from '../test/fake-fetch.ts';
import { contact, NOW, summary } from '../test/fixtures.ts';
import { renderInbox } from '../test/render-inbox.tsx';

const MIN = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function itemNames(): string[] {
  const list = screen.getByRole('list', { name: 'Conversations' });
  return within(list)
    .getAllByRole('button')
    .map((button) => button.getAttribute('aria-label') ?? '');
}

describe('ConversationList', () => {
  it('lists conversations, whoever has waited longest first', async () => {
    renderInbox({
      conversations: [
        summary({ id: 'answered', contact: contact('k1', 'Answered Anna'), waitingSince: null, updatedAt: NOW - MIN }),
        summary({ id: 'recent', contact: contact('k2', null, 'bo@example.com'), waitingSince: NOW - 2 * MIN }),
        summary({ id: 'oldest', contact: contact('abcdef123', null), waitingSince: NOW - 12 * MIN }),
        summary({ id: 'stale', contact: contact('k4', 'Stale Sam'), waitingSince: null, updatedAt: NOW - 60 * MIN }),
      ],
    });

    await screen.findByRole('list', { name: 'Conversations' });
    const names = itemNames();
    expect(names.map((name) => name.split(',')[0])).toEqual([
      'Visitor abcdef',
      'bo@example.com',
      'Answered Anna',
      'Stale Sam',
    ]);
    expect(names[0]).toBe('Visitor abcdef, Hello, waiting 12 min, 1 unread');
    expect(screen.getByRole('button', { name: /^bo@example\.com, Hello, waiting 2 min/ })).toBeDefined();
  });

  it('shows the preview, unread count and priority of each item', async () => {
    renderInbox({
      conversations: [
        summary({
          id: 'c1',
          contact: contact('k1', 'Grace Hopper'),
          priority: 'urgent',
          lastSeq: 3,
          agentReadSeq: 1,
          lastMessage: { seq: 3, kind: 'text', authorKind: 'visitor', text: 'My order never\narrived', createdAt: NOW },
        }),
      ],
    });
    const item = await screen.findByRole('button', { name: /^Grace Hopper/ });
    expect(item.getAttribute('aria-label')).toBe('Grace Hopper, My order never arrived, 2 unread, Urgent');
    expect(within(item).getByText('My order never arrived')).toBeDefined();
    expect(within(item).getByText('2')).toBeDefined();
    expect(within(item).getByText('Urgent')).toBeDefined();
  });

  it('adds a conversation from a live event without reloading', async () => {
    const { fake, fetch } = renderInbox({
      conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper'), waitingSince: NOW - 5 * MIN })],
    });
    await screen.findByRole('button', { name: /^Grace Hopper/ });
    const before = requests(fetch).length;

    act(() => {
      fake.emit(
        'conversation',
        summary({ id: 'c2', contact: contact('k2', 'Linus Torvalds'), waitingSince: NOW - 9 * MIN, createdAt: NOW }),
      );
    });

    expect(itemNames().map((name) => name.split(',')[0])).toEqual(['Linus Torvalds', 'Grace Hopper']);
    expect(requests(fetch).length).toBe(before);
  });

  it('updates an item in place from a live event, and drops it when it leaves the filter', async () => {
    const open = summary({ id: 'c1', contact: contact('k1', 'Grace Hopper') });
    const { fake } = renderInbox({ conversations: [open] });
    await screen.findByRole('button', { name: /^Grace Hopper/ });

    act(() => {
      fake.emit('conversation', {
        ...open,
        lastSeq: 2,
        lastMessage: { seq: 2, kind: 'text', authorKind: 'visitor', text: 'Anyone there?', createdAt: NOW },
        updatedAt: NOW,
      });
    });
    expect(screen.getByRole('button', { name: /^Grace Hopper, Anyone there\?/ })).toBeDefined();

    act(() => fake.emit('conversation', { ...open, status: 'resolved', updatedAt: NOW + 1 }));
    expect(screen.queryByRole('list', { name: 'Conversations' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'No open conversations' })).toBeDefined();
  });

  it('filters by status with pressed toggle buttons', async () => {
    const { fetch } = renderInbox({
      conversations: [
        summary({ id: 'c1', contact: contact('k1', 'Open Olga') }),
        summary({ id: 'c2', contact: contact('k2', 'Done Dora'), status: 'resolved' }),
      ],
    });
    await screen.findByRole('button', { name: /^Open Olga/ });
    const status = screen.getByRole('group', { name: 'Status' });
    expect(within(status).getByRole('button', { name: 'Open' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(status).getByRole('button', { name: 'Resolved' }).getAttribute('aria-pressed')).toBe('false');

    fireEvent.click(within(status).getByRole('button', { name: 'Resolved' }));

    await screen.findByRole('button', { name: /^Done Dora/ });
    expect(screen.queryByRole('button', { name: /^Open Olga/ })).toBeNull();
    expect(within(status).getByRole('button', { name: 'Resolved' }).getAttribute('aria-pressed')).toBe('true');
    expect(requests(fetch)).toContain('GET /api/v1/conversations?status=resolved&limit=1000');

    fireEvent.click(within(status).getByRole('button', { name: 'All' }));
    await waitFor(() => expect(itemNames()).toHaveLength(2));
    expect(screen.getByRole('button', { name: /^Done Dora, .*Resolved$/ })).toBeDefined();
  });

  it('marks the open conversation as current', async () => {
    renderInbox({
      conversations: [
        summary({ id: 'c1', contact: contact('k1', 'Grace Hopper') }),
        summary({ id: 'c2', contact: contact('k2', 'Linus Torvalds') }),
      ],
    });
    const grace = await screen.findByRole('button', { name: /^Grace Hopper/ });
    expect(grace.getAttribute('aria-current')).toBeNull();

    fireEvent.click(grace);

    await waitFor(() => expect(grace.getAttribute('aria-current')).toBe('true'));
    expect(screen.getByRole('button', { name: /^Linus Torvalds/ }).getAttribute('aria-current')).toBeNull();
  });

  it('says so when there is nothing yet', async () => {
    renderInbox({ conversations: [] });
    expect(await screen.findByRole('heading', { name: 'No conversations yet' })).toBeDefined();
    expect(screen.getByText(/appears here at once/)).toBeDefined();
    expect(screen.getByRole('heading', { name: 'Select a conversation' })).toBeDefined();
  });

  it('puts the number of unread conversations in the page title', async () => {
    const { fake } = renderInbox({
      conversations: [
        summary({ id: 'c1', lastSeq: 2, agentReadSeq: 0 }),
        summary({ id: 'c2', lastSeq: 1, agentReadSeq: 1 }),
      ],
    });
    await waitFor(() => expect(document.title).toBe('(1) Parley Inbox'));

    act(() => fake.emit('conversation', summary({ id: 'c3', lastSeq: 1, agentReadSeq: 0, updatedAt: NOW })));
    await waitFor(() => expect(document.title).toBe('(2) Parley Inbox'));
  });

  it('shows a discreet banner while reconnecting', async () => {
    const { fake } = renderInbox();
    await screen.findByRole('navigation', { name: 'Inbox' });
    expect(screen.getByRole('status').textContent).toBe('');

    act(() => fake.emit('status', 'reconnecting'));
    expect(screen.getByRole('status').textContent).toBe('Reconnecting…');

    act(() => fake.emit('status', 'open'));
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
