import { sql } from 'kysely';
import type { SqlContext } from './sql-context.js';

/** Expired buckets are deleted at most this often per instance. */
const pruneEveryMs = 60_000;

/**
 * Rate-limit counters in the database (`LimitCounter` of `server/limits`), for PostgreSQL deployments
 * without Redis: one upsert per request for all its buckets, atomic per row (`ON CONFLICT … hits + 1`), so
 * concurrent hits from every instance are all counted. Expired rows go at most once a minute.
 */
export class SqlRateLimitStore {
  readonly backend = 'database';
  readonly #ctx: SqlContext;
  #prunedAt = 0;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  hit(buckets: readonly { key: string; windowMs: number }[]): Promise<readonly number[]> {
    return this.#ctx.run('rateLimits.hit', async () => {
      const now = Date.now();
      if (now - this.#prunedAt >= pruneEveryMs) {
        this.#prunedAt = now;
        await this.#ctx.db.deleteFrom('rateLimits').where('expiresAt', '<', now).execute();
      }
      // Bucket keys carry the (possibly fake) clock's window start; rows outlive their window in wall time.
      const rows = await this.#ctx.db
        .insertInto('rateLimits')
        .values(buckets.map((b) => ({ bucket: b.key, hits: 1, expiresAt: now + b.windowMs + 60_000 })))
        .onConflict((oc) => oc.column('bucket').doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
        .returning(['bucket', 'hits'])
        .execute();
      const hits = new Map(rows.map((r) => [r.bucket, Number(r.hits)]));
      return buckets.map((b) => hits.get(b.key) ?? 0);
    });
  }
}
