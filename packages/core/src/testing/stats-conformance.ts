import { describe, expect, it } from 'vitest';
import { operatorStep } from '../incident/incident.js';
import type { AgeBand, AuditInput, Store } from '../ports.js';
import { addDays, statsReport } from '../stats/stats.js';
import type { AssessmentTrigger } from '../stats/stats-store.js';
import { createSeededRandom } from './seeded-random.js';

export interface StatsConformanceTools {
  readonly withStore: (work: (store: Store) => Promise<void>) => Promise<void>;
  readonly expectCgError: (promise: Promise<unknown>, code: string) => Promise<unknown>;
  readonly newId: (prefix: string) => string;
}

const DAY = 86_400_000;
/** 2026-01-20 00:00 UTC: the simulated months cross January, February, March and April. */
const start = Date.UTC(2026, 0, 20);
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
const thresholds = { registeredUsers: 10, monthlyActiveUsers: 5 };

/**
 * ASSESS-1, ASSESS-2, ASSESS-4, GOV-1: the aggregates kept as data arrives match a recount of what happened
 * (over day and month boundaries, in the store's time zone — UTC for these stores), monthly actives exact;
 * triggers once; the filing record and the checklist. Registered by `describeStoreConformance`.
 */
export function describeStatsConformance({ withStore, expectCgError, newId }: StatsConformanceTools): void {
  describe('stats (ASSESS-1, ASSESS-2, ASSESS-4, GOV-1)', () => {
    it(
      'ASSESS-2: daily and monthly actives, turns, use, new users and age bands match a recount across day and month boundaries',
      () =>
        withStore(async (store) => {
          const random = createSeededRandom(2026);
          const days = 75;
          const users: { id: string; session: string; version: number; band: AgeBand; created: number }[] =
            [];
          const turnsOn = new Map<string, number>();
          const usageOn = new Map<string, number>();
          const newOn = new Map<string, number>();
          const activeOn = new Map<string, Set<string>>();
          const bandOf = new Map<string, AgeBand>();
          const bands: AgeBand[] = ['adult', 'adult', 'adult', 'elderly', 'under-14', '16-17'];
          for (let d = 0; d < days; d++) {
            const dayStart = start + d * DAY;
            const day = dayOf(dayStart);
            // New users arrive on some days (and are seen only at registration by the stats at first).
            const arrivals = d === 0 ? 6 : random() < 0.15 ? 1 : 0;
            for (let i = 0; i < arrivals; i++) {
              const created = dayStart + Math.floor(random() * 3_600_000);
              const user = await store.ensureUser(newId('ext'), created);
              // ensureUser again is not a second registration.
              await store.ensureUser(user.externalId, created + 1);
              const session = await store.createSession(
                { id: newId('s'), userId: user.id, characterId: 'aria', state: { n: 0 }, now: created },
                [],
              );
              users.push({
                id: user.id,
                session: session.id,
                version: 1,
                band: bands[users.length % bands.length] ?? 'adult',
                created,
              });
              newOn.set(day, (newOn.get(day) ?? 0) + 1);
            }
            for (const u of users) {
              // Some users come back often, some rarely (gaps longer than the 30-day window happen).
              const often = u.band === 'adult' ? 0.25 : 0.1;
              if (random() > often) continue;
              if (d === 40 && u.band === 'under-14') u.band = '14-15'; // a birthday moves the band
              const turns = 1 + Math.floor(random() * 2);
              for (let k = 0; k < turns; k++) {
                const at = dayStart + 4 * 3_600_000 + k * 120_000 + Math.floor(random() * 60_000);
                const usedMs = k === 0 ? 0 : 90_000;
                // Half the time the caller's copy is stale (as a cached user is): the row decides.
                const lastActiveDay =
                  random() < 0.5 ? null : ((await store.getUser(u.id))?.lastActiveDay ?? null);
                const audit: AuditInput[] =
                  k === 1 ? [{ type: 'reminder-shown', requirement: 'TIME-1', at, userId: u.id }] : [];
                const next = await store.commitTurn({
                  sessionId: u.session,
                  expectedVersion: u.version,
                  state: { n: u.version },
                  now: at,
                  messages: [],
                  audit,
                  activity: { userId: u.id, lastActiveDay, ageBand: u.band, usedMs },
                });
                u.version = next.version;
                turnsOn.set(day, (turnsOn.get(day) ?? 0) + 1);
                usageOn.set(day, (usageOn.get(day) ?? 0) + usedMs);
                const set = activeOn.get(day) ?? new Set<string>();
                set.add(u.id);
                activeOn.set(day, set);
                bandOf.set(u.id, u.band);
              }
              if (d % 10 === 0) expect((await store.getUser(u.id))?.lastActiveDay).toBe(day);
            }
          }
          // A commit that is not a user's turn (an exit button) counts its exit, not a turn.
          const exitAt = start + (days - 1) * DAY + 20 * 3_600_000;
          const leaver = users[0];
          if (!leaver) throw new Error('no users');
          await store.commitTurn({
            sessionId: leaver.session,
            expectedVersion: leaver.version,
            state: { n: -1 },
            now: exitAt,
            messages: [],
            audit: [{ type: 'session-exit', requirement: 'EXIT-1', at: exitAt, userId: leaver.id }],
          });

          const from = dayOf(start);
          const to = dayOf(start + (days - 1) * DAY);
          const counters = await store.stats.counters(addDays(to, 40));
          const report = statsReport({
            counters,
            triggers: [],
            from,
            to,
            timeZone: 'UTC',
            asOf: exitAt,
            thresholds,
          });
          // The recount, from what the test did.
          let registered = 0;
          const expected = report.days.map((row, i) => {
            registered += newOn.get(row.day) ?? 0;
            const window = new Set<string>();
            for (let back = 0; back < 30 && i - back >= 0; back++) {
              for (const id of activeOn.get(addDays(row.day, -back)) ?? []) window.add(id);
            }
            return {
              day: row.day,
              registeredUsers: registered,
              newUsers: newOn.get(row.day) ?? 0,
              dailyActiveUsers: activeOn.get(row.day)?.size ?? 0,
              monthlyActiveUsers: window.size,
              turns: turnsOn.get(row.day) ?? 0,
              usageMinutes: Math.round((usageOn.get(row.day) ?? 0) / 6_000) / 10,
            };
          });
          expect(
            report.days.map((d) => ({
              day: d.day,
              registeredUsers: d.registeredUsers,
              newUsers: d.newUsers,
              dailyActiveUsers: d.dailyActiveUsers,
              monthlyActiveUsers: d.monthlyActiveUsers,
              turns: d.turns,
              usageMinutes: d.usageMinutes,
            })),
          ).toEqual(expected);
          // The data really crossed month boundaries and window exits.
          expect(report.days.some((d) => d.day === '2026-03-01')).toBe(true);
          expect(new Set(expected.map((e) => e.monthlyActiveUsers)).size).toBeGreaterThan(3);
          expect(report.totals.registeredUsers).toBe(users.length);
          expect(report.totals.turns).toBe([...turnsOn.values()].reduce((a, b) => a + b, 0));
          expect(report.totals.exits).toBe(1);
          expect(report.totals.reminders).toBe(report.days.reduce((sum, d) => sum + d.reminders, 0));
          expect(report.totals.reminders).toBeGreaterThan(0);
          // Actives by band: each user-day in the band of that day's first turn.
          const bandDays = report.ageStructure.active;
          expect(Object.values(bandDays).reduce((a, b) => a + b, 0)).toBe(
            [...activeOn.values()].reduce((a, s) => a + s.size, 0),
          );
          // Registered by band: each user once, in the band of their latest active day (unknown if never active).
          const registeredBands: Record<string, number> = {};
          for (const u of users) {
            const band = bandOf.get(u.id) ?? 'unknown';
            registeredBands[band] = (registeredBands[band] ?? 0) + 1;
          }
          for (const [band, n] of Object.entries(report.ageStructure.registered)) {
            expect(n, band).toBe(registeredBands[band] ?? 0);
          }
        }),
      120_000,
    );

    it('ASSESS-2: concurrent first turns of one user on one day count one daily active', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), start);
        const sessions = await Promise.all(
          Array.from({ length: 6 }, () =>
            store.createSession(
              { id: newId('s'), userId: user.id, characterId: 'aria', state: {}, now: start },
              [],
            ),
          ),
        );
        await Promise.all(
          sessions.map((s, i) =>
            store.commitTurn({
              sessionId: s.id,
              expectedVersion: 1,
              state: {},
              now: start + 1000 + i,
              messages: [],
              audit: [],
              activity: { userId: user.id, lastActiveDay: null, ageBand: 'adult', usedMs: 0 },
            }),
          ),
        );
        const day = dayOf(start);
        const report = statsReport({
          counters: await store.stats.counters(day),
          triggers: [],
          from: day,
          to: day,
          timeZone: 'UTC',
          asOf: start,
          thresholds,
        });
        expect(report.days[0]).toMatchObject({ dailyActiveUsers: 1, monthlyActiveUsers: 1, turns: 6 });
        expect(report.ageStructure.registered).toMatchObject({ adult: 1, unknown: 0 });
      }));

    it('ASSESS-2: incidents by severity and reason, escalations and the time to the first human answer are counted with their changes', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), start);
        const at = start + 3_600_000;
        const { incident } = await store.incidents.openIncident(
          {
            id: newId('inc'),
            userId: user.id,
            externalUserId: user.externalId,
            sessionId: null,
            characterId: null,
            severity: 'critical',
            reason: 'crisis',
            signals: [],
            ageBand: 'adult',
          },
          at,
          () => [],
        );
        // Opening the same user's incident again adds nothing.
        await store.incidents.openIncident(
          {
            id: newId('inc'),
            userId: user.id,
            externalUserId: user.externalId,
            sessionId: null,
            characterId: null,
            severity: 'critical',
            reason: 'crisis',
            signals: [],
            ageBand: 'adult',
          },
          at + 1,
          () => [],
        );
        const claimed = operatorStep(incident, 'op-1', { kind: 'claim' }, at + 60_000).incident;
        const v2 = await store.incidents.commitIncident({
          incident: claimed,
          expectedVersion: 1,
          now: at + 60_000,
          event: { type: 'claimed', actor: 'op-1' },
          audit: [],
        });
        let current = v2;
        for (const t of [at + 150_000, at + 400_000]) {
          const said = operatorStep(current, 'op-1', { kind: 'message' }, t).incident;
          current = await store.incidents.commitIncident({
            incident: said,
            expectedVersion: current.version,
            now: t,
            event: { type: 'message', actor: 'op-1' },
            audit: [],
          });
        }
        const day = dayOf(at);
        const report = statsReport({
          counters: await store.stats.counters(day),
          triggers: [],
          from: day,
          to: day,
          timeZone: 'UTC',
          asOf: at,
          thresholds,
        });
        expect(report.totals.incidents).toEqual({
          critical: 1,
          high: 0,
          byReason: { crisis: 1, scam: 0, 'property-loss': 0, operator: 0 },
          escalated: 0,
        });
        // One first answer, 150 s after the opening (the second message is not a first answer).
        expect(report.totals.firstHumanAnswer).toEqual({
          count: 1,
          meanSeconds: 150,
          within: { '1m': 0, '5m': 1, '15m': 1, '60m': 1 },
          later: 0,
        });
      }));

    it('ASSESS-1: a trigger is recorded once across concurrent callers, with its audit event once', () =>
      withStore(async (store) => {
        const trigger: AssessmentTrigger = {
          key: 'monthly-active-users',
          kind: 'monthly-active-users',
          firedAt: start,
          day: dayOf(start),
          value: 6,
          threshold: 5,
          subject: null,
          notifiedAt: null,
        };
        const audit = [{ type: 'assessment-triggered', requirement: 'ASSESS-1', at: start }] as const;
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.stats.recordTrigger({ ...trigger, firedAt: start + i }, audit),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const listed = await store.stats.listTriggers();
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({ key: 'monthly-active-users', value: 6, threshold: 5 });
        expect((await store.listAudit()).filter((e) => e.type === 'assessment-triggered')).toHaveLength(1);
        // The notice is claimed once; a failed send gives it back.
        expect(await store.stats.markTriggerNotified(trigger.key, start + 10)).toBe(true);
        expect(await store.stats.markTriggerNotified(trigger.key, start + 11)).toBe(false);
        await store.stats.markTriggerNotified(trigger.key, null);
        expect((await store.stats.listTriggers())[0]?.notifiedAt).toBeNull();
      }));

    it('ASSESS-4, GOV-1: the filing record and checklist items are saved with their audit events', () =>
      withStore(async (store) => {
        expect(await store.stats.getFiling()).toMatchObject({
          assessmentStatus: 'not-started',
          updatedAt: null,
        });
        const audit = (type: string, requirement: 'ASSESS-4' | 'GOV-1') => [{ type, requirement, at: start }];
        const saved = await store.stats.saveFiling(
          { filingNumber: '网信算备110000000000001', assessmentStatus: 'in-progress' },
          { staffId: 'st-1', now: start },
          audit('filing-updated', 'ASSESS-4'),
        );
        expect(saved).toMatchObject({
          filingNumber: '网信算备110000000000001',
          assessmentStatus: 'in-progress',
        });
        const patched = await store.stats.saveFiling(
          { note: null, nextReviewOn: '2027-01-31' },
          { staffId: 'st-2', now: start + 1 },
          audit('filing-updated', 'ASSESS-4'),
        );
        expect(patched).toEqual({
          filingNumber: '网信算备110000000000001',
          assessmentStatus: 'in-progress',
          submittedOn: null,
          lastReviewOn: null,
          nextReviewOn: '2027-01-31',
          note: null,
          updatedAt: start + 1,
          updatedBy: 'st-2',
        });
        expect(await store.stats.getFiling()).toEqual(patched);

        const item = {
          id: 'algo-review',
          area: 'algorithm-review' as const,
          title: '算法安全自评估',
          owner: 'CTO',
          dueOn: '2026-03-01',
          doneOn: null,
          note: null,
        };
        await store.stats.saveChecklistItem(
          item,
          { staffId: 'st-1', now: start },
          audit('checklist-item-saved', 'GOV-1'),
        );
        await store.stats.saveChecklistItem(
          { ...item, id: 'ethics', area: 'ethics-review', title: '伦理审查' },
          { staffId: 'st-1', now: start },
          audit('checklist-item-saved', 'GOV-1'),
        );
        const done = await store.stats.saveChecklistItem(
          { ...item, doneOn: '2026-02-20', note: 'signed' },
          { staffId: 'st-2', now: start + 5 },
          audit('checklist-item-saved', 'GOV-1'),
        );
        expect(done).toEqual({
          ...item,
          doneOn: '2026-02-20',
          note: 'signed',
          updatedAt: start + 5,
          updatedBy: 'st-2',
        });
        expect((await store.stats.listChecklist()).map((i) => i.id)).toEqual(['algo-review', 'ethics']);
        await store.stats.deleteChecklistItem('ethics', audit('checklist-item-deleted', 'GOV-1'));
        await expectCgError(store.stats.deleteChecklistItem('ethics', []), 'not-found');
        expect(await store.stats.listChecklist()).toEqual([done]);
        const types = (await store.listAudit()).map((e) => `${e.type}:${e.requirement}`);
        expect(types.filter((t) => t === 'filing-updated:ASSESS-4')).toHaveLength(2);
        expect(types.filter((t) => t === 'checklist-item-saved:GOV-1')).toHaveLength(3);
        expect(types.filter((t) => t === 'checklist-item-deleted:GOV-1')).toHaveLength(1);
      }));
  });
}
