import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { CgError } from '@companion-guard/core';

/** Shortest password accepted for a staff account. */
export const minPasswordLength = 12;
/** Longest password accepted (bounds the work an attacker can ask for). */
export const maxPasswordLength = 1024;

/** The scrypt cost of new hashes (about 32 MiB and ~0.1 s). Stored with every hash, so it can be raised later. */
const current = { N: 2 ** 15, r: 8, p: 1 } as const;
const saltBytes = 16;
const hashBytes = 32;

function derive(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, hashBytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a password with scrypt and a random salt. The result names its parameters:
 * `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`.
 *
 * @example await hashPassword('correct horse battery') // 'scrypt$32768$8$1$…$…'
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, current);
  return ['scrypt', current.N, current.r, current.p, salt.toString('base64'), hash.toString('base64')].join(
    '$',
  );
}

/**
 * True when `password` matches `stored` (compared in constant time), using the parameters stored with the
 * hash. A malformed stored hash throws `CgError('internal')`.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (
    scheme !== 'scrypt' ||
    !salt ||
    !hash ||
    !Object.values(params).every((v) => Number.isInteger(v) && v > 0)
  ) {
    throw new CgError('internal', 'A stored password hash is malformed.');
  }
  if (password.length > maxPasswordLength) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Checks a new password's length; `invalid-request` naming the rule otherwise. */
export function assertPasswordPolicy(password: string): void {
  if (password.length < minPasswordLength || password.length > maxPasswordLength) {
    throw new CgError(
      'invalid-request',
      `A password needs ${minPasswordLength} to ${maxPasswordLength} characters. ` +
        `密码长度须为 ${minPasswordLength} 至 ${maxPasswordLength} 个字符。`,
    );
  }
}

/** A strong random password (24 characters of base64url, 144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
