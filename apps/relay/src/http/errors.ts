import type { Context } from 'hono';
import { HTTP_STATUS, type ErrorResponse } from '@parley/protocol';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { toParleyError } from '../core/errors.ts';
import type { AppDeps } from './env.ts';

/** The one place a thrown error becomes an HTTP response. */
export function errorResponse(c: Context, error: unknown, deps: Pick<AppDeps, 'log'>) {
  const failure = toParleyError(error);
  if (failure.code === 'INTERNAL') deps.log('error', `${c.req.method} ${c.req.path} failed`, error);
  const body: ErrorResponse = { error: { code: failure.code, message: failure.message } };
  if (failure.field !== undefined) body.error.field = failure.field;
  if (failure.retryAfterMs !== undefined) {
    body.error.retryAfterMs = failure.retryAfterMs;
    c.header('Retry-After', String(Math.ceil(failure.retryAfterMs / 1000)));
  }
  return c.json(body, HTTP_STATUS[failure.code] as ContentfulStatusCode);
}
