import type { Generated } from 'kysely';

/**
 * The database as the store's queries see it. Names are camelCase here and snake_case in SQL
 * (Kysely's CamelCasePlugin maps them). Timestamps are epoch milliseconds; JSON is stored as text.
 */
export interface Database {
  users: UsersTable;
  userContacts: UserContactsTable;
  userKeys: UserKeysTable;
  characters: CharactersTable;
  sessions: SessionsTable;
  messages: MessagesTable;
  auditEvents: AuditEventsTable;
  auditHead: AuditHeadTable;
  apiKeys: ApiKeysTable;
  storeMeta: StoreMetaTable;
  staff: StaffTable;
  staffSessions: StaffSessionsTable;
  incidents: IncidentsTable;
  incidentEvents: IncidentEventsTable;
  notifications: NotificationsTable;
  notificationAttempts: NotificationAttemptsTable;
  auditCheckpoints: AuditCheckpointsTable;
  minorStates: MinorStatesTable;
  minorUsage: MinorUsageTable;
  guardianLinks: GuardianLinksTable;
  guardianCodes: GuardianCodesTable;
  guardianSessions: GuardianSessionsTable;
  consents: ConsentsTable;
  deletionReceipts: DeletionReceiptsTable;
  appeals: AppealsTable;
  complaints: ComplaintsTable;
  complaintReplies: ComplaintRepliesTable;
  // ---- 0014-stats (ASSESS-1/2/4, GOV-1) ----
  statsCounters: StatsCountersTable;
  assessmentTriggers: AssessmentTriggersTable;
  assessmentFiling: AssessmentFilingTable;
  checklistItems: ChecklistItemsTable;
  emotionalDays: EmotionalDaysTable;
  notices: NoticesTable;
  switches: SwitchesTable;
  rateLimits: RateLimitsTable;
}

/** Rate-limit buckets (migration 0016): hits in one window of one user's, key's or contact's limit. */
export interface RateLimitsTable {
  bucket: string;
  hits: number;
  expiresAt: number;
}

/** Service notices (migration 0013, NOTICE-1); `openOutage` is 1 on the one open outage notice, else null. */
export interface NoticesTable {
  id: string;
  scope: string;
  target: string;
  effectiveAt: number;
  createdAt: number;
  createdBy: string;
  reason: string | null;
  cancelledAt: number | null;
  cancelledBy: string | null;
  openOutage: number | null;
}

/** Switches as they stand (migration 0013, ASSESS-3): one row per (scope, target). */
export interface SwitchesTable {
  scope: string;
  target: string;
  off: number;
  changeId: string;
  reason: string;
  changedBy: string;
  changedAt: number;
}

/** Complaints, reports and appeals (migration 0012); the user's words sealed under the user's data key. */
export interface ComplaintsTable {
  id: string;
  userId: string;
  kind: string;
  ref: string | null;
  status: string;
  sealed: Uint8Array | null;
  keyId: string | null;
  filedAt: number;
  acknowledgeBy: number;
  resolveBy: number;
  acknowledgedAt: number | null;
  assignee: string | null;
  closedAt: number | null;
  closedBy: string | null;
  reason: string | null;
}

/** Staff replies to complaints (migration 0012), sealed under the user's data key. */
export interface ComplaintRepliesTable {
  id: string;
  complaintId: string;
  userId: string;
  staffId: string;
  sealed: Uint8Array | null;
  keyId: string | null;
  at: number;
  shownAt: number | null;
}

/** Appeals against suspected minor mode (migration 0010); the user's words sealed under the user's data key. */
export interface AppealsTable {
  id: string;
  userId: string;
  kind: string;
  status: string;
  sealed: Uint8Array | null;
  keyId: string | null;
  filedAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  reason: string | null;
  outcomeShownAt: number | null;
}

/** A signed checkpoint of the audit chain head (migration 0009; the JSON-lines file is the anchor). */
export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  at: number;
  keyId: string;
  signature: string;
}

/** Minor mode per user (migration 0006): facts, never text. `controls` is JSON. */
export interface MinorStatesTable {
  userId: string;
  mode: string;
  reason: string | null;
  since: number | null;
  endsOn: string | null;
  suspicion: number;
  controls: string;
  consentAt: number | null;
  consentMethod: string | null;
  consentPolicyVersion: string | null;
  consentRevokedAt: number | null;
  lastUsageAt: number | null;
  updatedAt: number;
}

/** A minor's use per local day (migration 0006); `characters` is a JSON array of ids. */
export interface MinorUsageTable {
  userId: string;
  day: string;
  usedMs: number;
  characters: string;
}

/** A consent record (migration 0008): append-only, never updated (DATA-2, DATA-6). */
export interface ConsentsTable {
  seq: Generated<number>;
  id: string;
  userId: string;
  kind: string;
  /** 1 given, 0 refused or revoked. */
  granted: number;
  textVersion: string;
  givenBy: string;
  method: string;
  at: number;
}

/** A signed deletion receipt (migration 0008, DATA-4): ids, counts and key ids, never content. */
export interface DeletionReceiptsTable {
  id: string;
  userId: string;
  characterId: string | null;
  at: number;
  /** The receipt's JSON, signature included. */
  receipt: string;
}

/** An incident (migration 0004): ids, facts and times, never conversation text. */
export interface IncidentsTable {
  id: string;
  userId: string;
  externalUserId: string;
  sessionId: string | null;
  characterId: string | null;
  severity: string;
  reason: string;
  state: string;
  /** JSON `[{detector, rule, tier}]`. */
  signals: string;
  ageBand: string;
  openedAt: number;
  updatedAt: number;
  claimedAt: number | null;
  claimedBy: string | null;
  escalatedAt: number | null;
  firstHumanMessageAt: number | null;
  contactNotifiedAt: number | null;
  handedBackAt: number | null;
  closedAt: number | null;
  outcome: string | null;
  version: number;
  /** The user id while active, null once closed (unique: one active incident per user). */
  activeUserId: string | null;
}

/** A step of an incident's time line; operator text sealed under the user's data key. */
export interface IncidentEventsTable {
  seq: Generated<number>;
  incidentId: string;
  type: string;
  at: number;
  actor: string | null;
  sealed: Uint8Array | null;
  keyId: string | null;
}

export interface UsersTable {
  id: string;
  externalId: string;
  locale: string;
  ageBand: string;
  createdAt: number;
  /** REG-1 profile (migration 0003): `YYYY-MM-DD`, or the declared age and when it was declared. */
  birthDate: string | null;
  declaredAge: number | null;
  ageDeclaredAt: number | null;
  region: string | null;
  timeZone: string | null;
  /** Last profile change; null until the user is registered. */
  profileUpdatedAt: number | null;
  /** 1 while minor mode is on (migration 0006): the chat path reads the minor store only then. */
  minorMode: Generated<number>;
  /** 1 while a decided appeal's outcome waits to be shown (migration 0010). */
  appealPending: Generated<number>;
  /** 1 while a staff reply to a complaint waits to be shown (migration 0012). */
  complaintReplyPending: Generated<number>;
  /** ASSESS-2 (migration 0014): the last deployment-local day with a turn, and the band counted then. */
  lastActiveDay: Generated<string | null>;
  statsBand: Generated<string | null>;
  /** RISK-1 (migration 0015): the scores as last raised, and when. */
  emotionScore: Generated<number>;
  dependenceScore: Generated<number>;
  scoresAt: number | null;
}

/** RISK-1: one row per user and day with a signal (migration 0015); numbers only. */
export interface EmotionalDaysTable {
  userId: string;
  day: string;
  emotion: number;
  dependence: number;
  signals: number;
}

/** A user's guardian or emergency contact, sealed under the user's data key (never plaintext). */
export interface UserContactsTable {
  userId: string;
  /** `guardian` or `emergency`. */
  kind: string;
  /** AES-256-GCM sealed JSON of the contact, bound to the user and the kind. */
  sealed: Uint8Array;
  keyId: string;
  updatedAt: number;
}

/**
 * Data keys wrapped by the master key: one per (user, character) for messages (migration 0008), and the
 * user-wide one (`characterId` '') for contacts and older messages. Deleting a row crypto-shreds what it sealed.
 */
export interface UserKeysTable {
  id: string;
  userId: string;
  /** '' for the user-wide key. */
  characterId: Generated<string>;
  wrappedKey: Uint8Array;
  createdAt: number;
  /** Id of the master key that wraps it (migration 0009); null: written before 0009, found by trial. */
  masterKeyId: string | null;
}

export interface CharactersTable {
  id: string;
  /** JSON LocalizedText. */
  name: string;
  /** JSON LocalizedText. */
  description: string;
  scope: string;
  relation: string;
  persona: string;
  model: string | null;
  /** 1 or 0 (SQLite has no boolean). */
  enabled: number;
  updatedAt: number;
  /** `config` (the config file; read-only in the console) or `console`. */
  managedBy: string;
}

export interface SessionsTable {
  /** Insertion order, so "most recent" is exact even when two sessions share a millisecond. */
  seq: Generated<number>;
  id: string;
  userId: string;
  characterId: string;
  /** JSON of the core session state (no conversation text). */
  state: string;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface MessagesTable {
  seq: Generated<number>;
  id: string;
  sessionId: string;
  userId: string;
  role: string;
  /** AES-256-GCM sealed content (see envelope-cipher.ts); never plaintext. */
  content: Uint8Array;
  /** The user key the content is sealed under. */
  keyId: string;
  contentId: string;
  status: string;
  createdAt: number;
  /** `user`, `ai`, `human` or `system` (migration 0004); null in older rows: derived from the role. */
  author: string | null;
}

export interface AuditEventsTable {
  seq: number;
  type: string;
  requirement: string;
  at: number;
  userId: string | null;
  sessionId: string | null;
  /** Canonical JSON of the event's data. */
  data: string;
  prevHash: string;
  hash: string;
}

/** The single row (id 1) naming the last event of the chain; appenders lock it, so the chain never forks. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface ApiKeysTable {
  id: string;
  label: string;
  hash: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface StaffTable {
  id: string;
  /** Normalized (lower case); unique. */
  email: string;
  role: string;
  /** `scrypt$…`: parameters, salt and hash. */
  passwordHash: string;
  /** The base32 TOTP secret (the seed) sealed under the master key, bound to the staff id; null when not enrolled. */
  totpSeed: Uint8Array | null;
  /** The latest TOTP time step used (replay guard). */
  totpLastStep: number | null;
  /** 1 or 0. */
  disabled: number;
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
  lastLoginAt: number | null;
  /** 1 while the operator is on duty (migration 0004). */
  onDuty: Generated<number>;
}

export interface StaffSessionsTable {
  id: string;
  staffId: string;
  /** hex SHA-256 of the cookie token; the token is never stored. */
  tokenHash: string;
  createdAt: number;
  lastSeenAt: number;
  /** The console's last heartbeat (migration 0018). */
  heartbeatAt: number | null;
  revokedAt: number | null;
}

export interface StoreMetaTable {
  name: string;
  value: string;
}

/** The notification outbox (migration 0005). No conversation text; personal data only in `sealed`. */
export interface NotificationsTable {
  id: string;
  /** `<incidentId>:<kind>:<channel>:<keyed hash of audience and target>`; unique. */
  idempotencyKey: string;
  incidentId: string;
  userId: string;
  kind: string;
  audience: string;
  channel: string;
  requirement: string;
  /** AES-256-GCM sealed JSON of the `NotificationFacts` (target, contact name, …), bound to the row id. */
  sealed: Uint8Array;
  keyId: string;
  /** `pending`, `sending`, `sent` or `failed`. */
  state: string;
  attempts: number;
  /** Pending: when due; sending: when the claim's lease runs out. */
  dueAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface NotificationAttemptsTable {
  notificationId: string;
  attempt: number;
  at: number;
  /** `sent`, `retry` or `failed`. */
  outcome: string;
  errorCode: string | null;
}

/** The blind index of guardian contacts (migration 0007): one row per user and channel (`email`, `phone`). */
export interface GuardianLinksTable {
  userId: string;
  channel: string;
  /** HMAC of the normalized address under a key derived from the master key. */
  guardianId: string;
}

/** Guardians' one-time codes: only a keyed hash of the secret. */
export interface GuardianCodesTable {
  id: string;
  guardianId: string;
  /** `login` or `consent`. */
  purpose: string;
  userId: string | null;
  secretHash: string;
  attempts: number;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface GuardianSessionsTable {
  id: string;
  guardianId: string;
  channel: string;
  tokenHash: string;
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
}

// ---- 0014-stats (ASSESS-1/2/4, GOV-1) ----

/** A per-day counter (`day` `*`: all time), spread over `shard` rows that reads sum. */
export interface StatsCountersTable {
  day: string;
  name: string;
  shard: number;
  value: number;
}

export interface AssessmentTriggersTable {
  key: string;
  kind: string;
  firedAt: number;
  day: string;
  value: number | null;
  threshold: number | null;
  subject: string | null;
  notifiedAt: number | null;
}

/** The one filing record (id 1). */
export interface AssessmentFilingTable {
  id: number;
  filingNumber: string | null;
  assessmentStatus: string;
  submittedOn: string | null;
  lastReviewOn: string | null;
  nextReviewOn: string | null;
  note: string | null;
  updatedAt: number;
  updatedBy: string | null;
}

export interface ChecklistItemsTable {
  id: string;
  area: string;
  title: string;
  owner: string | null;
  dueOn: string | null;
  doneOn: string | null;
  note: string | null;
  updatedAt: number;
  updatedBy: string | null;
}
