/**
 * Bumped on any change a deployed peer could misread. The relay refuses a `hello`
 * with another version (error `UNSUPPORTED_VERSION`) rather than guessing.
 */
export const PROTOCOL_VERSION = 1;

/** Limits every peer can rely on; the relay enforces them at the edge. */
export const LIMITS = {
  /** Largest WebSocket frame the relay reads; a larger one closes the socket with 1009. */
  maxFrameBytes: 64 * 1024,
  /** Longest message text, in UTF-16 code units (what JavaScript's `length` counts). */
  maxTextLength: 8000,
  /** Longest display name or email. */
  maxNameLength: 200,
  /** Most messages one `history` request returns. */
  maxHistoryPage: 200,
  /** Most conversations one `hello` may ask to resume. */
  maxResumePoints: 500,
} as const;
