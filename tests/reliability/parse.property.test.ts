import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_FRAME_TYPES, ERROR_CODES, ErrorCode, SERVER_FRAME_TYPES, parseClientFrame, parseServerFrame,
  type ClientFrame, type ParseResult, type ServerFrame,
} from '@parley/protocol';
import { clientFrame, extraKey, mutated, serverFrame } from '../support/frame-arbitraries.ts';

/**
 * Issue 6, fuzzing row: property-based tests of the protocol's two parsers. Whatever arrives —
 * any JSON value, any string, any byte soup decoded as text, a valid frame with one thing broken —
 * the answer is a typed frame or a typed error, never an exception. The fixed hostile corpus of
 * packages/protocol/src/parse.test.ts stays; these generate inputs it did not think of.
 */

const RUNS = { numRuns: 2000 };

/** The parsers' contract, whatever the input. */
function expectTyped(result: ParseResult<ClientFrame | ServerFrame>, types: readonly string[]) {
  if (result.ok) {
    expect(types).toContain(result.value.type);
  } else {
    expect(ERROR_CODES).toContain(result.error.code);
    expect(typeof result.error.message).toBe('string');
    if (result.error.field !== undefined) expect(typeof result.error.field).toBe('string');
    if (result.error.ref !== undefined) expect(result.error.ref.length).toBeLessThanOrEqual(64);
  }
}

const parseClient = (input: unknown) => {
  const result = parseClientFrame(input);
  expectTyped(result, CLIENT_FRAME_TYPES);
  return result;
};
const parseServer = (input: unknown) => {
  const result = parseServerFrame(input);
  expectTyped(result, SERVER_FRAME_TYPES);
  return result;
};

describe('parseClientFrame, property-based', () => {
  it('any JSON value, as a value or as text: a typed frame or a typed error, never a throw', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      parseClient(value);
      parseClient(JSON.stringify(value));
    }), RUNS);
  });

  it('anything at all (functions, symbols, sparse arrays, cyclic-free objects, boxed values): never a throw', () => {
    fc.assert(fc.property(fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withBigInt: true, withDate: true,
      withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true }), (value) => {
      parseClient(value);
    }), RUNS);
  });

  it('any string, any code points including lone surrogates and NUL: never a throw; non-JSON is BAD_JSON', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (input) => {
      const result = parseClient(input);
      let isJson = true;
      try {
        JSON.parse(input);
      } catch {
        isJson = false;
      }
      if (!isJson) expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.BAD_JSON } });
    }), RUNS);
  });

  it('every generated valid frame parses, and parses again the same after a JSON round trip', () => {
    fc.assert(fc.property(clientFrame, (frame) => {
      const first = parseClient(JSON.stringify(frame));
      expect(first.ok).toBe(true);
      if (first.ok) expect(parseClient(JSON.stringify(first.value))).toEqual(first);
    }), RUNS);
  });

  it('a valid frame with one thing broken: a typed answer; what parses still has a known type and no unknown field', () => {
    fc.assert(fc.property(mutated(clientFrame), (input) => {
      const result = parseClient(input);
      if (result.ok) expect(Object.keys(result.value).every((key) => !key.startsWith('x_'))).toBe(true);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }), RUNS);
  });

  it('an extra field is INVALID_FRAME naming that field, with the ref of the frame when it has one', () => {
    fc.assert(fc.property(clientFrame, extraKey, fc.jsonValue(), (frame, key, value) => {
      const result = parseClient(JSON.stringify({ ...frame, [key]: value }));
      expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.INVALID_FRAME, field: key } });
      const ref = 'clientId' in frame ? frame.clientId : 'requestId' in frame ? frame.requestId : undefined;
      if (!result.ok && ref !== undefined) expect(result.error.ref).toBe(ref);
    }), RUNS);
  });

  it('a server frame sent by a client is UNKNOWN_FRAME (unless the type is shared), never accepted as something else', () => {
    fc.assert(fc.property(serverFrame, (frame) => {
      const result = parseClient(JSON.stringify(frame));
      if (!(CLIENT_FRAME_TYPES as readonly string[]).includes(frame.type)) {
        expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.UNKNOWN_FRAME, field: 'type' } });
      }
    }), RUNS);
  });
});

describe('parseServerFrame, property-based', () => {
  it('any JSON value, any string, anything: a typed frame or a typed error, never a throw', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 300 }), fc.anything({ withBoxedValues: true, withNullPrototype: true }),
      (value, input, anything) => {
        parseServer(value);
        parseServer(JSON.stringify(value));
        parseServer(input);
        parseServer(anything);
      }), RUNS);
  });

  it('every generated valid frame parses; a field a newer relay adds is tolerated', () => {
    fc.assert(fc.property(serverFrame, extraKey, fc.jsonValue(), (frame, key, value) => {
      expect(parseServer(JSON.stringify(frame)).ok).toBe(true);
      expect(parseServer(JSON.stringify({ ...frame, [key]: value })).ok).toBe(true);
    }), RUNS);
  });

  it('a valid frame with one thing broken: a typed answer, and no prototype pollution', () => {
    fc.assert(fc.property(mutated(serverFrame), (input) => {
      parseServer(input);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }), RUNS);
  });
});
