import { sql } from 'kysely';
import type { SqlContext } from './sql-context.js';

/** Expired buckets are deleted at most this often per instance. */
const pruneEveryMs = 60_000;

/**
 * Rate-limit counters in the database (`LimitCounter` of `server/limits`), for PostgreSQL deployments
 * without Redis: one upsert per request for all its buckets, atomic per row (`ON CONFLICT … hits + 1`), so
 * concurrent hits from every instance are all counted. Expired rows go at most once a minute.
 *
 * The upsert commits asynchronously (`synchronous_commit` off for its own transaction only): it returns
 * without waiting for the WAL flush, and its row locks (every turn of an API key hits one row) are held for
 * microseconds instead of an fsync, so the key's turns are not serialized at the disk's flush rate. Counts
 * are visible to every instance at once; a crash of PostgreSQL itself may forget the last fraction of a
 * second of hits (never corrupts), which a limit may afford.
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
      // set_config(…, true) lasts until the end of this statement's transaction; PostgreSQL commits each
      // transaction by the synchronous_commit in effect when it commits.
      const values = buckets.map((b) => sql`(${b.key}::text, ${now + b.windowMs + 60_000}::bigint)`);
      const { rows } = await sql<{ bucket: string; hits: number }>`insert into rate_limits
          (bucket, hits, expires_at)
        select v.bucket, 1, v.expires_at from (values ${sql.join(values)}) v (bucket, expires_at)
        where set_config('synchronous_commit', 'off', true) = 'off'
        on conflict (bucket) do update set hits = rate_limits.hits + 1
        returning bucket, hits`.execute(this.#ctx.db);
      const hits = new Map(rows.map((r) => [r.bucket, Number(r.hits)]));
      return buckets.map((b) => hits.get(b.key) ?? 0);
    });
  }
}
