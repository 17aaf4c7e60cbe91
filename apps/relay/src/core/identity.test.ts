import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { VisitorIdentity } from '@parley/protocol';
import { IDENTITY_MAX_AGE_SECONDS, checkIdentity, identityHash } from './identity.ts';

// Wraps timingSafeEqual to see that the hash comparison goes through it (never `===`).
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const SECRET = 'test-secret-123';
const USER = 'user_42';
const ISSUED = 1_700_000_000;
/** Computed independently (Python's hmac module) for SECRET, `user_42:1700000000`. */
const KNOWN_HASH = '232939d2c32665d057065bab155f412f74fc3174a1a6348812e85456bcb657d5';

const signed = (overrides: Partial<VisitorIdentity> = {}): VisitorIdentity => ({
  userId: USER, issuedAt: ISSUED, userHash: identityHash(SECRET, USER, ISSUED), ...overrides,
});

describe('identityHash', () => {
  it('is the hex HMAC-SHA256 of `${userId}:${issuedAt}` under the secret, as owners compute it', () => {
    expect(identityHash(SECRET, USER, ISSUED)).toBe(KNOWN_HASH);
  });
});

describe('checkIdentity', () => {
  it('verifies a correct hash, in lower or upper case', () => {
    expect(checkIdentity(signed(), SECRET, ISSUED + 60)).toBe('verified');
    expect(checkIdentity(signed({ userHash: KNOWN_HASH.toUpperCase() }), SECRET, ISSUED + 60)).toBe('verified');
  });

  it('compares the hash in constant time', () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    checkIdentity(signed(), SECRET, ISSUED);
    checkIdentity(signed({ userHash: 'f'.repeat(64) }), SECRET, ISSUED);
    expect(compare).toHaveBeenCalledTimes(2);
  });

  it('without userHash is unsigned, whether or not the site has a secret', () => {
    expect(checkIdentity({ userId: USER }, SECRET, ISSUED)).toBe('unsigned');
    expect(checkIdentity({ userId: USER, issuedAt: ISSUED, name: 'Vera' }, null, ISSUED)).toBe('unsigned');
  });

  it('a hash on a site without a secret is no-secret', () => {
    expect(checkIdentity(signed(), null, ISSUED)).toBe('no-secret');
  });

  it('refuses a hash under another secret, for another user, or for another time', () => {
    expect(checkIdentity(signed({ userHash: identityHash('other-secret', USER, ISSUED) }), SECRET, ISSUED)).toBe('invalid');
    expect(checkIdentity(signed({ userId: 'user_43' }), SECRET, ISSUED)).toBe('invalid');
    // A hash is bound to its issuedAt: moving the time forward to dodge expiry breaks it.
    expect(checkIdentity(signed({ issuedAt: ISSUED + 1 }), SECRET, ISSUED + 1)).toBe('invalid');
    expect(checkIdentity(signed({ userHash: '0'.repeat(64) }), SECRET, ISSUED)).toBe('invalid');
  });

  it('a hash without issuedAt is invalid', () => {
    const { issuedAt: _issuedAt, ...withoutTime } = signed();
    expect(checkIdentity(withoutTime, SECRET, ISSUED)).toBe('invalid');
  });

  it('is valid for 7 days after issuedAt, then expired', () => {
    expect(IDENTITY_MAX_AGE_SECONDS).toBe(7 * 24 * 3600);
    expect(checkIdentity(signed(), SECRET, ISSUED + IDENTITY_MAX_AGE_SECONDS)).toBe('verified');
    expect(checkIdentity(signed(), SECRET, ISSUED + IDENTITY_MAX_AGE_SECONDS + 1)).toBe('expired');
    expect(checkIdentity(signed(), SECRET, ISSUED + 365 * 24 * 3600)).toBe('expired');
  });

  it('tolerates 5 minutes of clock skew into the future, no more', () => {
    expect(checkIdentity(signed(), SECRET, ISSUED - 300)).toBe('verified');
    expect(checkIdentity(signed(), SECRET, ISSUED - 301)).toBe('invalid');
  });

  it('a wrong hash is invalid even when it is also old: expiry is only told for genuine hashes', () => {
    expect(checkIdentity(signed({ userHash: 'a'.repeat(64) }), SECRET, ISSUED + IDENTITY_MAX_AGE_SECONDS + 10)).toBe('invalid');
  });

  it('handles user ids with separators and non-ASCII characters', () => {
    for (const userId of ['a:b', 'Zoë 🙂', '42']) {
      const identity = { userId, issuedAt: ISSUED, userHash: identityHash(SECRET, userId, ISSUED) };
      expect(checkIdentity(identity, SECRET, ISSUED)).toBe('verified');
    }
    // `a:b` at time T is not `a` at some other time.
    expect(checkIdentity({ userId: 'a', issuedAt: ISSUED, userHash: identityHash(SECRET, 'a:b', ISSUED) }, SECRET, ISSUED)).toBe('invalid');
  });
});
