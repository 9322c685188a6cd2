import { describe, expect, it } from 'vitest';
import { generateTotpSecret, matchTotp, totpCode, totpStep, totpUri } from './totp.js';

/** RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32. */
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238, HMAC-SHA1, 6 digits, 30 s)', () => {
  it('matches the RFC test vectors (last 6 of the 8 digits)', () => {
    for (const [seconds, code] of [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
      [20000000000, '353130'],
    ] as const) {
      expect(totpCode(rfcSecret, seconds * 1000)).toBe(code);
    }
  });

  it('accepts the codes of the previous, current and next step, returning the step; nothing else', () => {
    const now = 1_800_000_000_000;
    for (const offset of [-1, 0, 1]) {
      const code = totpCode(rfcSecret, now + offset * 30_000);
      expect(matchTotp(rfcSecret, code, now)).toBe(totpStep(now) + offset);
    }
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now - 60_000), now)).toBeUndefined();
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now + 60_000), now)).toBeUndefined();
    expect(matchTotp(rfcSecret, '12345', now)).toBeUndefined();
    expect(matchTotp(rfcSecret, 'abcdef', now)).toBeUndefined();
    expect(matchTotp(rfcSecret, ` ${totpCode(rfcSecret, now)} `, now)).toBe(totpStep(now));
  });

  it('new secrets are 20 random bytes in base32, and the otpauth URI names issuer and account', () => {
    const a = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(a);
    expect(totpCode(a.toLowerCase(), 0)).toBe(totpCode(a, 0));
    expect(totpUri('ops+1@example.com', a)).toBe(
      `otpauth://totp/companion-guard:ops%2B1@example.com?secret=${a}&issuer=companion-guard`,
    );
  });
});
