import { ErrorCode } from '@parley/protocol';

/**
 * The one error type of the relay. Domain code throws it with a closed code; the edges
 * (HTTP error handler, WebSocket connection) map it to a status or an error frame in one place.
 */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  /** For RATE_LIMITED: when trying again can succeed. */
  readonly retryAfterMs: number | undefined;
  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export const rateLimited = (message: string, retryAfterMs: number) =>
  new ParleyError(ErrorCode.RATE_LIMITED, message, { retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)) });

/** Turns anything thrown into a ParleyError; unknown failures become INTERNAL without leaking details. */
export function toParleyError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  return new ParleyError(ErrorCode.INTERNAL, 'Internal error', { cause: error });
}

export const notFound = (what: string) => new ParleyError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message: string) => new ParleyError(ErrorCode.FORBIDDEN, message);
