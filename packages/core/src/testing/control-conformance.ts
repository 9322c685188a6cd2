import { describe, expect, it } from 'vitest';
import type { Store } from '../ports.js';
import type { MinorConformanceTools } from './minor-conformance.js';

const t0 = Date.UTC(2026, 10, 1, 8, 0, 0);
const DAY = 86_400_000;

/**
 * Service notices (NOTICE-1) and switches (ASSESS-3): each change commits with its audit event; one open outage
 * notice at most, even when instances race; a switch change that changes nothing is refused. Registered by
 * `describeStoreConformance`.
 */
export function describeControlConformance({ withStore, expectCgError, newId }: MinorConformanceTools): void {
  const events = async (store: Store, types: readonly string[]) =>
    (await store.listAudit({ limit: 1000 }))
      .filter((e) => types.includes(e.type))
      .map((e) => ({ type: e.type, requirement: e.requirement, data: e.data }));

  describe('service notices and switches (NOTICE-1, ASSESS-3)', () => {
    it('NOTICE-1: a notice is scheduled, listed and cancelled once, each step audited', () =>
      withStore(async (store) => {
        const id = newId('notice');
        const notice = await store.controls.scheduleNotice({
          id,
          scope: 'character',
          target: 'xiaonuan',
          effectiveAt: t0 + 10 * DAY,
          reason: 'licence ends',
          staffId: 'staff-1',
          now: t0,
        });
        expect(notice).toEqual({
          id,
          scope: 'character',
          target: 'xiaonuan',
          effectiveAt: t0 + 10 * DAY,
          createdAt: t0,
          createdBy: 'staff-1',
          reason: 'licence ends',
          cancelledAt: null,
          cancelledBy: null,
        });
        expect(await store.controls.listNotices({ open: true })).toEqual([notice]);
        const cancelled = await store.controls.cancelNotice(id, { staffId: 'staff-2', now: t0 + 1 });
        expect(cancelled).toEqual({ ...notice, cancelledAt: t0 + 1, cancelledBy: 'staff-2' });
        await expectCgError(
          store.controls.cancelNotice(id, { staffId: 'staff-2', now: t0 + 2 }),
          'notice-cancelled',
        );
        await expectCgError(store.controls.cancelNotice('nope', { staffId: 's', now: t0 }), 'not-found');
        expect(await store.controls.listNotices({ open: true })).toEqual([]);
        expect(await store.controls.listNotices()).toEqual([cancelled]);
        expect(await events(store, ['notice-scheduled', 'notice-cancelled'])).toEqual([
          {
            type: 'notice-scheduled',
            requirement: 'NOTICE-1',
            data: {
              noticeId: id,
              scope: 'character',
              target: 'xiaonuan',
              effectiveAt: new Date(t0 + 10 * DAY).toISOString(),
              staffId: 'staff-1',
            },
          },
          {
            type: 'notice-cancelled',
            requirement: 'NOTICE-1',
            data: { noticeId: id, scope: 'character', target: 'xiaonuan', staffId: 'staff-2' },
          },
        ]);
      }));

    it('NOTICE-1: one outage notice is open at most (racing raises agree); lifting it closes it once', () =>
      withStore(async (store) => {
        const raises = await Promise.all(
          [1, 2, 3].map((i) =>
            store.controls.raiseOutage({ id: newId(`outage${i}`), failingSince: t0, now: t0 + i }),
          ),
        );
        expect(raises.filter((r) => r.created)).toHaveLength(1);
        const open = raises.find((r) => r.created)?.notice;
        for (const r of raises) expect(r.notice.id).toBe(open?.id);
        expect(open).toMatchObject({ scope: 'outage', target: '', effectiveAt: t0, createdBy: 'gateway' });
        const lifted = await store.controls.liftOutage(t0 + 100);
        expect(lifted).toMatchObject({ id: open?.id, cancelledAt: t0 + 100, cancelledBy: 'gateway' });
        expect(await store.controls.liftOutage(t0 + 101)).toBeNull();
        // A later outage is a new notice.
        const again = await store.controls.raiseOutage({
          id: newId('outage'),
          failingSince: t0 + 200,
          now: t0 + 300,
        });
        expect(again.created).toBe(true);
        expect(await store.controls.listNotices({ open: true })).toEqual([again.notice]);
        expect(
          (await events(store, ['outage-notice-raised', 'outage-notice-lifted'])).map((e) => e.type),
        ).toEqual(['outage-notice-raised', 'outage-notice-lifted', 'outage-notice-raised']);
      }));

    it('ASSESS-3: a switch goes off and on with who, when and why; an unchanged position is refused', () =>
      withStore(async (store) => {
        const set = (off: boolean, now: number, reason = 'major risk found') =>
          store.controls.setSwitch({
            scope: 'character',
            target: 'aria',
            off,
            changeId: newId('sw'),
            reason,
            staffId: 'staff-9',
            now,
          });
        await expectCgError(set(false, t0), 'switch-unchanged');
        const off = await set(true, t0 + 1);
        expect(off).toMatchObject({
          scope: 'character',
          target: 'aria',
          off: true,
          changedBy: 'staff-9',
          changedAt: t0 + 1,
        });
        await expectCgError(set(true, t0 + 2), 'switch-unchanged');
        const service = await store.controls.setSwitch({
          scope: 'service',
          target: '',
          off: true,
          changeId: newId('sw'),
          reason: 'incident',
          staffId: 'staff-1',
          now: t0 + 3,
        });
        expect(await store.controls.listSwitches()).toEqual([service, off]);
        const on = await set(false, t0 + 4, 'fixed');
        expect(on).toMatchObject({ off: false, reason: 'fixed', changedAt: t0 + 4 });
        expect(on.changeId).not.toBe(off.changeId);
        expect(await store.controls.listSwitches()).toEqual([on, service]);
        expect(await events(store, ['switch-off', 'switch-on'])).toEqual([
          {
            type: 'switch-off',
            requirement: 'ASSESS-3',
            data: {
              scope: 'character',
              target: 'aria',
              changeId: off.changeId,
              reason: 'major risk found',
              staffId: 'staff-9',
            },
          },
          {
            type: 'switch-off',
            requirement: 'ASSESS-3',
            data: {
              scope: 'service',
              target: '',
              changeId: service.changeId,
              reason: 'incident',
              staffId: 'staff-1',
            },
          },
          {
            type: 'switch-on',
            requirement: 'ASSESS-3',
            data: {
              scope: 'character',
              target: 'aria',
              changeId: on.changeId,
              reason: 'fixed',
              staffId: 'staff-9',
            },
          },
        ]);
      }));
  });
}
