/**
 * The closed set of error codes on the wire, for frames and REST alike. A `const` object
 * with a same-named type, so code can say `ErrorCode.NOT_FOUND` and a switch over
 * `ErrorCode` is checked for exhaustiveness.
 */
export const ErrorCode = {
  /** The frame was not valid UTF-8 JSON text. */
  BAD_JSON: 'BAD_JSON',
  /** The frame's `type` is not one this protocol version knows. */
  UNKNOWN_FRAME: 'UNKNOWN_FRAME',
  /** The frame is JSON of a known type but a field is missing, mistyped, too long or extra. */
  INVALID_FRAME: 'INVALID_FRAME',
  /** A REST request body or query failed validation. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** `hello` named a protocol version this relay does not speak. */
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  /** A frame other than `hello` arrived before `hello`, or credentials are missing or wrong. */
  NOT_AUTHENTICATED: 'NOT_AUTHENTICATED',
  /** A second `hello` on a connection that already has one. */
  ALREADY_AUTHENTICATED: 'ALREADY_AUTHENTICATED',
  /** Authenticated, but this peer may not do that (a visitor sending a note, a foreign Origin). */
  FORBIDDEN: 'FORBIDDEN',
  /** No such thing, or not one this peer may see: the two are indistinguishable on purpose. */
  NOT_FOUND: 'NOT_FOUND',
  /** The request conflicts with the current state. */
  CONFLICT: 'CONFLICT',
  /** Too many requests; retry later. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The payload is larger than the relay accepts. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The relay failed; the request may be retried with the same client id. */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_CODES = Object.values(ErrorCode) as readonly ErrorCode[];

/** The HTTP status each code maps to on the REST API: the one mapping point for both edges. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_JSON: 400,
  UNKNOWN_FRAME: 400,
  INVALID_FRAME: 400,
  INVALID_REQUEST: 400,
  UNSUPPORTED_VERSION: 400,
  NOT_AUTHENTICATED: 401,
  ALREADY_AUTHENTICATED: 409,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

/**
 * Why a resume point cannot be served. The client answers a `reset` by dropping what it
 * holds for that conversation and loading the thread afresh: never a silent gap.
 */
export const ResetReason = {
  /** The client holds a `seq` the relay has never issued (the database was replaced or restored). */
  AHEAD_OF_SERVER: 'AHEAD_OF_SERVER',
  /** The messages after the client's `seq` are no longer kept. */
  HISTORY_PRUNED: 'HISTORY_PRUNED',
} as const;
export type ResetReason = (typeof ResetReason)[keyof typeof ResetReason];
