/**
 * Typed HTTP client for the gateway's staff API (`/api/*`), as the staff console uses it.
 *
 * The staff session lives in an HttpOnly cookie the page cannot read; the CSRF token that goes with it is
 * kept here, in memory only, and sent as `X-CSRF-Token` on every state-changing call. Wire fields
 * (snake_case) are read defensively into the camelCase shapes below; an answer that lacks what the page
 * needs is an `ApiError` with code `invalid_response`.
 */
import {
  type ChecklistEntry,
  type Filing,
  type FilingInput,
  parseChecklist,
  parseFiling,
  parseStats,
  type StatsView,
} from './assessment-wire.js';
import {
  ApiError,
  errorBodyOf,
  httpError,
  invalidResponse,
  isRecord,
  type LocalizedText,
  parseJsonText,
  readCount,
  readLocalized,
  readNonNegative,
  readText,
  readTime,
  unreachable,
} from './wire-read.js';

export const staffRoles = ['operator', 'compliance', 'auditor', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const characterScopes = ['companion', 'tool'] as const;
export type CharacterScope = (typeof characterScopes)[number];

export const characterRelations = ['partner', 'kin', 'friend', 'mentor', 'assistant', 'other'] as const;
export type CharacterRelation = (typeof characterRelations)[number];

/** The signed-in staff member. */
export interface StaffSession {
  /** `null` when the login answer did not name it (it does not today; `GET /api/me` does). */
  readonly id: string | null;
  readonly email: string;
  readonly role: StaffRole;
  /** Epoch milliseconds; `null` when the gateway did not say. */
  readonly expiresAt: number | null;
  /** Whether the account has a second factor (TOTP) enrolled; `null` when the gateway did not say. */
  readonly totp: boolean | null;
}

export interface LoginRequest {
  readonly email: string;
  readonly password: string;
  /** The 6-digit code, on the second step when the gateway answered `totp-required`. */
  readonly totp?: string;
}

export interface StaffMember {
  readonly id: string;
  readonly email: string;
  /** A role this console does not know is kept as the gateway spelled it. */
  readonly role: StaffRole | (string & {});
  readonly disabled: boolean;
  readonly totp: boolean;
  readonly createdAt: number | null;
  readonly lastLoginAt: number | null;
}

export interface NewStaffRequest {
  readonly email: string;
  readonly role: StaffRole;
  readonly password: string;
}

export interface NewStaff {
  readonly id: string;
  readonly email: string;
  readonly role: StaffRole | (string & {});
  /** The `otpauth://` URI to add to an authenticator app; shown once, for admins only. */
  readonly totpUri: string | null;
}

/** A character as the admin pages see it. */
export interface ManagedCharacter {
  readonly id: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly scope: CharacterScope | (string & {});
  readonly relation: CharacterRelation | (string & {});
  readonly persona: string;
  readonly model: string | null;
  readonly enabled: boolean;
  /** `config` characters come from the configuration file and are read-only here. */
  readonly managedBy: 'console' | 'config' | (string & {});
}

/** What `PUT /api/characters/:id` takes: creates the character or replaces a console-managed one. */
export interface CharacterInput {
  readonly id: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly scope: CharacterScope;
  readonly relation: CharacterRelation;
  /** Instructions the model gets for this character; empty for none. */
  readonly persona: string;
  /** `null`: the gateway's configured model. */
  readonly model: string | null;
  readonly enabled: boolean;
}

export interface ApiKeySummary {
  readonly id: string;
  readonly label: string;
  readonly createdAt: number | null;
  readonly revokedAt: number | null;
}

export interface NewApiKey {
  readonly id: string;
  readonly label: string;
  /** The bearer secret; the gateway keeps only its hash, so this is the one time it is seen. */
  readonly secret: string;
}

export const incidentOutcomes = [
  'safe',
  'referred',
  'emergency-services',
  'no-response',
  'false-alarm',
  'other',
] as const;
export type IncidentOutcome = (typeof incidentOutcomes)[number];

export const incidentStates = ['open', 'claimed', 'handed-back', 'closed'] as const;
export type IncidentState = (typeof incidentStates)[number];

/** Which incidents `GET /api/incidents` lists: not yet closed (`active`), closed, or all. */
export type IncidentFilter = 'active' | 'closed' | 'all';

/** A detector finding that opened or raised an incident: rule IDs and tiers, never the user's text. */
export interface IncidentSignal {
  readonly detector: string;
  readonly rule: string;
  readonly tier: number | null;
}

/**
 * A crisis incident (RISK-4..6) as the operator queue sees it. Times are epoch milliseconds, `null` for a
 * step that has not happened. Values this console does not know are kept as the gateway spelled them.
 */
export interface Incident {
  readonly id: string;
  /** The companion app's user id. */
  readonly user: string;
  readonly sessionId: string | null;
  readonly characterId: string | null;
  readonly severity: 'critical' | 'high' | (string & {});
  readonly state: IncidentState | (string & {});
  readonly reason: 'crisis' | 'scam' | 'property-loss' | 'operator' | (string & {});
  readonly signals: readonly IncidentSignal[];
  readonly openedAt: number;
  readonly claimedAt: number | null;
  /** The staff id of the operator it is assigned to. */
  readonly claimedBy: string | null;
  readonly escalatedAt: number | null;
  readonly firstHumanMessageAt: number | null;
  readonly contactNotifiedAt: number | null;
  readonly closedAt: number | null;
  readonly outcome: IncidentOutcome | (string & {}) | null;
  readonly ageBand: string | null;
}

/** One step of an incident's time line: what happened, when, and who did it (no text). */
export interface IncidentStep {
  readonly type: string;
  readonly at: number | null;
  readonly actor: string | null;
}

/** RISK-1: the user's emotional state as operators see it (numbers only). */
export interface EmotionalState {
  readonly emotion: number;
  readonly dependence: number;
  readonly level: 'low' | 'elevated' | 'high' | (string & {});
  readonly trend: 'rising' | 'steady' | 'falling' | (string & {});
  /** Days with signals in the last two weeks, oldest first. */
  readonly days: readonly { readonly day: string; readonly emotion: number }[];
}

export interface IncidentDetail extends Incident {
  readonly timeline: readonly IncidentStep[];
  readonly emotional: EmotionalState | null;
}

function parseEmotionalState(value: unknown): EmotionalState | null {
  if (!isRecord(value) || typeof value.emotion !== 'number' || typeof value.dependence !== 'number')
    return null;
  const days = Array.isArray(value.days) ? value.days.filter(isRecord) : [];
  return {
    emotion: value.emotion,
    dependence: value.dependence,
    level: typeof value.level === 'string' ? value.level : 'low',
    trend: typeof value.trend === 'string' ? value.trend : 'steady',
    days: days.map((d) => ({
      day: typeof d.day === 'string' ? d.day : '',
      emotion: typeof d.emotion === 'number' ? d.emotion : 0,
    })),
  };
}

export interface IncidentQueue {
  readonly incidents: Incident[];
  /** How many operators are on duty now (flag set and signed in). */
  readonly onDutyCount: number;
}

/** A message of the conversation an incident is about, as its assigned operator reads it. */
export interface TranscriptMessage {
  readonly id: string;
  readonly role: string;
  /** Who wrote it: the user, the AI, a human operator, or the gateway itself. */
  readonly author: 'user' | 'ai' | 'human' | 'system' | (string & {});
  readonly content: string;
  readonly status: string | null;
  readonly createdAt: number | null;
}

/** The incident figures for the assessment report (ASSESS-2); median times are `null` with no data. */
export interface IncidentFigures {
  readonly incidents: number;
  readonly claimed: number;
  readonly closed: number;
  readonly medianMs: {
    readonly toClaim: number | null;
    readonly toFirstHumanMessage: number | null;
    readonly toContactNotification: number | null;
  };
  readonly outcomes: Readonly<Record<string, number>>;
}

/**
 * One event of the live incident feed (`GET /api/incidents/events`): what happened, to which incident,
 * and the incident now — `null` when the event names only its id (then read it with `getIncident`).
 */
export interface IncidentEvent {
  readonly type: string;
  readonly incidentId: string;
  readonly incident: Incident | null;
}

export const complaintStatuses = ['open', 'in-progress', 'resolved', 'rejected'] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];
const complaintKinds = ['complaint', 'report', 'appeal'] as const;

/**
 * A complaint, report or appeal (COMPLAINT-1) as compliance staff see it. An appeal with ref `minor-mode` is
 * the MINOR-5 appeal: resolving it turns minor mode off, rejecting it keeps minor mode.
 */
export interface Complaint {
  readonly id: string;
  readonly userId: string;
  readonly kind: (typeof complaintKinds)[number];
  readonly ref: string | null;
  readonly status: ComplaintStatus;
  /** The user's own words, or null (none given, or erased with their data key). */
  readonly text: string | null;
  readonly filedAt: number | null;
  readonly acknowledgeBy: number | null;
  readonly resolveBy: number | null;
  /** Which deadline it has missed now, or null. */
  readonly overdue: 'acknowledge' | 'resolve' | null;
  readonly assignee: string | null;
  readonly assigneeEmail: string | null;
  readonly reason: string | null;
  readonly replies: readonly {
    readonly id: string;
    readonly text: string | null;
    readonly at: number | null;
    readonly by: string | null;
  }[];
}

/** The filters of the complaints queue. */
export interface ComplaintFilter {
  readonly state?: ComplaintStatus | 'all';
  /** true: only overdue ones; false: only those within their deadlines. */
  readonly overdue?: boolean;
  /** `me`, `none` (not assigned) or a staff id. */
  readonly assignee?: string;
}

/** A text in both languages of the console (character and function names). */
export interface Named {
  readonly zh: string;
  readonly en: string;
}

export type NoticeScope = 'character' | 'function' | 'service' | 'outage';
export type SwitchScope = 'character' | 'function' | 'service';

/** A service notice (NOTICE-1) as compliance staff see it. */
export interface ServiceNoticeView {
  readonly id: string;
  readonly scope: NoticeScope;
  /** Character id or function id; '' for the service and an outage. */
  readonly target: string;
  readonly targetName: Named | null;
  readonly status: 'scheduled' | 'in-effect' | 'cancelled' | 'open' | 'lifted';
  readonly effectiveAt: number | null;
  readonly createdAt: number | null;
  /** The e-mail of the staff member, or `gateway` for an outage notice. */
  readonly createdBy: string;
  readonly reason: string | null;
  readonly cancelledAt: number | null;
  readonly cancelledBy: string | null;
}

export interface NoticeList {
  readonly notices: ServiceNoticeView[];
  /** The profile's minimum advance, in days, per scope. */
  readonly minAdvanceDays: Readonly<Record<'character' | 'function' | 'service', number>>;
}

/** A switch (ASSESS-3) as it stands: who changed it last, when and why. */
export interface SwitchView {
  readonly scope: SwitchScope;
  readonly target: string;
  readonly targetName: Named | null;
  readonly off: boolean;
  readonly reason: string;
  /** The e-mail of the staff member (their id when the account is gone). */
  readonly changedBy: string;
  readonly changedAt: number | null;
}

/** The switch board: every switch, what is off now, and what may be switched. */
export interface SwitchBoard {
  readonly switches: SwitchView[];
  readonly offNow: readonly { scope: SwitchScope; target: string; by: 'switch' | 'notice' }[];
  readonly characters: readonly { id: string; name: Named }[];
  readonly functions: readonly { id: string; name: Named; enforcedBy: 'gateway' | 'app' }[];
}

export interface StaffApiOptions {
  /** Origin (and optional path prefix) of the gateway; default: the page's own origin. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /**
   * Called when a call other than login or me answers `401`: the staff session expired or was ended elsewhere.
   * The CSRF token is already forgotten by then.
   */
  readonly onUnauthorized?: () => void;
}

export interface StaffApiClient {
  /**
   * Signs in. Rejects with `ApiError` codes `invalid-credentials`, `totp-required` (repost with `totp`),
   * `invalid-totp` (401) or `account-locked` (423), or `network_error` when the gateway is unreachable.
   */
  login(request: LoginRequest): Promise<StaffSession>;
  /** Ends the session; an already expired session counts as ended. */
  logout(): Promise<void>;
  /** The current session from the cookie, or `null` when there is none (401, or 403 for a non-staff caller). */
  me(): Promise<StaffSession | null>;
  listStaff(): Promise<StaffMember[]>;
  addStaff(request: NewStaffRequest): Promise<NewStaff>;
  disableStaff(id: string): Promise<void>;
  listCharacters(): Promise<ManagedCharacter[]>;
  saveCharacter(character: CharacterInput): Promise<void>;
  listKeys(): Promise<ApiKeySummary[]>;
  createKey(label: string): Promise<NewApiKey>;
  revokeKey(id: string): Promise<void>;
  /** The incident queue (default: incidents not yet closed) and how many operators are on duty. */
  listIncidents(filter?: IncidentFilter): Promise<IncidentQueue>;
  getIncident(id: string): Promise<IncidentDetail>;
  /** Assigns the incident to the caller; rejects with `incident-claimed` (409) when another operator has it. */
  claimIncident(id: string): Promise<Incident>;
  /**
   * The conversation of an incident assigned to the caller. Every call is an audited read (DATA-1) with
   * `purpose`; rejects with `purpose-required` without one and `forbidden` when it is not the caller's.
   */
  readIncidentMessages(id: string, purpose: string): Promise<TranscriptMessage[]>;
  /** Writes to the user as a person; the message reaches them through the chat API and their event stream. */
  sendIncidentMessage(id: string, text: string): Promise<{ id: string; createdAt: number | null }>;
  addIncidentNote(id: string, text: string): Promise<void>;
  /** Gives the conversation back to the AI, which gets `instruction` as a safety instruction. */
  handBackIncident(id: string, instruction: string): Promise<void>;
  closeIncident(id: string, outcome: IncidentOutcome): Promise<void>;
  /**
   * The caller's on-duty flag (an operator counts as on duty while it is set and their crisis queue is open:
   * see `heartbeat`).
   */
  getDuty(): Promise<boolean>;
  /** Sets the caller's on-duty flag; resolves to the flag the gateway stored. */
  setDuty(onDuty: boolean): Promise<boolean>;
  /** Tells the gateway the crisis queue is open and visible; without it for a while nobody counts as here. */
  heartbeat(): Promise<void>;
  /**
   * Tells the gateway the crisis queue closed, so the operator stops counting when it arrives; sent with `keepalive`,
   * so it still goes out while the page unloads.
   */
  endHeartbeat(): Promise<void>;
  incidentFigures(): Promise<IncidentFigures>;
  /** The URL of the live incident feed, for an `EventSource` (the session cookie goes with it). */
  readonly incidentEventsUrl: string;

  // ---- ASSESS-1, ASSESS-2, ASSESS-4, GOV-1: the dashboard and the reports panel ----
  /** The usage statistics of `from`..`to` (`YYYY-MM-DD`, inclusive). */
  stats(from: string, to: string): Promise<StatsView>;
  /** The assessment report of `from`..`to` as a file to save (every generation is audited). */
  downloadReport(
    from: string,
    to: string,
    format: 'html' | 'md' | 'json',
  ): Promise<{ blob: Blob; fileName: string }>;
  /** ASSESS-4: the filing record. */
  getFiling(): Promise<Filing>;
  saveFiling(filing: FilingInput): Promise<Filing>;
  /** GOV-1: the self-inspection checklist. */
  listChecklist(): Promise<ChecklistEntry[]>;
  /** Replaces the item with this id, or creates one when the id is `new`. */
  saveChecklistItem(item: ChecklistEntry): Promise<void>;
  deleteChecklistItem(id: string): Promise<void>;
  /** NOTICE-1: every notice, newest first, and the profile's minimum advance. */
  listNotices(): Promise<NoticeList>;
  /** NOTICE-1: schedules a notice; `notice-too-soon` (400) when the effective time is too close. */
  scheduleNotice(notice: {
    scope: 'character' | 'function' | 'service';
    target?: string;
    effectiveAt: number;
    reason?: string;
  }): Promise<void>;
  /** NOTICE-1: cancels a notice (or lifts an outage notice); `notice-cancelled` (409) when it was already. */
  cancelNotice(id: string): Promise<void>;
  /** ASSESS-3: the switch board. */
  listSwitches(): Promise<SwitchBoard>;
  /** ASSESS-3: switches off or on with a reason; `switch-unchanged` (409) when it stands so already. */
  setSwitch(change: { scope: SwitchScope; target?: string; off: boolean; reason: string }): Promise<void>;
  /** COMPLAINT-1: the queue, newest first (reading it is audited, DATA-1). */
  listComplaints(filter?: ComplaintFilter): Promise<Complaint[]>;
  /** Assigns a complaint to the caller (or to another compliance officer's staff id). */
  assignComplaint(id: string, assignee?: string): Promise<void>;
  /** Moves a complaint on; closing (resolved, rejected) needs a reason. `complaint-closed` (409) when closed. */
  setComplaintStatus(id: string, status: Exclude<ComplaintStatus, 'open'>, reason?: string): Promise<void>;
  /** Replies to the user: shown at once in an open chat, else with their next message. */
  replyToComplaint(id: string, text: string): Promise<void>;
}

export function createStaffApiClient(options: StaffApiOptions = {}): StaffApiClient {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let csrfToken: string | null = null;

  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    /** The request outlives the page (sent while it unloads). */
    keepalive = false,
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (keepalive) init.keepalive = true;
    if (body !== undefined) init.body = JSON.stringify(body);
    const text = await (await send(path, init)).text();
    return text === '' ? null : parseJsonText(text);
  }

  /** Fetches `path`; an answer that is not ok is thrown as its error, and a 401 drops the session. */
  async function send(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, init);
    } catch (cause) {
      throw unreachable(cause);
    }
    if (!response.ok) {
      const error = readError(response.status, await response.text());
      if (response.status === 401) {
        csrfToken = null;
        // Login and me are how the page asks whether it is signed in; a 401 there is an answer, not news.
        if (path !== '/api/login' && path !== '/api/me') options.onUnauthorized?.();
      }
      throw error;
    }
    return response;
  }

  function startSession(answer: unknown): StaffSession {
    const session = parseSession(answer);
    csrfToken = session.csrfToken;
    return session.session;
  }

  return {
    async login(request) {
      const body: Record<string, string> = { email: request.email, password: request.password };
      if (request.totp !== undefined) body.totp = request.totp;
      return startSession(await call('POST', '/api/login', body));
    },

    async logout() {
      try {
        await call('POST', '/api/logout');
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
      csrfToken = null;
    },

    async me() {
      let answer: unknown;
      try {
        answer = await call('GET', '/api/me');
      } catch (error) {
        // 403: the caller is not staff (e.g. a request that carries an app key).
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
        throw error;
      }
      return startSession(answer);
    },

    async listStaff() {
      return readList(await call('GET', '/api/staff'), parseStaffMember);
    },

    async addStaff(request) {
      const answer = await call('POST', '/api/staff', request);
      if (!isRecord(answer) || typeof answer.id !== 'string') {
        throw invalidResponse('The new staff member could not be read.');
      }
      return {
        id: answer.id,
        email: typeof answer.email === 'string' ? answer.email : request.email,
        role: typeof answer.role === 'string' ? answer.role : request.role,
        totpUri: typeof answer.totp_uri === 'string' && answer.totp_uri !== '' ? answer.totp_uri : null,
      };
    },

    async disableStaff(id) {
      await call('POST', `/api/staff/${encodeURIComponent(id)}/disable`);
    },

    async listCharacters() {
      return readList(await call('GET', '/api/characters'), parseCharacter);
    },

    async saveCharacter(character) {
      // A PUT replaces the character: every field is sent, so nothing is left over from before.
      const body = {
        name: character.name,
        description: character.description,
        scope: character.scope,
        relation: character.relation,
        persona: character.persona,
        model: character.model,
        enabled: character.enabled,
      };
      await call('PUT', `/api/characters/${encodeURIComponent(character.id)}`, body);
    },

    async listKeys() {
      return readList(await call('GET', '/api/keys'), parseApiKey);
    },

    async createKey(label) {
      const answer = await call('POST', '/api/keys', { label });
      if (!isRecord(answer) || typeof answer.id !== 'string' || typeof answer.secret !== 'string') {
        throw invalidResponse('The new API key could not be read.');
      }
      return {
        id: answer.id,
        label: typeof answer.label === 'string' ? answer.label : label,
        secret: answer.secret,
      };
    },

    async revokeKey(id) {
      await call('POST', `/api/keys/${encodeURIComponent(id)}/revoke`);
    },

    async listIncidents(filter = 'active') {
      const answer = await call('GET', `/api/incidents?state=${filter}`);
      const onDutyCount = isRecord(answer) && typeof answer.on_duty === 'number' ? answer.on_duty : 0;
      return { incidents: readList(answer, parseIncident), onDutyCount };
    },

    async getIncident(id) {
      const answer = await call('GET', incidentPath(id));
      const incident = isRecord(answer) ? parseIncident(answer) : null;
      if (!incident || !isRecord(answer)) throw invalidResponse('The incident could not be read.');
      const timeline = Array.isArray(answer.timeline) ? answer.timeline.filter(isRecord) : [];
      return {
        ...incident,
        timeline: timeline.map((step) => ({
          type: typeof step.type === 'string' ? step.type : '',
          at: readTime(step.at),
          actor: typeof step.actor === 'string' ? step.actor : null,
        })),
        emotional: parseEmotionalState(answer.emotional_state),
      };
    },

    async claimIncident(id) {
      const answer = await call('POST', incidentPath(id, 'claim'));
      const incident = isRecord(answer) ? parseIncident(answer) : null;
      if (!incident) throw invalidResponse('The claimed incident could not be read.');
      return incident;
    },

    async readIncidentMessages(id, purpose) {
      const query = `?purpose=${encodeURIComponent(purpose)}`;
      return readList(await call('GET', `${incidentPath(id, 'messages')}${query}`), parseTranscriptMessage);
    },

    async sendIncidentMessage(id, text) {
      const answer = await call('POST', incidentPath(id, 'messages'), { text });
      if (!isRecord(answer) || typeof answer.id !== 'string') {
        throw invalidResponse('The sent message could not be read.');
      }
      return { id: answer.id, createdAt: readTime(answer.created_at) };
    },

    async addIncidentNote(id, text) {
      await call('POST', incidentPath(id, 'notes'), { text });
    },

    async handBackIncident(id, instruction) {
      await call('POST', incidentPath(id, 'handback'), { instruction });
    },

    async closeIncident(id, outcome) {
      await call('POST', incidentPath(id, 'close'), { outcome });
    },

    async getDuty() {
      return readDuty(await call('GET', '/api/me/duty'));
    },

    async setDuty(onDuty) {
      return readDuty(await call('PUT', '/api/me/duty', { on_duty: onDuty }));
    },

    async heartbeat() {
      await call('POST', '/api/me/heartbeat');
    },

    async endHeartbeat() {
      // Signed out (the sign-out already ended the session): nothing to tell, and no 401 to report.
      if (csrfToken === null) return;
      await call('DELETE', '/api/me/heartbeat', undefined, true);
    },

    async incidentFigures() {
      const answer = await call('GET', '/api/incidents/figures');
      if (!isRecord(answer)) throw invalidResponse('The incident figures could not be read.');
      const median = isRecord(answer.median_ms) ? answer.median_ms : {};
      const outcomes: Record<string, number> = {};
      if (isRecord(answer.outcomes)) {
        for (const [outcome, n] of Object.entries(answer.outcomes))
          if (typeof n === 'number') outcomes[outcome] = n;
      }
      return {
        incidents: readCount(answer.incidents),
        claimed: readCount(answer.claimed),
        closed: readCount(answer.closed),
        medianMs: {
          toClaim: readNonNegative(median.to_claim),
          toFirstHumanMessage: readNonNegative(median.to_first_human_message),
          toContactNotification: readNonNegative(median.to_contact_notification),
        },
        outcomes,
      };
    },

    incidentEventsUrl: `${base}/api/incidents/events`,

    async listComplaints(filter = {}) {
      const query = new URLSearchParams({ state: filter.state ?? 'all' });
      if (filter.overdue !== undefined) query.set('overdue', String(filter.overdue));
      if (filter.assignee !== undefined) query.set('assignee', filter.assignee);
      return readList(await call('GET', `/api/complaints?${query}`), parseComplaint);
    },

    async assignComplaint(id, assignee) {
      await call('POST', complaintPath(id, 'assign'), assignee === undefined ? {} : { assignee });
    },

    async setComplaintStatus(id, status, reason) {
      await call('POST', complaintPath(id, 'status'), reason === undefined ? { status } : { status, reason });
    },

    async replyToComplaint(id, text) {
      await call('POST', complaintPath(id, 'replies'), { text });
    },

    async listNotices() {
      const answer = await call('GET', '/api/notices');
      const days = isRecord(answer) && isRecord(answer.min_advance_days) ? answer.min_advance_days : {};
      const day = (v: unknown) => (typeof v === 'number' ? v : 0);
      return {
        notices: readList(answer, parseNotice),
        minAdvanceDays: {
          character: day(days.character),
          function: day(days.function),
          service: day(days.service),
        },
      };
    },

    async scheduleNotice({ scope, target, effectiveAt, reason }) {
      await call('POST', '/api/notices', {
        scope,
        ...(target ? { target } : {}),
        effective_at: new Date(effectiveAt).toISOString(),
        ...(reason ? { reason } : {}),
      });
    },

    async cancelNotice(id) {
      await call('POST', `/api/notices/${encodeURIComponent(id)}/cancel`, {});
    },

    async listSwitches() {
      const answer = await call('GET', '/api/switches');
      const switches = readList(answer, parseSwitch);
      const record = isRecord(answer) ? answer : {};
      const items = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);
      return {
        switches,
        offNow: items(record.off_now).flatMap((o) => {
          const scope = switchScopes.find((s) => s === o.scope);
          return scope && typeof o.target === 'string'
            ? [{ scope, target: o.target, by: o.by === 'notice' ? ('notice' as const) : ('switch' as const) }]
            : [];
        }),
        characters: items(record.characters).flatMap((c) => {
          const name = readNamed(c.name);
          return typeof c.id === 'string' && name ? [{ id: c.id, name }] : [];
        }),
        functions: items(record.functions).flatMap((f) => {
          const name = readNamed(f.name);
          const enforcedBy = f.enforced_by === 'gateway' ? ('gateway' as const) : ('app' as const);
          return typeof f.id === 'string' && name ? [{ id: f.id, name, enforcedBy }] : [];
        }),
      };
    },

    async setSwitch({ scope, target, off, reason }) {
      await call('POST', '/api/switches', { scope, ...(target ? { target } : {}), off, reason });
    },

    async stats(from, to) {
      return parseStats(await call('GET', `/api/stats?from=${from}&to=${to}`));
    },

    async downloadReport(from, to, format) {
      const path = `/api/reports/assessment?from=${from}&to=${to}&format=${format}`;
      const response = await send(path, { credentials: 'same-origin' });
      const disposition = response.headers.get('content-disposition') ?? '';
      const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `assessment-${from}_${to}.${format}`;
      return { blob: await response.blob(), fileName };
    },

    async getFiling() {
      return parseFiling(await call('GET', '/api/filing'));
    },

    async saveFiling(filing) {
      return parseFiling(await call('PUT', '/api/filing', filing));
    },

    async listChecklist() {
      return parseChecklist(await call('GET', '/api/checklist'));
    },

    async saveChecklistItem({ id, ...item }) {
      await call('PUT', `/api/checklist/${encodeURIComponent(id)}`, item);
    },

    async deleteChecklistItem(id) {
      await call('DELETE', `/api/checklist/${encodeURIComponent(id)}`);
    },
  };
}

const noticeScopes = ['character', 'function', 'service', 'outage'] as const;
const noticeStatuses = ['scheduled', 'in-effect', 'cancelled', 'open', 'lifted'] as const;
const switchScopes = ['character', 'function', 'service'] as const;

function readNamed(value: unknown): Named | null {
  return isRecord(value) && typeof value.zh === 'string' && typeof value.en === 'string'
    ? { zh: value.zh, en: value.en }
    : null;
}

function parseNotice(item: Record<string, unknown>): ServiceNoticeView | null {
  const scope = noticeScopes.find((s) => s === item.scope);
  const status = noticeStatuses.find((s) => s === item.status);
  if (typeof item.id !== 'string' || typeof item.target !== 'string' || !scope || !status) return null;
  const who = (email: unknown, id: unknown) =>
    typeof email === 'string' ? email : typeof id === 'string' ? id : null;
  return {
    id: item.id,
    scope,
    target: item.target,
    targetName: readNamed(item.target_name),
    status,
    effectiveAt: readTime(item.effective_at),
    createdAt: readTime(item.created_at),
    createdBy: who(item.created_by_email, item.created_by) ?? '',
    reason: typeof item.reason === 'string' ? item.reason : null,
    cancelledAt: readTime(item.cancelled_at),
    cancelledBy: who(item.cancelled_by_email, item.cancelled_by),
  };
}

function parseSwitch(item: Record<string, unknown>): SwitchView | null {
  const scope = switchScopes.find((s) => s === item.scope);
  if (!scope || typeof item.target !== 'string' || typeof item.off !== 'boolean') return null;
  return {
    scope,
    target: item.target,
    targetName: readNamed(item.target_name),
    off: item.off,
    reason: typeof item.reason === 'string' ? item.reason : '',
    changedBy:
      typeof item.changed_by_email === 'string'
        ? item.changed_by_email
        : typeof item.changed_by === 'string'
          ? item.changed_by
          : '',
    changedAt: readTime(item.changed_at),
  };
}

const complaintPath = (id: string, action: string) => `/api/complaints/${encodeURIComponent(id)}/${action}`;

function parseComplaint(item: Record<string, unknown>): Complaint | null {
  const status = complaintStatuses.find((s) => s === item.status);
  const kind = complaintKinds.find((k) => k === item.kind);
  if (typeof item.id !== 'string' || typeof item.user_id !== 'string' || !status || !kind) return null;
  const overdue = item.overdue === 'acknowledge' || item.overdue === 'resolve' ? item.overdue : null;
  const replies = Array.isArray(item.replies) ? item.replies.filter(isRecord) : [];
  return {
    id: item.id,
    userId: item.user_id,
    kind,
    ref: readText(item.ref),
    status,
    text: readText(item.text),
    filedAt: readTime(item.filed_at),
    acknowledgeBy: readTime(item.acknowledge_by),
    resolveBy: readTime(item.resolve_by),
    overdue,
    assignee: readText(item.assignee),
    assigneeEmail: readText(item.assignee_email),
    reason: readText(item.reason),
    replies: replies.map((r, i) => ({
      id: readText(r.id) ?? String(i),
      text: readText(r.text),
      at: readTime(r.at),
      by: readText(r.by),
    })),
  };
}

export function isStaffRole(value: unknown): value is StaffRole {
  return (staffRoles as readonly unknown[]).includes(value);
}

/** The session and its CSRF token from a login or `GET /api/me` answer. */
function parseSession(value: unknown): { session: StaffSession; csrfToken: string } {
  if (
    !isRecord(value) ||
    typeof value.csrf_token !== 'string' ||
    value.csrf_token === '' ||
    typeof value.email !== 'string' ||
    !isStaffRole(value.role)
  ) {
    throw invalidResponse('The sign-in answer lacks the email, a known role or the CSRF token.');
  }
  return {
    csrfToken: value.csrf_token,
    session: {
      id: typeof value.id === 'string' ? value.id : null,
      email: value.email,
      role: value.role,
      expiresAt: readTime(value.expires_at),
      totp: typeof value.totp === 'boolean' ? value.totp : null,
    },
  };
}

function parseStaffMember(item: Record<string, unknown>): StaffMember | null {
  if (typeof item.id !== 'string' || typeof item.email !== 'string' || typeof item.role !== 'string')
    return null;
  return {
    id: item.id,
    email: item.email,
    role: item.role,
    disabled: item.disabled === true,
    totp: item.totp === true,
    createdAt: readTime(item.created_at),
    lastLoginAt: readTime(item.last_login_at),
  };
}

function parseCharacter(item: Record<string, unknown>): ManagedCharacter | null {
  if (typeof item.id !== 'string') return null;
  return {
    id: item.id,
    name: readLocalized(item.name, item.id),
    description: readLocalized(item.description, ''),
    scope: typeof item.scope === 'string' ? item.scope : '',
    relation: typeof item.relation === 'string' ? item.relation : '',
    persona: typeof item.persona === 'string' ? item.persona : '',
    model: typeof item.model === 'string' && item.model !== '' ? item.model : null,
    enabled: item.enabled !== false,
    // Anything the gateway does not mark as console-managed is treated as read-only.
    managedBy: typeof item.managed_by === 'string' ? item.managed_by : 'config',
  };
}

function parseApiKey(item: Record<string, unknown>): ApiKeySummary | null {
  if (typeof item.id !== 'string') return null;
  return {
    id: item.id,
    label: typeof item.label === 'string' ? item.label : '',
    createdAt: readTime(item.created_at),
    revokedAt: readTime(item.revoked_at),
  };
}

/**
 * One event of the live incident feed from its SSE `data`, or `null` when it is not one (a malformed or
 * unknown payload is skipped, never fatal to the feed).
 *
 * @example
 * parseIncidentEvent('{"type":"incident-claimed","incident":{"id":"inc_1",…}}')
 * // → { type: 'incident-claimed', incidentId: 'inc_1', incident: { id: 'inc_1', … } }
 * parseIncidentEvent('{"type":"incident-claimed","incident":{"id":"inc_1"}}')
 * // → { type: 'incident-claimed', incidentId: 'inc_1', incident: null }
 */
export function parseIncidentEvent(data: string): IncidentEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data) as unknown;
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.type !== 'string' || !isRecord(value.incident)) return null;
  const id = readText(value.incident.id);
  if (id === null) return null;
  return { type: value.type, incidentId: id, incident: parseIncident(value.incident) };
}

function incidentPath(id: string, action?: string): string {
  const path = `/api/incidents/${encodeURIComponent(id)}`;
  return action ? `${path}/${action}` : path;
}

function parseIncident(item: Record<string, unknown>): Incident | null {
  const openedAt = readTime(item.opened_at);
  if (typeof item.id !== 'string' || typeof item.user !== 'string' || openedAt === null) return null;
  const signals = Array.isArray(item.signals) ? item.signals.filter(isRecord) : [];
  return {
    id: item.id,
    user: item.user,
    sessionId: readText(item.session_id),
    characterId: readText(item.character_id),
    severity: readText(item.severity) ?? 'high',
    state: readText(item.state) ?? 'open',
    reason: readText(item.reason) ?? 'crisis',
    signals: signals.map((signal) => ({
      detector: readText(signal.detector) ?? '',
      rule: readText(signal.rule) ?? '',
      tier: typeof signal.tier === 'number' ? signal.tier : null,
    })),
    openedAt,
    claimedAt: readTime(item.claimed_at),
    claimedBy: readText(item.claimed_by),
    escalatedAt: readTime(item.escalated_at),
    firstHumanMessageAt: readTime(item.first_human_message_at),
    contactNotifiedAt: readTime(item.contact_notified_at),
    closedAt: readTime(item.closed_at),
    outcome: readText(item.outcome),
    ageBand: readText(item.age_band),
  };
}

function parseTranscriptMessage(item: Record<string, unknown>): TranscriptMessage | null {
  if (typeof item.id !== 'string' || typeof item.content !== 'string') return null;
  const role = readText(item.role) ?? '';
  return {
    id: item.id,
    role,
    // Without an author only the role is known; guessing AI or human here could mislabel a person.
    author: readText(item.author) ?? role,
    content: item.content,
    status: readText(item.status),
    createdAt: readTime(item.created_at),
  };
}

function readDuty(answer: unknown): boolean {
  if (!isRecord(answer) || typeof answer.on_duty !== 'boolean') {
    throw invalidResponse('The on-duty answer could not be read.');
  }
  return answer.on_duty;
}

/** The `data` array of a list answer, malformed entries left out. */
function readList<T>(value: unknown, parse: (item: Record<string, unknown>) => T | null): T[] {
  if (!isRecord(value) || !Array.isArray(value.data)) throw invalidResponse('The list could not be read.');
  const result: T[] = [];
  for (const item of value.data) {
    const parsed = isRecord(item) ? parse(item) : null;
    if (parsed !== null) result.push(parsed);
  }
  return result;
}

/** The `{ code, message }` error body of `/api`, or a generic error for the status. */
function readError(status: number, text: string): ApiError {
  const body = errorBodyOf(text);
  if (isRecord(body) && typeof body.code === 'string') {
    const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    return new ApiError(message, { status, code: body.code, type: 'api_error' });
  }
  return httpError(status);
}
