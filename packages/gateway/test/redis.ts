import { describe, expect, it } from 'vitest';

/** The Redis test server (CI sets it). */
export const redisUrl = process.env.REDIS_URL;

/**
 * `describe` for tests that need Redis: they run when `REDIS_URL` is set, are reported as skipped (with the
 * reason in their name) when it is not, and fail when it is missing under `CI=true`.
 */
export function describeRedis(name: string, body: () => void): void {
  if (!redisUrl && process.env.CI === 'true') {
    describe(name, () => {
      it('needs REDIS_URL when CI=true', () => {
        expect.fail('REDIS_URL is not set but CI=true: Redis tests may not be skipped in CI.');
      });
    });
    return;
  }
  describe.skipIf(!redisUrl)(redisUrl ? name : `${name} (skipped: REDIS_URL not set)`, body);
}
