import { randomUUID } from 'node:crypto';
import {
  CgError,
  type Complaint,
  complaintDeadlines,
  complaintKinds,
  complaintOverdue,
  fillText,
  isMinorBand,
  minorModeRef,
  userAgeBand,
} from '@companion-guard/core';
import { z } from 'zod';
import { staffPrincipal } from '../api/wire.js';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';
import { userParam } from '../openai/user-wire.js';
import { readBody, readUserBody } from '../read-body.js';
import { complaintAppWire, complaintStaffWire, userChannel } from './complaint-wire.js';

/** The body of `POST /v1/complaints`. */
const complaintBody = z
  .object({
    user: z.string(),
    kind: z.enum(complaintKinds as ['complaint', 'report', 'appeal']),
    text: z.string().trim().min(1).max(2000),
    ref: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

const assignBody = z.object({ assignee: z.string().min(1).max(200).optional() }).strict();
const statusBody = z
  .object({
    status: z.enum(['in-progress', 'resolved', 'rejected']),
    reason: z.string().trim().min(3).max(500).optional(),
  })
  .strict();
const replyBody = z.object({ text: z.string().trim().min(1).max(2000) }).strict();

/**
 * A staff action's answer without the user's words and the replies: only the audited list
 * (`GET /api/complaints`) shows them.
 */
function withoutTexts({ text: _text, replies, ...rest }: ReturnType<typeof complaintStaffWire>) {
  return { ...rest, replies: replies.map(({ text: _reply, ...reply }) => reply) };
}

const stateQuery = z.enum(['open', 'in-progress', 'resolved', 'rejected', 'all']);

/**
 * COMPLAINT-1: complaints, reports and appeals. The app files them on the user's request
 * (`POST /v1/complaints`), reads the published process (`GET /v1/complaints/process`) and the user's own
 * (`GET /v1/users/{user}/complaints`); compliance staff work the queue (`/api/complaints`): assign, move on,
 * reply. A reply reaches the user on the next chat turn, or at once on an open events stream.
 */
export function registerComplaintRoutes(routes: SecureRoutes, deps: AppDeps): void {
  const { store, clock } = deps;

  /** The ref, checked against the user: their own message or session, a known character, or minor mode (appeals). */
  async function checkRef(userId: string, kind: string, ref: string | undefined): Promise<string | null> {
    if (ref === undefined) {
      if (kind === 'appeal')
        throw new CgError('invalid-complaint-ref', 'ref: an appeal names what it appeals.');
      return null;
    }
    if (ref === minorModeRef) {
      if (kind !== 'appeal') throw new CgError('invalid-complaint-ref', 'ref: minor-mode is for appeals.');
      return ref;
    }
    if (ref.startsWith('character:')) {
      if (kind === 'appeal' || !(await store.getCharacter(ref.slice('character:'.length)))) {
        throw new CgError('invalid-complaint-ref', 'ref: no such character (or an appeal of one).');
      }
      return ref;
    }
    if (await store.complaints.ownsContent(userId, ref)) return ref;
    // A conversation as a whole: one of the user's own sessions.
    const session = await store.getSession(ref);
    if (session?.userId === userId) return ref;
    throw new CgError(
      'invalid-complaint-ref',
      'ref: no message with this content id and no session with this id in the user’s conversations.',
    );
  }

  routes.route('POST /v1/complaints', async (c) => {
    const body = await readUserBody(c.req.raw, deps.maxBodyBytes, complaintBody);
    const user = await store.profiles.getProfile(userParam(body.user));
    if (!user) throw new CgError('not-found', 'No such user.');
    const ref = await checkRef(user.id, body.kind, body.ref);
    const now = clock.now();
    const { complaint, created } = await store.complaints.file({
      id: randomUUID(),
      userId: user.id,
      kind: body.kind,
      ref,
      text: body.text,
      now,
      // The deadlines the user's own profile publishes (SCOPE-2).
      ...complaintDeadlines(deps.profiles.forUser(user).complaints, body.kind, now),
    });
    return c.json(complaintAppWire(complaint, now), created ? 201 : 200);
  });

  routes.route('GET /v1/complaints/process', async (c) => {
    // With `?user=`, the process of that user's profile (their region's deadlines); else the default's.
    const who = c.req.query('user');
    const user = who ? await store.profiles.getProfile(userParam(who)) : undefined;
    const profile = user ? deps.profiles.forUser(user) : deps.profile;
    const policy = profile.complaints;
    const locale = c.req.query('locale') ?? user?.locale ?? profile.defaultLocale;
    if (locale !== 'zh' && locale !== 'en') throw new CgError('invalid-request', 'locale: must be zh or en');
    const days = policy.resolveWithinDays;
    return c.json({
      locale,
      text: fillText(profile.texts.complaintProcess[locale], {
        ackHours: policy.acknowledgeWithinHours,
        complaintDays: days.complaint,
        reportDays: days.report,
        appealDays: days.appeal,
      }),
      kinds: complaintKinds,
      acknowledge_within_hours: policy.acknowledgeWithinHours,
      resolve_within_days: days,
      file: { method: 'POST', path: '/v1/complaints', body: { user: '…', kind: 'complaint', text: '…' } },
    });
  });

  routes.route('GET /v1/users/:user/complaints', async (c) => {
    const user = await store.profiles.getProfile(userParam(c.req.param('user')));
    if (!user) throw new CgError('not-found', 'No such user.');
    const complaints = await store.complaints.list({ userId: user.id });
    const now = clock.now();
    return c.json({ data: complaints.map((x) => complaintAppWire(x, now)) });
  });

  /** Staff emails by id, for the wire (compliance staff are few). */
  async function staffEmails(): Promise<Map<string, string>> {
    return new Map((await store.staff.listStaff()).map((s) => [s.id, s.email]));
  }

  /** DATA-1: staff reading the users' words (or replies) is recorded (which complaints, by whom), never the words. */
  async function auditRead(staffId: string, complaints: readonly Complaint[]): Promise<void> {
    const read = complaints.filter((x) => x.text !== null || x.replies.some((r) => r.text !== null));
    if (read.length === 0) return;
    await store.appendAudit([
      {
        type: 'complaint-texts-read',
        requirement: 'DATA-1',
        at: clock.now(),
        data: { staffId, complaintIds: read.map((x) => x.id) },
      },
    ]);
  }

  routes.route('GET /api/complaints', async (c) => {
    const me = staffPrincipal(c);
    const state = stateQuery.safeParse(c.req.query('state') ?? 'all');
    if (!state.success) {
      throw new CgError('invalid-request', 'state: must be open, in-progress, resolved, rejected or all');
    }
    const overdue = c.req.query('overdue');
    if (overdue !== undefined && overdue !== 'true' && overdue !== 'false') {
      throw new CgError('invalid-request', 'overdue: must be true or false');
    }
    const assigneeQuery = c.req.query('assignee');
    // `me`, `none` (not assigned) or a staff id.
    const assignee = assigneeQuery === 'me' ? me.staffId : assigneeQuery === 'none' ? null : assigneeQuery;
    const now = clock.now();
    let complaints = await store.complaints.list({
      ...(state.data === 'all' ? {} : { status: state.data }),
      ...(assignee === undefined ? {} : { assignee }),
      ...(overdue === 'true' ? { overdueAt: now } : {}),
      limit: 200,
    });
    if (overdue === 'false') complaints = complaints.filter((x) => complaintOverdue(x, now) === null);
    await auditRead(me.staffId, complaints);
    const emails = await staffEmails();
    return c.json({
      data: complaints.map((x) => complaintStaffWire(x, now, emails)),
      now: new Date(now).toISOString(),
    });
  });

  routes.route('POST /api/complaints/:id/assign', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, assignBody);
    const assignee = body.assignee ?? me.staffId;
    const staff = assignee === me.staffId ? undefined : await store.staff.getStaff(assignee);
    if (assignee !== me.staffId && (!staff || staff.disabled || staff.role !== 'compliance')) {
      throw new CgError('invalid-assignee');
    }
    const now = clock.now();
    const complaint = await store.complaints.assign(c.req.param('id') ?? '', {
      assignee,
      staffId: me.staffId,
      now,
    });
    return c.json(withoutTexts(complaintStaffWire(complaint, now, await staffEmails())));
  });

  routes.route('POST /api/complaints/:id/status', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, statusBody);
    const id = c.req.param('id') ?? '';
    const now = clock.now();
    if (body.status !== 'in-progress' && body.reason === undefined) {
      throw new CgError('invalid-request', 'reason: closing a complaint needs a reason (3–500 characters)');
    }
    const filed = await store.complaints.get(id);
    if (!filed) throw new CgError('not-found', `No complaint ${id}.`);
    const minorAppeal = filed.kind === 'appeal' && filed.ref === minorModeRef;
    if (minorAppeal && body.status === 'resolved') {
      // MINOR-5: a registered age under 18 keeps minor mode until 18, whatever the suspicion was.
      const user = await store.getUser(filed.userId);
      if (user && isMinorBand(userAgeBand(user, now, deps.profiles.forUser(user).elderly.ageFrom))) {
        throw new CgError(
          'appeal-not-allowed',
          'The user has since registered an age under 18: minor mode holds until 18, so the appeal can only be rejected.',
        );
      }
    }
    const complaint = await store.complaints.setStatus(id, {
      status: body.status,
      reason: body.reason ?? null,
      staffId: me.staffId,
      now,
    });
    if (minorAppeal) {
      // Every instance's chat reads the user afresh (`forgetUser` publishes `user-changed`).
      const user = await store.getUser(complaint.userId);
      if (user) deps.chat.forgetUser(user.externalId);
    }
    return c.json(withoutTexts(complaintStaffWire(complaint, now, await staffEmails())));
  });

  routes.route('POST /api/complaints/:id/replies', async (c) => {
    const me = staffPrincipal(c);
    const body = await readBody(c.req.raw, deps.maxBodyBytes, replyBody);
    const now = clock.now();
    const complaint = await store.complaints.reply(c.req.param('id') ?? '', {
      id: randomUUID(),
      text: body.text,
      staffId: me.staffId,
      now,
    });
    // The user's open streams show it at once; the next chat turn shows it otherwise (the flag on the user).
    const user = await store.getUser(complaint.userId);
    if (user) deps.chat.forgetUser(user.externalId);
    await deps.events
      .publish(userChannel(complaint.userId), { type: 'complaint-reply' })
      .catch((e: unknown) => {
        deps.logger.error('complaint reply not announced to the open streams', {
          code: (e as { code?: string }).code ?? 'internal',
        });
      });
    return c.json(withoutTexts(complaintStaffWire(complaint, now, await staffEmails())), 201);
  });
}
