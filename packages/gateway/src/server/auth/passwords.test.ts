import { randomBytes, scryptSync } from 'node:crypto';
import { isCgError } from '@companion-guard/core';
import { describe, expect, it } from 'vitest';
import { assertPasswordPolicy, generatePassword, hashPassword, verifyPassword } from './passwords.js';

describe('staff passwords (scrypt)', () => {
  it('hashes with a random salt and the parameters stored beside it; verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery 密码');
    const b = await hashPassword('correct horse battery 密码');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery 密码', a)).toBe(true);
    expect(await verifyPassword('correct horse battery 密碼', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
    expect(await verifyPassword('x'.repeat(5000), a)).toBe(false);
  });

  it('verifies with the parameters stored in the hash (so they can be raised later)', async () => {
    const salt = randomBytes(16);
    const hash = scryptSync('an older password', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${hash.toString('base64')}`;
    expect(await verifyPassword('an older password', stored)).toBe(true);
    expect(await verifyPassword('an older passworD', stored)).toBe(false);
  });

  it('a malformed stored hash is an internal error, never a match', async () => {
    for (const stored of ['', 'bcrypt$x', 'scrypt$0$8$1$c2FsdA==$aGFzaA==', 'scrypt$1024$8$1$$']) {
      const error = await verifyPassword('whatever password', stored).catch((e: unknown) => e);
      expect(isCgError(error, 'internal')).toBe(true);
    }
  });

  it('policy: at least 12 characters; generated passwords are 24 random characters', () => {
    expect(() => assertPasswordPolicy('elevenchars')).toThrow(/12/);
    expect(() => assertPasswordPolicy('twelve chars')).not.toThrow();
    expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(generatePassword());
  });
});
