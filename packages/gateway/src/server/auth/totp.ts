import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238 parameters: HMAC-SHA1, 6 digits, 30-second steps; codes of the previous and next step count. */
const stepMs = 30_000;
const digits = 6;
const window = 1;
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive; spaces and padding ignored). Throws on other characters. */
function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error('The TOTP secret is not base32.');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new TOTP secret: 20 random bytes (the RFC's HMAC-SHA1 key size) in base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The 30-second time step of `timeMs`. */
export function totpStep(timeMs: number): number {
  return Math.floor(timeMs / stepMs);
}

function codeForStep(key: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * The TOTP code of `secretBase32` at `timeMs` (RFC 6238: HMAC-SHA1, 6 digits, 30 s).
 *
 * @example totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000) // '287082' (RFC 6238 test vector)
 */
export function totpCode(secretBase32: string, timeMs: number): string {
  return codeForStep(base32Decode(secretBase32), totpStep(timeMs));
}

/**
 * The time step `code` belongs to, if it is the code of the step of `timeMs` or of one step before or after
 * (clock drift); otherwise undefined. Codes are compared in constant time. The caller must still refuse a
 * step already used (replay).
 */
export function matchTotp(secretBase32: string, code: string, timeMs: number): number | undefined {
  const given = Buffer.from(code.trim());
  if (given.length !== digits) return undefined;
  const key = base32Decode(secretBase32);
  const now = totpStep(timeMs);
  let matched: number | undefined;
  for (let step = now - window; step <= now + window; step++) {
    if (timingSafeEqual(Buffer.from(codeForStep(key, step)), given)) matched ??= step;
  }
  return matched;
}

/** The `otpauth://` URI an authenticator app scans (shown once, when the account is created). */
export function totpUri(email: string, secretBase32: string): string {
  const issuer = 'companion-guard';
  // '@' is allowed in a URI path; apps show the label as written.
  const label = encodeURIComponent(email).replace(/%40/g, '@');
  return `otpauth://totp/${issuer}:${label}?secret=${secretBase32}&issuer=${issuer}`;
}
