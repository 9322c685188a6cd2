import { describe, expect, it } from 'vitest';
import type { NewNotification, NotificationRecord } from '../notify/notification-store.js';
import type { AuditInput, Store } from '../ports.js';

/** What the notification part of the conformance suite borrows from the main suite. */
export interface NotificationConformanceTools {
  readonly withStore: (work: (store: Store) => Promise<void>) => Promise<void>;
  readonly newId: (prefix: string) => string;
}

const t0 = Date.UTC(2026, 0, 15, 8, 0, 0);
const lease = { limit: 10, leaseMs: 60_000 };

const queued = (rows: readonly NotificationRecord[]): AuditInput[] =>
  rows.map((n) => ({
    type: 'notification-queued',
    requirement: n.requirement,
    at: n.createdAt,
    userId: n.userId,
    data: { notificationId: n.id, incidentId: n.incidentId, channel: n.channel },
  }));

/**
 * The notification outbox (RISK-4, RISK-5, ELDER-2): once-only queuing, compare-and-set claims, retries and
 * sealed targets. Registered by `describeStoreConformance`.
 */
export function describeNotificationConformance({ withStore, newId }: NotificationConformanceTools): void {
  const notification = (
    userId: string,
    incidentId: string,
    patch: Partial<NewNotification> = {},
  ): NewNotification => ({
    id: newId('n'),
    incidentId,
    userId,
    kind: 'incident-opened',
    audience: 'emergency-contact',
    channel: 'email',
    requirement: 'RISK-5',
    facts: {
      target: 'li.na.emergency@example.cn',
      contactName: '李娜',
      externalUserId: 'app-user-7',
      severity: 'critical',
      reason: 'crisis',
      openedAt: t0,
    },
    createdAt: t0,
    ...patch,
  });

  describe('notifications (RISK-5)', () => {
    it('enqueue adds each notification once, audits only what it added, and keeps targets out of the key', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const incidentId = newId('inc');
        const first = [
          notification(user.id, incidentId),
          notification(user.id, incidentId, {
            channel: 'sms',
            facts: { ...notification('', '').facts, target: '+86 138 0000 0000' },
          }),
        ];
        const added = await store.notifications.enqueue(first, queued);
        expect(added.map((n) => n.id)).toEqual(first.map((n) => n.id));
        expect(added[0]).toMatchObject({ state: 'pending', attempts: 0, dueAt: t0, facts: first[0]?.facts });
        expect(added[0]?.idempotencyKey).toMatch(
          new RegExp(`^${incidentId}:incident-opened:email:[0-9a-f]{32}$`),
        );
        expect(added[0]?.idempotencyKey).not.toContain('example.cn');

        // The same notifications under new ids, and one new target: only the new target is added.
        const again = [
          notification(user.id, incidentId),
          notification(user.id, incidentId, {
            facts: { ...notification('', '').facts, target: 'second@example.cn' },
          }),
        ];
        const addedAgain = await store.notifications.enqueue(again, queued);
        expect(addedAgain.map((n) => n.id)).toEqual([again[1]?.id]);
        expect(await store.notifications.enqueue([notification(user.id, incidentId)], queued)).toEqual([]);

        const listed = await store.notifications.listForIncident(incidentId);
        expect(listed).toHaveLength(3);
        expect(listed.map((n) => n.facts.target).sort()).toEqual(
          ['+86 138 0000 0000', 'li.na.emergency@example.cn', 'second@example.cn'].sort(),
        );
        const events = await store.listAudit();
        expect(events.map((e) => e.type)).toEqual(Array(3).fill('notification-queued'));
        expect(await store.verifyAudit()).toEqual({ ok: true, count: 3 });
        expect(await store.notifications.listForIncident(newId('none'))).toEqual([]);
      }));

    it('a failing audit callback writes nothing', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const incidentId = newId('inc');
        await expect(
          store.notifications.enqueue([notification(user.id, incidentId)], () => {
            throw new Error('audit refused');
          }),
        ).rejects.toThrow();
        expect(await store.notifications.listForIncident(incidentId)).toEqual([]);
        expect(await store.listAudit()).toEqual([]);
      }));

    it('claimDue claims due notifications once; a lease that ran out can be claimed again', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const incidentId = newId('inc');
        const now = notification(user.id, incidentId);
        const later = notification(user.id, incidentId, {
          channel: 'webhook',
          createdAt: t0 + 5000,
          facts: { ...now.facts, target: 'https://hooks.example.com/cg' },
        });
        await store.notifications.enqueue([now, later], queued);

        const [a, b] = await Promise.all([
          store.notifications.claimDue(t0, lease),
          store.notifications.claimDue(t0, lease),
        ]);
        const claimed = [...(a ?? []), ...(b ?? [])];
        expect(claimed.map((n) => n.id)).toEqual([now.id]);
        expect(claimed[0]).toMatchObject({ state: 'sending', attempt: 1, attempts: 1, dueAt: t0 + 60_000 });
        expect(claimed[0]?.facts).toEqual(now.facts);
        expect(await store.notifications.claimDue(t0 + 1000, lease)).toEqual([]);

        const next = await store.notifications.claimDue(t0 + 60_000, lease);
        expect(next.map((n) => [n.id, n.attempt])).toEqual([
          [later.id, 1],
          [now.id, 2],
        ]);
        expect(await store.notifications.claimDue(t0 + 60_000, { ...lease, limit: 0 })).toEqual([]);
      }));

    it('recordAttempt: retry waits for its time, sent and failed are final, a stale claim changes nothing', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const incidentId = newId('inc');
        const n = notification(user.id, incidentId);
        await store.notifications.enqueue([n], queued);
        const audit = (outcome: string, at: number): AuditInput[] => [
          { type: `notification-${outcome}`, requirement: 'RISK-5', at, userId: user.id, data: { id: n.id } },
        ];

        await store.notifications.claimDue(t0, lease);
        expect(
          await store.notifications.recordAttempt(
            {
              notificationId: n.id,
              attempt: 1,
              at: t0,
              outcome: 'retry',
              errorCode: 'http-503',
              nextAttemptAt: t0 + 2000,
            },
            audit('retry', t0),
          ),
        ).toBe(true);
        expect(await store.notifications.claimDue(t0 + 1999, lease)).toEqual([]);
        expect((await store.notifications.claimDue(t0 + 2000, lease)).map((c) => c.attempt)).toEqual([2]);
        // Attempt 2 stalls past its lease; attempt 3 claims the notification.
        expect((await store.notifications.claimDue(t0 + 62_000, lease)).map((c) => c.attempt)).toEqual([3]);

        // The stale attempt reports late: it is recorded and audited, but the state stays with attempt 3.
        const stale = {
          notificationId: n.id,
          attempt: 2,
          at: t0 + 62_500,
          outcome: 'sent',
          errorCode: null,
        } as const;
        expect(await store.notifications.recordAttempt(stale, audit('sent', t0 + 62_500))).toBe(false);
        const [meanwhile] = await store.notifications.listForIncident(incidentId);
        expect(meanwhile).toMatchObject({ state: 'sending', attempts: 3 });

        const last = {
          notificationId: n.id,
          attempt: 3,
          at: t0 + 63_000,
          outcome: 'failed',
          errorCode: 'http-400',
        } as const;
        expect(await store.notifications.recordAttempt(last, audit('failed', t0 + 63_000))).toBe(true);
        expect(await store.notifications.claimDue(t0 + 10 ** 9, lease)).toEqual([]);

        const [listed] = await store.notifications.listForIncident(incidentId);
        expect(listed).toMatchObject({ state: 'failed', attempts: 3, updatedAt: t0 + 63_000 });
        expect(listed?.history).toEqual([
          { attempt: 1, at: t0, outcome: 'retry', errorCode: 'http-503' },
          { attempt: 2, at: t0 + 62_500, outcome: 'sent', errorCode: null },
          { attempt: 3, at: t0 + 63_000, outcome: 'failed', errorCode: 'http-400' },
        ]);
        expect((await store.listAudit()).map((e) => e.type)).toEqual([
          'notification-queued',
          'notification-retry',
          'notification-sent',
          'notification-failed',
        ]);
        expect(await store.verifyAudit()).toMatchObject({ ok: true, count: 4 });
      }));
  });
}
