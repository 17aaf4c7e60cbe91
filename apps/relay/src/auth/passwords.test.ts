import { describe, expect, it } from 'vitest';
import { SCRYPT_PARAMS, hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with OWASP-level scrypt parameters, recorded in the hash', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const [scheme, n, r, p] = hash.split('$');
    expect([scheme, Number(n), Number(r), Number(p)]).toEqual(['scrypt', SCRYPT_PARAMS.N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p]);
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(hash).not.toContain('correct horse');
  });

  it('verifies the right password only, and salts every hash', async () => {
    const a = await hashPassword('s3cret-pass');
    const b = await hashPassword('s3cret-pass');
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret-pass', a)).toBe(true);
    expect(await verifyPassword('s3cret-pasS', a)).toBe(false);
    expect(await verifyPassword('s3cret-pass', 'bcrypt$whatever')).toBe(false);
  });
});
