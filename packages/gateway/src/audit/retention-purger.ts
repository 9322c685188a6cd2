import type { Clock, Profile, RetentionCounts, Store } from '@companion-guard/core';

const dayMs = 86_400_000;

export interface RetentionPurgerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly retention: Profile['retention'];
  /** How often the purge may run; one run per interval across instances. Default 1 hour. */
  readonly intervalMs?: number;
  /** Rows deleted per transaction (see `RetentionPurge.batchSize`). */
  readonly batchSize?: number;
}

/**
 * LOG-1: deletes what is past retention in short batches, reported by one `retention-purged` event with
 * the totals (none when nothing was deleted). Audit events are purged only up to the newest checkpoint
 * signed before the cutoff, checkpoint by checkpoint: every event up to it is older than the retention, and
 * the chain's every new start is a position a signed checkpoint vouches for. Returns null when another
 * instance (or an earlier call) already ran this interval.
 */
export function createRetentionPurger(options: RetentionPurgerOptions): {
  runDue(): Promise<RetentionCounts | null>;
} {
  const intervalMs = options.intervalMs ?? 3_600_000;
  const { auditDays, networkLogDays, messageDays } = options.retention;
  return {
    async runDue() {
      const now = options.clock.now();
      const auditCutoff = now - auditDays * dayMs;
      const checkpoints = (await options.store.listAuditCheckpoints()).filter((c) => c.at <= auditCutoff);
      return options.store.purgeExpired({
        now,
        slot: Math.floor(now / intervalMs),
        auditCheckpoints: checkpoints.map(({ seq, hash }) => ({ seq, hash })),
        ...(messageDays === null ? {} : { messagesBefore: now - messageDays * dayMs }),
        networkLogsBefore: now - networkLogDays * dayMs,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        audit: (counts, auditFloor) => [
          {
            type: 'retention-purged',
            requirement: 'LOG-1',
            at: now,
            data: { ...counts, auditThrough: auditFloor || null, auditDays, networkLogDays, messageDays },
          },
        ],
      });
    },
  };
}
