import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../storage.ts';
import { agentMessage, welcome } from '../test/fake-client.ts';
import { cleanupWidgets, renderWidget } from '../test/setup-app.tsx';

afterEach(() => {
  cleanupWidgets();
  vi.restoreAllMocks();
});

const site = (patch: Partial<ReturnType<typeof welcome>['site']>) => ({ ...welcome().site, ...patch });

function openWith(frame = welcome()) {
  const widget = renderWidget();
  fireEvent.click(screen.getByRole('button', { name: /^Open chat/ }));
  act(() => widget.client.emit('welcome', frame));
  return widget;
}

// The email form is a lazy chunk, loaded once `welcome` says the site needs it: hence `findBy`.
describe('pre-chat and offline forms', () => {
  it('email-required: no composer until a valid email is given, then profile, then the composer', async () => {
    const widget = openWith(welcome({ site: site({ preChat: 'email-required' }) }));
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    const email = await screen.findByRole('textbox', { name: 'Email' });
    expect(screen.queryByRole('button', { name: 'Skip' })).toBeNull();
    fireEvent.input(email, { target: { value: 'not-an-email' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('alert').textContent).toBe('Please enter a valid email address.');
    expect(widget.client.profiles).toEqual([]);
    fireEvent.input(email, { target: { value: 'ana@example.com' } });
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Continue' })));
    expect(widget.client.profiles).toEqual([{ email: 'ana@example.com' }]);
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeDefined();
  });

  it('email-optional: Skip goes straight to the composer without a profile', async () => {
    const widget = openWith(welcome({ site: site({ preChat: 'email-optional' }) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Skip' }));
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeDefined();
    expect(widget.client.profiles).toEqual([]);
  });

  it('offline: shows Away and "Leave a message", asks for the email, then says where the reply goes', async () => {
    openWith(welcome({ site: site({ agentsOnline: false }) }));
    const dialog = screen.getByRole('dialog', { name: 'Acme Support' });
    expect(within(dialog).getByText('Away')).toBeDefined();
    expect(await within(dialog).findByRole('heading', { name: 'Leave a message' })).toBeDefined();
    fireEvent.input(screen.getByRole('textbox', { name: 'Email' }), { target: { value: 'ana@example.com' } });
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Continue' })));
    expect(within(dialog).getByText('We will reply to ana@example.com.')).toBeDefined();
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeDefined();
  });

  it('outside business hours counts as offline even with agents online; a known email skips the form', () => {
    openWith(welcome({ site: site({ withinBusinessHours: false }), contact: { id: 'c', name: null, email: 'bo@example.com', externalId: null } }));
    expect(screen.getByText('Away')).toBeDefined();
    expect(screen.queryByRole('textbox', { name: 'Email' })).toBeNull();
    expect(screen.getByText('We will reply to bo@example.com.')).toBeDefined();
  });
});

describe('JavaScript API', () => {
  it('emits open, close, unread and message events to listeners', () => {
    const widget = renderWidget({ token: 'tok_0123456789abcdef' });
    const seen: unknown[] = [];
    for (const event of ['open', 'close', 'unread', 'message']) widget.parley('on', event, (value: unknown) => seen.push([event, value]));
    act(() => widget.client.emit('welcome', welcome()));
    act(() => widget.client.emit('message', agentMessage('Hello there', { seq: 1 })));
    act(() => widget.parley('open'));
    act(() => widget.parley('close'));
    expect(seen).toEqual([
      ['unread', 1],
      ['message', expect.objectContaining({ from: 'agent', text: 'Hello there', author: 'Alex' })],
      // Opening reads the thread before listeners hear `open`.
      ['unread', 0],
      ['open', undefined],
      ['close', undefined],
    ]);
  });

  it('hide and show toggle the launcher', () => {
    const widget = renderWidget();
    act(() => widget.parley('hide'));
    expect(widget.host.root.classList.contains('pw-gone')).toBe(true);
    act(() => widget.parley('show'));
    expect(widget.host.root.classList.contains('pw-gone')).toBe(false);
  });

  // `identify`'s checks are a lazy chunk; the calls after it wait for it, in order.
  it('identify before connecting goes in the first hello; after connecting it reconnects as that user', async () => {
    const widget = renderWidget();
    widget.parley('identify', { userId: 'u_1', userHash: 'a'.repeat(64), issuedAt: 1700000000, email: 'u@example.com', junk: 1 });
    fireEvent.click(screen.getByRole('button', { name: /^Open chat/ }));
    // The click came after `identify`: it waits for it, so the first hello already carries the identity.
    expect(widget.hasClient).toBe(false);
    await waitFor(() => expect(widget.hasClient).toBe(true));
    expect(widget.clients).toHaveLength(1);
    expect(widget.client.hello()).toMatchObject({ identity: { userId: 'u_1', userHash: 'a'.repeat(64), issuedAt: 1700000000, email: 'u@example.com' } });
    expect(widget.client.hello()).not.toHaveProperty('identity.junk');
    widget.parley('identify', { userId: 'u_2' });
    await waitFor(() => expect(widget.clients).toHaveLength(2));
    expect(widget.clients[0]?.connected).toBe(false);
    expect(widget.client.hello()).toMatchObject({ identity: { userId: 'u_2' } });
  });

  it('refuses a userHash without issuedAt, with a warning and an error event', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const widget = renderWidget();
    const errors: unknown[] = [];
    widget.parley('on', 'error', (e: unknown) => errors.push(e));
    widget.parley('identify', { userId: 'u_1', userHash: 'a'.repeat(64) });
    await waitFor(() => expect(warn).toHaveBeenCalledOnce());
    expect(warn.mock.calls[0]?.[0]).toMatch(/issuedAt/);
    expect(errors).toHaveLength(1);
  });

  it('falls back to an anonymous visitor when the relay refuses the identity', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const widget = renderWidget();
    const errors: unknown[] = [];
    widget.parley('on', 'error', (e: unknown) => errors.push(e));
    widget.parley('identify', { userId: 'u_1', userHash: 'b'.repeat(64), issuedAt: 1 });
    widget.parley('open');
    await waitFor(() => expect(widget.hasClient).toBe(true));
    expect(widget.client.hello()).toHaveProperty('identity.userId', 'u_1');
    act(() =>
      widget.client.emit('error', { type: 'error', code: 'FORBIDDEN', message: 'Identity verification failed: userHash does not match', field: 'identity.userHash' }),
    );
    expect(error).toHaveBeenCalledWith('[Parley] identify refused: Identity verification failed: userHash does not match');
    expect(errors).toEqual([{ code: 'FORBIDDEN', message: 'Identity verification failed: userHash does not match' }]);
    expect(widget.clients).toHaveLength(2);
    expect(widget.client.hello()).not.toHaveProperty('identity');
  });

  it('shutdown forgets the visitor: token, read marks, unsent messages, the thread', () => {
    const widget = renderWidget({ token: 'tok_0123456789abcdef' });
    widget.storage.set('read', '{"conv_1":3}');
    act(() => widget.client.emit('welcome', welcome()));
    act(() => widget.client.emit('message', agentMessage('Secret reply', { seq: 4 })));
    widget.parley('open');
    act(() => widget.parley('shutdown'));
    expect(widget.storage.get('token')).toBeUndefined();
    expect(widget.storage.get('read')).toBeUndefined();
    expect(widget.clients[0]?.connected).toBe(false);
    expect(screen.queryByRole('dialog')).toBeNull();
    act(() => widget.parley('open'));
    expect(widget.clients).toHaveLength(2);
    expect(widget.client.hello()).not.toHaveProperty('visitorToken');
    expect(screen.queryByText('Secret reply')).toBeNull();
  });

  it('setLocale loads German, and Arabic turns the panel right to left', async () => {
    const widget = renderWidget();
    widget.parley('setLocale', 'de-AT');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Chat öffnen' })).toBeDefined());
    widget.parley('open');
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Nachricht' })).toBeDefined());
    widget.parley('setLocale', 'ar');
    await waitFor(() => expect(screen.getByRole('dialog').getAttribute('dir')).toBe('rtl'));
    expect(screen.getByRole('button', { name: 'إرسال' })).toBeDefined();
  });

  it('plays the sound for an agent message only when turned on and the panel is closed', () => {
    const widget = renderWidget({ token: 'tok_0123456789abcdef' });
    act(() => widget.client.emit('message', agentMessage('one', { seq: 1 })));
    expect(widget.beeps).toHaveLength(0);
    widget.parley('set', { sound: true });
    act(() => widget.client.emit('message', agentMessage('two', { seq: 2 })));
    expect(widget.beeps).toHaveLength(1);
    act(() => widget.parley('open'));
    act(() => widget.client.emit('message', agentMessage('three', { seq: 3 })));
    expect(widget.beeps).toHaveLength(1);
  });
});

describe('unsent messages', () => {
  it('survive a reload in sessionStorage and go out again with the same client id, once acknowledged they are forgotten', async () => {
    const session = createMemoryStorage();
    const first = renderWidget({ session });
    fireEvent.click(screen.getByRole('button', { name: /^Open chat/ }));
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'Typed while offline' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    const clientId = first.client.sends[0]?.clientId;
    expect(JSON.parse(session.get('outbox') ?? '[]')).toMatchObject([{ clientId, text: 'Typed while offline' }]);
    cleanupWidgets();

    const second = renderWidget({ session });
    expect(second.client.sends.map((s) => s.input)).toEqual([{ text: 'Typed while offline', clientId }]);
    fireEvent.click(screen.getByRole('button', { name: /^Open chat/ }));
    expect(within(screen.getByRole('log', { name: 'Messages' })).getByText(/Sending…/)).toBeDefined();
    await act(async () => second.client.sends[0]?.ack());
    expect(session.get('outbox')).toBeUndefined();
  });
});
