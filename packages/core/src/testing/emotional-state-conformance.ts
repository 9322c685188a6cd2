import { describe, expect, it } from 'vitest';
import { halfLifeDecay } from '../risk/emotional-state.js';
import type { MinorConformanceTools } from './minor-conformance.js';

const t0 = Date.UTC(2026, 6, 15, 8, 0, 0);
const DAY = 86_400_000;
const raise = (at: number, day: string, emotion: number, dependence = 0) => ({
  emotion,
  dependence,
  at,
  day,
  halfLifeDays: 7,
  signals: ['emotion.test'],
  sessionId: 's-1',
});

/**
 * The emotional-state store (RISK-1): scores decay and add under the user's lock, the day rows keep the
 * trend, the store's audit event holds numbers only. Registered by `describeStoreConformance`.
 */
export function describeEmotionalStateConformance({
  withStore,
  expectCgError,
  newId,
}: MinorConformanceTools): void {
  describe('emotional state (RISK-1)', () => {
    it('RISK-1: raises decay the stored scores, add points, keep a row per day and are read back with the user', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        expect(user.emotionalScores).toEqual({ emotion: 0, dependence: 0, at: null });
        await store.emotions.raise(user.id, raise(t0, '2026-07-15', 2, 1));
        await store.emotions.raise(user.id, raise(t0 + 1000, '2026-07-15', 3));
        const later = await store.emotions.raise(user.id, raise(t0 + 7 * DAY, '2026-07-22', 1));
        const day1 = halfLifeDecay(2, t0, t0 + 1000, 7) + 3;
        expect(later.emotion).toBeCloseTo(halfLifeDecay(day1, t0 + 1000, t0 + 7 * DAY, 7) + 1, 9);
        expect(later.dependence).toBeCloseTo(halfLifeDecay(1, t0, t0 + 7 * DAY, 7), 9);
        const row = await store.getUser(user.id);
        expect(row?.emotionalScores.at).toBe(t0 + 7 * DAY);
        expect(row?.emotionalScores.emotion).toBeCloseTo(later.emotion, 9);
        const days = await store.emotions.days(user.id, '2026-07-01');
        expect(days.map((d) => [d.day, d.signals])).toEqual([
          ['2026-07-15', 2],
          ['2026-07-22', 1],
        ]);
        expect(days[0]?.emotion).toBeCloseTo(day1, 9);
        expect(await store.emotions.days(user.id, '2026-07-16')).toHaveLength(1);
        const events = (await store.listAudit({ limit: 1000 })).filter(
          (e) => e.userId === user.id && e.type === 'emotional-state-raised',
        );
        expect(events).toHaveLength(3);
        expect(events[0]).toMatchObject({
          requirement: 'RISK-1',
          sessionId: 's-1',
          data: {
            points: { emotion: 2, dependence: 1 },
            scores: { emotion: 2, dependence: 1 },
            signals: ['emotion.test'],
          },
        });
        await expectCgError(store.emotions.raise('no-such-user', raise(t0, '2026-07-15', 1)), 'not-found');
        await expectCgError(
          store.emotions.raise(user.id, raise(t0, '2026-07-15', Number.NaN)),
          'invalid-request',
        );
      }));

    it('RISK-1: concurrent raises of one user all count', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        await Promise.all(
          Array.from({ length: 8 }, () => store.emotions.raise(user.id, raise(t0, '2026-07-15', 1))),
        );
        const row = await store.getUser(user.id);
        expect(row?.emotionalScores.emotion).toBeCloseTo(8, 9);
        expect((await store.emotions.days(user.id, '2026-07-15'))[0]?.signals).toBe(8);
      }));
  });
}
