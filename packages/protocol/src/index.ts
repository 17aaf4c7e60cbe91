export { PROTOCOL_VERSION, LIMITS } from './version.ts';
export { ErrorCode, ERROR_CODES, HTTP_STATUS, ResetReason } from './errors.ts';
export * from './entities.ts';
export * from './client-frames.ts';
export * from './server-frames.ts';
export * from './inbox.ts';
export * from './rest.ts';
export { parseClientFrame, parseServerFrame, parsePayload } from './parse.ts';
export type { ParseFailure, ParseResult } from './parse.ts';
/** Schema types, so that packages validating with these schemas need no direct valibot import. */
export type { GenericSchema, InferOutput } from 'valibot';
