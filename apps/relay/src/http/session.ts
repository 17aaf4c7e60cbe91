import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { ErrorCode } from '@parley/protocol';
import { hashToken, newToken } from '../auth/tokens.ts';
import { ParleyError } from '../core/errors.ts';
import { topics } from '../core/bus.ts';
import type { AgentRecord } from '../core/store.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { isSameOrigin } from './origin.ts';

export const SESSION_COOKIE = 'parley_session';
const SESSION_DAYS = 30;

/** Starts a session: a random token in an HttpOnly, SameSite=Lax cookie; only its hash is stored. */
export async function startSession(c: Context, deps: AppDeps, agent: AgentRecord) {
  const token = newToken();
  const now = deps.now();
  const maxAge = SESSION_DAYS * 24 * 3600;
  await deps.store.createSession({ tokenHash: hashToken(token), agentId: agent.id, now, expiresAt: now + maxAge * 1000 });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.secureCookies,
    path: '/',
    maxAge,
  });
}

export async function endSession(c: Context, deps: AppDeps) {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    const sessionId = hashToken(token);
    await deps.store.deleteSession(sessionId);
    // Sockets opened with this session close too: signing out means out, in every tab.
    await deps.bus.publish(topics.session(sessionId), {
      frame: { type: 'error', code: ErrorCode.NOT_AUTHENTICATED, message: 'Signed out' },
      control: 'disconnect',
    });
  }
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** The stored id of the request's session (the hash of its cookie), if it has one. */
export function sessionIdOf(c: Context): string | null {
  const token = getCookie(c, SESSION_COOKIE);
  return token && token.length <= 100 ? hashToken(token) : null;
}

/** The signed-in agent, or null. A deactivated agent's sessions stop working at once. */
export async function sessionAgent(c: Context, deps: AppDeps): Promise<AgentRecord | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 100) return null;
  return deps.store.sessionAgent(hashToken(token), deps.now());
}

/** Requires a signed-in agent, and a same-origin request for anything that changes state. */
export function requireAgent(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) && !isSameOrigin(c, deps)) {
      throw new ParleyError(ErrorCode.FORBIDDEN, 'Cross-origin request refused');
    }
    const agent = await sessionAgent(c, deps);
    if (!agent) throw new ParleyError(ErrorCode.NOT_AUTHENTICATED, 'Sign in first');
    c.set('agent', agent);
    await next();
  };
}
