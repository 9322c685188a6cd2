import { describe, expect, it } from 'vitest';
import { emptyMinorState } from '../minors/minor-store.js';
import type { Store } from '../ports.js';

/** What the minors part of the conformance suite borrows from the main suite. */
export interface MinorConformanceTools {
  readonly withStore: (work: (store: Store) => Promise<void>) => Promise<void>;
  readonly expectCgError: (promise: Promise<unknown>, code: string) => Promise<unknown>;
  readonly newId: (prefix: string) => string;
}

const t0 = Date.UTC(2026, 6, 15, 8, 0, 0);
const MINUTE = 60_000;

/** Audit events of a user, as type and requirement. */
async function eventsOf(store: Store, userId: string) {
  const events = await store.listAudit({ limit: 1000 });
  return events
    .filter((e) => e.userId === userId)
    .map((e) => ({ type: e.type, requirement: e.requirement, data: e.data }));
}

/**
 * Minor mode (MINOR-1, MINOR-2, MINOR-4, MINOR-5): state, controls, consent, usage counted once per user.
 * Registered by `describeStoreConformance`.
 */
export function describeMinorConformance({ withStore, expectCgError, newId }: MinorConformanceTools): void {
  describe('minors (MINOR-1)', () => {
    it('MINOR-1: a user never stored has the empty state; enter and leave flip the mode and the user flag, audited in one change', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        expect(user.minorMode).toBe(false);
        expect(await store.minors.getState(user.id)).toEqual(emptyMinorState(user.id));

        const on = await store.minors.enter(user.id, { reason: 'declared', endsOn: '2029-03-02', now: t0 });
        expect(on).toMatchObject({
          mode: 'on',
          reason: 'declared',
          since: t0,
          endsOn: '2029-03-02',
          updatedAt: t0,
        });
        expect(await store.minors.getState(user.id)).toEqual(on);
        expect((await store.getUser(user.id))?.minorMode).toBe(true);

        // Entering again with a weaker or equal reason changes nothing and audits nothing.
        expect(
          await store.minors.enter(user.id, { reason: 'declared', endsOn: '2028-01-01', now: t0 + 1 }),
        ).toEqual(on);
        // The guardian keeping it on holds longer: the reason changes, the natural end goes.
        const kept = await store.minors.enter(user.id, { reason: 'guardian', now: t0 + 2 });
        expect(kept).toMatchObject({ mode: 'on', reason: 'guardian', since: t0, endsOn: null });

        const off = await store.minors.leave(user.id, { by: 'guardian', now: t0 + 3 });
        expect(off).toMatchObject({ mode: 'off', reason: null, since: null, endsOn: null });
        expect((await store.getUser(user.id))?.minorMode).toBe(false);
        expect(await store.minors.leave(user.id, { by: 'guardian', now: t0 + 4 })).toEqual(off);

        expect(await eventsOf(store, user.id)).toEqual([
          {
            type: 'minor-mode-enter',
            requirement: 'MINOR-1',
            data: { reason: 'declared', endsOn: '2029-03-02' },
          },
          { type: 'minor-mode-enter', requirement: 'MINOR-4', data: { reason: 'guardian', kept: true } },
          { type: 'minor-mode-leave', requirement: 'MINOR-1', data: { by: 'guardian', reason: 'guardian' } },
        ]);
      }));

    it('MINOR-5: a suspected user enters with MINOR-5; the suspicion score is kept apart and audited only with the caller’s events', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const scored = await store.minors.setSuspicion(user.id, 0.4, t0);
        expect(scored).toMatchObject({ mode: 'off', suspicion: 0.4 });
        await store.minors.setSuspicion(user.id, 0.9, t0 + 1, [
          {
            type: 'minor-suspected',
            requirement: 'MINOR-5',
            at: t0 + 1,
            userId: user.id,
            data: { score: 0.9 },
          },
        ]);
        const on = await store.minors.enter(user.id, {
          reason: 'suspected',
          endsOn: '2030-01-01',
          now: t0 + 2,
        });
        expect(on).toMatchObject({ mode: 'on', reason: 'suspected', endsOn: null, suspicion: 0.9 });
        expect(await eventsOf(store, user.id)).toEqual([
          { type: 'minor-suspected', requirement: 'MINOR-5', data: { score: 0.9 } },
          { type: 'minor-mode-enter', requirement: 'MINOR-5', data: { reason: 'suspected' } },
        ]);
        await expect(store.minors.setSuspicion(user.id, Number.NaN, t0)).rejects.toThrow();
      }));

    it('MINOR-4: controls change field by field, audited by field name only; unchanged patches write nothing', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const after = await store.minors.updateControls(
          user.id,
          {
            dailyLimitMinutes: 45,
            quietHours: { from: '21:00', to: '07:00' },
            blockedCharacters: ['char-secret-crush'],
          },
          t0,
        );
        expect(after.controls).toEqual({
          dailyLimitMinutes: 45,
          quietHours: { from: '21:00', to: '07:00' },
          blockedCharacters: ['char-secret-crush'],
          spending: false,
        });
        expect(after.mode).toBe('off');
        await store.minors.updateControls(user.id, { dailyLimitMinutes: 45, spending: false }, t0 + 1);
        await store.minors.updateControls(user.id, { spending: true, dailyLimitMinutes: null }, t0 + 2);
        expect((await store.minors.getState(user.id)).controls).toMatchObject({
          spending: true,
          dailyLimitMinutes: null,
        });
        const events = await eventsOf(store, user.id);
        expect(events).toEqual([
          {
            type: 'minor-controls-updated',
            requirement: 'MINOR-4',
            data: { fields: ['dailyLimitMinutes', 'quietHours', 'blockedCharacters'] },
          },
          {
            type: 'minor-controls-updated',
            requirement: 'MINOR-4',
            data: { fields: ['dailyLimitMinutes', 'spending'] },
          },
        ]);
        expect(JSON.stringify(events)).not.toContain('char-secret-crush');
      }));

    it('MINOR-2: consent is recorded with time, method and policy version, revoked once, and replaced by a new one', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        expect(await store.minors.revokeConsent(user.id, t0)).toEqual(emptyMinorState(user.id));
        const given = await store.minors.recordConsent(user.id, {
          at: t0,
          method: 'email-code',
          policyVersion: 'v1',
        });
        expect(given.consent).toEqual({ at: t0, method: 'email-code', policyVersion: 'v1', revokedAt: null });
        const revoked = await store.minors.revokeConsent(user.id, t0 + MINUTE);
        expect(revoked.consent).toEqual({
          at: t0,
          method: 'email-code',
          policyVersion: 'v1',
          revokedAt: t0 + MINUTE,
        });
        expect(await store.minors.revokeConsent(user.id, t0 + 2 * MINUTE)).toEqual(revoked);
        const again = await store.minors.recordConsent(user.id, {
          at: t0 + 3 * MINUTE,
          method: 'sms-code',
          policyVersion: 'v2',
        });
        expect(again.consent).toEqual({
          at: t0 + 3 * MINUTE,
          method: 'sms-code',
          policyVersion: 'v2',
          revokedAt: null,
        });
        expect((await eventsOf(store, user.id)).map((e) => e.type)).toEqual([
          'guardian-consent-recorded',
          'guardian-consent-revoked',
          'guardian-consent-recorded',
        ]);
      }));

    it('a failing caller event rolls the change back; an unknown user is not-found', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const bad = { type: 'x', requirement: 'MINOR-1', at: t0, data: { self: 1n } } as never;
        await expect(store.minors.enter(user.id, { reason: 'guardian', now: t0 }, [bad])).rejects.toThrow();
        expect(await store.minors.getState(user.id)).toEqual(emptyMinorState(user.id));
        expect((await store.getUser(user.id))?.minorMode).toBe(false);
        await expectCgError(store.minors.enter('no-such-user', { reason: 'guardian', now: t0 }), 'not-found');
        await expectCgError(
          store.minors.recordUsage({
            userId: 'no-such-user',
            at: t0,
            day: '2026-07-15',
            characterId: 'c',
            maxGapMs: MINUTE,
          }),
          'not-found',
        );
      }));

    it('MINOR-1: usage counts gaps below the idle gap per local day, characters once, and time once across two devices', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const maxGapMs = 30 * MINUTE;
        const use = (at: number, characterId: string, day = '2026-07-15') =>
          store.minors.recordUsage({ userId: user.id, at, day, characterId, maxGapMs });
        expect(await use(t0, 'mentor')).toEqual({ day: '2026-07-15', usedMs: 0, characters: ['mentor'] });
        expect(await use(t0 + 10 * MINUTE, 'friend')).toEqual({
          day: '2026-07-15',
          usedMs: 10 * MINUTE,
          characters: ['mentor', 'friend'],
        });
        // A second device's turn between the first device's turns adds no time of its own.
        await use(t0 + 15 * MINUTE, 'mentor');
        expect((await use(t0 + 12 * MINUTE, 'friend')).usedMs).toBe(15 * MINUTE);
        expect((await use(t0 + 20 * MINUTE, 'friend')).usedMs).toBe(20 * MINUTE);
        // A gap of the idle gap or more is not use.
        expect((await use(t0 + 50 * MINUTE, 'friend')).usedMs).toBe(20 * MINUTE);
        // Concurrent turns: the total is the span, however the calls interleave.
        await Promise.all([
          use(t0 + 55 * MINUTE, 'mentor'),
          use(t0 + 55 * MINUTE, 'friend'),
          use(t0 + 56 * MINUTE, 'mentor'),
        ]);
        expect((await store.minors.turnView(user.id, '2026-07-15')).today.usedMs).toBe(26 * MINUTE);
        await use(t0 + 60 * MINUTE, 'tutor', '2026-07-16');

        const view = await store.minors.turnView(user.id, '2026-07-15');
        expect(view.today).toEqual({
          day: '2026-07-15',
          usedMs: 26 * MINUTE,
          characters: ['mentor', 'friend'],
        });
        expect(view.lastUsageAt).toBe(t0 + 60 * MINUTE);
        expect(view.state.mode).toBe('off');
        expect((await store.minors.turnView(user.id, '2026-07-17')).today).toEqual({
          day: '2026-07-17',
          usedMs: 0,
          characters: [],
        });
        expect(await store.minors.usage(user.id, '2026-07-01', '2026-07-31')).toEqual([
          { day: '2026-07-15', usedMs: 26 * MINUTE, characters: ['mentor', 'friend'] },
          { day: '2026-07-16', usedMs: 4 * MINUTE, characters: ['tutor'] },
        ]);
        expect(await store.minors.usage(user.id, '2026-07-16', '2026-07-16')).toHaveLength(1);
        // Usage keeps the rest of the state as it was.
        const other = await store.ensureUser(newId('ext'), t0);
        expect(await store.minors.turnView(other.id, '2026-07-15')).toEqual({
          state: emptyMinorState(other.id),
          today: { day: '2026-07-15', usedMs: 0, characters: [] },
          lastUsageAt: null,
        });
      }));

    it('MINOR-1: concurrent enters of one user leave one state and one event', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        await Promise.all(
          [0, 1, 2, 3].map((i) =>
            store.minors.enter(user.id, { reason: 'declared', endsOn: '2030-01-01', now: t0 + i }),
          ),
        );
        const events = (await eventsOf(store, user.id)).filter((e) => e.type === 'minor-mode-enter');
        expect(events).toHaveLength(1);
        expect((await store.minors.getState(user.id)).mode).toBe('on');
      }));
  });
}
