/** A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces lone surrogates in every string of a parsed JSON value with U+FFFD, as encoding to
 * UTF-8 does. JSON can carry them (`"\ud800"`), but SQLite stores text as UTF-8, so it would
 * store U+FFFD while the sender's ack and the live copy to agents still carried the lone
 * surrogate: what was shown would not be what was stored. Normalised at the edge, every copy is
 * the stored one. Everything else (NUL, emoji, RTL marks) passes untouched.
 */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a record key "__proto__" (attributes allow it) stays a key.
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: wellFormed(item), enumerable: true, writable: true, configurable: true });
    }
    return out as T;
  }
  return value;
}

/** Whether raw JSON text may hold a lone surrogate at all: only through a `\uD800`–`\uDFFF` escape. */
export function mayHoldLoneSurrogate(json: string): boolean {
  return /\\u[dD][89a-fA-F]/.test(json);
}

/**
 * The first `max` UTF-16 units of `text`, one fewer where the cut would fall inside a surrogate
 * pair: half an emoji is a lone surrogate, which SQLite would store as U+FFFD while the live copy
 * carried it as is (see `wellFormed`). For previews and notifications cut to a length.
 */
export function cutWithoutSplitting(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
