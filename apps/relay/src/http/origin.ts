import type { Context } from 'hono';
import type { AppDeps } from './env.ts';

/**
 * The origin this relay is served from, as a browser would write it in an Origin header.
 * Built from PUBLIC_URL when set, else from the Host header. Only the Host header is used,
 * never the request target, so an absolute-form or `//evil/...` target cannot change it.
 */
export function ownOrigin(c: Context, deps: Pick<AppDeps, 'publicUrl'>): string | null {
  if (deps.publicUrl) return new URL(deps.publicUrl).origin;
  const host = c.req.header('host');
  if (!host || !/^[\w.-]+(:\d+)?$|^\[[\d:a-fA-F]+\](:\d+)?$/.test(host)) return null;
  const proto = new URL(c.req.url).protocol === 'https:' ? 'https:' : 'http:';
  return `${proto}//${host.toLowerCase()}`;
}

/**
 * Cookie-authenticated requests from browsers must come from the inbox's own origin: a foreign
 * page cannot ride the agent's cookie (CSRF, cross-site WebSocket hijacking). Browsers always send
 * Origin on WebSocket upgrades and on POST; a request without Origin is not from a browser page.
 */
export function isSameOrigin(c: Context, deps: Pick<AppDeps, 'publicUrl'>): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return c.req.header('sec-fetch-site') !== 'cross-site';
  return origin === ownOrigin(c, deps);
}
