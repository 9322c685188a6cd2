/**
 * Complaints, reports and appeals (COMPLAINT-1): filed by the user through the app, handled by compliance
 * staff against the deadlines the profile publishes, answered with replies the user sees once. The user's
 * words and the staff replies are personal data, sealed under the user's data key; nothing else holds text.
 *
 * An appeal of minor mode entered on suspicion (kind `appeal`, ref `minor-mode`) is also the MINOR-5 appeal
 * (`Store.appeals`, same id): resolving it upholds the appeal (minor mode ends exactly as an upheld appeal
 * ends it), rejecting it rejects the appeal, in the same transaction.
 */
import type { AuditInput } from '../ports.js';

/** What the user files: a complaint about the service, a report of content or a character, an appeal. */
export type ComplaintKind = 'complaint' | 'report' | 'appeal';
export const complaintKinds: readonly ComplaintKind[] = ['complaint', 'report', 'appeal'];

/** `open` → `in-progress` → `resolved` | `rejected` (closed states never change again). */
export type ComplaintStatus = 'open' | 'in-progress' | 'resolved' | 'rejected';
export const complaintStatuses: readonly ComplaintStatus[] = ['open', 'in-progress', 'resolved', 'rejected'];

/** The ref of an appeal of minor mode entered on suspicion (MINOR-5). */
export const minorModeRef = 'minor-mode';

/** Which deadline a complaint has missed: acknowledgement (nobody took it up yet) or resolution. */
export type ComplaintOverdue = 'acknowledge' | 'resolve';

export interface ComplaintReply {
  readonly id: string;
  readonly complaintId: string;
  /** Staff id of the author. */
  readonly staffId: string;
  /** The reply, or null when the user's data key was destroyed by a deletion. */
  readonly text: string | null;
  readonly at: number;
  /** When the user was shown the reply (chat turn or events stream), or null. */
  readonly shownAt: number | null;
}

export interface Complaint {
  readonly id: string;
  readonly userId: string;
  readonly kind: ComplaintKind;
  /**
   * What it is about, validated at filing: `minor-mode` (appeal of minor mode on suspicion), a content id
   * (`cg-…`) of a message or the id of a session in the user's own conversations, `character:<id>`; or null.
   */
  readonly ref: string | null;
  readonly status: ComplaintStatus;
  /** The user's words, or null when their data key was destroyed by a deletion. */
  readonly text: string | null;
  readonly filedAt: number;
  /** The published deadlines, fixed at filing from the profile's `complaints` section. */
  readonly acknowledgeBy: number;
  readonly resolveBy: number;
  /** First time staff took it up (assigned, set in progress, replied or closed), or null. */
  readonly acknowledgedAt: number | null;
  /** Staff id handling it, or null. */
  readonly assignee: string | null;
  /** When it was resolved or rejected, by whom and why (staff words), or null while not closed. */
  readonly closedAt: number | null;
  readonly closedBy: string | null;
  readonly reason: string | null;
  /** Staff replies, oldest first. */
  readonly replies: readonly ComplaintReply[];
}

/** Filter of `ComplaintStore.list`. */
export interface ComplaintFilter {
  readonly status?: ComplaintStatus;
  /** Only complaints of this user (internal id). */
  readonly userId?: string;
  /** Only complaints assigned to this staff id (`null`: not assigned). */
  readonly assignee?: string | null;
  /** Only complaints overdue at this time (see {@link complaintOverdue}). */
  readonly overdueAt?: number;
  /** At most this many (default 100), newest filed first. */
  readonly limit?: number;
}

/** Complaint handling over a period, for the assessment report (ASSESS-2) and the dashboard. */
export interface ComplaintSummary {
  /** Complaints filed in [from, to). */
  readonly received: number;
  readonly byKind: Readonly<Record<ComplaintKind, number>>;
  /** Of those, closed (resolved or rejected) by `now`. */
  readonly resolved: number;
  /** Of the closed ones, closed by their resolve deadline. */
  readonly resolvedOnTime: number;
  /** Of those received, not closed and past their resolve deadline at `now`. */
  readonly overdueOpen: number;
  /** Median hours from filing to closing of the closed ones; null when none closed. */
  readonly medianResolveHours: number | null;
}

/** Which deadline `c` has missed at `now`, or null (closed complaints are never overdue). */
export function complaintOverdue(
  c: Pick<Complaint, 'status' | 'acknowledgedAt' | 'acknowledgeBy' | 'resolveBy'>,
  now: number,
): ComplaintOverdue | null {
  if (c.status === 'resolved' || c.status === 'rejected') return null;
  if (now > c.resolveBy) return 'resolve';
  if (c.acknowledgedAt === null && now > c.acknowledgeBy) return 'acknowledge';
  return null;
}

/**
 * The complaints store (`Store.complaints`). Every change commits with its audit events (COMPLAINT-1, never a
 * text) in one transaction: the store's event first, then the caller's `audit`.
 */
export interface ComplaintStore {
  /**
   * Files a complaint (event `complaint-filed`). A minor-mode appeal (kind `appeal`, ref `minor-mode`) is
   * filed as the MINOR-5 appeal too (same id, event `appeal-filed`): refused with `appeal-not-allowed` unless
   * the user is in minor mode on suspicion; an open one comes back with `created: false`, nothing written.
   * Unknown user: `not-found`. The ref is validated by the caller.
   */
  file(
    complaint: {
      id: string;
      userId: string;
      kind: ComplaintKind;
      ref: string | null;
      /** The user's words (required by the routes; a MINOR-5 appeal may have none). */
      text: string | null;
      now: number;
      acknowledgeBy: number;
      resolveBy: number;
    },
    audit?: readonly AuditInput[],
  ): Promise<{ complaint: Complaint; created: boolean }>;

  /** Complaints by filing time, newest first. */
  list(filter?: ComplaintFilter): Promise<Complaint[]>;

  /** One complaint with its replies, or undefined. */
  get(id: string): Promise<Complaint | undefined>;

  /**
   * Assigns a complaint that is not closed to `assignee` (event `complaint-assigned`, with the staff ids);
   * acknowledges it. `not-found`; `complaint-closed` when closed.
   */
  assign(
    id: string,
    change: { assignee: string; staffId: string; now: number },
    audit?: readonly AuditInput[],
  ): Promise<Complaint>;

  /**
   * Moves a complaint on (event `complaint-status`, with the staff id and the reason's presence, never its
   * words): `open` → `in-progress` → `resolved` | `rejected` (`open` may close at once). Closing needs a
   * reason. A minor-mode appeal is decided with it (resolved: upheld, rejected: rejected; see
   * `AppealStore.decide`). `not-found`; `complaint-closed` when closed; `invalid-request` for a move
   * backwards or a close without reason.
   */
  setStatus(
    id: string,
    change: {
      status: Exclude<ComplaintStatus, 'open'>;
      reason: string | null;
      staffId: string;
      now: number;
    },
    audit?: readonly AuditInput[],
  ): Promise<Complaint>;

  /**
   * Adds a staff reply (event `complaint-replied`), sealed under the user's data key; acknowledges the
   * complaint and flags the user's row (`UserRecord.complaintReplyPending`) until `takeReplies`. A closed
   * complaint may still get replies. `not-found`.
   */
  reply(
    id: string,
    reply: { id: string; text: string; staffId: string; now: number },
    audit?: readonly AuditInput[],
  ): Promise<Complaint>;

  /**
   * The user's replies not shown yet, with their complaints, marked shown at `now` (event
   * `complaint-reply-shown` each) and the user's flag cleared, in one transaction; oldest first; empty when
   * none. Two concurrent calls never both return the same reply.
   */
  takeReplies(userId: string, now: number): Promise<Array<{ complaint: Complaint; reply: ComplaintReply }>>;

  /** Whether a message with this content id is in the user's own conversations (to validate a ref). */
  ownsContent(userId: string, contentId: string): Promise<boolean>;

  /** Handling of the complaints filed in [from, to), as of `now` (SQL aggregates). */
  summary(period: { from: number; to: number; now: number }): Promise<ComplaintSummary>;
}

/** Names of the kinds and statuses in the user's language (for `texts.complaintReply`). */
export const complaintWords: {
  readonly kind: Readonly<Record<ComplaintKind, { zh: string; en: string }>>;
  readonly status: Readonly<Record<ComplaintStatus, { zh: string; en: string }>>;
} = {
  kind: {
    complaint: { zh: '投诉', en: 'complaint' },
    report: { zh: '举报', en: 'report' },
    appeal: { zh: '申诉', en: 'appeal' },
  },
  status: {
    open: { zh: '待受理', en: 'open' },
    'in-progress': { zh: '处理中', en: 'in progress' },
    resolved: { zh: '已解决', en: 'resolved' },
    rejected: { zh: '已驳回', en: 'rejected' },
  },
};

/** The deadlines of a complaint of `kind` filed at `filedAt`, from the profile's `complaints` section. */
export function complaintDeadlines(
  policy: {
    readonly acknowledgeWithinHours: number;
    readonly resolveWithinDays: Readonly<Record<ComplaintKind, number>>;
  },
  kind: ComplaintKind,
  filedAt: number,
): { acknowledgeBy: number; resolveBy: number } {
  return {
    acknowledgeBy: filedAt + policy.acknowledgeWithinHours * 3_600_000,
    resolveBy: filedAt + policy.resolveWithinDays[kind] * 86_400_000,
  };
}
