import { randomUUID } from 'node:crypto';
import {
  type Appeal,
  CgError,
  complaintDeadlines,
  isMinorBand,
  minorModeRef,
  userAgeBand,
} from '@companion-guard/core';
import { z } from 'zod';
import { isoTime, staffPrincipal } from '../api/wire.js';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { userParam } from '../openai/user-wire.js';
import { readBody } from '../read-body.js';

/** The body of `POST /v1/users/{user}/appeals`: the user's own words are optional. */
const appealBody = z
  .object({ kind: z.literal('minor-mode'), text: z.string().trim().min(1).max(2000).optional() })
  .strict();

/** The body of `POST /api/appeals/{id}/decide`. */
const decisionBody = z
  .object({ decision: z.enum(['upheld', 'rejected']), reason: z.string().trim().min(3).max(500) })
  .strict();

const stateQuery = z.enum(['open', 'upheld', 'rejected', 'all']);

const optionalTime = (ms: number | null) => (ms === null ? null : isoTime(ms));

/** An appeal on the wire (the app's and the staff routes'). */
const appealWire = (a: Appeal) => ({
  id: a.id,
  user_id: a.userId,
  kind: a.kind,
  status: a.status,
  text: a.text,
  filed_at: isoTime(a.filedAt),
  decided_at: optionalTime(a.decidedAt),
  decided_by: a.decidedBy,
  reason: a.reason,
});

/**
 * MINOR-5: appeals against minor mode entered on suspicion. The app files one on the user's request
 * (`POST /v1/users/{user}/appeals`, the same as `POST /v1/complaints` with kind `appeal` and ref
 * `minor-mode`, so it is in the complaints queue too); compliance staff list and decide them (`/api/appeals`,
 * or as complaints). The user learns the outcome as a `minor-mode` directive on the next chat turn.
 */
export function registerAppealRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { store, clock } = deps;

  routes.route('POST /v1/users/:user/appeals', async (c) => {
    const externalId = userParam(c.req.param('user'));
    const body = await readBody(c.req.raw, deps.maxBodyBytes, appealBody);
    const user = await store.profiles.getProfile(externalId);
    if (!user) throw new CgError('not-found', 'No such user.');
    // COMPLAINT-1: an appeal of minor mode is a complaint of kind `appeal` (same id), in the staff queue.
    const now = clock.now();
    const { complaint, created } = await store.complaints.file({
      id: randomUUID(),
      userId: user.id,
      kind: 'appeal',
      ref: minorModeRef,
      text: body.text ?? null,
      now,
      ...complaintDeadlines(deps.profiles.forUser(user).complaints, 'appeal', now),
    });
    const appeal = await store.appeals.get(complaint.id);
    if (!appeal) throw new CgError('store-error', `Appeal ${complaint.id} has no MINOR-5 record.`);
    return c.json(appealWire(appeal), created ? 201 : 200);
  });

  routes.route('GET /api/appeals', async (c) => {
    const parsed = stateQuery.safeParse(c.req.query('state') ?? 'open');
    if (!parsed.success) throw new CgError('invalid-request', 'state: must be open, upheld, rejected or all');
    const state = parsed.data;
    const appeals = await store.appeals.list(state === 'all' ? {} : { status: state });
    const withText = appeals.filter((a) => a.text !== null);
    if (withText.length > 0) {
      // DATA-1: staff reading the users' own words is recorded (which appeals, by whom), never the words.
      await store.appendAudit([
        {
          type: 'appeal-texts-read',
          requirement: 'DATA-1',
          at: clock.now(),
          data: { staffId: staffPrincipal(c).staffId, appealIds: withText.map((a) => a.id) },
        },
      ]);
    }
    return c.json({ data: appeals.map(appealWire) });
  });

  routes.route('POST /api/appeals/:id/decide', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, decisionBody);
    const id = c.req.param('id') ?? '';
    const now = clock.now();
    if (body.decision === 'upheld') {
      // A registered age under 18 keeps minor mode until 18 (MINOR-1), whatever the suspicion was.
      const filed = await store.appeals.get(id);
      const user = filed ? await store.getUser(filed.userId) : undefined;
      if (user && isMinorBand(userAgeBand(user, now, deps.profiles.forUser(user).elderly.ageFrom))) {
        throw new CgError(
          'appeal-not-allowed',
          'The user has since registered an age under 18: minor mode holds until 18, so the appeal can only be rejected.',
        );
      }
    }
    const appeal = await store.appeals.decide(id, {
      outcome: body.decision,
      reason: body.reason,
      staffId: me.staffId,
      now,
    });
    // This instance's chat reads the user afresh (other instances within their cache's few seconds).
    const user = await store.getUser(appeal.userId);
    if (user) deps.chat.forgetUser(user.externalId);
    return c.json(appealWire(appeal));
  });
}
