import { afterEach, describe, expect, it, vi } from 'vitest';
import { installApi, isInstalled } from './api.ts';

type Host = Window & { Parley?: unknown };

/** The snippet site owners paste before widget.js. */
function snippet(win: Host) {
  // As the snippet does, it queues the `arguments` object itself.
  const stub = function () {
    ((stub as { q?: unknown[] }).q ??= []).push(arguments);
  };
  win.Parley = stub;
  return stub as (...args: unknown[]) => void;
}

afterEach(() => vi.restoreAllMocks());

describe('installApi', () => {
  it('replays commands queued before load, in order, and replaces the stub', () => {
    const win = {} as Host;
    const queued = snippet(win);
    queued('open');
    queued('close');
    queued('toggle');
    const calls: string[] = [];
    installApi(win, { open: () => calls.push('open'), close: () => calls.push('close'), toggle: () => calls.push('toggle') });
    expect(calls).toEqual(['open', 'close', 'toggle']);
    expect(win.Parley).not.toBe(queued);
    expect(isInstalled(win)).toBe(true);

    (win.Parley as (name: string) => void)('open');
    expect(calls).toEqual(['open', 'close', 'toggle', 'open']);
  });

  it('warns once per unknown command and never throws into the page', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const win = {} as Host;
    const parley = installApi(win, {
      boom: () => {
        throw new Error('inside');
      },
    });
    parley('nope');
    parley('nope');
    parley('toString');
    parley(42);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(() => parley('boom')).not.toThrow();
    expect(error).toHaveBeenCalledOnce();
  });

  it('is not fooled by what the host adds to Object.prototype', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const proto = Object.prototype as Record<string, unknown>;
    proto['__acmeTracking'] = () => {
      throw new Error('host function called');
    };
    try {
      const parley = installApi({} as Host, { open: () => {} });
      expect(() => parley('__acmeTracking')).not.toThrow();
      expect(warn).toHaveBeenCalledOnce();
    } finally {
      delete proto['__acmeTracking'];
    }
  });

  it('starts with no stub at all', () => {
    const win = {} as Host;
    const opened = vi.fn();
    installApi(win, { open: opened });
    (win.Parley as (name: string) => void)('open');
    expect(opened).toHaveBeenCalledOnce();
  });
});
