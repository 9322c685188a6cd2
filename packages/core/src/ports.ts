/**
 * Narrow domain operations the gateway provides to the core flow: stores and the clock.
 * Every timestamp is epoch milliseconds. Nothing here ever holds conversation text in plaintext at rest:
 * message content is encrypted by the store before it is written.
 */

import type { ComplaintStore } from './complaints/complaint-store.js';
import type { ServiceControlStore } from './controls/service-controls.js';
import type { DataRightsStore } from './data/data-rights.js';
import type { IncidentStore } from './incident/incident-store.js';
import type { AppealStore } from './minors/appeal-store.js';
import type { MinorStore } from './minors/minor-store.js';
import type { NotificationStore } from './notify/notification-store.js';
import type { GuardianStore } from './people/guardian.js';
import type { StaffStore } from './people/staff.js';
import type { AgeFacts, UserProfileStore } from './people/user-profile.js';
import type { EmotionalScores, EmotionalStateStore } from './risk/emotional-state.js';
import type { StatsStore, TurnActivity } from './stats/stats-store.js';
import type { Locale, LocalizedText, RequirementId } from './types.js';

export type {
  Complaint,
  ComplaintFilter,
  ComplaintKind,
  ComplaintOverdue,
  ComplaintReply,
  ComplaintStatus,
  ComplaintStore,
  ComplaintSummary,
} from './complaints/complaint-store.js';
export type {
  ControlNames,
  ControlsSnapshot,
  NoticeScope,
  OffTarget,
  PlannedNoticeScope,
  ServiceControlStore,
  ServiceNotice,
  ServiceSwitch,
  SwitchScope,
  TurnControls,
  TurnNotice,
} from './controls/service-controls.js';
export type {
  ConsentChange,
  ConsentGiver,
  ConsentKind,
  ConsentRecord,
  DataRightsStore,
  DeletionFacts,
  DeletionReceipt,
  DeletionRequester,
  HistoryDeletion,
  HistoryMessage,
  UnsignedReceipt,
} from './data/data-rights.js';
export type {
  Incident,
  IncidentOutcome,
  IncidentReason,
  IncidentSeverity,
  IncidentSignal,
  IncidentState,
  IncidentStep,
  NewIncident,
} from './incident/incident.js';
export type {
  IncidentChange,
  IncidentEvent,
  IncidentStore,
  StaffPresence,
  StoredIncident,
} from './incident/incident-store.js';
export type { Notifier, NotifyIncident } from './incident/notifier.js';
export type {
  Appeal,
  AppealDecision,
  AppealKind,
  AppealStatus,
  AppealStore,
} from './minors/appeal-store.js';
export type {
  ConsentMethod,
  GuardianConsent,
  GuardianControls,
  GuardianControlsPatch,
  MinorModeExit,
  MinorModeReason,
  MinorState,
  MinorStore,
  MinorTurnView,
  MinorUsageDay,
  MinorUsageInput,
  QuietHours,
} from './minors/minor-store.js';
export type {
  ClaimedNotification,
  NewNotification,
  NotificationAttempt,
  NotificationAttemptResult,
  NotificationAudience,
  NotificationChannel,
  NotificationFacts,
  NotificationKind,
  NotificationRecord,
  NotificationState,
  NotificationStore,
} from './notify/notification-store.js';
export type {
  GuardianAddress,
  GuardianCodePurpose,
  GuardianCodeResult,
  GuardianCodeSelector,
  GuardianRiskEvent,
  GuardianSessionRecord,
  GuardianStore,
  NewGuardianCode,
} from './people/guardian.js';
export type {
  LoginFailure,
  NewStaff,
  StaffRecord,
  StaffSessionRecord,
  StaffStore,
} from './people/staff.js';
export type { StatsReport, StatsTotals, StatsTriggerWire } from './stats/stats-report.js';
// ---- ASSESS-1, ASSESS-2, ASSESS-4, GOV-1: stats, triggers, filing, checklist ----
export type {
  AgeBandCounts,
  AssessmentStatus,
  AssessmentTrigger,
  AssessmentTriggerKind,
  ChecklistArea,
  ChecklistInput,
  ChecklistItem,
  FilingPatch,
  FilingRecord,
  FirstHumanAnswer,
  IncidentCounts,
  StatsCounters,
  StatsDay,
  StatsStore,
  TurnActivity,
} from './stats/stats-store.js';
export type { UserProfileStore };

/** Age band recorded at registration or inferred (REG-1, MINOR-*). `unknown` until known. */
export type AgeBand = 'unknown' | 'under-14' | '14-15' | '16-17' | 'adult' | 'elderly';

/**
 * A user. The age band the session machine uses is derived per turn from the registered age facts
 * (`userAgeBand` in `people/user-profile.ts`); `ageBand` is the band recorded without an age (e.g. inferred).
 */
export interface UserRecord extends AgeFacts {
  /** Internal id. */
  readonly id: string;
  /** The app's own id for the user: the OpenAI request's `user` field. */
  readonly externalId: string;
  readonly locale: Locale;
  readonly ageBand: AgeBand;
  readonly createdAt: number;
  /** Region code the app registered (`CN`, `US-CA`, `EU`, …), or null. */
  readonly region: string | null;
  /** Minor mode is on (MINOR-1): the chat path reads `Store.minors` for this user. */
  readonly minorMode: boolean;
  /** A decided appeal's outcome waits to be shown (MINOR-5): the chat path reads `Store.appeals` then. */
  readonly appealOutcomePending: boolean;
  /** RISK-1: the emotional-state and dependence scores as last raised (decay them with `currentScores`). */
  readonly emotionalScores: EmotionalScores;
  /** ASSESS-2: the last deployment-local day (`YYYY-MM-DD`) the user had a turn, or null (stats only). */
  readonly lastActiveDay: string | null;
  /** A staff reply to the user's complaint waits to be shown (COMPLAINT-1): read `Store.complaints` then. */
  readonly complaintReplyPending: boolean;
}

/** Relationship a character plays (MINOR-3, ELDER-3). */
export type CharacterRelation = 'friend' | 'partner' | 'kin' | 'mentor' | 'assistant' | 'other';

/** Where a character is managed: the config file (read-only in the console) or the console. */
export type CharacterManager = 'config' | 'console';

export interface CharacterRecord {
  readonly id: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  /** SCOPE-1: companion rules apply to `companion` characters. */
  readonly scope: 'companion' | 'tool';
  readonly relation: CharacterRelation;
  /** System prompt sent to the upstream model. Configuration, not conversation content. */
  readonly persona: string;
  /** Upstream model name; `null` passes the request's `model` through. */
  readonly model: string | null;
  readonly enabled: boolean;
}

/** A character as the store holds it. */
export interface StoredCharacter extends CharacterRecord {
  readonly managedBy: CharacterManager;
}

/** A session row. `state` is the core session state (no conversation text), versioned for optimistic concurrency. */
export interface SessionRecord<S = unknown> {
  readonly id: string;
  readonly userId: string;
  readonly characterId: string;
  readonly state: S;
  /** Incremented by every successful transition. Starts at 1. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type MessageRole = 'user' | 'assistant' | 'system';

/** Who wrote a message: the user, the model, a person of the operator team, or the gateway itself. */
export type MessageAuthor = 'user' | 'ai' | 'human' | 'system';

/**
 * `accepted`: a user message stored before the model was called. `withheld`: a user message stored but
 * never sent to the model (an exit, a crisis, blocked input) — it stays out of the model's history.
 * `delivered`: an assistant message sent. `replaced`: a fixed text the gateway sent in place of model
 * output (exit confirmation, withheld output). `interrupted`: model output the user never received (a
 * non-streamed reply cut off by an exit or a disconnect) — it stays out of the model's history too.
 * `queued`: an operator's message not yet delivered to the user (then `delivered`, once).
 */
export type MessageStatus = 'accepted' | 'withheld' | 'delivered' | 'replaced' | 'interrupted' | 'queued';

export interface NewMessage {
  readonly id: string;
  readonly sessionId: string;
  readonly userId: string;
  readonly role: MessageRole;
  /** Plaintext; the store encrypts it with the user's data key before writing. */
  readonly content: string;
  /** DISC-4 content ID of assistant messages; user messages get one too for traceability. */
  readonly contentId: string;
  readonly status: MessageStatus;
  readonly createdAt: number;
  /** Default: `user` for user messages, `ai` for the others. */
  readonly author?: MessageAuthor;
}

export interface MessageRecord extends NewMessage {
  readonly author: MessageAuthor;
}

/** An audit event to append. `requirement` is the ID it proves, e.g. `DISC-1`. */
export interface AuditInput {
  /** `<noun>-<action>`, e.g. `session-start`, `reminder-shown`, `exit`, `directive-shown`. */
  readonly type: string;
  readonly requirement: RequirementId;
  readonly at: number;
  readonly userId?: string | null;
  readonly sessionId?: string | null;
  /** Structured facts (ids, counts, rule ids). Never conversation text. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface AuditEvent extends AuditInput {
  /** 1-based position in the chain. */
  readonly seq: number;
  /** hex SHA-256 of the previous event (64 zeros for the first). */
  readonly prevHash: string;
  /** hex SHA-256 over prevHash and the canonical JSON of this event's fields. */
  readonly hash: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  /** Events checked. */
  readonly count: number;
  /** seq of the first event whose hash or link does not match, when `ok` is false. */
  readonly brokenAt?: number;
  /**
   * Why, when `ok` is false: `link` (an event's hash or link), `head` (the head row disagrees with the
   * chain's end), `checkpoint` (an event's hash differs from a signed checkpoint: the bad entry lies in
   * `brokenAt`..that checkpoint's seq), `truncated` (the chain ends before a checkpoint), `floor` (the chain
   * starts after a purge point no checkpoint vouches for).
   */
  readonly reason?: 'link' | 'head' | 'checkpoint' | 'truncated' | 'floor';
  /** The seq of the checkpoint that disagrees, for `checkpoint` and `truncated`. */
  readonly checkpointSeq?: number;
  /** The first seq checked, when older events were purged by retention (LOG-1). */
  readonly from?: number;
}

/**
 * LOG-1: a signed checkpoint of the audit chain head: the Ed25519 `signature` (base64) of
 * `cg-audit-checkpoint:v1:<seq>:<hash>:<at>:<keyId>` by the signing key kept apart from the database.
 */
export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  readonly at: number;
  readonly keyId: string;
  readonly signature: string;
}

/** LOG-1: what a retention purge deletes; each bound is exclusive, a missing one deletes nothing of its kind. */
export interface RetentionPurge {
  readonly now: number;
  /** The job's time slot: a purge runs at most once per slot across every instance sharing the store. */
  readonly slot: number;
  /**
   * Checkpointed positions signed before the audit cutoff, oldest first: audit events are deleted up to the
   * newest, the chain's start moving from checkpoint to checkpoint (each move one short transaction).
   */
  readonly auditCheckpoints?: readonly { readonly seq: number; readonly hash: string }[];
  /** Delete messages created before this time. */
  readonly messagesBefore?: number;
  /** Delete staff sign-in sessions that ended (revoked, or last seen) before this time. */
  readonly networkLogsBefore?: number;
  /** Rows deleted per transaction (an audit move takes whole checkpoint intervals). Default 1000. */
  readonly batchSize?: number;
  /**
   * The audit event(s) recording the purge, from the totals and the chain's new start (0: genesis);
   * appended only when something was deleted.
   */
  readonly audit: (counts: RetentionCounts, auditFloor: number) => readonly AuditInput[];
}

export interface RetentionCounts {
  readonly auditEvents: number;
  readonly messages: number;
  readonly staffSessions: number;
}

/** Staff roles (product brief, "People, roles and the API surface"). */
export type StaffRole = 'operator' | 'compliance' | 'auditor' | 'admin';

export interface ApiKeyRecord {
  readonly id: string;
  readonly label: string;
  /** hex SHA-256 of the secret; the secret itself is shown once and never stored. */
  readonly hash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/**
 * The store. One implementation (Kysely) serves SQLite and PostgreSQL; the conformance suite in
 * `testing/` defines the behaviour every backend must show.
 */
export interface Store {
  /** Staff accounts and console sessions. */
  readonly staff: StaffStore;
  /** User profiles (REG-1). */
  readonly profiles: UserProfileStore;
  /** Incidents, their time lines and operator duty (RISK-4..6). */
  readonly incidents: IncidentStore;
  /** The durable outbox of incident notifications (RISK-4, RISK-5, ELDER-2). */
  readonly notifications: NotificationStore;
  /** Minor mode: state, guardian controls and consent, daily use (MINOR-1..5). */
  readonly minors: MinorStore;
  /** Appeals against minor mode entered on suspicion (MINOR-5). */
  readonly appeals: AppealStore;
  /** Complaints, reports and appeals, their deadlines, handling and replies (COMPLAINT-1). */
  readonly complaints: ComplaintStore;
  /** Guardians' blind index, one-time codes and sessions (MINOR-2, MINOR-4). */
  readonly guardians: GuardianStore;
  /** Consents, history copies and deletions with receipts (DATA-2..7, MINOR-6). */
  readonly dataRights: DataRightsStore;
  /** RISK-1: emotional-state and dependence scores and their days (numbers only). */
  readonly emotions: EmotionalStateStore;
  /** Service notices (NOTICE-1) and switches (ASSESS-3). */
  readonly controls: ServiceControlStore;
  /** Usage aggregates, assessment triggers, the filing record and the checklist (ASSESS-1/2/4, GOV-1). */
  readonly stats: StatsStore;

  /**
   * Returns the user with this external id, creating it on first sight. Concurrent calls for the same
   * external id return the same record (the loser of a race reads the winner's row). A new user gets
   * `defaults.locale` (default `zh`) and age band `unknown`. A new user is counted (ASSESS-2) in the
   * transaction that inserts it.
   */
  ensureUser(externalId: string, now: number, defaults?: { locale?: Locale }): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | undefined>;
  updateUser(id: string, patch: { locale?: Locale; ageBand?: AgeBand }): Promise<UserRecord>;

  /** Enabled and disabled characters, ordered by id. */
  listCharacters(): Promise<StoredCharacter[]>;
  getCharacter(id: string): Promise<StoredCharacter | undefined>;
  /** Inserts or replaces a character by id, as managed by the config file (`managedBy: 'config'`). */
  upsertCharacter(character: CharacterRecord): Promise<void>;
  /**
   * Inserts or replaces a console-managed character and appends `audit`, in one transaction. A character
   * managed by the config file is left as it is: `CgError('character-read-only')`, nothing written.
   */
  saveConsoleCharacter(
    character: CharacterRecord,
    now: number,
    audit: readonly AuditInput[],
  ): Promise<StoredCharacter>;

  /** The most recently created session of this user with this character, or undefined. */
  latestSession<S>(userId: string, characterId: string): Promise<SessionRecord<S> | undefined>;
  getSession<S>(id: string): Promise<SessionRecord<S> | undefined>;
  /** The most recently updated session of this user with any character, or undefined. */
  latestSessionOfUser<S>(userId: string): Promise<SessionRecord<S> | undefined>;

  /**
   * Creates a session (version 1) and appends its audit events in one transaction.
   * Throws `CgError('session-exists')` if the id is taken.
   */
  createSession<S>(
    session: { id: string; userId: string; characterId: string; state: S; now: number },
    audit: readonly AuditInput[],
  ): Promise<SessionRecord<S>>;

  /**
   * Atomically: moves the session from `expectedVersion` to `expectedVersion + 1` with `state`, appends the
   * messages (encrypted) and the audit events. If the stored version is not `expectedVersion`, nothing is
   * written and it throws `CgError('session-conflict')`: the caller reloads and decides again.
   */
  commitTurn<S>(turn: {
    sessionId: string;
    expectedVersion: number;
    state: S;
    now: number;
    messages: readonly NewMessage[];
    audit: readonly AuditInput[];
    /**
     * ASSESS-2: the user's turn to count (turns, usage, daily and monthly actives, age structure), in the
     * same transaction. Absent for commits that are not a user's message (a reply settled, an exit button).
     * Whatever the commit, its `reminder-shown` and `session-exit` audit events are counted.
     */
    activity?: TurnActivity;
    /**
     * The commit may return before it is flushed to disk (PostgreSQL: `synchronous_commit` off for this
     * transaction alone), when it holds no audit event. For a turn's reply: a crash of the database server can
     * then lose the last fraction of a second of replies and counts, never a user message or an audit event,
     * and never leaves a gap (a later durable commit flushes everything before it). SQLite follows its
     * `synchronous` setting either way.
     */
    lazyFlush?: boolean;
  }): Promise<SessionRecord<S>>;

  /** Messages of a session, oldest first, decrypted; with `limit`, only the newest `limit` of them. */
  listMessages(sessionId: string, options?: { limit?: number }): Promise<MessageRecord[]>;

  /** Appends events to the hash chain in order; safe under concurrent callers (the chain never forks). */
  appendAudit(events: readonly AuditInput[]): Promise<AuditEvent[]>;
  /**
   * Events with seq > afterSeq, oldest first, at most `limit`; with `requirements`, only events citing one of
   * them, and with `from` / `to`, only events at `from` or later and before `to` (the reports, ASSESS-2/5).
   */
  listAudit(options?: {
    afterSeq?: number;
    limit?: number;
    sessionId?: string;
    requirements?: readonly RequirementId[];
    from?: number;
    to?: number;
  }): Promise<AuditEvent[]>;
  /**
   * Recomputes every hash and link from the chain's start (genesis, or the last retention purge's point)
   * to the head row. With `checkpoints` (already signature-checked), also: each checkpoint inside the chain
   * must name the hash found there, the chain must reach the newest one, and a purge point must be one of
   * them (LOG-1). Reports the first bad seq.
   */
  verifyAudit(options?: {
    checkpoints?: readonly Pick<AuditCheckpoint, 'seq' | 'hash'>[];
  }): Promise<AuditVerification>;

  // ---- LOG-1: checkpoints and retention (0009-audit-trail) ----
  /** The chain head: seq 0 and 64 zeros when empty. */
  auditHead(): Promise<{ seq: number; hash: string }>;
  /**
   * Keeps a copy of a signed checkpoint, once per seq, so that one instance publishes each head:
   * `recorded` (this call stored it), `duplicate` (that seq has a copy with the same hash: another instance
   * checkpointed the same head), `conflict` (that seq has a copy with another hash: the chain or the table
   * was tampered with — an alarm).
   */
  recordAuditCheckpoint(checkpoint: AuditCheckpoint): Promise<'recorded' | 'duplicate' | 'conflict'>;
  /** The checkpoints kept, oldest first. */
  listAuditCheckpoints(): Promise<AuditCheckpoint[]>;
  /**
   * Deletes what is past retention in batches, each its own short transaction that also adds its counts to
   * a running total kept in the store; then appends `purge.audit(totals)` and resets the total in one last
   * transaction, when anything was deleted (a run cut short is reported by the next). At most once per
   * `slot` across instances (null when this slot already ran). The purged audit prefix is remembered as the
   * chain's new start, so `verifyAudit` goes on from there. Returns the totals reported.
   */
  purgeExpired(purge: RetentionPurge): Promise<RetentionCounts | null>;

  /** Stores a key and appends `audit` in one transaction. A taken hash is a `store-error`. */
  createApiKey(key: ApiKeyRecord, audit?: readonly AuditInput[]): Promise<void>;
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /**
   * Sets `revokedAt` once and appends `audit` with it; revoking a revoked key keeps the first time and
   * appends nothing. Returns the key. Unknown id: `CgError('not-found')`.
   */
  revokeApiKey(id: string, now: number, audit?: readonly AuditInput[]): Promise<ApiKeyRecord>;

  /** Liveness of the backing database, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Live events between gateway instances that share a store: the incident queue, operator messages, exits.
 * Payloads carry ids and facts, never conversation text (a receiver reads text from the store).
 * Delivery is at most once and in order per channel for one publisher; a subscriber that needs every
 * event re-reads the store on (re)subscribe. In-process on SQLite; PostgreSQL LISTEN/NOTIFY or Redis
 * pub/sub when several instances share a database.
 */
export interface LiveEvents {
  /** Sends `event` to every subscriber of `channel` on every instance (this one included). */
  publish(channel: string, event: Readonly<Record<string, unknown>>): Promise<void>;
  /** Calls `listener` for each event on `channel` until the returned function is called. */
  subscribe(channel: string, listener: (event: Readonly<Record<string, unknown>>) => void): Unsubscribe;
  close(): Promise<void>;
}

/** Ends a subscription. `ready` settles once events published on any instance reach this one. */
export interface Unsubscribe {
  (): void;
  readonly ready: Promise<void>;
}

/** The clock; injected everywhere so time-based behaviour is tested on a fake clock. */
export interface Clock {
  now(): number;
}
