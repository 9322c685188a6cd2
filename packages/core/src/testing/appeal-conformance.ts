import { describe, expect, it } from 'vitest';
import { minorModeRef } from '../complaints/complaint-store.js';
import type { Store } from '../ports.js';
import type { MinorConformanceTools } from './minor-conformance.js';

const t0 = Date.UTC(2026, 6, 15, 8, 0, 0);
const DAY = 86_400_000;

/**
 * Appeals against suspected minor mode (MINOR-5): filed only while suspected, one open at a time, decided
 * once with the mode change in the same commit, the outcome taken once. Registered by
 * `describeStoreConformance`.
 */
export function describeAppealConformance({ withStore, expectCgError, newId }: MinorConformanceTools): void {
  /** A user in minor mode on suspicion, with a score. */
  async function suspectedUser(store: Store) {
    const user = await store.ensureUser(newId('ext'), t0);
    await store.minors.setSuspicion(user.id, 100, t0);
    await store.minors.enter(user.id, { reason: 'suspected', now: t0 });
    return user;
  }
  /** Files an appeal as the product does: a complaint of kind `appeal` against `minor-mode` (COMPLAINT-1). */
  async function fileAppeal(store: Store, userId: string, text: string | null = null, id = newId('ap')) {
    const { complaint, created } = await store.complaints.file({
      id,
      userId,
      kind: 'appeal',
      ref: minorModeRef,
      text,
      now: t0 + 1,
      acknowledgeBy: t0 + DAY,
      resolveBy: t0 + 7 * DAY,
    });
    const appeal = await store.appeals.get(complaint.id);
    if (!appeal) throw new Error(`The appeal ${complaint.id} was not written with its complaint.`);
    return { appeal, created };
  }
  const eventsOf = async (store: Store, userId: string) =>
    (await store.listAudit({ limit: 1000 }))
      .filter((e) => e.userId === userId)
      .map((e) => ({ type: e.type, requirement: e.requirement, data: e.data }));

  describe('appeals (MINOR-5)', () => {
    it('MINOR-5: an appeal is refused unless minor mode is on for reason suspected; a second open one returns the first', () =>
      withStore(async (store) => {
        const adult = await store.ensureUser(newId('ext'), t0);
        await expectCgError(fileAppeal(store, adult.id), 'appeal-not-allowed');
        const declared = await store.ensureUser(newId('ext'), t0);
        await store.minors.enter(declared.id, { reason: 'declared', endsOn: '2030-01-01', now: t0 });
        await expectCgError(fileAppeal(store, declared.id), 'appeal-not-allowed');
        await expectCgError(fileAppeal(store, 'no-such-user'), 'not-found');

        const kid = await suspectedUser(store);
        const first = await fileAppeal(store, kid.id, '我已经26岁了，初二是我弟弟');
        expect(first).toMatchObject({
          created: true,
          appeal: { userId: kid.id, kind: 'minor-mode', status: 'open', text: '我已经26岁了，初二是我弟弟' },
        });
        const again = await fileAppeal(store, kid.id, 'again');
        expect(again).toEqual({ appeal: first.appeal, created: false });
        expect(await store.appeals.get(first.appeal.id)).toEqual(first.appeal);
        expect(await store.appeals.list({ status: 'open' })).toContainEqual(first.appeal);

        const events = await eventsOf(store, kid.id);
        expect(events.filter((e) => e.type === 'appeal-filed')).toEqual([
          {
            type: 'appeal-filed',
            requirement: 'MINOR-5',
            data: { appealId: first.appeal.id, kind: 'minor-mode', withText: true },
          },
        ]);
        expect(JSON.stringify(events)).not.toContain('26岁');
      }));

    it('MINOR-5: upheld ends minor mode (by appeal) and resets the score in the decision’s commit; the outcome is taken once', () =>
      withStore(async (store) => {
        const kid = await suspectedUser(store);
        const { appeal } = await fileAppeal(store, kid.id);
        expect((await store.getUser(kid.id))?.appealOutcomePending).toBe(false);
        const decided = await store.appeals.decide(appeal.id, {
          outcome: 'upheld',
          reason: 'adult ID checked',
          staffId: 'staff-1',
          now: t0 + 2,
        });
        expect(decided).toMatchObject({
          status: 'upheld',
          decidedAt: t0 + 2,
          decidedBy: 'staff-1',
          reason: 'adult ID checked',
          text: null,
        });
        expect(await store.minors.getState(kid.id)).toMatchObject({
          mode: 'off',
          reason: null,
          suspicion: 0,
        });
        const user = await store.getUser(kid.id);
        expect(user).toMatchObject({ minorMode: false, appealOutcomePending: true });

        await expectCgError(
          store.appeals.decide(appeal.id, { outcome: 'rejected', reason: 'x', staffId: 's', now: t0 + 3 }),
          'appeal-decided',
        );
        await expectCgError(
          store.appeals.decide('no-such-appeal', { outcome: 'upheld', reason: 'x', staffId: 's', now: t0 }),
          'not-found',
        );

        const taken = await store.appeals.takeOutcomes(kid.id, t0 + 4);
        expect(taken).toEqual([{ ...decided, outcomeShownAt: t0 + 4 }]);
        expect(await store.appeals.takeOutcomes(kid.id, t0 + 5)).toEqual([]);
        expect((await store.getUser(kid.id))?.appealOutcomePending).toBe(false);

        const minorEvents = (await eventsOf(store, kid.id)).filter((e) => e.requirement !== 'COMPLAINT-1');
        expect(minorEvents.slice(-3)).toEqual([
          {
            type: 'appeal-decided',
            requirement: 'MINOR-5',
            data: { appealId: appeal.id, outcome: 'upheld', staffId: 'staff-1' },
          },
          {
            type: 'minor-mode-leave',
            requirement: 'MINOR-1',
            data: { by: 'appeal', reason: 'suspected' },
          },
          {
            type: 'appeal-outcome-shown',
            requirement: 'MINOR-5',
            data: { appealId: appeal.id, outcome: 'upheld' },
          },
        ]);
      }));

    it('MINOR-5: rejected keeps minor mode and the score; a new appeal may be filed after it', () =>
      withStore(async (store) => {
        const kid = await suspectedUser(store);
        const { appeal } = await fileAppeal(store, kid.id);
        const decided = await store.appeals.decide(appeal.id, {
          outcome: 'rejected',
          reason: 'said grade 8 twice',
          staffId: 'staff-2',
          now: t0 + 2,
        });
        expect(decided.status).toBe('rejected');
        expect(await store.minors.getState(kid.id)).toMatchObject({
          mode: 'on',
          reason: 'suspected',
          suspicion: 100,
        });
        expect(await store.getUser(kid.id)).toMatchObject({ minorMode: true, appealOutcomePending: true });
        expect(await store.appeals.list({ status: 'open' })).not.toContainEqual(
          expect.objectContaining({ id: appeal.id }),
        );
        expect(await store.appeals.list({ status: 'rejected' })).toContainEqual(decided);
        const second = await fileAppeal(store, kid.id);
        expect(second.created).toBe(true);
        expect(second.appeal.id).not.toBe(appeal.id);
      }));

    it('MINOR-5: two concurrent decisions: one wins, the other is refused, the mode changes once', () =>
      withStore(async (store) => {
        const kid = await suspectedUser(store);
        const { appeal } = await fileAppeal(store, kid.id);
        const results = await Promise.allSettled([
          store.appeals.decide(appeal.id, { outcome: 'upheld', reason: 'a', staffId: 's1', now: t0 + 2 }),
          store.appeals.decide(appeal.id, { outcome: 'rejected', reason: 'b', staffId: 's2', now: t0 + 2 }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failed = results.find((r) => r.status === 'rejected');
        expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'appeal-decided' });
        const decided = (await eventsOf(store, kid.id)).filter((e) => e.type === 'appeal-decided');
        expect(decided).toHaveLength(1);
      }));
  });
}
