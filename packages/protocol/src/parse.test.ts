import { describe, expect, it } from 'vitest';
import { CLIENT_FRAME_TYPES, type ClientFrame } from './client-frames.ts';
import { ErrorCode } from './errors.ts';
import { parseClientFrame, parsePayload, parseServerFrame } from './parse.ts';
import { LoginRequest } from './rest.ts';
import { SERVER_FRAME_TYPES, type ServerFrame } from './server-frames.ts';
import { LIMITS, PROTOCOL_VERSION } from './version.ts';

/** The protocol's edge: raw text or values in, a typed frame or a typed failure out, never a throw. */

const HASH = 'ab'.repeat(32);

/** At least one valid frame of every client type, the richest shapes included. */
const CLIENT_FRAMES: ClientFrame[] = [
  { type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: 'site_abc' },
  {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    role: 'visitor',
    siteKey: 'site_abc',
    visitorToken: 't'.repeat(43),
    resume: [{ conversationId: 'conv_1', seq: 0 }, { conversationId: 'conv_2', seq: 17 }],
    page: { url: 'https://shop.example/cart', title: 'Cart', referrer: 'https://google.com/' },
    locale: 'de-DE',
    timezone: 'Europe/Berlin',
    identity: {
      userId: 'user_42',
      userHash: HASH,
      issuedAt: 1_700_000_000,
      email: 'vera@example.com',
      name: 'Vera',
      attributes: { plan: 'pro', seats: 3, trial: false, 'billing.id': null },
    },
  },
  { type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent' },
  { type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', resume: [{ conversationId: 'conv_1', seq: 3 }] },
  { type: 'send', clientId: 'c_1', text: 'Hello' },
  { type: 'send', clientId: 'c_2', conversationId: 'conv_1', text: 'Psst', kind: 'note', mentions: ['agent_1', 'agent_2'] },
  { type: 'typing', conversationId: 'conv_1', typing: true },
  { type: 'typing', conversationId: 'conv_1', typing: false, note: true },
  { type: 'read', conversationId: 'conv_1', seq: 4 },
  { type: 'history', requestId: 'r_1', conversationId: 'conv_1' },
  { type: 'history', requestId: 'r_2', conversationId: 'conv_1', beforeSeq: 10, limit: LIMITS.maxHistoryPage },
  { type: 'update', requestId: 'r_3', conversationId: 'conv_1', status: 'resolved' },
  {
    type: 'update', requestId: 'r_4', conversationId: 'conv_1', status: 'snoozed', snoozedUntil: 1_800_000_000_000,
    assigneeId: null, teamId: 'team_1', priority: 'urgent', addLabelIds: ['l_1'], removeLabelIds: ['l_2'],
  },
  { type: 'profile', requestId: 'r_5', name: 'Vera', email: 'vera@example.com' },
  { type: 'presence', status: 'away' },
  { type: 'viewing', conversationId: 'conv_1' },
  { type: 'viewing', conversationId: null },
  { type: 'ping' },
  { type: 'ping', t: 12.5 },
];

const contact = { id: 'contact_1', name: null, email: null, externalId: null };
const message = {
  id: 'msg_1', conversationId: 'conv_1', seq: 1, clientId: 'c_1', kind: 'text' as const,
  author: { kind: 'visitor' as const, id: 'contact_1', name: null }, text: 'Hi', createdAt: 1,
};
const summary = {
  id: 'conv_1', siteId: 'site_1', status: 'open' as const, priority: 'none' as const, assigneeId: null, teamId: null,
  labelIds: ['l_1'], snoozedUntil: null, contact, lastSeq: 1,
  lastMessage: { seq: 1, kind: 'text' as const, authorKind: 'visitor' as const, text: 'Hi', createdAt: 1 },
  waitingSince: 1, agentReadSeq: 0, visitorReadSeq: 1, createdAt: 1, updatedAt: 1, firstResponseAt: null, resolvedAt: null,
};
const agentSummary = { id: 'agent_1', email: 'a@acme.test', name: 'Ann', role: 'admin' as const, status: 'online' as const, connected: true, active: true };

/** At least one valid frame of every server type. */
const SERVER_FRAMES: ServerFrame[] = [
  {
    type: 'welcome', protocol: PROTOCOL_VERSION, role: 'visitor', visitorToken: 'tok', contact, identified: false,
    site: {
      key: 'site_1',
      appearance: { name: 'S', greeting: 'G', color: '#112233', position: 'right', launcherLabel: 'L', replyTime: 'R' },
      preChat: 'email-optional', agentsOnline: true, withinBusinessHours: false,
    },
    conversations: [{ id: 'conv_1', status: 'open', lastSeq: 1, createdAt: 1 }],
    heartbeatMs: 25_000,
  },
  {
    type: 'welcome', protocol: PROTOCOL_VERSION, role: 'agent', agent: { id: 'agent_1', email: 'a@acme.test', name: 'Ann', role: 'admin' },
    workspace: { id: 'ws_1', name: 'Acme' }, agents: [agentSummary], heartbeatMs: 25_000,
  },
  { type: 'ack', clientId: 'c_1', conversationId: 'conv_1', messageId: 'msg_1', seq: 1, createdAt: 1, duplicate: false },
  { type: 'message', message },
  { type: 'conversation', conversation: summary },
  { type: 'typing', conversationId: 'conv_1', author: { kind: 'agent', id: 'agent_1', name: 'Ann' }, typing: true },
  { type: 'read', conversationId: 'conv_1', reader: 'agent', seq: 1 },
  { type: 'history', ref: 'r_1', conversationId: 'conv_1', messages: [message], hasMore: false },
  { type: 'resumed', conversations: [{ conversationId: 'conv_1', seq: 1 }] },
  { type: 'reset', conversationId: 'conv_1', reason: 'AHEAD_OF_SERVER' },
  { type: 'agents', agents: [agentSummary] },
  { type: 'viewers', conversationId: 'conv_1', agentIds: ['agent_1'] },
  { type: 'notification', kind: 'mention', conversationId: 'conv_1', messageId: 'msg_1', by: { kind: 'agent', id: 'agent_1', name: 'Ann' }, text: 'hi' },
  { type: 'notification', kind: 'assigned', conversationId: 'conv_1', messageId: null, by: { kind: 'system', id: null, name: null }, text: '' },
  { type: 'availability', agentsOnline: false, withinBusinessHours: true },
  { type: 'ok', ref: 'r_1' },
  { type: 'pong' },
  { type: 'pong', t: 3 },
  { type: 'error', code: 'NOT_FOUND', message: 'Conversation not found', ref: 'r_1', field: 'conversationId' },
];

describe('parseClientFrame', () => {
  it('has a valid example of every client frame type', () => {
    expect(new Set(CLIENT_FRAMES.map((f) => f.type))).toEqual(new Set(CLIENT_FRAME_TYPES));
  });

  it.each(CLIENT_FRAMES.map((frame) => [frame.type, frame] as const))('accepts a valid %s, as text and as a value', (_type, frame) => {
    expect(parseClientFrame(JSON.stringify(frame))).toEqual({ ok: true, value: frame });
    expect(parseClientFrame(frame)).toEqual({ ok: true, value: frame });
  });

  it('malformed JSON is BAD_JSON', () => {
    for (const text of ['{"type":"ping"', '', 'ping', "{'type':'ping'}", '{"type":"ping",}']) {
      expect(parseClientFrame(text)).toEqual({ ok: false, error: { code: ErrorCode.BAD_JSON, message: expect.any(String) } });
    }
  });

  it('JSON that is not an object is INVALID_FRAME', () => {
    for (const value of ['[1,2]', '"ping"', '42', 'null', 'true', '[]']) {
      expect(parseClientFrame(value)).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_FRAME } });
    }
    for (const value of [null, undefined, 42, true, ['ping'], () => 1, Symbol('x')]) {
      expect(parseClientFrame(value)).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_FRAME } });
    }
  });

  it('a missing or non-string type is INVALID_FRAME on field type', () => {
    expect(parseClientFrame({ clientId: 'c_1' })).toEqual({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, message: expect.any(String), ref: 'c_1', field: 'type' },
    });
    expect(parseClientFrame({ type: 7 })).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'type' } });
  });

  it('a frame is checked against its own type\'s schema, the nested hello variant included', () => {
    expect(parseClientFrame({ type: 'hello', protocol: 1, role: 'robot' })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'role' },
    });
    // typing's fields on a send frame: the send schema speaks, not the first option that matches.
    expect(parseClientFrame({ type: 'send', conversationId: 'conv_1', typing: true })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME },
    });
    expect(parseClientFrame({ type: 'typing', conversationId: 'conv_1', typing: true })).toEqual({
      ok: true, value: { type: 'typing', conversationId: 'conv_1', typing: true },
    });
  });

  it('an unknown type is UNKNOWN_FRAME, and a server-only type is unknown from a client', () => {
    expect(parseClientFrame({ type: 'subscribe', channel: 'all' })).toMatchObject({
      ok: false, error: { code: ErrorCode.UNKNOWN_FRAME, field: 'type' },
    });
    expect(parseClientFrame({ type: 'welcome' })).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_FRAME } });
    // Inherited names are not frame types either.
    expect(parseClientFrame({ type: 'constructor' })).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_FRAME } });
    // A long hostile type is not echoed whole.
    const long = parseClientFrame({ type: 'x'.repeat(10_000) });
    expect(long.ok || long.error.message.length < 200).toBe(true);
  });

  it('an extra field is INVALID_FRAME naming the field', () => {
    expect(parseClientFrame({ type: 'ping', t: 1, admin: true })).toEqual({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, message: 'admin: unknown field', field: 'admin' },
    });
    // Nested strict objects name the dotted path.
    const nested = parseClientFrame({
      type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: 'site_abc', identity: { userId: 'u', verified: true },
    });
    expect(nested).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'identity.verified' } });
  });

  it('a missing or mistyped field is INVALID_FRAME naming it, with the ref of the frame', () => {
    expect(parseClientFrame({ type: 'send', clientId: 'm_1' })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'text', ref: 'm_1' },
    });
    expect(parseClientFrame({ type: 'read', conversationId: 'conv_1', seq: -1 })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'seq' },
    });
    expect(parseClientFrame({ type: 'update', requestId: 'u_1', conversationId: 'conv_1', status: 'deleted' })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'status', ref: 'u_1' },
    });
  });

  it('text longer than the limit, or blank, is INVALID_FRAME on text', () => {
    const at = parseClientFrame({ type: 'send', clientId: 'c_1', text: 'a'.repeat(LIMITS.maxTextLength) });
    expect(at.ok).toBe(true);
    expect(parseClientFrame({ type: 'send', clientId: 'c_1', text: 'a'.repeat(LIMITS.maxTextLength + 1) })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'text', ref: 'c_1' },
    });
    expect(parseClientFrame({ type: 'send', clientId: 'c_1', text: ' \n\t ' })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'text' },
    });
  });

  it('identity: a userHash must be 64 hex characters and issuedAt a non-negative integer', () => {
    const hello = (identity: Record<string, unknown>) =>
      parseClientFrame({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'visitor', siteKey: 'site_abc', identity });
    expect(hello({ userId: 'u1', userHash: HASH.toUpperCase(), issuedAt: 1 }).ok).toBe(true);
    expect(hello({ userId: 'u1', userHash: HASH.slice(2), issuedAt: 1 })).toMatchObject({ ok: false, error: { field: 'identity.userHash' } });
    expect(hello({ userId: 'u1', userHash: `${HASH.slice(2)}zz`, issuedAt: 1 })).toMatchObject({ ok: false, error: { field: 'identity.userHash' } });
    expect(hello({ userId: 'u1', userHash: HASH, issuedAt: 1.5 })).toMatchObject({ ok: false, error: { field: 'identity.issuedAt' } });
    expect(hello({ userId: '', userHash: HASH, issuedAt: 1 })).toMatchObject({ ok: false, error: { field: 'identity.userId' } });
    expect(hello({ userId: 'u1', attributes: { 'bad name!': 1 } })).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_FRAME } });
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i]));
    expect(hello({ userId: 'u1', attributes: many })).toMatchObject({ ok: false, error: { field: 'identity.attributes' } });
  });

  it('a hello of another protocol version is UNSUPPORTED_VERSION, before any schema error', () => {
    // A newer peer's hello carries fields this version does not know: it must hear "wrong version".
    const newer = parseClientFrame({ type: 'hello', protocol: PROTOCOL_VERSION + 1, role: 'visitor', siteKey: 'site_abc', shinyNewField: 1 });
    expect(newer).toEqual({ ok: false, error: { code: ErrorCode.UNSUPPORTED_VERSION, message: expect.stringContaining(String(PROTOCOL_VERSION + 1)) } });
    expect(parseClientFrame({ type: 'hello', protocol: 0 })).toMatchObject({ ok: false, error: { code: ErrorCode.UNSUPPORTED_VERSION } });
    // The right version with an extra field is a schema error, not a version error.
    expect(parseClientFrame({ type: 'hello', protocol: PROTOCOL_VERSION, role: 'agent', shinyNewField: 1 })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'shinyNewField' },
    });
    // A version that is not a number is a plain schema error.
    expect(parseClientFrame({ type: 'hello', protocol: '1', role: 'agent' })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_FRAME, field: 'protocol' },
    });
  });

  it('ref: the clientId or requestId of a refused frame, when it is a short own string', () => {
    expect(parseClientFrame({ type: 'history', requestId: 'h_1' })).toMatchObject({ ok: false, error: { ref: 'h_1' } });
    expect(parseClientFrame({ type: 'nope', clientId: 'c_9' })).toMatchObject({ ok: false, error: { ref: 'c_9', code: ErrorCode.UNKNOWN_FRAME } });
    const noRef = (input: unknown) => {
      const result = parseClientFrame(input);
      expect(result.ok).toBe(false);
      return result.ok ? 'parsed' : result.error.ref;
    };
    expect(noRef({ type: 'history', requestId: 'x'.repeat(65) })).toBeUndefined();
    expect(noRef({ type: 'history', requestId: 42 })).toBeUndefined();
    // Only the frame's own keys: an inherited clientId is not the frame's.
    expect(noRef(Object.assign(Object.create({ clientId: 'inherited' }) as object, { type: 'send' }))).toBeUndefined();
  });

  it('never throws, whatever arrives', () => {
    let deep: unknown = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    let deepObject: unknown = { type: 'ping' };
    for (let i = 0; i < 5_000; i++) deepObject = { type: 'send', clientId: 'c', text: deepObject };
    const corpus: unknown[] = [
      deep,
      `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      deepObject,
      '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
      '{"type":"ping","t":1e999}',
      '{"type":"read","conversationId":"c","seq":1e308}',
      { type: 'read', conversationId: 'c', seq: Number.MAX_VALUE },
      { type: 'read', conversationId: 'c', seq: Number.NaN },
      { type: 'read', conversationId: 'c', seq: Infinity },
      { type: 'history', requestId: 'h', conversationId: 'c', limit: 2 ** 64 },
      { type: 'ping', t: 10n },
      '{"__proto__":{"type":"ping"}}',
      '{"type":"ping","__proto__":{"admin":true}}',
      '{"type":"send","clientId":"c","text":"x","__proto__":null}',
      JSON.parse('{"type":"hello","protocol":1,"role":"visitor","siteKey":"s","identity":{"userId":"u","attributes":{"__proto__":{"x":1}}}}'),
      { type: 'send', clientId: 'c\u0000', text: 'nul \u0000 inside' },
      { type: 'send', clientId: 'c_1', text: 'lone \uD800 surrogate \uDFFF' },
      '{"type":"send","clientId":"c_1","text":"\\ud800"}',
      `{"type":"${'\u0000'.repeat(100)}"}`,
      { type: 'hello', protocol: -0, role: 'agent' },
      { type: 'hello', protocol: Number.NaN, role: 'agent' },
      { type: 'typing', conversationId: 'c', typing: 'yes' },
      Object.create(null),
      Object.assign(Object.create(null) as object, { type: 'ping' }),
      new Date(),
      new Map([['type', 'ping']]),
      { type: 'send', clientId: 'c', text: 'x', mentions: new Array(50_000) },
      { type: 'update', requestId: 'u', conversationId: 'c', addLabelIds: { length: 2 } },
      'x'.repeat(200_000),
    ];
    for (const input of corpus) {
      for (const parse of [parseClientFrame, parseServerFrame]) {
        let result: ReturnType<typeof parse> | undefined;
        expect(() => (result = parse(input)), `input ${String(typeof input)}`).not.toThrow();
        expect(result).toHaveProperty('ok');
      }
    }
    // The valid ones among them parse to what they say.
    expect(parseClientFrame({ type: 'send', clientId: 'c_1', text: 'lone \uD800 surrogate \uDFFF' }).ok).toBe(true);
    expect(parseClientFrame('{"type":"ping","t":1e999}')).toMatchObject({ ok: true, value: { type: 'ping', t: Infinity } });
    // NUL is not an id character.
    expect(parseClientFrame({ type: 'send', clientId: 'c\u0000', text: 'x' })).toMatchObject({ ok: false, error: { field: 'clientId' } });
  });

  it('a "__proto__" key in the JSON never becomes the prototype of the result', () => {
    const result = parseClientFrame('{"type":"ping","__proto__":{"admin":true}}');
    // Either refused as an unknown field, or parsed without the key: never an object that inherits `admin`.
    if (result.ok) expect((result.value as Record<string, unknown>)['admin']).toBeUndefined();
    else expect(result.error).toMatchObject({ code: ErrorCode.INVALID_FRAME, field: '__proto__' });
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });
});

describe('parseServerFrame', () => {
  it('has a valid example of every server frame type', () => {
    expect(new Set(SERVER_FRAMES.map((f) => f.type))).toEqual(new Set(SERVER_FRAME_TYPES));
  });

  it.each(SERVER_FRAMES.map((frame) => [frame.type, frame] as const))('accepts a valid %s', (_type, frame) => {
    expect(parseServerFrame(JSON.stringify(frame))).toEqual({ ok: true, value: frame });
  });

  it('ignores fields a newer relay adds, at any depth', () => {
    const result = parseServerFrame({ type: 'message', message: { ...message, reactions: [] }, trace: 'x' });
    expect(result).toEqual({ ok: true, value: { type: 'message', message } });
  });

  it('refuses a server frame with a missing field, an unknown type, or a client-only type', () => {
    expect(parseServerFrame({ type: 'ack', clientId: 'c_1' })).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_FRAME, ref: 'c_1' } });
    expect(parseServerFrame({ type: 'error', code: 'TEAPOT', message: 'x' })).toMatchObject({ ok: false, error: { field: 'code' } });
    expect(parseServerFrame({ type: 'send' })).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_FRAME } });
    expect(parseServerFrame('{')).toMatchObject({ ok: false, error: { code: ErrorCode.BAD_JSON } });
  });
});

describe('parsePayload', () => {
  it('validates and transforms a REST body, or names the field', () => {
    expect(parsePayload(LoginRequest, { email: '  Ann@ACME.test ', password: 'pw' })).toEqual({
      ok: true, value: { email: 'ann@acme.test', password: 'pw' },
    });
    expect(parsePayload(LoginRequest, { email: 'ann@acme.test' })).toMatchObject({
      ok: false, error: { code: ErrorCode.INVALID_REQUEST, field: 'password' },
    });
  });
});

describe('on a host page that adds to Object.prototype', () => {
  it('parses every frame as on a clean page, and still refuses extra fields', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const arrayProto = Array.prototype as unknown as Record<string, unknown>;
    // What real pages do (see shared/fixtures/hostile-host.html): plain assignment, so enumerable.
    proto['__acmeTracking'] = true;
    arrayProto['last'] = function last(this: unknown[]) {
      return this[this.length - 1];
    };
    try {
      expect(Object.keys(Object.getOwnPropertyDescriptors(Object.prototype))).toContain('__acmeTracking');
      for (const frame of CLIENT_FRAMES) {
        expect(parseClientFrame(JSON.stringify(frame)), frame.type).toEqual({ ok: true, value: frame });
      }
      for (const frame of SERVER_FRAMES) {
        expect(parseServerFrame(JSON.stringify(frame)), frame.type).toEqual({ ok: true, value: frame });
      }
      // The inherited key is not mistaken for a field of the frame, nor does it hide a real extra one.
      expect(parseClientFrame({ type: 'ping', t: 1, admin: true })).toMatchObject({ ok: false, error: { field: 'admin' } });
      expect(parseClientFrame({ type: 'send', clientId: 'c_1' })).toMatchObject({ ok: false, error: { field: 'text', ref: 'c_1' } });
      expect(parsePayload(LoginRequest, { email: 'ann@acme.test', password: 'pw' }).ok).toBe(true);
    } finally {
      delete proto['__acmeTracking'];
      delete arrayProto['last'];
    }
    expect(({} as Record<string, unknown>)['__acmeTracking']).toBeUndefined();
  });
});

describe('B4: an overlong name', () => {
  it('is INVALID_FRAME naming the field, up to any length the frame limit lets through', () => {
    for (const length of [201, 10_000, 60_000]) {
      const result = parseClientFrame(JSON.stringify({ type: 'profile', requestId: 'r1', name: 'x'.repeat(length) }));
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_FRAME', field: 'name', ref: 'r1' } });
    }
    // Past the frame limit (64 KB) the relay does not parse at all: the socket closes with 1009.
  });
});
