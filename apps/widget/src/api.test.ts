import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from './api.ts';

afterEach(() => vi.restoreAllMocks());

describe('createApi', () => {
  it('runs known commands with their arguments', () => {
    const calls: unknown[][] = [];
    const api = createApi({ open: (...args) => calls.push(['open', ...args]), setLocale: (...args) => calls.push(['setLocale', ...args]) });
    api.call(['open']);
    api.call(['setLocale', 'de']);
    expect(calls).toEqual([['open'], ['setLocale', 'de']]);
  });

  it('warns once per unknown command and never throws into the page', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = createApi({
      boom: () => {
        throw new Error('inside');
      },
    });
    api.call(['nope']);
    api.call(['nope']);
    api.call(['toString']);
    api.call([42]);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[0]?.[0]).toContain('Unknown command "nope"');
    expect(() => api.call(['boom'])).not.toThrow();
    expect(error).toHaveBeenCalledOnce();
  });

  it('is not fooled by what the host adds to Object.prototype', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const proto = Object.prototype as Record<string, unknown>;
    proto['__acmeTracking'] = () => {
      throw new Error('host function called');
    };
    try {
      const api = createApi({ open: () => {} });
      expect(() => api.call(['__acmeTracking'])).not.toThrow();
      expect(warn).toHaveBeenCalledOnce();
    } finally {
      delete proto['__acmeTracking'];
    }
  });

  it('delivers events to listeners added with on, until off; a throwing listener does not stop the others', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const api = createApi({});
    const counts: unknown[] = [];
    const listener = (count: unknown) => counts.push(count);
    api.call(['on', 'unread', () => {
      throw new Error('host bug');
    }]);
    api.call(['on', 'unread', listener]);
    api.emit('unread', 2);
    api.call(['off', 'unread', listener]);
    api.emit('unread', 3);
    expect(counts).toEqual([2]);
    expect(console.error).toHaveBeenCalledTimes(2);
  });

  it('warns once about an unknown event name', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const api = createApi({});
    api.call(['on', 'opened', () => {}]);
    api.call(['on', 'opened', () => {}]);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]?.[0]).toContain('Unknown event "opened"');
  });

  it('holds the calls after an async command until it settles, so they take effect in order', async () => {
    const calls: string[] = [];
    let release!: () => void;
    const api = createApi({
      identify: () => new Promise<void>((resolve) => (release = () => (calls.push('identify'), resolve()))),
      open: () => calls.push('open'),
    });
    const started: string[] = [];
    api.call(['identify']);
    api.call(['open']);
    api.after(() => started.push('start'));
    expect(calls).toEqual([]);
    release();
    await vi.waitFor(() => expect(started).toEqual(['start']));
    expect(calls).toEqual(['identify', 'open']);
    // Settled: calls run at once again.
    api.call(['open']);
    expect(calls).toEqual(['identify', 'open', 'open']);
  });

  it('keeps going after an async command that fails, and logs it', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const calls: string[] = [];
    const api = createApi({ identify: () => Promise.reject(new Error('chunk failed')), open: () => calls.push('open') });
    api.call(['identify']);
    api.call(['open']);
    await vi.waitFor(() => expect(calls).toEqual(['open']));
    expect(error).toHaveBeenCalledOnce();
  });
});
