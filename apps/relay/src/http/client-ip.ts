import type { Context } from 'hono';
import type { AppDeps } from './env.ts';

/**
 * The client's address for per-IP limits. Behind a reverse proxy every request comes from the
 * proxy, so with TRUST_PROXY set the first X-Forwarded-For hop is used; without it that header
 * is ignored, since any client can write it.
 */
export function clientIp(c: Context, deps: Pick<AppDeps, 'trustProxy'>): string | null {
  if (deps.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}
