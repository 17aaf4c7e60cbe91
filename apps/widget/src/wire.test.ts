import { PROTOCOL_VERSION as REAL_VERSION } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, parseFrame, parseServerFrame } from './wire.ts';

describe('the widget\'s light frame check', () => {
  it('speaks the protocol\'s version', () => {
    expect(PROTOCOL_VERSION).toBe(REAL_VERSION);
  });

  it('passes known frames and drops junk, unknown types and unreadable messages', () => {
    expect(parseFrame('{"type":"pong"}')).toEqual({ type: 'pong' });
    expect(parseFrame('not json')).toBeUndefined();
    expect(parseFrame('[1]')).toBeUndefined();
    expect(parseFrame('null')).toBeUndefined();
    expect(parseFrame('{"type":"teleport"}')).toBeUndefined();
    expect(parseFrame('{"type":"message","message":{"text":3}}')).toBeUndefined();
    expect(parseFrame('{"type":"message","message":{"text":"hi","author":{"kind":"agent"}}}')).toMatchObject({ type: 'message' });
    expect(parseServerFrame('{"type":"pong"}')).toEqual({ ok: true, value: { type: 'pong' } });
    expect(parseServerFrame('x').ok).toBe(false);
  });
});
