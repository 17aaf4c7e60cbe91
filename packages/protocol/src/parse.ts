import * as v from 'valibot';
import { ClientFrame } from './client-frames.ts';
import { ErrorCode } from './errors.ts';
import { PROTOCOL_VERSION } from './version.ts';
import { ServerFrame } from './server-frames.ts';

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
  return parseFrame(input, CLIENT_SCHEMAS) as ParseResult<ClientFrame>;
}

/** The client's twin of `parseClientFrame`, for frames from the relay. */
export function parseServerFrame(input: unknown): ParseResult<ServerFrame> {
  return parseFrame(input, SERVER_SCHEMAS) as ParseResult<ServerFrame>;
}

/** A variant's options, or a plain object schema with a literal discriminator, as valibot builds them. */
type FrameOption = { type: string; options?: readonly FrameOption[]; entries?: { type?: { literal?: unknown } } };

/**
 * Each frame type's own schema, taken from the union. The type is checked before the schema runs,
 * so the frame is validated against its own schema alone: valibot's `variant` would first try the
 * discriminator of every option in turn (and copy a Set for the nested hello variant), a cost paid
 * on every frame the relay receives.
 */
function schemasByType(union: { options: readonly unknown[] }): ReadonlyMap<string, v.GenericSchema> {
  const literalOf = (option: FrameOption): string => {
    const literal = option.options ? literalOf(option.options[0]!) : option.entries?.type?.literal;
    if (typeof literal !== 'string') throw new Error('every frame schema has a literal type');
    return literal;
  };
  return new Map(union.options.map((option) => [literalOf(option as FrameOption), option as v.GenericSchema]));
}

const CLIENT_SCHEMAS = schemasByType(ClientFrame);
const SERVER_SCHEMAS = schemasByType(ServerFrame);

/** Validates a REST payload against one of the protocol's schemas. */
export function parsePayload<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, error: describeIssue(ErrorCode.INVALID_REQUEST, result.issues[0]) };
}

function parseFrame(
  input: unknown,
  schemas: ReadonlyMap<string, v.GenericSchema>,
): ParseResult<unknown> {
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
  const schema = schemas.get(type);
  if (!schema) {
    return fail(ErrorCode.UNKNOWN_FRAME, `Unknown frame type "${type.slice(0, 40)}"`, ref, 'type');
  }
  if (type === 'hello' && record['protocol'] !== PROTOCOL_VERSION && typeof record['protocol'] === 'number') {
    // Checked before the schema: a newer peer's hello may carry fields this version does not know,
    // and it deserves to hear "wrong version", not "unknown field".
    return fail(ErrorCode.UNSUPPORTED_VERSION, `Protocol ${record['protocol']} is not supported; this peer speaks ${PROTOCOL_VERSION}`);
  }
  let result: v.SafeParseResult<v.GenericSchema>;
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
