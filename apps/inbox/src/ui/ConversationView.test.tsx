import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { requests } from '../test/fake-fetch.ts';
import { contact, message, NOW, summary } from '../test/fixtures.ts';
import { renderInbox } from '../test/render-inbox.tsx';

const grace = summary({
  id: 'c1',
  contact: contact('k1', 'Grace Hopper', 'grace@example.com'),
  lastSeq: 3,
  agentReadSeq: 0,
  visitorReadSeq: 0,
});

const thread = [
  message({ id: 'm1', seq: 1, text: 'Hi, my invoice is wrong' }),
  message({ id: 'm2', seq: 2, author: { kind: 'agent', id: 'agent_2', name: 'Bob' }, text: 'Let me check' }),
  message({ id: 'm3', seq: 3, kind: 'note', author: { kind: 'agent', id: 'agent_2', name: 'Bob' }, text: 'VIP customer' }),
];

async function openGrace(scenario: Parameters<typeof renderInbox>[0] = {}) {
  const rendered = renderInbox({ conversations: [grace], messages: { c1: thread }, ...scenario });
  fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));
  const log = await screen.findByRole('log', { name: 'Messages' });
  await within(log).findByText('Hi, my invoice is wrong');
  return { ...rendered, log };
}

describe('ConversationView', () => {
  it('loads the thread over REST when a conversation is opened, and tracks it live', async () => {
    const { log, fetch, fake } = await openGrace();

    expect(requests(fetch)).toContain('GET /api/v1/conversations/c1/messages?limit=50');
    expect(screen.getByRole('heading', { name: 'Grace Hopper' })).toBeDefined();
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(within(log).getByText('Let me check')).toBeDefined();
    expect(within(log).getByText('VIP customer')).toBeDefined();
    expect(within(log).getByText('Internal note')).toBeDefined();
    expect(within(log).getAllByText('Bob')).toHaveLength(2);
    expect(fake.client.track).toHaveBeenCalledWith('c1', 3);
    expect(fake.client.markRead).toHaveBeenCalledWith('c1', 3);
  });

  it('appends live messages once, even when the same message arrives twice', async () => {
    const { log, fake } = await openGrace();
    const live = message({ id: 'm4', seq: 4, text: 'Any news?' });

    act(() => {
      fake.emit('message', live);
      fake.emit('message', live);
    });

    expect(within(log).getAllByText('Any news?')).toHaveLength(1);
    expect(fake.client.markRead).toHaveBeenLastCalledWith('c1', 4);
    expect(screen.getByRole('button', { name: /^Grace Hopper, Any news\?/ })).toBeDefined();
  });

  it('renders message text as text, never as HTML, and links only http(s) URLs', async () => {
    const hostile = '<img src=x onerror="alert(1)"> <b>bold</b> javascript:alert(1) see https://example.com/a?b=1.';
    const { log } = await openGrace({
      messages: { c1: [message({ id: 'm1', seq: 1, text: 'Hi, my invoice is wrong' }), message({ id: 'x', seq: 2, text: hostile })] },
    });

    expect(log.querySelector('img')).toBeNull();
    expect(log.querySelector('b')).toBeNull();
    expect(within(log).getByText((_, element) => element?.classList.contains('bubble') === true && element.textContent === hostile)).toBeDefined();
    const links = within(log).getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('https://example.com/a?b=1');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
  });

  it('resolves through the client, and shows the new status when the conversation event arrives', async () => {
    const { fake } = await openGrace();
    const header = screen.getByRole('main');
    expect(within(header).getByText('Open')).toBeDefined();

    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    expect(fake.client.update).toHaveBeenCalledWith('c1', { status: 'resolved' });
    // Nothing changes until the relay says so.
    await waitFor(() => expect((screen.getByRole('button', { name: 'Resolve' }) as HTMLButtonElement).disabled).toBe(false));

    act(() => fake.emit('conversation', { ...grace, status: 'resolved', updatedAt: NOW + 1 }));

    expect(within(header).getByText('Resolved')).toBeDefined();
    fireEvent.click(screen.getByRole('button', { name: 'Reopen' }));
    expect(fake.client.update).toHaveBeenLastCalledWith('c1', { status: 'open' });
  });

  it('shows an error when the relay refuses the status change', async () => {
    const { fake } = await openGrace();
    fake.client.update.mockRejectedValueOnce(new Error('Conversation is locked'));

    fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));

    const alert = await within(screen.getByRole('main')).findByRole('alert');
    expect(alert.textContent).toBe('Conversation is locked');
  });

  it("shows the visitor's typing and marks the last agent message seen", async () => {
    const { fake, log } = await openGrace();
    expect(within(log).queryByText('Seen')).toBeNull();

    act(() => {
      fake.emit('typing', { type: 'typing', conversationId: 'c1', author: { kind: 'visitor', id: 'k1', name: null }, typing: true });
      fake.emit('read', { type: 'read', conversationId: 'c1', reader: 'visitor', seq: 3 });
    });

    expect(screen.getByText('Grace Hopper is typing…')).toBeDefined();
    const seen = within(log).getByText('Seen');
    // Under Bob's reply, not the note the visitor never sees.
    expect(seen.parentElement?.textContent).toContain('Let me check');

    act(() =>
      fake.emit('typing', { type: 'typing', conversationId: 'c1', author: { kind: 'visitor', id: 'k1', name: null }, typing: false }),
    );
    expect(screen.queryByText('Grace Hopper is typing…')).toBeNull();
  });

  it('reloads a thread the relay cannot resume', async () => {
    const { fake, fetch } = await openGrace();
    const before = requests(fetch).filter((r) => r.includes('/messages')).length;

    act(() => fake.emit('reset', { type: 'reset', conversationId: 'c1', reason: 'HISTORY_PRUNED' }));

    await waitFor(() => expect(requests(fetch).filter((r) => r.includes('/messages')).length).toBe(before + 1));
    expect(await screen.findByText('Hi, my invoice is wrong')).toBeDefined();
  });
});
