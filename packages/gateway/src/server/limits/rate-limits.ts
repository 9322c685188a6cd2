import { createHash } from 'node:crypto';
import { CgError, type Clock } from '@companion-guard/core';
import type { Logger } from '../../logger.js';

/** One counter to hit: `key` names the bucket and its window (the window start is part of the key). */
export interface LimitBucket {
  readonly key: string;
  /** The window's length: the backend may forget the bucket after it. */
  readonly windowMs: number;
}

/**
 * Counts hits per bucket. Each call counts one hit in every bucket given and returns the counts after it,
 * in order, in one round trip; concurrent hits on one bucket from any instance sharing the backend are
 * all counted (atomic increments). Throws when the backend is unreachable.
 */
export interface LimitCounter {
  /** `memory` (this instance only), `redis` or `database` (shared by the instances). */
  readonly backend: string;
  hit(buckets: readonly LimitBucket[]): Promise<readonly number[]>;
}

/** Config `limits:`: how much one user, one API key or one guardian contact may ask for. */
export interface LimitSettings {
  readonly turnsPerUserPerMinute: number;
  readonly turnsPerKeyPerMinute: number;
  readonly newSessionsPerUserPerHour: number;
  readonly newSessionsPerKeyPerHour: number;
  /** Guardian sign-in attempts (one-time code entries) per contact, right or wrong. */
  readonly guardianSignInsPerHour: number;
}

/**
 * Defaults: far above what one person in a companion chat does (a message every 2 s for a minute; a new
 * chat every minute for an hour), and per key about 1,000 turns/s, a cap only a runaway client reaches.
 */
export const defaultLimitSettings: LimitSettings = {
  turnsPerUserPerMinute: 30,
  turnsPerKeyPerMinute: 60_000,
  newSessionsPerUserPerHour: 60,
  newSessionsPerKeyPerHour: 100_000,
  guardianSignInsPerHour: 20,
};

/** `rate-limited` (429) with the seconds until the window that refused the request ends (`Retry-After`). */
export class RateLimitedError extends CgError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('rate-limited');
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Who is asking: the API key (`null` on a keyless loopback gateway) and the end user. */
export interface LimitCaller {
  readonly keyId: string | null;
  readonly user: string;
}

/**
 * The limits applied to `/v1` chat turns, new sessions, guardian sign-in and code requests. Each `admit*` counts the
 * request and throws `RateLimitedError` when any of its windows is over its limit; a refused request
 * counts too (fixed windows: a flood stays refused until its window ends).
 */
export interface RateLimits {
  readonly backend: string;
  admitTurn(caller: LimitCaller): Promise<void>;
  admitNewSession(caller: LimitCaller): Promise<void>;
  /**
   * `guardianId`: the keyed id of the contact (never the contact itself). This and `admitGuardianCode` fail
   * closed: when the counter fails they throw `store-unavailable`, since guessing codes or sending messages
   * without a limit is worse than a guardian retrying shortly.
   */
  admitGuardianSignIn(guardianId: string): Promise<void>;
  /** Guardian one-time code requests per contact: `perHour` is `guardians.codesPerHour`. */
  admitGuardianCode(guardianId: string, perHour: number): Promise<void>;
}

const minuteMs = 60_000;
const hourMs = 3_600_000;

/** User ids are the app's; only a digest of them goes into the shared counters. */
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/**
 * Fixed-window limits over `counter`: a window is `[k·length, (k+1)·length)` on the injected clock, so a
 * caller gets at most `limit` requests per window and at most twice that across a window boundary. When the
 * counter fails (its backend is down) a turn or new session is admitted and a warning logged: those limits
 * protect the service, so their outage must not stop it. The guardian limits guard codes; they refuse instead.
 */
export function createRateLimits(options: {
  counter: LimitCounter;
  settings: LimitSettings;
  clock: Clock;
  logger: Logger;
}): RateLimits {
  const { counter, settings, clock, logger } = options;

  async function admit(
    checks: readonly { name: string; limit: number; windowMs: number }[],
    onFailure: 'admit' | 'refuse' = 'admit',
  ) {
    const now = clock.now();
    const buckets = checks.map((c) => {
      const start = Math.floor(now / c.windowMs) * c.windowMs;
      return { key: `${c.name}:${start}`, windowMs: c.windowMs, end: start + c.windowMs };
    });
    let counts: readonly number[];
    try {
      counts = await counter.hit(buckets);
    } catch (error) {
      logger.warn(`limits: the counter failed; request ${onFailure === 'admit' ? 'admitted' : 'refused'}`, {
        backend: counter.backend,
        error: String(error),
      });
      if (onFailure === 'admit') return;
      throw new CgError(
        'store-unavailable',
        'The guardian sign-in and code limits cannot be counted right now.',
        {
          cause: error,
        },
      );
    }
    let retryAt = 0;
    checks.forEach((c, i) => {
      const bucket = buckets[i];
      if (bucket && (counts[i] ?? 0) > c.limit) retryAt = Math.max(retryAt, bucket.end);
    });
    if (retryAt > 0) throw new RateLimitedError(Math.max(1, Math.ceil((retryAt - now) / 1000)));
  }

  const keyOf = (keyId: string | null) => keyId ?? 'keyless';
  return {
    backend: counter.backend,
    admitTurn: ({ keyId, user }) =>
      admit([
        { name: `turn:u:${digest(user)}`, limit: settings.turnsPerUserPerMinute, windowMs: minuteMs },
        { name: `turn:k:${keyOf(keyId)}`, limit: settings.turnsPerKeyPerMinute, windowMs: minuteMs },
      ]),
    admitNewSession: ({ keyId, user }) =>
      admit([
        { name: `session:u:${digest(user)}`, limit: settings.newSessionsPerUserPerHour, windowMs: hourMs },
        { name: `session:k:${keyOf(keyId)}`, limit: settings.newSessionsPerKeyPerHour, windowMs: hourMs },
      ]),
    admitGuardianSignIn: (guardianId) =>
      admit(
        [{ name: `guardian:${guardianId}`, limit: settings.guardianSignInsPerHour, windowMs: hourMs }],
        'refuse',
      ),
    admitGuardianCode: (guardianId, perHour) =>
      admit([{ name: `guardian-code:${guardianId}`, limit: perHour, windowMs: hourMs }], 'refuse'),
  };
}

/**
 * Counters in this process only (SQLite: one instance). Bounded: past `maxEntries` buckets the ones whose
 * window has passed go first, then the oldest.
 */
export function createMemoryLimitCounter(maxEntries = 100_000): LimitCounter {
  const counts = new Map<string, { count: number; until: number }>();
  let sweptAt = 0;
  return {
    backend: 'memory',
    async hit(buckets) {
      const now = Date.now();
      return buckets.map(({ key, windowMs }) => {
        const entry = counts.get(key);
        if (entry) {
          entry.count += 1;
          return entry.count;
        }
        if (counts.size >= maxEntries) {
          // A full sweep at most once a second keeps a flood of new buckets from costing a sweep each.
          if (now - sweptAt >= 1000) {
            sweptAt = now;
            for (const [k, e] of counts) if (e.until <= now) counts.delete(k);
          }
          if (counts.size >= maxEntries) counts.delete(counts.keys().next().value as string);
        }
        // Kept for two windows of wall time: bucket keys carry the (possibly fake) clock's window start.
        counts.set(key, { count: 1, until: now + 2 * windowMs });
        return 1;
      });
    },
  };
}

/**
 * `primary` (Redis) while it answers, `fallback` (the database, or memory) while it does not; the switch
 * both ways is logged once.
 */
export function withFallbackCounter(
  primary: LimitCounter,
  fallback: LimitCounter,
  logger: Logger,
): LimitCounter {
  let down = false;
  return {
    get backend() {
      return down ? fallback.backend : primary.backend;
    },
    async hit(buckets) {
      try {
        const counts = await primary.hit(buckets);
        if (down) {
          down = false;
          logger.info('limits: counting in the primary backend again', { backend: primary.backend });
        }
        return counts;
      } catch (error) {
        if (!down) {
          down = true;
          logger.warn('limits: primary backend unreachable; counting in the fallback', {
            backend: primary.backend,
            fallback: fallback.backend,
            error: String(error),
          });
        }
        return fallback.hit(buckets);
      }
    },
  };
}
