import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requests } from '../test/fake-fetch.ts';
import { contact, NOW, summary, welcome } from '../test/fixtures.ts';
import { renderInbox } from '../test/render-inbox.tsx';

const MIN = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const list = () => screen.getByRole('list', { name: 'Conversations' });
const names = () => within(list()).getAllByRole('button').map((button) => button.getAttribute('aria-label')!.split(',')[0]);

describe('the queue', () => {
  it('lifts a higher priority above a longer wait, but never above someone waiting', async () => {
    renderInbox({
      conversations: [
        summary({ id: 'a', contact: contact('k1', 'Long Wait'), waitingSince: NOW - 30 * MIN }),
        summary({ id: 'b', contact: contact('k2', 'Urgent Short'), waitingSince: NOW - 2 * MIN, priority: 'urgent' }),
        summary({ id: 'c', contact: contact('k3', 'Urgent Answered'), waitingSince: null, priority: 'urgent' }),
        summary({ id: 'd', contact: contact('k4', 'High Mid'), waitingSince: NOW - 10 * MIN, priority: 'high' }),
      ],
    });
    await screen.findByRole('list', { name: 'Conversations' });
    expect(names()).toEqual(['Urgent Short', 'High Mid', 'Long Wait', 'Urgent Answered']);
  });

  it('shows folders (Mine, Unassigned, All) and asks the relay for the folder', async () => {
    const { fetch, fake } = renderInbox({
      conversations: [
        summary({ id: 'a', contact: contact('k1', 'Mine Mia'), assigneeId: 'agent_1' }),
        summary({ id: 'b', contact: contact('k2', 'Nobody Ned'), assigneeId: null }),
        summary({ id: 'c', contact: contact('k3', 'Bea Bob'), assigneeId: 'agent_2' }),
      ],
    });
    await screen.findByRole('list', { name: 'Conversations' });
    expect(names()).toHaveLength(3);
    const folders = screen.getByRole('group', { name: 'Folders' });

    fireEvent.click(within(folders).getByRole('button', { name: 'Mine' }));
    await waitFor(() => expect(names()).toEqual(['Mine Mia']));
    await waitFor(() => expect(requests(fetch)).toContain('GET /api/v1/conversations?status=open&assignee=me&limit=1000'));
    expect(screen.getByRole('heading', { name: 'Mine · Open' })).toBeDefined();

    fireEvent.click(within(folders).getByRole('button', { name: 'Unassigned' }));
    await waitFor(() => expect(names()).toEqual(['Nobody Ned']));
    expect(within(folders).getByRole('button', { name: 'Unassigned' }).getAttribute('aria-pressed')).toBe('true');

    // A live assignment moves it out of Unassigned at once.
    act(() => fake.emit('conversation', summary({ id: 'b', contact: contact('k2', 'Nobody Ned'), assigneeId: 'agent_2', updatedAt: NOW })));
    expect(screen.queryByRole('list', { name: 'Conversations' })).toBeNull();
    expect(await screen.findByRole('heading', { name: 'No open conversations in Unassigned' })).toBeDefined();
  });

  it('lists label and team folders and filters by them', async () => {
    const { fetch } = renderInbox({
      conversations: [
        summary({ id: 'a', contact: contact('k1', 'Billing Bo'), labelIds: ['lab_billing'] }),
        summary({ id: 'b', contact: contact('k2', 'Team Tia'), teamId: 'team_support' }),
      ],
    });
    const labels = await screen.findByRole('group', { name: 'Labels' });
    fireEvent.click(within(labels).getByRole('button', { name: 'billing' }));
    await waitFor(() => expect(names()).toEqual(['Billing Bo']));
    expect(requests(fetch)).toContain('GET /api/v1/conversations?status=open&labelId=lab_billing&limit=1000');

    fireEvent.click(within(screen.getByRole('group', { name: 'Teams' })).getByRole('button', { name: 'Support' }));
    await waitFor(() => expect(names()).toEqual(['Team Tia']));
    expect(requests(fetch)).toContain('GET /api/v1/conversations?status=open&teamId=team_support&limit=1000');
  });

  it('renders only a window of 10,000 conversations, and live updates reach it', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      summary({ id: `c${i}`, contact: contact(`k${i}`, `Person ${i}`), waitingSince: NOW - (10_000 - i) * 1000 }),
    );
    const { fake } = renderInbox({ conversations: many });
    await screen.findByRole('list', { name: 'Conversations' });
    const rendered = within(list()).getAllByRole('listitem');
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(60);
    expect(rendered[0]!.getAttribute('aria-setsize')).toBe('10000');
    expect(screen.getByRole('heading', { name: 'Open' }).nextElementSibling?.textContent).toBe((10_000).toLocaleString());

    // A new message on the last one makes it… still last (it keeps its wait); a new urgent one goes first.
    act(() => fake.emit('conversation', summary({ id: 'vip', contact: contact('kv', 'VIP Vera'), priority: 'urgent', waitingSince: NOW, updatedAt: NOW })));
    expect(names()[0]).toBe('VIP Vera');
  });

  it('moves a cursor with j / k and opens with Enter; letters typed in a field stay text', async () => {
    const { fake } = renderInbox({
      conversations: [
        summary({ id: 'a', contact: contact('k1', 'First Fay'), waitingSince: NOW - 3 * MIN }),
        summary({ id: 'b', contact: contact('k2', 'Second Sid'), waitingSince: NOW - 2 * MIN }),
      ],
    });
    await screen.findByRole('list', { name: 'Conversations' });
    fireEvent.keyDown(document.body, { key: 'j' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^First Fay/));
    fireEvent.keyDown(document.activeElement!, { key: 'j' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Second Sid/));
    fireEvent.keyDown(document.activeElement!, { key: 'k' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^First Fay/));

    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'Enter' });
    await screen.findByRole('heading', { name: 'First Fay' });
    expect(fake.client.viewing).toHaveBeenLastCalledWith('a');

    // r focuses the reply; e typed there is text, not "resolve".
    fireEvent.keyDown(document.body, { key: 'r' });
    const reply = screen.getByRole('textbox', { name: 'Reply' });
    await waitFor(() => expect(document.activeElement).toBe(reply));
    fireEvent.keyDown(reply, { key: 'e' });
    expect(fake.client.update).not.toHaveBeenCalled();

    // Escape leaves the field; then e resolves.
    fireEvent.keyDown(reply, { key: 'Escape' });
    expect(document.activeElement).not.toBe(reply);
    fireEvent.keyDown(document.body, { key: 'e' });
    expect(fake.client.update).toHaveBeenCalledWith('a', { status: 'resolved' });
  });

  it('shows every shortcut with ?', async () => {
    renderInbox({ conversations: [] });
    await screen.findByRole('navigation', { name: 'Inbox' });
    fireEvent.keyDown(document.body, { key: '?' });
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const key of ['j', 'k', 'Enter', 'r', 'n', 'e', 'a', 'l', 's', '/', '?']) {
      expect(within(help).getAllByText(key, { selector: 'kbd' }).length).toBeGreaterThan(0);
    }
    fireEvent.keyDown(help, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('assigns with a transfer note that mentions the new assignee', async () => {
    const { fake } = renderInbox({ conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper') })] });
    fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));
    act(() => fake.emit('welcome', welcome()));
    fireEvent.keyDown(document.body, { key: 'a' });
    const dialog = screen.getByRole('dialog', { name: 'Assign conversation' });
    fireEvent.input(within(dialog).getByLabelText('Transfer note (optional)'), { target: { value: 'Refund approved' } });
    const combo = within(dialog).getByRole('combobox', { name: 'Assign to' });
    fireEvent.input(combo, { target: { value: 'bea' } });
    expect(within(dialog).getAllByRole('option').map((option) => option.textContent)).toEqual([expect.stringContaining('Bea Turing')]);
    fireEvent.keyDown(combo, { key: 'Enter' });

    expect(fake.client.send).toHaveBeenCalledWith({ conversationId: 'c1', text: 'Refund approved', kind: 'note', mentions: ['agent_2'] });
    expect(fake.client.update).toHaveBeenCalledWith('c1', { assigneeId: 'agent_2' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('snoozes, sets priority and toggles labels through update frames', async () => {
    const { fake } = renderInbox({ conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper'), labelIds: ['lab_bug'] })] });
    fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));

    fireEvent.keyDown(document.body, { key: 's' });
    const snooze = screen.getByRole('dialog', { name: 'Snooze until' });
    fireEvent.click(within(snooze).getByRole('option', { name: /In 1 hour/ }));
    expect(fake.client.update).toHaveBeenCalledWith('c1', { status: 'snoozed', snoozedUntil: NOW + 3_600_000 });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    fireEvent.keyDown(document.body, { key: 'l' });
    const labels = await screen.findByRole('dialog', { name: 'Labels' });
    expect(within(labels).getByRole('option', { name: 'bug' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(within(labels).getByRole('option', { name: 'billing' }));
    expect(fake.client.update).toHaveBeenLastCalledWith('c1', { addLabelIds: ['lab_billing'] });
    fireEvent.click(within(labels).getByRole('option', { name: 'bug' }));
    expect(fake.client.update).toHaveBeenLastCalledWith('c1', { removeLabelIds: ['lab_bug'] });
    fireEvent.keyDown(labels, { key: 'Escape' });

    fireEvent.keyDown(document.body, { key: 'p' });
    fireEvent.click(within(await screen.findByRole('dialog', { name: 'Priority' })).getByRole('option', { name: /Urgent/ }));
    expect(fake.client.update).toHaveBeenLastCalledWith('c1', { priority: 'urgent' });
  });

  it('shows who else is viewing or typing in the conversation', async () => {
    const { fake } = renderInbox({ conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper') })] });
    fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));
    act(() => {
      fake.emit('welcome', welcome());
      fake.emit('frame', { type: 'viewers', conversationId: 'c1', agentIds: ['agent_1', 'agent_3'] });
    });
    const here = screen.getByRole('status', { name: 'Teammates here' });
    expect(here.textContent).toBe('Alex Kay is viewing');

    act(() => fake.emit('typing', { type: 'typing', conversationId: 'c1', author: { kind: 'agent', id: 'agent_3', name: 'Alex Kay' }, typing: true }));
    expect(here.textContent).toBe('Alex Kay is typing…');
  });

  it('sets presence online / away from the switch', async () => {
    const { fake } = renderInbox();
    const toggle = await screen.findByRole('switch', { name: 'Available for chats' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(toggle);
    expect(fake.client.presence).toHaveBeenCalledWith('away');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
  });
});
