import * as v from 'valibot';
import { CLIENT_FRAME_TYPES, ClientFrame } from './client-frames.ts';
import { ErrorCode } from './errors.ts';
import { PROTOCOL_VERSION } from './version.ts';
import { SERVER_FRAME_TYPES, ServerFrame } from './server-frames.ts';

/** Why a frame or payload was refused, in the shape the `error` frame carries. */
export interface ParseFailure {
  code: ErrorCode;
  message: string;
  /** The `clientId` or `requestId` of the frame, when it could be read, so the sender can match the error. */
  ref?: string;
  /** Dotted path of the first offending field. */
  field?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseFailure };

/**
 * Turns raw text (or an already-parsed value) into a typed client frame, or says exactly why not.
 * Never throws: a malformed frame gets an error reply and the socket stays open.
 */
export function parseClientFrame(input: unknown): ParseResult<ClientFrame> {
  return parseFrame(input, ClientFrame, CLIENT_FRAME_TYPES);
}

/** The client's twin of `parseClientFrame`, for frames from the relay. */
export function parseServerFrame(input: unknown): ParseResult<ServerFrame> {
  return parseFrame(input, ServerFrame, SERVER_FRAME_TYPES);
}

/** Validates a REST payload against one of the protocol's schemas. */
export function parsePayload<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, error: describeIssue(ErrorCode.INVALID_REQUEST, result.issues[0]) };
}

function parseFrame<S extends v.GenericSchema>(
  input: unknown,
  schema: S,
  knownTypes: readonly string[],
): ParseResult<v.InferOutput<S>> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return fail(ErrorCode.BAD_JSON, 'Frame is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(ErrorCode.INVALID_FRAME, 'Frame must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const ref = readRef(record);
  const type = record['type'];
  if (typeof type !== 'string') {
    return fail(ErrorCode.INVALID_FRAME, 'Frame has no string "type"', ref, 'type');
  }
  if (!knownTypes.includes(type)) {
    return fail(ErrorCode.UNKNOWN_FRAME, `Unknown frame type "${type.slice(0, 40)}"`, ref, 'type');
  }
  if (type === 'hello' && record['protocol'] !== PROTOCOL_VERSION && typeof record['protocol'] === 'number') {
    // Checked before the schema: a newer peer's hello may carry fields this version does not know,
    // and it deserves to hear "wrong version", not "unknown field".
    return fail(ErrorCode.UNSUPPORTED_VERSION, `Protocol ${record['protocol']} is not supported; this peer speaks ${PROTOCOL_VERSION}`);
  }
  let result: v.SafeParseResult<S>;
  try {
    result = v.safeParse(schema, value);
  } catch {
    // Never throw into the caller (a host page, a socket handler): a validator failure is an invalid frame.
    return fail(ErrorCode.INVALID_FRAME, 'Frame could not be validated', ref);
  }
  if (result.success) return { ok: true, value: result.output };
  const error = describeIssue(ErrorCode.INVALID_FRAME, result.issues[0]);
  if (ref !== undefined) error.ref = ref;
  return { ok: false, error };
}

function readRef(record: Record<string, unknown>): string | undefined {
  for (const key of ['clientId', 'requestId'] as const) {
    const candidate = Object.hasOwn(record, key) ? record[key] : undefined;
    if (typeof candidate === 'string' && candidate.length <= 64) return candidate;
  }
  return undefined;
}

function describeIssue(code: ErrorCode, issue: v.BaseIssue<unknown> | undefined): ParseFailure {
  if (!issue) return { code, message: 'Invalid input' };
  const field = v.getDotPath(issue) ?? undefined;
  // A strict object reports an extra key as "expected never"; say it plainly.
  const detail = issue.expected === 'never' ? 'unknown field' : issue.message;
  const failure: ParseFailure = { code, message: field ? `${field}: ${detail}` : detail };
  if (field) failure.field = field;
  return failure;
}

function fail(code: ErrorCode, message: string, ref?: string, field?: string): ParseResult<never> {
  const error: ParseFailure = { code, message };
  if (ref !== undefined) error.ref = ref;
  if (field !== undefined) error.field = field;
  return { ok: false, error };
}
