import type { ParseResult, ServerFrame } from '@parley/protocol';
// The protocol's constants, from its schema-free module: the only runtime values the client takes from it.
export { LIMITS, PROTOCOL_VERSION } from '../../../packages/protocol/src/version.ts';

/**
 * The widget's frame check, in place of the protocol's valibot schemas (see vite.config.ts).
 * It checks the envelope only: JSON, an object, a string `type` the widget knows. The trade-off:
 * the relay validates everything it receives and emits only frames built from its own typed
 * records, so the widget trusts the relay's output shape; what it renders is still rendered
 * as text, never HTML, so a malformed frame can at worst show wrong text, never run code.
 */
const KNOWN = new Set(['welcome', 'ack', 'message', 'typing', 'read', 'history', 'resumed', 'reset', 'ok', 'pong', 'error', 'availability']);

export function parseFrame(data: string): ServerFrame | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== 'object' || value === null) return undefined;
    const frame = value as { type?: unknown; message?: { text?: unknown; author?: { kind?: unknown } } };
    if (typeof frame.type !== 'string' || !KNOWN.has(frame.type)) return undefined;
    // The one frame whose fields the UI reads deeply as soon as it arrives.
    if (frame.type === 'message' && (typeof frame.message?.text !== 'string' || typeof frame.message.author?.kind !== 'string')) {
      return undefined;
    }
    return value as ServerFrame;
  } catch {
    // Not JSON: dropped like any unreadable frame.
  }
  return undefined;
}

/** What `@parley/client` imports as its default parser; the widget passes `parseFrame` instead, so this only matches the signature. */
export function parseServerFrame(data: unknown): ParseResult<ServerFrame> {
  const value = typeof data === 'string' ? parseFrame(data) : undefined;
  return value ? { ok: true, value } : { ok: false, error: { code: 'INVALID_FRAME', message: 'Unreadable frame' } };
}
