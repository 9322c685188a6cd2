import type { AuditCheckpoint, AuditVerification, Store } from '@companion-guard/core';
import { type BadCheckpoint, readCheckpoints } from './audit-checkpoints.js';

/** What `audit verify` found (LOG-1). */
export interface AuditTrailReport {
  readonly ok: boolean;
  readonly chain: AuditVerification;
  /** Valid (signed) checkpoints used. */
  readonly checkpoints: number;
  readonly newestCheckpoint: AuditCheckpoint | null;
  readonly badCheckpoints: readonly BadCheckpoint[];
  /**
   * Checkpoints of events that are gone although they were signed less than the audit retention ago:
   * events deleted before their time, passed off as a retention purge.
   */
  readonly purgedTooEarly: readonly number[];
  /**
   * The time of the oldest event no valid checkpoint vouches for, when it has waited longer than allowed
   * (checkpoints stopped, or an instance's file is missing from the files read); null otherwise.
   */
  readonly unanchoredSince: number | null;
  /** One line per finding, for people. */
  readonly lines: readonly string[];
}

export interface VerifyAuditTrailOptions {
  readonly store: Store;
  /** Checkpoint files (JSON lines) written by the gateway instances. */
  readonly files: readonly string[];
  /** The public key of the signing key (`SigningKey.publicKeyPem`). */
  readonly publicKeyPem: string;
  readonly now: number;
  /** The profile's audit retention. */
  readonly auditRetentionMs: number;
  /** `audit.checkpointIntervalMinutes`: how long an event may wait for a checkpoint (see `staleAfterIntervals`). */
  readonly checkpointIntervalMs: number;
}

/**
 * With checkpoints, the newest one and the oldest event after it may be this many intervals old before the
 * trail counts as unanchored; with none, the chain's first event may be one interval old.
 */
const staleAfterIntervals = 3;

/**
 * Checks the chain and the checkpoints (LOG-1): every checkpoint's signature, the event at each
 * checkpoint's seq has that hash, the chain reaches the newest checkpoint, a retention purge started the
 * chain at a checkpoint signed longer than the retention ago. Names the first bad seq.
 */
export async function verifyAuditTrail(options: VerifyAuditTrailOptions): Promise<AuditTrailReport> {
  const { valid, bad } = await readCheckpoints(options.files, options.publicKeyPem);
  const chain = await options.store.verifyAudit({ checkpoints: valid });
  const start = (chain.from ?? 1) - 1;
  const purgedTooEarly = valid
    .filter((c) => c.seq <= start && c.at > options.now - options.auditRetentionMs)
    .map((c) => c.seq);
  const lines: string[] = [];
  for (const b of bad) {
    lines.push(`checkpoint ${b.file}:${b.line}${b.seq === null ? '' : ` (seq ${b.seq})`}: ${b.problem}`);
  }
  const range = chain.from ? ` (events ${chain.from}…; older ones purged by retention)` : '';
  if (chain.ok) {
    lines.push(
      `audit chain ok: ${chain.count} events${range}, anchored by ${valid.length} signed checkpoints`,
    );
  } else {
    lines.push(`audit chain BROKEN: first bad entry seq ${chain.brokenAt} — ${describe(chain)}`);
  }
  if (purgedTooEarly.length > 0) {
    lines.push(
      `events up to seq ${Math.max(...purgedTooEarly)} are gone but were checkpointed less than the audit retention ago`,
    );
  }
  const newest = valid[valid.length - 1] ?? null;
  if (newest === null) lines.push('no valid checkpoints: the chain is checked against itself only');
  const unanchoredSince = await staleSince(options, newest, start);
  if (unanchoredSince !== null) {
    lines.push(
      `no checkpoint vouches for the events since ${new Date(unanchoredSince).toISOString()} (${newest ? `the newest was signed at ${new Date(newest.at).toISOString()}` : 'none was ever signed'}): checkpoints stopped, or an instance's checkpoint file is missing`,
    );
  }
  return {
    ok: chain.ok && bad.length === 0 && purgedTooEarly.length === 0 && unanchoredSince === null,
    chain,
    checkpoints: valid.length,
    newestCheckpoint: newest,
    badCheckpoints: bad,
    purgedTooEarly,
    unanchoredSince,
    lines,
  };
}

/**
 * The `at` of the oldest event after the newest checkpoint (after the chain's start when there is none),
 * when both it and that checkpoint are older than allowed. Event times come from the database, so this
 * catches a checkpoint job that stopped, not a writer who also rewrites the unanchored events' times.
 */
async function staleSince(
  options: VerifyAuditTrailOptions,
  newest: AuditCheckpoint | null,
  start: number,
): Promise<number | null> {
  const allowedMs = options.checkpointIntervalMs * (newest ? staleAfterIntervals : 1);
  const limit = options.now - allowedMs;
  if (newest && newest.at >= limit) return null;
  const [oldest] = await options.store.listAudit({ afterSeq: newest?.seq ?? start, limit: 1 });
  return oldest && oldest.at < limit ? oldest.at : null;
}

function describe(chain: AuditVerification): string {
  switch (chain.reason) {
    case 'checkpoint':
      return `the chain was rewritten: the signed checkpoint at seq ${chain.checkpointSeq} does not match; the altered entry lies between seq ${chain.brokenAt} and ${chain.checkpointSeq}`;
    case 'truncated':
      return `events were deleted: the chain ends before the signed checkpoint at seq ${chain.checkpointSeq}`;
    case 'floor':
      return `the chain starts after seq ${chain.checkpointSeq}, a purge point no signed checkpoint vouches for`;
    case 'head':
      return 'the head row does not match the last event (events deleted at the end?)';
    default:
      return 'its hash or link to the previous event does not match';
  }
}

/** What the staff route shows an auditor (LOG-1): the verification of the chain and its checkpoints, now. */
export interface AuditTrailView {
  verify(): Promise<AuditTrailReport>;
}

/** `verifyAuditTrail` over the configured checkpoint file and key, at the clock's time. */
export function createAuditTrailView(
  options: Omit<VerifyAuditTrailOptions, 'now'> & { readonly clock: { now(): number } },
): AuditTrailView {
  return { verify: () => verifyAuditTrail({ ...options, now: options.clock.now() }) };
}
