import { createHmac, timingSafeEqual } from 'node:crypto';
import type { VisitorIdentity } from '@parley/protocol';

/** How long a `userHash` stays valid after the owner's server computed it. */
export const IDENTITY_MAX_AGE_SECONDS = 7 * 24 * 3600;
/** Tolerated clock skew between the owner's server and the relay. */
const CLOCK_SKEW_SECONDS = 300;

export type IdentityCheck = 'verified' | 'unsigned' | 'invalid' | 'expired' | 'no-secret';

/** What the owner's server computes: hex HMAC-SHA256 of `${userId}:${issuedAt}` under the site's secret. */
export function identityHash(secret: string, userId: string, issuedAt: number): string {
  return createHmac('sha256', secret).update(`${userId}:${issuedAt}`).digest('hex');
}

/**
 * Checks an `identify` against the site's secret. Constant-time on the hash, so its bytes cannot
 * be learnt one at a time from response timings; never trusts a client-side "verified" flag.
 */
export function checkIdentity(
  identity: VisitorIdentity,
  secret: string | null,
  nowSeconds: number,
): IdentityCheck {
  if (identity.userHash === undefined) return 'unsigned';
  if (secret === null) return 'no-secret';
  if (identity.issuedAt === undefined) return 'invalid';
  const expected = Buffer.from(identityHash(secret, identity.userId, identity.issuedAt), 'hex');
  const given = Buffer.from(identity.userHash.toLowerCase(), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  if (identity.issuedAt > nowSeconds + CLOCK_SKEW_SECONDS) return 'invalid';
  if (nowSeconds - identity.issuedAt > IDENTITY_MAX_AGE_SECONDS) return 'expired';
  return 'verified';
}
