import type { AuditCheckpoint, Clock, Store } from '@companion-guard/core';
import type { Logger } from '../logger.js';
import type { SigningKey } from '../storage/signing-key.js';
import { appendCheckpointLine, signCheckpoint } from './audit-checkpoints.js';

export interface AuditCheckpointerOptions {
  readonly store: Store;
  readonly signingKey: SigningKey;
  /** The JSON-lines file outside the database that checkpoints are appended to. */
  readonly file: string;
  /** Where to POST each checkpoint (JSON) to publish it; null: not published. */
  readonly publishUrl: string | null;
  /** Attempts per checkpoint before giving up (counted in `publishFailures`). Default 5. */
  readonly publishAttempts?: number;
  /** First retry delay, doubling after each failure. Default 1000 ms. */
  readonly publishRetryMs?: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Injected in tests. */
  readonly fetch?: typeof fetch;
  /** Injected in tests (a fake clock never sleeps). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface AuditCheckpointer {
  /**
   * Signs the chain head now and appends it to this instance's file, unless this instance signed that head
   * already (idle chain). The copy in the store only decides which instance publishes the head, so nothing
   * in the database can stop the file lines. Returns the checkpoint written, or null.
   */
  checkpoint(): Promise<AuditCheckpoint | null>;
  /** Waits for publications under way. */
  drain(): Promise<void>;
  readonly stats: {
    readonly written: number;
    readonly published: number;
    readonly publishFailures: number;
    /** Heads whose copy in the store names another hash (tampering): logged as errors. */
    readonly conflicts: number;
  };
}

/**
 * LOG-1: anchors the audit chain outside the database. Publication runs in the background with retries;
 * its failures are logged and counted and never block a chat turn (nothing here runs in a turn).
 */
export function createAuditCheckpointer(options: AuditCheckpointerOptions): AuditCheckpointer {
  const stats = { written: 0, published: 0, publishFailures: 0, conflicts: 0 };
  let lastSeq = 0;
  const pending = new Set<Promise<void>>();
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  const attempts = Math.max(1, options.publishAttempts ?? 5);

  async function publish(url: string, checkpoint: AuditCheckpoint): Promise<void> {
    let delay = options.publishRetryMs ?? 1000;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(checkpoint),
          signal: AbortSignal.timeout(10_000),
        });
        if (response.ok) {
          stats.published += 1;
          return;
        }
        options.logger.warn('audit checkpoint publication refused', { status: response.status, attempt });
      } catch (error) {
        options.logger.warn('audit checkpoint publication failed', { error: String(error), attempt });
      }
      if (attempt < attempts) {
        await sleep(delay);
        delay *= 2;
      }
    }
    stats.publishFailures += 1;
    options.logger.error('audit checkpoint not published', { seq: checkpoint.seq, attempts });
  }

  return {
    stats,
    async checkpoint() {
      const head = await options.store.auditHead();
      if (head.seq === 0 || head.seq === lastSeq) return null;
      const checkpoint = signCheckpoint(options.signingKey, head, options.clock.now());
      await appendCheckpointLine(options.file, checkpoint);
      lastSeq = head.seq;
      stats.written += 1;
      const copy = await options.store.recordAuditCheckpoint(checkpoint);
      if (copy === 'conflict') {
        stats.conflicts += 1;
        options.logger.error('audit checkpoint contradicts the copy in the database: run audit verify', {
          seq: checkpoint.seq,
        });
      }
      if (copy === 'recorded' && options.publishUrl) {
        const task = publish(options.publishUrl, checkpoint).finally(() => pending.delete(task));
        pending.add(task);
      }
      return checkpoint;
    },
    async drain() {
      await Promise.all([...pending]);
    },
  };
}
