import type { Identity } from './store/chat.ts';

/**
 * Checks what the page passed to `Parley('identify', …)` and copies only the known fields (so
 * nothing the host added to prototypes, and no typo, reaches the relay's strict schema, which
 * would refuse the whole hello). Returns the identity, or why it is unusable.
 */
export function readIdentity(raw: unknown): Identity | string {
  if (!raw || typeof raw !== 'object') return 'expected an object like { userId, userHash, issuedAt }';
  const input = raw as Record<string, unknown>;
  const field = (key: string) => (Object.hasOwn(input, key) ? input[key] : undefined);
  const userId = field('userId');
  if (typeof userId === 'number') return readIdentity({ ...input, userId: String(userId) });
  if (typeof userId !== 'string' || !userId || userId.length > 200) return 'userId must be a non-empty string';
  const identity: Identity = { userId };
  const userHash = field('userHash');
  const issuedAt = field('issuedAt');
  if (userHash !== undefined) {
    if (typeof userHash !== 'string' || !/^[\da-f]{64}$/i.test(userHash)) return 'userHash must be 64 hex characters (HMAC-SHA256)';
    if (typeof issuedAt !== 'number' || !Number.isInteger(issuedAt) || issuedAt < 0) {
      return 'issuedAt (Unix seconds, the time the hash was computed) must come with userHash';
    }
    identity.userHash = userHash;
    identity.issuedAt = issuedAt;
  }
  const email = field('email');
  if (typeof email === 'string' && email) identity.email = email.slice(0, 200);
  const name = field('name');
  if (typeof name === 'string' && name) identity.name = name.slice(0, 200);
  const attributes = field('attributes');
  if (attributes && typeof attributes === 'object') {
    const clean: Record<string, string | number | boolean | null> = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (!/^[\w.-]{1,64}$/.test(key)) continue;
      if (typeof value === 'string') clean[key] = value.slice(0, 1000);
      else if (typeof value === 'number' || typeof value === 'boolean' || value === null) clean[key] = value;
    }
    identity.attributes = clean;
  }
  return identity;
}
