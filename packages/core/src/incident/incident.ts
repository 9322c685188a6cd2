/**
 * Incidents (RISK-4..6, ELDER-2, ELDER-4): a crisis, a scam or property-loss signal for a protected user, or an
 * operator's own judgement opens one; an operator claims it, talks to the user, hands the session back to
 * the AI or closes it; nobody claiming it in time escalates it. Pure: the store keeps incidents, this
 * decides every step and the figures (ASSESS-2). No conversation text ever enters an incident.
 */
import { CgError } from '../errors.js';
import type { AgeBand } from '../ports.js';
import type { DetectorName } from '../types.js';

export type IncidentState = 'open' | 'claimed' | 'handed-back' | 'closed';
export type IncidentReason = 'crisis' | 'scam' | 'property-loss' | 'operator';
/** `critical`: a life at risk (takeover); `high`: property at risk (no takeover). */
export type IncidentSeverity = 'critical' | 'high';
/** Outcomes an operator records; `cooldown` is the system's (RISK-6: nobody closed it in time). */
export type IncidentOutcome =
  | 'safe'
  | 'referred'
  | 'emergency-services'
  | 'no-response'
  | 'false-alarm'
  | 'other'
  | 'cooldown';

export const operatorOutcomes = [
  'safe',
  'referred',
  'emergency-services',
  'no-response',
  'false-alarm',
  'other',
] as const satisfies readonly IncidentOutcome[];

/** A finding that opened or joined the incident: ids and tiers, never text. */
export interface IncidentSignal {
  readonly detector: DetectorName;
  readonly rule: string;
  readonly tier: number;
}

/** Steps of the time line (`incident-<step>` on the live feed). */
export type IncidentStep =
  | 'opened'
  | 'signal'
  | 'claimed'
  | 'message'
  | 'note'
  | 'escalated'
  | 'handback'
  | 'reopened'
  | 'contact-notified'
  | 'closed';

export interface Incident {
  readonly id: string;
  readonly userId: string;
  readonly externalUserId: string;
  readonly sessionId: string | null;
  readonly characterId: string | null;
  readonly severity: IncidentSeverity;
  readonly reason: IncidentReason;
  readonly state: IncidentState;
  readonly signals: readonly IncidentSignal[];
  readonly ageBand: AgeBand;
  readonly openedAt: number;
  /** Time of the last step (the cooldown counts from it). */
  readonly updatedAt: number;
  readonly claimedAt: number | null;
  /** Staff id of the operator it is assigned to. */
  readonly claimedBy: string | null;
  readonly escalatedAt: number | null;
  readonly firstHumanMessageAt: number | null;
  readonly contactNotifiedAt: number | null;
  readonly handedBackAt: number | null;
  readonly closedAt: number | null;
  readonly outcome: IncidentOutcome | null;
}

/** An incident being opened (the store adds the id and times). */
export interface NewIncident {
  readonly userId: string;
  readonly externalUserId: string;
  readonly sessionId: string | null;
  readonly characterId: string | null;
  readonly severity: IncidentSeverity;
  readonly reason: IncidentReason;
  readonly signals: readonly IncidentSignal[];
  readonly ageBand: AgeBand;
}

/** The incident as it stands once opened at `at`: open, held by nobody, no later step yet. */
export function openedIncident(incident: NewIncident & { readonly id: string }, at: number): Incident {
  return {
    ...incident,
    state: 'open',
    openedAt: at,
    updatedAt: at,
    claimedAt: null,
    claimedBy: null,
    escalatedAt: null,
    firstHumanMessageAt: null,
    contactNotifiedAt: null,
    handedBackAt: null,
    closedAt: null,
    outcome: null,
  };
}

/** True while the incident is not closed. */
export const isActiveIncident = (i: Pick<Incident, 'state'>): boolean => i.state !== 'closed';

/**
 * True when the user's chat is with a person, not the model (RISK-4): an incident an operator claimed, or
 * a critical one waiting for a claim where the profile takes over on its own.
 */
export function isTakeover(
  i: Pick<Incident, 'state' | 'severity'> | null | undefined,
  profileTakesOver: boolean,
): boolean {
  if (!i) return false;
  if (i.state === 'claimed') return true;
  return i.state === 'open' && i.severity === 'critical' && profileTakesOver;
}

const MINUTE = 60_000;

/** What an operator asks to do to an incident. */
export type OperatorAction =
  | { readonly kind: 'claim' }
  | { readonly kind: 'message' }
  | { readonly kind: 'note' }
  | { readonly kind: 'read' }
  | { readonly kind: 'handback' }
  | { readonly kind: 'close'; readonly outcome: IncidentOutcome };

/**
 * Applies an operator's action at `at`, or throws: `incident-closed` on a closed incident,
 * `incident-claimed` when another operator holds it (claim it first, 409), `incident-not-assigned` for
 * anything but a claim (or a note) on an incident not assigned to `staffId` (403).
 *
 * @example
 * operatorStep(open, 'op-1', { kind: 'claim' }, 10).incident.state // 'claimed'
 */
export function operatorStep(
  incident: Incident,
  staffId: string,
  action: OperatorAction,
  at: number,
): { readonly incident: Incident; readonly step: IncidentStep | null } {
  if (incident.state === 'closed') throw new CgError('incident-closed');
  const mine = incident.claimedBy === staffId;
  const held = incident.claimedBy !== null && !mine && incident.state === 'claimed';
  const base = { ...incident, updatedAt: at };
  switch (action.kind) {
    case 'claim':
      if (held) throw new CgError('incident-claimed');
      if (mine && incident.state === 'claimed') return { incident, step: null };
      return {
        incident: { ...base, state: 'claimed', claimedBy: staffId, claimedAt: incident.claimedAt ?? at },
        step: 'claimed',
      };
    case 'note':
      return { incident: base, step: 'note' };
    default:
      break;
  }
  // Reading a conversation is never a race to win: not yours is 403 whoever holds it (DATA-1).
  if (action.kind === 'read' && !(mine && incident.state === 'claimed')) {
    throw new CgError('incident-not-assigned');
  }
  if (!mine) throw new CgError(held ? 'incident-claimed' : 'incident-not-assigned');
  switch (action.kind) {
    case 'read':
      return { incident, step: null };
    case 'message':
      return {
        incident: {
          ...base,
          state: 'claimed',
          firstHumanMessageAt: incident.firstHumanMessageAt ?? at,
        },
        step: 'message',
      };
    case 'handback':
      return { incident: { ...base, state: 'handed-back', handedBackAt: at }, step: 'handback' };
    case 'close':
      return { incident: closeIncident(base, action.outcome, at), step: 'closed' };
  }
}

function closeIncident(incident: Incident, outcome: IncidentOutcome, at: number): Incident {
  return { ...incident, state: 'closed', closedAt: at, outcome, updatedAt: at };
}

/**
 * A new signal for the user while `incident` is active: a critical finding takes a handed-back session
 * back from the AI (to the assigned operator, or to the queue) and raises a `high` incident to critical.
 * Returns null when nothing changes.
 */
export function joinSignal(
  incident: Incident,
  signal: { severity: IncidentSeverity; signals: readonly IncidentSignal[] },
  at: number,
): { readonly incident: Incident; readonly step: IncidentStep } | null {
  if (incident.state === 'closed') return null;
  const signals = [...incident.signals, ...signal.signals].slice(-20);
  const severity = signal.severity === 'critical' ? 'critical' : incident.severity;
  if (signal.severity === 'critical' && incident.state === 'handed-back') {
    const state = incident.claimedBy ? 'claimed' : 'open';
    return { incident: { ...incident, severity, signals, state, updatedAt: at }, step: 'reopened' };
  }
  if (severity === incident.severity && signal.signals.length === 0) return null;
  return { incident: { ...incident, severity, signals, updatedAt: at }, step: 'signal' };
}

/** Escalation is due: nobody claimed the incident within `claimWithinMinutes` of its opening. */
export function escalationDue(incident: Incident, at: number, claimWithinMinutes: number): boolean {
  return (
    incident.state === 'open' &&
    incident.claimedBy === null &&
    incident.escalatedAt === null &&
    at - incident.openedAt >= claimWithinMinutes * MINUTE
  );
}

export function escalateIncident(incident: Incident, at: number): Incident {
  return { ...incident, escalatedAt: at, updatedAt: at };
}

/**
 * The cooldown is due (RISK-6): an incident nobody holds (open or handed back) saw no step for
 * `cooldownMinutes`. A claimed incident stays with its operator until they close it.
 */
export function cooldownDue(incident: Incident, at: number, cooldownMinutes: number): boolean {
  return (
    (incident.state === 'open' || incident.state === 'handed-back') &&
    at - incident.updatedAt >= cooldownMinutes * MINUTE
  );
}

export function coolDownIncident(incident: Incident, at: number): Incident {
  return closeIncident(incident, 'cooldown', at);
}

/** The figures of a set of incidents for the reports (ASSESS-2). Medians are null without data. */
export interface IncidentFigures {
  readonly incidents: number;
  readonly claimed: number;
  readonly closed: number;
  readonly medianMs: {
    readonly toClaim: number | null;
    readonly toFirstHumanMessage: number | null;
    readonly toContactNotification: number | null;
  };
  readonly outcomes: Readonly<Partial<Record<IncidentOutcome, number>>>;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/**
 * @example
 * incidentFigures([{ openedAt: 0, claimedAt: 60_000, … }]).medianMs.toClaim // 60000
 */
export function incidentFigures(incidents: readonly Incident[]): IncidentFigures {
  const since = (pick: (i: Incident) => number | null) =>
    median(incidents.flatMap((i) => (pick(i) === null ? [] : [(pick(i) as number) - i.openedAt])));
  const outcomes: Partial<Record<IncidentOutcome, number>> = {};
  for (const i of incidents) if (i.outcome) outcomes[i.outcome] = (outcomes[i.outcome] ?? 0) + 1;
  return {
    incidents: incidents.length,
    claimed: incidents.filter((i) => i.claimedAt !== null).length,
    closed: incidents.filter((i) => i.state === 'closed').length,
    medianMs: {
      toClaim: since((i) => i.claimedAt),
      toFirstHumanMessage: since((i) => i.firstHumanMessageAt),
      toContactNotification: since((i) => i.contactNotifiedAt),
    },
    outcomes,
  };
}
