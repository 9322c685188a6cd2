import { describe, expect, it } from 'vitest';
import type { NewIncident, OperatorAction } from '../incident/incident.js';
import { operatorStep } from '../incident/incident.js';
import type { IncidentChange, Store, StoredIncident } from '../ports.js';
import type { StaffConformanceTools } from './staff-conformance.js';

const t0 = Date.UTC(2026, 0, 15, 8, 0, 0);

/**
 * Incidents (RISK-4..6): one active incident per user under races, compare-and-set changes (a claim, an
 * escalation happens once), operator messages delivered once, sealed operator text. Registered by
 * `describeStoreConformance`.
 */
export function describeIncidentConformance({
  withStore,
  expectCgError,
  newId,
}: StaffConformanceTools): void {
  async function userAndSession(store: Store) {
    const user = await store.ensureUser(newId('ext'), t0);
    const session = await store.createSession(
      { id: newId('s'), userId: user.id, characterId: 'aria', state: {}, now: t0 },
      [],
    );
    return { user, session };
  }
  const newIncident = (userId: string, sessionId: string): NewIncident & { id: string } => ({
    id: newId('inc'),
    userId,
    externalUserId: `ext-${userId}`,
    sessionId,
    characterId: 'aria',
    severity: 'critical',
    reason: 'crisis',
    signals: [{ detector: 'crisis', rule: 'crisis.plan', tier: 2 }],
    ageBand: 'adult',
  });
  const claim = (i: StoredIncident, staffId: string, at: number): IncidentChange => ({
    incident: operatorStep(i, staffId, { kind: 'claim' }, at).incident,
    expectedVersion: i.version,
    now: at,
    event: { type: 'claimed', actor: staffId },
    audit: [{ type: 'takeover-start', requirement: 'RISK-4', at, data: { incident: i.id } }],
  });
  /** A user with a session and an incident opened for them at `t0`. */
  async function userWithIncident(store: Store) {
    const { user, session } = await userAndSession(store);
    const { incident } = await store.incidents.openIncident(newIncident(user.id, session.id), t0, () => []);
    return { user, session, incident };
  }
  /** Operator `op`'s next step on an incident it claimed, as a change without audit events. */
  const opStep = (
    i: StoredIncident,
    action: OperatorAction,
    at: number,
    event: IncidentChange['event'],
    extra: Partial<IncidentChange> = {},
  ): IncidentChange => ({
    incident: operatorStep(i, 'op', action, at).incident,
    expectedVersion: i.version,
    now: at,
    event,
    audit: [],
    ...extra,
  });

  describe('incidents', () => {
    it('RISK-6: of 8 concurrent opens for one user exactly one opens; all return the same active incident', () =>
      withStore(async (store) => {
        const { user, session } = await userAndSession(store);
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            store.incidents.openIncident(newIncident(user.id, session.id), t0, (i) => [
              { type: 'incident-open', requirement: 'RISK-4', at: t0, data: { incident: i.id } },
            ]),
          ),
        );
        expect(results.filter((r) => r.opened)).toHaveLength(1);
        expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
        expect((await store.incidents.activeIncidentOfUser(user.id))?.id).toBe(results[0]?.incident.id);
        expect((await store.listAudit()).filter((e) => e.type === 'incident-open')).toHaveLength(1);
      }));

    it('RISK-4: of concurrent claims from one version exactly one wins; the rest are incident-conflict', () =>
      withStore(async (store) => {
        const { incident } = await userWithIncident(store);
        const outcomes = await Promise.allSettled(
          ['a', 'b', 'c', 'd'].map((op) => store.incidents.commitIncident(claim(incident, op, t0 + 1))),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') await expectCgError(Promise.reject(o.reason), 'incident-conflict');
        }
        const stored = await store.incidents.getIncident(incident.id);
        expect(stored).toMatchObject({ state: 'claimed', version: 2, claimedAt: t0 + 1 });
        expect((await store.incidents.listIncidentEvents(incident.id)).map((e) => e.type)).toEqual([
          'opened',
          'claimed',
        ]);
        expect((await store.listAudit()).filter((e) => e.type === 'takeover-start')).toHaveLength(1);
      }));

    it('operator messages are stored encrypted in the session and delivered exactly once', () =>
      withStore(async (store) => {
        const { user, session, incident } = await userWithIncident(store);
        const claimed = await store.incidents.commitIncident(claim(incident, 'op', t0 + 1));
        const message = {
          id: newId('m'),
          sessionId: session.id,
          userId: user.id,
          role: 'assistant' as const,
          content: '我在这里陪你',
          contentId: newId('c'),
          status: 'queued' as const,
          createdAt: t0 + 2,
          author: 'human' as const,
        };
        await store.incidents.commitIncident(
          opStep(claimed, { kind: 'message' }, t0 + 2, { type: 'message', actor: 'op' }, { message }),
        );
        const taken = await Promise.all([
          store.incidents.takeHumanMessages(user.id, t0 + 3),
          store.incidents.takeHumanMessages(user.id, t0 + 3),
        ]);
        expect(taken.flat()).toEqual([{ ...message, status: 'delivered' }]);
        expect(await store.listMessages(session.id)).toEqual([{ ...message, status: 'delivered' }]);
      }));

    it('a hand-back instruction is sealed and read back; contact notification is set the first time only', () =>
      withStore(async (store) => {
        const { incident } = await userWithIncident(store);
        const claimed = await store.incidents.commitIncident(claim(incident, 'op', t0 + 1));
        await store.incidents.commitIncident(
          opStep(claimed, { kind: 'handback' }, t0 + 2, {
            type: 'handback',
            actor: 'op',
            text: '请温和地提醒热线',
          }),
        );
        expect(await store.incidents.handbackInstruction(incident.id)).toBe('请温和地提醒热线');
        expect(await store.incidents.markContactNotified(incident.id, t0 + 5, [])).toBe(true);
        expect(await store.incidents.markContactNotified(incident.id, t0 + 9, [])).toBe(false);
        expect((await store.incidents.getIncident(incident.id))?.contactNotifiedAt).toBe(t0 + 5);
      }));

    it('RISK-5: a change decided before the contact was notified conflicts instead of erasing the contact time', () =>
      withStore(async (store) => {
        const { incident } = await userWithIncident(store);
        // An operator's claim read the incident; the notifier records the contact time before it commits.
        expect(await store.incidents.markContactNotified(incident.id, t0 + 1, [])).toBe(true);
        await expectCgError(
          store.incidents.commitIncident(claim(incident, 'op', t0 + 2)),
          'incident-conflict',
        );
        const current = (await store.incidents.getIncident(incident.id)) as StoredIncident;
        expect(current).toMatchObject({ contactNotifiedAt: t0 + 1, version: incident.version + 1 });
        // Decided again on the current incident, the claim keeps the contact time.
        await store.incidents.commitIncident(claim(current, 'op', t0 + 2));
        expect(await store.incidents.getIncident(incident.id)).toMatchObject({
          state: 'claimed',
          contactNotifiedAt: t0 + 1,
        });
      }));

    it('a closed incident frees the user for a new one; lists filter by state', () =>
      withStore(async (store) => {
        const { user, session, incident } = await userWithIncident(store);
        const claimed = await store.incidents.commitIncident(claim(incident, 'op', t0 + 1));
        await store.incidents.commitIncident(
          opStep(claimed, { kind: 'close', outcome: 'safe' }, t0 + 2, { type: 'closed', actor: 'op' }),
        );
        expect(await store.incidents.activeIncidentOfUser(user.id)).toBeUndefined();
        const again = await store.incidents.openIncident(newIncident(user.id, session.id), t0 + 3, () => []);
        expect(again.opened).toBe(true);
        expect((await store.incidents.listIncidents('closed')).map((i) => i.id)).toEqual([incident.id]);
        expect((await store.incidents.listIncidents('active')).map((i) => i.id)).toEqual([again.incident.id]);
        expect(await store.incidents.listIncidents('all')).toHaveLength(2);
      }));
  });
}
