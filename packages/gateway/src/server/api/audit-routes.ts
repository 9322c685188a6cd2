import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { isoTime } from './wire.js';

/** LOG-1: the audit chain verified against the signed checkpoints, for auditors (no conversation text). */
export function registerAuditRoutes(routes: SecureRoutes, deps: AppDeps): void {
  routes.route('GET /api/audit/verification', async (c) => {
    const report = await deps.auditTrail.verify();
    const newest = report.newestCheckpoint;
    return c.json({
      ok: report.ok,
      checked_at: isoTime(deps.clock.now()),
      events: report.chain.count,
      from_seq: report.chain.from ?? 1,
      first_bad_seq: report.chain.brokenAt ?? null,
      reason: report.chain.reason ?? null,
      checkpoints: report.checkpoints,
      newest_checkpoint: newest
        ? { seq: newest.seq, hash: newest.hash, at: isoTime(newest.at), key_id: newest.keyId }
        : null,
      bad_checkpoints: report.badCheckpoints.map((b) => ({ line: b.line, seq: b.seq, problem: b.problem })),
      purged_too_early: report.purgedTooEarly,
      unanchored_since: report.unanchoredSince === null ? null : isoTime(report.unanchoredSince),
      findings: report.lines,
    });
  });
}
