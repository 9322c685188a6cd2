import { randomUUID } from 'node:crypto';
import {
  type AgeBand,
  type AuditInput,
  CgError,
  type Clock,
  type CrisisFacts,
  type Incident,
  type IncidentRequest,
  type IncidentStep,
  isCgError,
  isTakeover,
  joinSignal,
  type LiveEvents,
  type MessageRecord,
  type Notifier,
  type NotifyIncident,
  type OperatorAction,
  operatorStep,
  type Profile,
  type RequirementId,
  type Store,
  type StoredIncident,
} from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import { newMessage } from '../chat/turn-records.js';

/**
 * When an operator counts as at the console (on duty, or still with the user whose incident they hold): a
 * live staff session (`idleMs`, `maxMs`: the session settings) whose console sent a heartbeat within
 * `heartbeatMs` (`staff.onDutyWindowSeconds`).
 */
export interface StaffLiveness {
  readonly idleMs: number;
  readonly maxMs: number;
  readonly heartbeatMs: number;
}

export interface IncidentServiceOptions {
  readonly store: Store;
  readonly events: LiveEvents;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly profile: Profile;
  readonly logger: Logger;
  readonly staffLiveness: StaffLiveness;
}

/** What an operator does, with its text where it has one. */
export type OperatorRequest =
  | { readonly kind: 'claim' }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'handback'; readonly instruction: string }
  | { readonly kind: 'close'; readonly outcome: Incident['outcome'] & string };

/** Incidents as the chat path, the operator routes and the sweeper use them. */
export interface IncidentService {
  /** The user's active incident and who is on duty, for the session machine (RISK-4..6). */
  crisisFacts(
    userId: string,
    needOnDuty: boolean,
  ): Promise<CrisisFacts & { incident: StoredIncident | null }>;
  operatorsOnDuty(): Promise<number>;
  /** For a claimed incident: whether its operator is still at the console (true for any other incident). */
  holderPresent(incident: Pick<Incident, 'state' | 'claimedBy'>): Promise<boolean>;
  /**
   * Opens (or joins the user's active) incident after a turn asked for one; publishes it and notifies in the
   * background. Never throws: the user's reply does not wait on it failing (logged and audited).
   */
  openFromTurn(
    request: IncidentRequest,
    at: {
      userId: string;
      externalUserId: string;
      sessionId: string;
      characterId: string;
      ageBand: AgeBand;
      /** SCOPE-2: the profile that decided the turn, named in the `incident-open` event. */
      profileId?: string;
    },
  ): Promise<StoredIncident | null>;
  /** An operator's own judgement (reason `operator`, critical). */
  openByOperator(externalUserId: string, sessionId: string | null, staffId: string): Promise<StoredIncident>;
  /** Applies an operator's step, retrying on a concurrent change; 409/403 per `operatorStep`. */
  act(
    incidentId: string,
    staffId: string,
    request: OperatorRequest,
  ): Promise<{ incident: StoredIncident; messageId: string | null; at: number }>;
  /** Checks that `staffId` holds the incident (throws otherwise), for reading its conversation. */
  assigned(incidentId: string, staffId: string): Promise<StoredIncident>;
  /** A user message arrived during the incident: announce it on the queue feed (ids only). */
  userMessage(incident: Incident, messageId: string): Promise<void>;
  /** Queued messages for the user (operators', fallbacks), marked delivered: each goes out once. */
  takeQueued(userId: string): Promise<MessageRecord[]>;
  /** RISK-5: the notifier reached a contact; recorded the first time only. */
  contactNotified(incidentId: string, at: number): Promise<void>;
  /** Publishes a step of `incident` on the queue feed and the user's session channel. */
  publish(incident: Incident, step: IncidentStep, extra?: Record<string, unknown>): Promise<void>;
  /** The incident as the notifier needs it (contacts decrypted). */
  notifyView(incident: Incident): Promise<NotifyIncident>;
}

const requirementOf = (i: Pick<Incident, 'reason' | 'severity'>): RequirementId =>
  i.reason === 'scam' || i.reason === 'property-loss' ? 'RISK-5' : 'RISK-4';

const MAX_RETRIES = 5;

/** Session-channel events for the steps that change what the user's chat is. */
const sessionEventOf: Partial<Record<IncidentStep, string>> = {
  claimed: 'takeover-start',
  reopened: 'takeover-start',
  handback: 'takeover-end',
  closed: 'takeover-end',
  escalated: 'fallback',
};

export function createIncidentService(options: IncidentServiceOptions): IncidentService {
  const { store, events, clock, logger } = options;

  const audit = (
    i: Incident,
    type: string,
    requirement: RequirementId,
    at: number,
    data: Record<string, unknown> = {},
  ): AuditInput => ({
    type,
    requirement,
    at,
    userId: i.userId,
    sessionId: i.sessionId,
    data: { incident: i.id, ...data },
  });

  async function publish(incident: Incident, step: IncidentStep, extra: Record<string, unknown> = {}) {
    const at = clock.now();
    try {
      await events.publish('incidents', { type: `incident-${step}`, incident_id: incident.id, at, ...extra });
      const sessionEvent = sessionEventOf[step];
      const latest = await store.latestSessionOfUser(incident.userId);
      if (latest && (sessionEvent || step === 'message')) {
        const event =
          step === 'message'
            ? { type: 'operator-message', message_id: extra.message_id, at }
            : { type: sessionEvent, at };
        await events.publish(`session:${latest.id}`, event);
      }
    } catch (e) {
      logger.warn('live event not published', { incident: incident.id, step, code: (e as CgError).code });
    }
  }

  async function notifyView(incident: Incident): Promise<NotifyIncident> {
    const user = await store.profiles.getProfile(incident.externalUserId);
    return {
      id: incident.id,
      userId: incident.userId,
      externalUserId: incident.externalUserId,
      severity: incident.severity,
      reason: incident.reason,
      openedAt: incident.openedAt,
      ageBand: incident.ageBand,
      contacts: {
        ...(user?.guardian ? { guardian: user.guardian } : {}),
        ...(user?.emergencyContact ? { emergencyContact: user.emergencyContact } : {}),
      },
    };
  }

  /** Notification in the background: the reply never waits, a failure is logged and audited (RISK-5). */
  function notifyOpened(incident: Incident): void {
    void (async () => {
      try {
        await options.notifier.incidentOpened(await notifyView(incident));
      } catch (e) {
        const code = isCgError(e) ? e.code : 'internal';
        logger.warn('incident notification failed', { incident: incident.id, code });
        await store
          .appendAudit([audit(incident, 'notify-failed', 'RISK-5', clock.now(), { code })])
          .catch(() => undefined);
      }
    })();
  }

  async function change(
    incidentId: string,
    decide: (current: StoredIncident) => {
      incident: Incident;
      step: IncidentStep | null;
      text?: string;
      actor: string | null;
      audit: AuditInput[];
      message?: ReturnType<typeof newMessage>;
    },
  ): Promise<{ incident: StoredIncident; step: IncidentStep | null; messageId?: string }> {
    for (let attempt = 0; ; attempt++) {
      const current = await store.incidents.getIncident(incidentId);
      if (!current) throw new CgError('not-found', `No incident ${incidentId}.`);
      const d = decide(current);
      if (d.step === null) return { incident: current, step: null };
      try {
        const incident = await store.incidents.commitIncident({
          incident: d.incident,
          expectedVersion: current.version,
          now: clock.now(),
          event: { type: d.step, actor: d.actor, ...(d.text !== undefined ? { text: d.text } : {}) },
          ...(d.message ? { message: d.message } : {}),
          audit: d.audit,
        });
        return { incident, step: d.step, ...(d.message ? { messageId: d.message.id } : {}) };
      } catch (e) {
        if (!isCgError(e, 'incident-conflict') || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  const operatorsOnDuty = () =>
    store.incidents.countOnDuty('operator', { now: clock.now(), ...options.staffLiveness });

  const holderPresent = async (incident: Pick<Incident, 'state' | 'claimedBy'>) =>
    incident.state !== 'claimed' ||
    incident.claimedBy === null ||
    store.incidents.hasLiveSession(incident.claimedBy, { now: clock.now(), ...options.staffLiveness });

  const service: IncidentService = {
    publish,
    notifyView,
    operatorsOnDuty,
    holderPresent,

    async crisisFacts(userId, needOnDuty) {
      const incident = (await store.incidents.activeIncidentOfUser(userId)) ?? null;
      const present = incident ? await holderPresent(incident) : true;
      const waiting = incident?.state === 'open' || !present;
      return {
        incident,
        operatorsOnDuty: needOnDuty || waiting ? await operatorsOnDuty() : 0,
        holderPresent: present,
      };
    },

    async openFromTurn(request, { profileId, ...at }) {
      try {
        const now = clock.now();
        const { incident, opened } = await store.incidents.openIncident(
          { id: randomUUID(), ...at, ...request },
          now,
          (i) => [
            audit(i, 'incident-open', requirementOf(i), now, {
              reason: i.reason,
              severity: i.severity,
              signals: i.signals,
              ...(profileId ? { profile: profileId } : {}),
            }),
          ],
        );
        if (opened) {
          await publish(incident, 'opened');
          notifyOpened(incident);
          return incident;
        }
        const { incident: joined, step } = await change(incident.id, (current) => {
          const j = joinSignal(current, request, now);
          if (!j) return { incident: current, step: null, actor: null, audit: [] };
          const requirement = j.step === 'reopened' ? 'RISK-4' : requirementOf(j.incident);
          return {
            ...j,
            actor: null,
            audit: [audit(j.incident, `incident-${j.step}`, requirement, now, { signals: request.signals })],
          };
        });
        if (step) await publish(joined, step);
        if (step && joined.severity === 'critical' && incident.severity !== 'critical') notifyOpened(joined);
        return joined;
      } catch (e) {
        logger.error('incident could not be opened', { code: isCgError(e) ? e.code : 'internal' });
        return null;
      }
    },

    async openByOperator(externalUserId, sessionId, staffId) {
      const now = clock.now();
      const user = await store.ensureUser(externalUserId, now);
      const session = sessionId
        ? await store.getSession(sessionId)
        : await store.latestSessionOfUser(user.id);
      if (sessionId && session?.userId !== user.id) {
        throw new CgError('not-found', `No session ${sessionId} of this user.`);
      }
      const { incident, opened } = await store.incidents.openIncident(
        {
          id: randomUUID(),
          userId: user.id,
          externalUserId,
          sessionId: session?.id ?? null,
          characterId: session?.characterId ?? null,
          severity: 'critical',
          reason: 'operator',
          signals: [],
          ageBand: user.ageBand,
        },
        now,
        (i) => [audit(i, 'incident-open', 'RISK-4', now, { reason: 'operator', staffId })],
      );
      if (!opened) throw new CgError('invalid-request', 'This user already has an open incident.');
      await publish(incident, 'opened');
      notifyOpened(incident);
      return incident;
    },

    async act(incidentId, staffId, request) {
      const now = clock.now();
      const target =
        request.kind === 'message'
          ? await store.incidents
              .getIncident(incidentId)
              .then((i) => i && store.latestSessionOfUser(i.userId))
          : undefined;
      const action: OperatorAction =
        request.kind === 'close' ? { kind: 'close', outcome: request.outcome } : { kind: request.kind };
      const result = await change(incidentId, (current) => {
        const { incident, step } = operatorStep(current, staffId, action, now);
        const data = { staffId, ...(request.kind === 'close' ? { outcome: request.outcome } : {}) };
        const types: Record<IncidentStep, [string, RequirementId]> = {
          opened: ['incident-open', 'RISK-4'],
          signal: ['incident-signal', 'RISK-4'],
          claimed: ['takeover-start', 'RISK-4'],
          message: ['operator-message', 'RISK-4'],
          note: ['incident-note', 'RISK-4'],
          escalated: ['incident-escalated', 'RISK-4'],
          handback: ['takeover-end', 'RISK-4'],
          reopened: ['takeover-start', 'RISK-4'],
          'contact-notified': ['contact-notified', 'RISK-5'],
          closed: ['incident-close', 'RISK-6'],
        };
        const entry = step ? types[step] : null;
        let message: ReturnType<typeof newMessage> | undefined;
        if (request.kind === 'message') {
          if (!target) throw new CgError('invalid-request', 'The user has no session to write to yet.');
          message = {
            ...newMessage({
              sessionId: target.id,
              userId: current.userId,
              role: 'assistant',
              content: request.text,
              status: 'queued',
              at: now,
            }),
            author: 'human',
          };
        }
        const text =
          request.kind === 'note'
            ? request.text
            : request.kind === 'handback'
              ? request.instruction
              : undefined;
        return {
          incident,
          step,
          actor: staffId,
          ...(text !== undefined ? { text } : {}),
          ...(message ? { message } : {}),
          audit: entry ? [audit(incident, entry[0], entry[1], now, data)] : [],
        };
      });
      if (result.step) {
        await publish(
          result.incident,
          result.step,
          result.messageId ? { author: 'human', message_id: result.messageId } : {},
        );
      }
      return { incident: result.incident, messageId: result.messageId ?? null, at: now };
    },

    async assigned(incidentId, staffId) {
      const incident = await store.incidents.getIncident(incidentId);
      if (!incident) throw new CgError('not-found', `No incident ${incidentId}.`);
      operatorStep(incident, staffId, { kind: 'read' }, clock.now());
      return incident;
    },

    async userMessage(incident, messageId) {
      await events
        .publish('incidents', {
          type: 'incident-message',
          incident_id: incident.id,
          at: clock.now(),
          author: 'user',
          message_id: messageId,
        })
        .catch(() => undefined);
    },

    takeQueued: (userId) => store.incidents.takeHumanMessages(userId, clock.now()),

    async contactNotified(incidentId, at) {
      const incident = await store.incidents.getIncident(incidentId);
      if (!incident) return;
      const set = await store.incidents.markContactNotified(incidentId, at, [
        audit(incident, 'contact-notified', 'RISK-5', at),
      ]);
      if (set) await publish(incident, 'contact-notified');
    },
  };
  return service;
}

/** True when the chat of a user with this incident is held by a person (the model is not called). */
export const heldByPerson = (incident: Incident | null, profile: Profile): boolean =>
  isTakeover(incident, profile.crisis.humanTakeover);

/** A notifier that does nothing (until a real one is configured). */
export const noNotifier: Notifier = {
  incidentOpened: async () => undefined,
  incidentEscalated: async () => undefined,
  deliverDue: async () => 0,
};
