import type { Context } from 'hono';
import type { AppDeps } from './env.ts';

/**
 * The client's address for per-IP limits. Behind a reverse proxy every request comes from the
 * proxy, so with TRUST_PROXY set the first X-Forwarded-For hop is used; without it that header
 * is ignored, since any client can write it.
 */
export function clientIp(c: Context, deps: Pick<AppDeps, 'trustProxy'>): string | null {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return clientIpOf(c.req.header('x-forwarded-for') ?? null, incoming?.socket?.remoteAddress, deps);
}

/** The same rule on a raw request's X-Forwarded-For header and socket address. */
export function clientIpOf(forwardedFor: string | null, remoteAddress: string | undefined, deps: Pick<AppDeps, 'trustProxy'>): string | null {
  if (deps.trustProxy) {
    const forwarded = forwardedFor?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return remoteAddress ?? null;
}
