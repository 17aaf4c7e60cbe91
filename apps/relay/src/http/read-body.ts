import type { Context } from 'hono';
import { ErrorCode, parsePayload, type GenericSchema, type InferOutput } from '@parley/protocol';
import { ParleyError } from '../core/errors.ts';
import { wellFormed } from '../core/well-formed.ts';

/** Reads and validates a JSON body against a protocol schema; a bad one is a 400 naming the field. */
export async function readBody<S extends GenericSchema>(c: Context, schema: S): Promise<InferOutput<S>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new ParleyError(ErrorCode.INVALID_REQUEST, 'Body must be JSON');
  }
  return validated(schema, wellFormed(json));
}

export function readQuery<S extends GenericSchema>(c: Context, schema: S): InferOutput<S> {
  return validated(schema, c.req.query());
}

function validated<S extends GenericSchema>(schema: S, input: unknown): InferOutput<S> {
  const result = parsePayload(schema, input);
  if (!result.ok) {
    const { message, field } = result.error;
    throw new ParleyError(ErrorCode.INVALID_REQUEST, message, field === undefined ? {} : { field });
  }
  return result.value;
}
