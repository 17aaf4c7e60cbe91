import { createHash, randomBytes } from 'node:crypto';

/** A bearer secret (session cookie, visitor token): 32 random bytes, base64url. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/**
 * Only the hash of a token is stored, so a leaked database does not hand out sessions.
 * SHA-256 suffices: tokens are random, not guessable passwords.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');
