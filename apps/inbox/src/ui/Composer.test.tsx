import { act, fireEvent, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { contact, message, NOW, summary } from '../test/fixtures.ts';
import { renderInbox } from '../test/render-inbox.tsx';

async function openConversation() {
  const rendered = renderInbox({
    conversations: [summary({ id: 'c1', contact: contact('k1', 'Grace Hopper') })],
    messages: { c1: [message({ id: 'm1', seq: 1, text: 'Hello?' })] },
  });
  fireEvent.click(await screen.findByRole('button', { name: /^Grace Hopper/ }));
  await screen.findByText('Hello?');
  return { ...rendered, reply: screen.getByLabelText('Reply') as HTMLTextAreaElement, log: screen.getByRole('log', { name: 'Messages' }) };
}

function type(reply: HTMLTextAreaElement, value: string) {
  fireEvent.input(reply, { target: { value } });
}

describe('Composer', () => {
  it('sends on Enter and clears the draft', async () => {
    const { reply, fake } = await openConversation();
    type(reply, '  Thanks, looking now  ');

    fireEvent.keyDown(reply, { key: 'Enter' });

    expect(fake.client.send).toHaveBeenCalledWith({ conversationId: 'c1', text: 'Thanks, looking now' });
    expect(reply.value).toBe('');
  });

  it('does not send on Shift+Enter', async () => {
    const { reply, fake } = await openConversation();
    type(reply, 'First line');

    fireEvent.keyDown(reply, { key: 'Enter', shiftKey: true });

    expect(fake.client.send).not.toHaveBeenCalled();
    expect(reply.value).toBe('First line');
  });

  it('sends with the Send button, which is disabled for an empty draft', async () => {
    const { reply, fake } = await openConversation();
    const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);

    type(reply, '   ');
    expect(send.disabled).toBe(true);
    type(reply, 'On it');
    fireEvent.click(send);

    expect(fake.client.send).toHaveBeenCalledWith({ conversationId: 'c1', text: 'On it' });
  });

  it('shows a send as pending until acknowledged, then as a message', async () => {
    const { reply, fake, log } = await openConversation();
    type(reply, 'On it');
    fireEvent.keyDown(reply, { key: 'Enter' });

    expect(within(log).getByText('Sending…')).toBeDefined();
    expect(within(log).getByText('On it')).toBeDefined();

    const clientId = fake.client.send.mock.results[0]!.value.clientId;
    act(() => fake.acknowledge(clientId, { messageId: 'm2', seq: 2, createdAt: NOW }));

    expect(within(log).queryByText('Sending…')).toBeNull();
    expect(within(log).getAllByText('On it')).toHaveLength(1);
    expect(within(log).getByText('Ada Lovelace')).toBeDefined();

    // The relay's echo of the same message changes nothing.
    act(() =>
      fake.emit(
        'message',
        message({ id: 'm2', seq: 2, clientId, text: 'On it', author: { kind: 'agent', id: 'agent_1', name: 'Ada Lovelace' } }),
      ),
    );
    expect(within(log).getAllByText('On it')).toHaveLength(1);
  });

  it('offers Retry for a refused send', async () => {
    const { reply, fake, log } = await openConversation();
    type(reply, 'On it');
    fireEvent.keyDown(reply, { key: 'Enter' });
    const clientId = fake.client.send.mock.results[0]!.value.clientId;

    act(() => fake.refuse(clientId, 'Slow down'));

    expect(within(log).getByText('Not sent: Slow down')).toBeDefined();
    fireEvent.click(within(log).getByRole('button', { name: 'Retry' }));
    expect(fake.client.retry).toHaveBeenCalledWith(clientId);
    expect(within(log).getByText('Sending…')).toBeDefined();
  });

  it("signals the agent's typing once per burst, and stops on send", async () => {
    const { reply, fake } = await openConversation();
    type(reply, 'O');
    type(reply, 'On');
    type(reply, 'On i');

    expect(fake.client.typing.mock.calls).toEqual([['c1', true, {}]]);

    fireEvent.keyDown(reply, { key: 'Enter' });
    expect(fake.client.typing).toHaveBeenLastCalledWith('c1', false, {});
  });
});
