import { act, fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { contact, message, NOW, summary, welcome } from '../test/fixtures.ts';
import { renderInbox } from '../test/render-inbox.tsx';
import { fillVariables } from '../canned.ts';

async function open() {
  const rendered = renderInbox({
    conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper', 'grace@example.com') })],
    messages: { c1: [message({ id: 'm1', seq: 1, text: 'Hello?' })] },
  });
  fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));
  await screen.findByText('Hello?');
  act(() => rendered.fake.emit('welcome', welcome()));
  // Canned responses come over REST after sign-in.
  await screen.findByRole('button', { name: 'billing' });
  return rendered;
}

/** Types `value` with the caret at its end, as a keystroke would leave it. */
function type(input: HTMLTextAreaElement, value: string) {
  input.value = value;
  input.setSelectionRange(value.length, value.length);
  fireEvent.input(input);
}

describe('Composer: notes, canned responses, mentions', () => {
  it('toggles to a private note, sent as kind note and shown distinctly, without a typing signal', async () => {
    const { fake } = await open();
    const group = screen.getByRole('group', { name: 'Compose as' });
    fireEvent.click(within(group).getByRole('button', { name: 'Private note' }));
    expect(within(group).getByRole('button', { name: 'Private note' }).getAttribute('aria-pressed')).toBe('true');

    const note = screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
    type(note, 'Customer is on the legacy plan');
    expect(fake.client.typing).not.toHaveBeenCalledWith('c1', true);
    fireEvent.keyDown(note, { key: 'Enter' });
    expect(fake.client.send).toHaveBeenCalledWith({ conversationId: 'c1', text: 'Customer is on the legacy plan', kind: 'note' });

    const clientId = fake.client.send.mock.results[0]!.value.clientId;
    act(() => fake.acknowledge(clientId, { messageId: 'm2', seq: 2, createdAt: NOW }));
    const log = screen.getByRole('log', { name: 'Messages' });
    const bubble = within(log).getByText('Customer is on the legacy plan');
    expect(bubble.closest('.message')?.classList.contains('message-note')).toBe(true);
    expect(within(log).getByText('Internal note')).toBeDefined();
  });

  it('offers canned responses on / and inserts one with its variables filled', async () => {
    const { fake } = await open();
    const reply = screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;
    type(reply, '/he');
    const options = within(screen.getByRole('listbox', { name: 'Canned responses' })).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['/helloGreeting']);

    fireEvent.keyDown(reply, { key: 'Enter' });
    expect(reply.value).toBe('Hi Grace, this is Ada Lovelace. How can I help?');
    expect(screen.queryByRole('listbox', { name: 'Canned responses' })).toBeNull();
    expect(fake.client.send).not.toHaveBeenCalled();

    fireEvent.keyDown(reply, { key: 'Enter' });
    expect(fake.client.send).toHaveBeenCalledWith({ conversationId: 'c1', text: 'Hi Grace, this is Ada Lovelace. How can I help?' });
  });

  it('moves through suggestions with the arrows, and Escape closes them without clearing the draft', async () => {
    await open();
    const reply = screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;
    type(reply, '/');
    const list = screen.getByRole('listbox', { name: 'Canned responses' });
    expect(within(list).getAllByRole('option')[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(reply, { key: 'ArrowDown' });
    expect(within(list).getAllByRole('option')[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(reply, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(reply.value).toBe('/');
  });

  it('mentions a teammate in a note with @, and sends their id', async () => {
    const { fake } = await open();
    fireEvent.keyDown(document.body, { key: 'n' });
    const note = screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
    type(note, 'Can you check this @be');
    const list = screen.getByRole('listbox', { name: 'Mention a teammate' });
    expect(within(list).getAllByRole('option').map((option) => option.textContent)).toEqual(['Bea Turingbea@example.com']);
    fireEvent.keyDown(note, { key: 'Enter' });
    expect(note.value).toBe('Can you check this @Bea Turing ');
    fireEvent.keyDown(note, { key: 'Enter' });
    expect(fake.client.send).toHaveBeenCalledWith({
      conversationId: 'c1',
      text: 'Can you check this @Bea Turing',
      kind: 'note',
      mentions: ['agent_2'],
    });
  });

  it('keeps typing after a chosen mention in order, however soon the next key comes', async () => {
    await open();
    fireEvent.keyDown(document.body, { key: 'n' });
    const note = screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
    type(note, 'Thanks @Be');
    fireEvent.keyDown(note, { key: 'Enter' });
    // The next key lands before any animation frame: at the caret, which follows the mention.
    expect(note.selectionStart).toBe('Thanks @Bea Turing '.length);
    type(note, 'Thanks @Bea Turing f');
    await act(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
    // A keystroke inserts at the caret; the caret must still be after the "f".
    const at = note.selectionStart;
    type(note, `${note.value.slice(0, at)}o${note.value.slice(at)}`);
    expect(note.value).toBe('Thanks @Bea Turing fo');
  });

  it('does not offer mentions in a reply to the visitor', async () => {
    await open();
    const reply = screen.getByRole('textbox', { name: 'Reply' }) as HTMLTextAreaElement;
    type(reply, 'Email me @be');
    expect(screen.queryByRole('listbox')).toBeNull();
  });
});

describe('fillVariables', () => {
  it('fills the known variables, says "there" for an unknown name, and leaves unknown ones', () => {
    const agent = { name: 'Ada' };
    expect(fillVariables('{{contact.name}}|{{contact.firstName}}|{{contact.email}}|{{agent.name}}', { contact: { name: 'Grace B. Hopper', email: 'g@x.io' }, agent })).toBe(
      'Grace B. Hopper|Grace|g@x.io|Ada',
    );
    expect(fillVariables('Hi {{ contact.firstName }}! {{order.id}}', { contact: { name: null, email: null }, agent })).toBe('Hi there! {{order.id}}');
  });
});
