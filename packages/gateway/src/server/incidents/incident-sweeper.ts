import {
  type Clock,
  coolDownIncident,
  cooldownDue,
  escalateIncident,
  escalationDue,
  isCgError,
  type Notifier,
  type Profile,
  type ProfileBook,
  presetText,
  type Store,
  type StoredIncident,
  userAgeBand,
} from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import { newMessage } from '../chat/turn-records.js';
import type { IncidentService } from './incident-service.js';

export interface IncidentSweeperOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly profile: Profile;
  /** SCOPE-2: the fallback message's help lines and texts follow the user's profile (else `profile`). */
  readonly profiles?: ProfileBook | undefined;
  readonly notifier: Notifier;
  readonly incidents: IncidentService;
  readonly logger: Logger;
}

/** The timers of incidents: escalation ("nobody talks to silence") and the RISK-6 cooldown. */
export interface IncidentSweeper {
  /**
   * Escalates every incident nobody claimed within `crisis.claimWithinMinutes` (the fallback message with the
   * help lines to the user, the escalation notification) and closes those past the cooldown. Each happens
   * once across instances (compare-and-set): an instance that loses the race skips it.
   */
  runDue(now: number): Promise<{ escalated: number; cooledDown: number }>;
}

export function createIncidentSweeper(options: IncidentSweeperOptions): IncidentSweeper {
  const { store, profile, incidents, logger } = options;

  /** Commits a sweeper step; false when another instance (or an operator) changed the incident first. */
  async function commit(
    current: StoredIncident,
    change: Omit<Parameters<Store['incidents']['commitIncident']>[0], 'expectedVersion'>,
  ): Promise<StoredIncident | null> {
    try {
      return await store.incidents.commitIncident({ ...change, expectedVersion: current.version });
    } catch (e) {
      if (isCgError(e, 'incident-conflict')) return null;
      throw e;
    }
  }

  async function escalate(current: StoredIncident, now: number): Promise<boolean> {
    const user = await store.getUser(current.userId);
    const session = await store.latestSessionOfUser(current.userId);
    const policy = (user && options.profiles?.forUser(user)) || profile;
    const locale = user?.locale ?? policy.defaultLocale;
    const ctx = {
      profile: policy,
      locale,
      ageBand: user ? userAgeBand(user, now, policy.elderly.ageFrom) : current.ageBand,
    };
    const incident = escalateIncident(current, now);
    const message = session && {
      ...newMessage({
        sessionId: session.id,
        userId: current.userId,
        role: 'assistant',
        content: presetText(ctx, 'escalationFallback'),
        status: 'queued',
        at: now,
      }),
      author: 'system' as const,
    };
    const done = await commit(current, {
      incident,
      now,
      event: { type: 'escalated', actor: null },
      ...(message ? { message } : {}),
      audit: [
        {
          type: 'incident-escalated',
          requirement: 'RISK-4',
          at: now,
          userId: current.userId,
          sessionId: current.sessionId,
          data: { incident: current.id, waitedMs: now - current.openedAt, fallback: message !== undefined },
        },
      ],
    });
    if (!done) return false;
    await incidents.publish(done, 'escalated');
    void incidents
      .notifyView(done)
      .then((view) => options.notifier.incidentEscalated(view))
      .catch((e: unknown) =>
        logger.warn('escalation notification failed', {
          incident: done.id,
          code: isCgError(e) ? e.code : 'internal',
        }),
      );
    return true;
  }

  async function coolDown(current: StoredIncident, now: number): Promise<boolean> {
    const done = await commit(current, {
      incident: coolDownIncident(current, now),
      now,
      event: { type: 'closed', actor: null },
      audit: [
        {
          type: 'incident-cooldown',
          requirement: 'RISK-6',
          at: now,
          userId: current.userId,
          sessionId: current.sessionId,
          data: { incident: current.id },
        },
      ],
    });
    if (done) await incidents.publish(done, 'closed');
    return done !== null;
  }

  return {
    async runDue(now) {
      let escalated = 0;
      let cooledDown = 0;
      for (const incident of await store.incidents.listIncidents('active')) {
        try {
          if (cooldownDue(incident, now, profile.crisis.cooldownMinutes)) {
            if (await coolDown(incident, now)) cooledDown++;
          } else if (escalationDue(incident, now, profile.crisis.claimWithinMinutes)) {
            if (await escalate(incident, now)) escalated++;
          }
        } catch (e) {
          logger.error('incident sweep failed', {
            incident: incident.id,
            code: isCgError(e) ? e.code : 'internal',
          });
        }
      }
      return { escalated, cooledDown };
    },
  };
}
