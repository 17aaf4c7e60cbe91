import { act, fireEvent, screen, within } from '@testing-library/preact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentMessage, welcome } from '../test/fake-client.ts';
import { cleanupWidgets, renderWidget } from '../test/setup-app.tsx';

/**
 * Real host pages extend built-in prototypes (analytics snippets, old libraries). The widget
 * iterates objects and arrays it owns, and must not trip over what the host added to them.
 */
const objectProto = Object.prototype as Record<string, unknown>;
const arrayProto = Array.prototype as unknown as Record<string, unknown>;

beforeAll(() => {
  objectProto['__acmeTracking'] = true;
  arrayProto['last'] = function last(this: unknown[]) {
    return this[this.length - 1];
  };
});

afterAll(() => {
  cleanupWidgets();
  delete objectProto['__acmeTracking'];
  delete arrayProto['last'];
});

describe('on a host page that extends built-in prototypes', () => {
  it('opens, sends, receives and closes as usual', async () => {
    const widget = renderWidget();
    fireEvent.click(screen.getByRole('button', { name: 'Open chat' }));
    act(() => widget.client.emit('welcome', welcome()));
    expect(screen.getByRole('dialog', { name: 'Acme Support' })).toBeDefined();

    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'Hello' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await act(async () => widget.client.sends[0]?.ack());
    act(() => widget.client.emit('message', agentMessage('Hi, how can I help?')));

    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText(/Sent/)).toBeDefined();
    expect(within(log).getByText('Hi, how can I help?')).toBeDefined();
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
