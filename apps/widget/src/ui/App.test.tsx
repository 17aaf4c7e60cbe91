import { act, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { agentMessage, welcome } from '../test/fake-client.ts';
import { cleanupWidgets, renderWidget } from '../test/setup-app.tsx';

afterEach(cleanupWidgets);

function openChat() {
  fireEvent.click(screen.getByRole('button', { name: /^Open chat/ }));
}

function type(text: string) {
  const box = screen.getByRole('textbox', { name: 'Message' });
  fireEvent.input(box, { target: { value: text } });
  return box;
}

describe('launcher and panel', () => {
  it('opens and closes the dialog, and its name and aria-expanded follow', () => {
    renderWidget();
    const launcher = screen.getByRole('button', { name: 'Open chat' });
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.click(launcher);
    expect(screen.getByRole('dialog', { name: 'Chat' })).toBeDefined();
    expect(launcher.getAttribute('aria-expanded')).toBe('true');
    expect(launcher.getAttribute('aria-label')).toBe('Close chat');

    fireEvent.click(screen.getByRole('button', { name: 'Close chat' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Open chat' })).toBe(launcher);
  });

  it('focuses the Message box on open; Escape closes and returns focus to the launcher', async () => {
    renderWidget();
    openChat();
    const box = screen.getByRole('textbox', { name: 'Message' });
    await waitFor(() => expect(document.activeElement).toBe(box));

    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open chat' }));
  });

  it('returns focus to the launcher when closed through the API while focus is inside', async () => {
    const { chat } = renderWidget();
    openChat();
    const box = screen.getByRole('textbox', { name: 'Message' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    act(() => chat.close());
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open chat' }));
  });

  it('connects on first open for a new visitor, at once for a returning one', () => {
    const fresh = renderWidget();
    expect(fresh.hasClient).toBe(false);
    openChat();
    expect(fresh.client.connected).toBe(true);
    cleanupWidgets();

    const returning = renderWidget({ token: 'tok_0123456789abcdef' });
    expect(returning.client.connected).toBe(true);
    expect(returning.client.hello()).toMatchObject({ role: 'visitor', siteKey: 'site_1', visitorToken: 'tok_0123456789abcdef' });
  });

  it('names the dialog after the site and shows its reply time and greeting', () => {
    const widget = renderWidget();
    openChat();
    act(() => widget.client.emit('welcome', welcome()));
    const dialog = screen.getByRole('dialog', { name: 'Acme Support' });
    expect(within(dialog).getByText(/^Online · Usually replies in a few minutes$/)).toBeDefined();
    expect(within(screen.getByRole('log', { name: 'Messages' })).getByText('Hi! Ask us anything.')).toBeDefined();
  });
});

describe('before the thread chunk arrives', () => {
  it('the panel opens and the visitor types and sends; the thread shows their message once it is in', async () => {
    let arrive!: (module: typeof import('./Thread.tsx')) => void;
    const widget = renderWidget({ thread: new Promise((resolve) => (arrive = resolve)) });
    openChat();
    expect(screen.getByRole('dialog', { name: 'Chat' })).toBeDefined();
    const log = screen.getByRole('log', { name: 'Messages' });
    fireEvent.keyDown(type('Typed before Preact'), { key: 'Enter' });
    expect(widget.client.sends[0]?.input).toEqual({ text: 'Typed before Preact' });
    expect(log.textContent).toBe('');

    await act(async () => arrive(await import('./Thread.tsx')));
    expect(within(log).getByText('Typed before Preact').textContent).toBe('You: Typed before Preact');
    expect(within(log).getByText(/Sending…/)).toBeDefined();
  });
});

describe('sending', () => {
  it('disables Send while the box is empty or blank', () => {
    renderWidget();
    openChat();
    const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    type('   ');
    expect(send.disabled).toBe(true);
    type('Hello');
    expect(send.disabled).toBe(false);
  });

  it('shows "Sending…" and then "Sent" once the relay acknowledges', async () => {
    const widget = renderWidget();
    openChat();
    const box = type('Hello there');
    fireEvent.keyDown(box, { key: 'Enter' });

    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText('Hello there')).toBeDefined();
    expect(within(log).getByText(/Sending…/)).toBeDefined();
    expect((box as HTMLTextAreaElement).value).toBe('');
    expect(widget.client.sends[0]?.input).toEqual({ text: 'Hello there' });

    await act(async () => widget.client.sends[0]?.ack({ conversationId: 'conv_9' }));
    expect(within(log).getByText(/Sent/)).toBeDefined();
    expect(within(log).queryByText(/Sending…/)).toBeNull();

    // Later sends leave the conversation to the relay too (the visitor's current one), so the
    // rule is the same before and after a reload.
    fireEvent.keyDown(type('Second'), { key: 'Enter' });
    expect(widget.client.sends[1]?.input).toEqual({ text: 'Second' });
  });

  it('keeps Shift+Enter as a new line', () => {
    const widget = renderWidget();
    openChat();
    fireEvent.keyDown(type('line one'), { key: 'Enter', shiftKey: true });
    expect(widget.client.sends).toHaveLength(0);
  });

  it('shows a failed send with Retry, and Retry sends it again', async () => {
    const widget = renderWidget();
    openChat();
    fireEvent.click((type('Will fail'), screen.getByRole('button', { name: 'Send' })));
    await act(async () => widget.client.sends[0]?.fail());

    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText(/Failed/)).toBeDefined();
    fireEvent.click(within(log).getByRole('button', { name: 'Retry' }));
    expect(within(log).getByText(/Sending…/)).toBeDefined();
    expect(widget.client.sends).toHaveLength(2);
    expect(widget.client.sends[1]?.clientId).toBe(widget.client.sends[0]?.clientId);

    await act(async () => widget.client.sends[1]?.ack());
    expect(within(log).getByText(/Sent/)).toBeDefined();
    expect(within(log).queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('marks the visitor\'s messages "Seen" when an agent has read them', async () => {
    const widget = renderWidget();
    openChat();
    fireEvent.keyDown(type('Anyone there?'), { key: 'Enter' });
    await act(async () => widget.client.sends[0]?.ack({ conversationId: 'conv_1', seq: 4 }));
    act(() => widget.client.emit('read', { type: 'read', conversationId: 'conv_1', reader: 'agent', seq: 4 }));
    expect(within(screen.getByRole('log', { name: 'Messages' })).getByText(/Seen/)).toBeDefined();
  });

  it('tells the relay the visitor is typing, and that they stopped when they send', () => {
    const widget = renderWidget();
    openChat();
    act(() => widget.client.emit('welcome', welcome({ conversations: [{ id: 'conv_1', status: 'open', lastSeq: 0, createdAt: 1 }] })));
    const box = type('H');
    type('He');
    expect(widget.client.typings).toEqual([['conv_1', true]]);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(widget.client.typings).toEqual([['conv_1', true], ['conv_1', false]]);
  });
});

describe('receiving', () => {
  it('shows an agent message in the log and counts it on the launcher while closed', () => {
    const widget = renderWidget({ token: 'tok_0123456789abcdef' });
    act(() => widget.client.emit('welcome', welcome()));
    act(() => widget.client.emit('message', agentMessage('We are here to help', { seq: 1 })));
    act(() => widget.client.emit('message', agentMessage('Still there?', { seq: 2 })));

    const launcher = screen.getByRole('button', { name: 'Open chat, 2 unread' });
    fireEvent.click(launcher);
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText('We are here to help')).toBeDefined();
    expect(within(log).getAllByText('Alex')).toHaveLength(2);
    // Opening reads them: the badge clears and the relay hears it.
    expect(widget.client.reads).toEqual([['conv_1', 2]]);
    fireEvent.click(screen.getByRole('button', { name: 'Close chat' }));
    expect(screen.getByRole('button', { name: 'Open chat' })).toBeDefined();
  });

  it('does not count messages that arrive while the panel is open', () => {
    const widget = renderWidget();
    openChat();
    act(() => widget.client.emit('message', agentMessage('Hello!', { seq: 1 })));
    fireEvent.click(screen.getByRole('button', { name: 'Close chat' }));
    expect(screen.getByRole('button', { name: 'Open chat' })).toBeDefined();
  });

  it('shows "Alex is typing…" until the message arrives', () => {
    const widget = renderWidget();
    openChat();
    const author = { kind: 'agent', id: 'agent_1', name: 'Alex' } as const;
    act(() => widget.client.emit('typing', { type: 'typing', conversationId: 'conv_1', author, typing: true }));
    expect(screen.getByText('Alex is typing…')).toBeDefined();
    act(() => widget.client.emit('message', agentMessage('Done typing')));
    expect(screen.queryByText('Alex is typing…')).toBeNull();
  });

  it('renders message text as text, never as HTML', () => {
    const widget = renderWidget();
    openChat();
    const attack = '<img src=x onerror=alert(1)> <b>bold</b>';
    act(() => widget.client.emit('message', agentMessage(attack)));
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText(attack)).toBeDefined();
    expect(log.querySelector('img, b')).toBeNull();
  });

  it('links http(s) URLs safely and leaves javascript: URLs as text', () => {
    const widget = renderWidget();
    openChat();
    act(() => widget.client.emit('message', agentMessage('Docs: https://example.com/help. Not javascript:alert(1)')));
    const log = screen.getByRole('log', { name: 'Messages' });
    const links = within(log).getAllByRole('link');
    expect(links).toHaveLength(1);
    const link = links[0] as HTMLAnchorElement;
    expect(link.textContent).toBe('https://example.com/help');
    expect(link.getAttribute('href')).toBe('https://example.com/help');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(within(log).getByText(/javascript:alert\(1\)/)).toBeDefined();
  });
});
