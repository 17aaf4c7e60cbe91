import { describe, expect, it } from 'vitest';
import { createEmitter } from './emitter.ts';

type Events = { count: number; name: string };

describe('createEmitter', () => {
  it('delivers typed values to the listeners of that event only', () => {
    const emitter = createEmitter<Events>();
    const counts: number[] = [];
    const names: string[] = [];
    emitter.on('count', (value) => counts.push(value));
    emitter.on('name', (value) => names.push(value));
    emitter.emit('count', 1);
    emitter.emit('name', 'a');
    expect(counts).toEqual([1]);
    expect(names).toEqual(['a']);
  });

  it('stops delivering after unsubscribe, per subscription', () => {
    const emitter = createEmitter<Events>();
    const seen: number[] = [];
    const listener = (value: number) => seen.push(value);
    const first = emitter.on('count', listener);
    emitter.on('count', listener);
    emitter.emit('count', 1);
    first();
    emitter.emit('count', 2);
    expect(seen).toEqual([1, 1, 2]);
  });

  it('keeps calling the other listeners when one throws, and reports the error', () => {
    const reported: unknown[] = [];
    const emitter = createEmitter<Events>((error) => reported.push(error));
    const seen: number[] = [];
    const boom = new Error('listener bug');
    emitter.on('count', () => {
      throw boom;
    });
    emitter.on('count', (value) => seen.push(value));
    expect(() => emitter.emit('count', 7)).not.toThrow();
    expect(seen).toEqual([7]);
    expect(reported).toEqual([boom]);
  });

  it('by default rethrows a listener error asynchronously rather than from emit', async () => {
    const emitter = createEmitter<Events>();
    const boom = new Error('listener bug');
    emitter.on('count', () => {
      throw boom;
    });
    const original = globalThis.queueMicrotask;
    const queued: (() => void)[] = [];
    globalThis.queueMicrotask = (callback) => queued.push(callback);
    try {
      expect(() => emitter.emit('count', 1)).not.toThrow();
    } finally {
      globalThis.queueMicrotask = original;
    }
    expect(queued).toHaveLength(1);
    expect(() => queued[0]?.()).toThrow(boom);
  });
});
