import fc from 'fast-check';
import { ERROR_CODES, PROTOCOL_VERSION, type ClientFrame, type ServerFrame } from '@parley/protocol';

/**
 * fast-check arbitraries of the wire protocol: valid frames of every client type (and the common
 * server types), and valid frames with one thing broken. Shared by the parser properties and the
 * raw-socket fuzzer, so both explore the same space.
 */

export const id = fc.stringMatching(/^[\w-]{1,64}$/);
const seq = fc.nat({ max: 1_000_000 });
const text = fc.string({ minLength: 1, maxLength: 300 }).filter((s) => s.trim().length > 0);

/** Valid client frames of every type, generated. */
export const clientFrame: fc.Arbitrary<ClientFrame> = fc.oneof(
  fc.record(
    { type: fc.constant('hello' as const), protocol: fc.constant(PROTOCOL_VERSION), role: fc.constant('visitor' as const), siteKey: id,
      visitorToken: fc.stringMatching(/^[\w-]{16,128}$/), resume: fc.array(fc.record({ conversationId: id, seq }), { maxLength: 5 }),
      locale: fc.string({ maxLength: 35 }) },
    { requiredKeys: ['type', 'protocol', 'role', 'siteKey'] },
  ),
  fc.record({ type: fc.constant('hello' as const), protocol: fc.constant(PROTOCOL_VERSION), role: fc.constant('agent' as const) }),
  fc.record(
    { type: fc.constant('send' as const), clientId: id, conversationId: id, text, kind: fc.constantFrom('text' as const, 'note' as const),
      mentions: fc.array(id, { maxLength: 20 }) },
    { requiredKeys: ['type', 'clientId', 'text'] },
  ),
  fc.record({ type: fc.constant('typing' as const), conversationId: id, typing: fc.boolean() }),
  fc.record({ type: fc.constant('read' as const), conversationId: id, seq }),
  fc.record({ type: fc.constant('history' as const), requestId: id, conversationId: id, beforeSeq: seq, limit: fc.integer({ min: 1, max: 200 }) },
    { requiredKeys: ['type', 'requestId', 'conversationId'] }),
  fc.record({ type: fc.constant('update' as const), requestId: id, conversationId: id, status: fc.constantFrom('open' as const, 'pending' as const, 'resolved' as const) }),
  fc.record({ type: fc.constant('profile' as const), requestId: id, name: fc.string({ maxLength: 200 }) }),
  fc.record({ type: fc.constant('presence' as const), status: fc.constantFrom('online' as const, 'away' as const) }),
  fc.record({ type: fc.constant('viewing' as const), conversationId: fc.option(id, { nil: null }) }),
  fc.record({ type: fc.constant('ping' as const), t: fc.double({ noNaN: true, noDefaultInfinity: true }) }, { requiredKeys: ['type'] }),
);

const message = fc.record({
  id, conversationId: id, seq, clientId: id, kind: fc.constantFrom('text' as const, 'note' as const),
  author: fc.record({ kind: fc.constantFrom('visitor' as const, 'agent' as const, 'system' as const), id: fc.option(id, { nil: null }), name: fc.option(fc.string(), { nil: null }) }),
  text: fc.string(), createdAt: fc.nat(),
});

/** Valid server frames of the types a visitor's client meets most, generated. */
export const serverFrame: fc.Arbitrary<ServerFrame> = fc.oneof(
  fc.record({ type: fc.constant('ack' as const), clientId: id, conversationId: id, messageId: id, seq, createdAt: fc.nat(), duplicate: fc.boolean() }),
  fc.record({ type: fc.constant('message' as const), message }),
  fc.record({ type: fc.constant('history' as const), ref: id, conversationId: id, messages: fc.array(message, { maxLength: 3 }), hasMore: fc.boolean() }),
  fc.record({ type: fc.constant('resumed' as const), conversations: fc.array(fc.record({ conversationId: id, seq }), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('reset' as const), conversationId: id, reason: fc.constantFrom('AHEAD_OF_SERVER' as const, 'HISTORY_PRUNED' as const) }),
  fc.record({ type: fc.constant('typing' as const), conversationId: id, author: fc.record({ kind: fc.constant('agent' as const), id: fc.option(id, { nil: null }), name: fc.option(fc.string(), { nil: null }) }), typing: fc.boolean() }),
  fc.record({ type: fc.constant('ok' as const), ref: id }),
  fc.record({ type: fc.constant('pong' as const), t: fc.double({ noNaN: true, noDefaultInfinity: true }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('error' as const), code: fc.constantFrom(...ERROR_CODES), message: fc.string(), ref: fc.string(), field: fc.string(), retryAfterMs: fc.nat() },
    { requiredKeys: ['type', 'code', 'message'] }),
);

/** A key that is in no frame's schema. */
export const extraKey = fc.stringMatching(/^x_[a-z]{1,10}$/);

/** One thing broken in a valid frame: a key dropped, a value replaced by anything, the text cut or spliced. */
export function mutated(frame: fc.Arbitrary<object>): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.tuple(frame, fc.nat()).map(([f, n]) => {
      const keys = Object.keys(f);
      const copy: Record<string, unknown> = { ...f };
      delete copy[keys[n % keys.length]!];
      return copy;
    }),
    fc.tuple(frame, fc.nat(), fc.anything()).map(([f, n, value]) => {
      const keys = Object.keys(f);
      return { ...f, [keys[n % keys.length]!]: value };
    }),
    fc.tuple(frame, fc.nat(), fc.nat()).map(([f, a, b]) => {
      const json = JSON.stringify(f);
      return json.slice(0, a % (json.length + 1)) + json.slice(b % (json.length + 1));
    }),
    fc.tuple(frame, fc.nat(), fc.string()).map(([f, at, junk]) => {
      const json = JSON.stringify(f);
      const i = at % (json.length + 1);
      return json.slice(0, i) + junk + json.slice(i);
    }),
    fc.tuple(frame, fc.string({ maxLength: 20 })).map(([f, type]) => ({ ...f, type })),
    frame.map((f) => [f]),
    frame.map((f) => JSON.stringify({ ...f, __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } })),
  );
}
