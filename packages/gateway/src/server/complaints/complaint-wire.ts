import {
  type Complaint,
  type ComplaintStore,
  complaintOverdue,
  complaintWords,
  type Directive,
  fillText,
  type Locale,
  type Profile,
  type UserRecord,
} from '@companion-guard/core';
import { isoTime } from '../api/wire.js';

const optionalTime = (ms: number | null) => (ms === null ? null : isoTime(ms));

/** The live channel of a user's open streams (a staff reply is announced on it). */
export const userChannel = (userId: string) => `user:${userId}`;

/** A complaint as the app sees it (`POST /v1/complaints`, `GET /v1/users/{user}/complaints`). */
export function complaintAppWire(c: Complaint, now: number) {
  return {
    id: c.id,
    kind: c.kind,
    ref: c.ref,
    status: c.status,
    text: c.text,
    filed_at: isoTime(c.filedAt),
    acknowledge_by: isoTime(c.acknowledgeBy),
    resolve_by: isoTime(c.resolveBy),
    acknowledged_at: optionalTime(c.acknowledgedAt),
    closed_at: optionalTime(c.closedAt),
    /** Past a deadline and not closed. */
    overdue: complaintOverdue(c, now) !== null,
    replies: c.replies.map((r) => ({ id: r.id, text: r.text, at: isoTime(r.at) })),
  };
}

/** A complaint as compliance staff see it (`/api/complaints`): the app's view plus who handles it. */
export function complaintStaffWire(c: Complaint, now: number, emails: ReadonlyMap<string, string>) {
  const email = (id: string | null) => (id === null ? null : (emails.get(id) ?? id));
  return {
    ...complaintAppWire(c, now),
    /** Which deadline it missed: `acknowledge` (nobody took it up), `resolve` (not closed), or null. */
    overdue: complaintOverdue(c, now),
    user_id: c.userId,
    assignee: c.assignee,
    assignee_email: email(c.assignee),
    closed_by: email(c.closedBy),
    reason: c.reason,
    replies: c.replies.map((r) => ({
      id: r.id,
      text: r.text,
      at: isoTime(r.at),
      by: email(r.staffId),
      shown_at: optionalTime(r.shownAt),
    })),
  };
}

/**
 * COMPLAINT-1: the staff replies the user has not seen yet, as `complaint-reply` directives in the user's
 * language (each shown once, audited `complaint-reply-shown`). No store call unless the user's row flags
 * a pending reply.
 */
export async function complaintReplies(
  complaints: ComplaintStore,
  profile: Profile,
  user: UserRecord,
  locale: Locale,
  now: number,
): Promise<Directive[]> {
  if (!user.complaintReplyPending) return [];
  const taken = await complaints.takeReplies(user.id, now);
  return taken.map(({ complaint, reply }) => ({
    type: 'complaint-reply',
    requirement: 'COMPLAINT-1',
    display: 'popup',
    text: fillText(profile.texts.complaintReply[locale], {
      kind: complaintWords.kind[complaint.kind][locale],
      status: complaintWords.status[complaint.status][locale],
      reply: reply.text ?? '',
    }),
    data: {
      complaint_id: complaint.id,
      kind: complaint.kind,
      status: complaint.status,
      reply: reply.text,
      reply_id: reply.id,
      replied_at: isoTime(reply.at),
    },
  }));
}
