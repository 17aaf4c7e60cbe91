import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTypingNotifier } from './typing.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createTypingNotifier', () => {
  it('sends true once per interval while typing, and false after a pause', () => {
    const send = vi.fn();
    const typing = createTypingNotifier(send, { intervalMs: 3000, idleMs: 4000 });

    typing.input('c1');
    vi.advanceTimersByTime(1000);
    typing.input('c1');
    expect(send.mock.calls).toEqual([['c1', true, false]]);

    vi.advanceTimersByTime(2000);
    typing.input('c1');
    expect(send.mock.calls).toEqual([
      ['c1', true, false],
      ['c1', true, false],
    ]);

    vi.advanceTimersByTime(4000);
    expect(send).toHaveBeenLastCalledWith('c1', false, false);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('stops the old conversation when typing moves to another, and stop() is idempotent', () => {
    const send = vi.fn();
    const typing = createTypingNotifier(send);
    typing.input('c1');
    typing.input('c2');
    typing.stop();
    typing.stop();
    expect(send.mock.calls).toEqual([
      ['c1', true, false],
      ['c1', false, false],
      ['c2', true, false],
      ['c2', false, false],
    ]);
  });

  it('tells a note from a reply, and switching between them ends the previous signal', () => {
    const send = vi.fn();
    const typing = createTypingNotifier(send);
    typing.input('c1', true);
    typing.input('c1', false);
    typing.stop();
    expect(send.mock.calls).toEqual([
      ['c1', true, true],
      ['c1', false, true],
      ['c1', true, false],
      ['c1', false, false],
    ]);
  });
});
