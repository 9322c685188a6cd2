import type { AuditInput, MessageRecord, NewMessage, StaffRole } from '../ports.js';
import type { Incident, IncidentStep, NewIncident } from './incident.js';

/** A step of an incident's time line as stored: who and when, never text. */
export interface IncidentEvent {
  readonly type: IncidentStep;
  readonly at: number;
  /** Staff id of the operator, or null for the system (detection, sweeper). */
  readonly actor: string | null;
}

/** A stored incident with its version (compare-and-set, like sessions). */
export interface StoredIncident extends Incident {
  /** Incremented by every change. Starts at 1. */
  readonly version: number;
}

/** One change of an incident, written with everything that goes with it in one transaction. */
export interface IncidentChange {
  readonly incident: Incident;
  readonly expectedVersion: number;
  readonly now: number;
  /** The time line step; `text` (a note, a hand-back instruction) is sealed under the user's data key. */
  readonly event: {
    readonly type: IncidentStep;
    readonly actor: string | null;
    readonly text?: string;
  } | null;
  /** An operator's message to the user, stored (encrypted) in a session of the user. */
  readonly message?: NewMessage;
  readonly audit: readonly AuditInput[];
}

/**
 * Incidents, their time lines and operator duty, as the gateway stores them. Every change is one
 * transaction with its time line step and audit events.
 */
/**
 * When a console session counts as someone at the console at `now`: not revoked, used within `idleMs`,
 * started within `maxMs`, and its last heartbeat within `heartbeatMs`.
 */
export interface StaffPresence {
  readonly now: number;
  readonly idleMs: number;
  readonly maxMs: number;
  readonly heartbeatMs: number;
}

export interface IncidentStore {
  /**
   * Opens an incident for the user unless one is active: at most one active incident per user, even under
   * concurrent calls on several instances (the loser gets the winner's). Returns the active incident and
   * whether this call opened it; `audit(incident)` is appended only when it did.
   */
  openIncident(
    incident: NewIncident & { readonly id: string },
    now: number,
    audit: (incident: StoredIncident) => readonly AuditInput[],
  ): Promise<{ readonly incident: StoredIncident; readonly opened: boolean }>;
  getIncident(id: string): Promise<StoredIncident | undefined>;
  /** The user's active (not closed) incident, or undefined. One indexed query. */
  activeIncidentOfUser(userId: string): Promise<StoredIncident | undefined>;
  /** Incidents newest first: `active` (not closed), `closed`, or `all`. */
  listIncidents(filter: 'active' | 'closed' | 'all'): Promise<StoredIncident[]>;
  /** The time line, oldest first. */
  listIncidentEvents(id: string): Promise<IncidentEvent[]>;
  /** The instruction of the latest hand-back (decrypted), or null. */
  handbackInstruction(id: string): Promise<string | null>;
  /**
   * Writes `change` if the incident is still at `expectedVersion`; otherwise writes nothing and throws
   * `CgError('incident-conflict')` (the caller reloads and decides again). Of concurrent changes from one
   * version exactly one succeeds: a claim, an escalation or a cooldown happens once across instances.
   */
  commitIncident(change: IncidentChange): Promise<StoredIncident>;
  /**
   * Sets `contactNotifiedAt` the first time only (RISK-5), with a time line step and `audit`, and moves the
   * version on (a change decided on an earlier read conflicts). Unknown id or already set: nothing is
   * written. Returns whether it was set.
   */
  markContactNotified(id: string, at: number, audit: readonly AuditInput[]): Promise<boolean>;
  /**
   * Operators' messages to the user not delivered yet, oldest first, marked delivered by this call: each is
   * returned by exactly one caller across instances.
   */
  takeHumanMessages(userId: string, now: number): Promise<MessageRecord[]>;
  /** Sets an operator's on-duty flag, with `audit`. Unknown id: `CgError('not-found')`. */
  setOnDuty(staffId: string, onDuty: boolean, audit: readonly AuditInput[]): Promise<void>;
  /** Whether the flag is set for this staff member. */
  isOnDuty(staffId: string): Promise<boolean>;
  /**
   * Staff of `role` on duty: the flag set, the account enabled, and a console session live at `now` (not
   * revoked, seen within `idleMs`, started within `maxMs`) whose last heartbeat is within `heartbeatMs`.
   */
  countOnDuty(role: StaffRole, live: StaffPresence): Promise<number>;
  /**
   * True when this staff member is not disabled and has such a session (live, with a recent heartbeat):
   * they are at the console now.
   */
  hasLiveSession(staffId: string, live: StaffPresence): Promise<boolean>;
}
