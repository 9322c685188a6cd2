import { describe, expect, it } from 'vitest';
import type { ComplaintKind, Store } from '../ports.js';
import type { MinorConformanceTools } from './minor-conformance.js';

const t0 = Date.UTC(2026, 7, 3, 8, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Complaints, reports and appeals (COMPLAINT-1): sealed words, deadlines, the queue's filters, the handling
 * steps with their audit events, replies taken once, minor-mode appeals as MINOR-5 appeals, the summary.
 * Registered by `describeStoreConformance`.
 */
export function describeComplaintConformance({
  withStore,
  expectCgError,
  newId,
}: MinorConformanceTools): void {
  const file = (
    store: Store,
    userId: string,
    kind: ComplaintKind,
    text: string | null,
    at = t0,
    ref: string | null = null,
  ) =>
    store.complaints.file({
      id: newId('cp'),
      userId,
      kind,
      ref,
      text,
      now: at,
      acknowledgeBy: at + 24 * HOUR,
      resolveBy: at + 7 * DAY,
    });
  const eventsOf = async (store: Store, userId: string) =>
    (await store.listAudit({ limit: 1000 }))
      .filter((e) => e.userId === userId)
      .map((e) => ({ type: e.type, requirement: e.requirement, data: e.data }));

  describe('complaints (COMPLAINT-1)', () => {
    it('COMPLAINT-1: a complaint is filed with its deadlines and sealed words; the event never holds the text', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const { complaint, created } = await file(
          store,
          user.id,
          'report',
          '这个角色一直让我充值',
          t0,
          'cg-x',
        );
        expect(created).toBe(true);
        expect(complaint).toMatchObject({
          userId: user.id,
          kind: 'report',
          ref: 'cg-x',
          status: 'open',
          text: '这个角色一直让我充值',
          filedAt: t0,
          acknowledgeBy: t0 + 24 * HOUR,
          resolveBy: t0 + 7 * DAY,
          acknowledgedAt: null,
          assignee: null,
          closedAt: null,
          replies: [],
        });
        expect(await store.complaints.get(complaint.id)).toEqual(complaint);
        expect(await store.complaints.get('no-such')).toBeUndefined();
        await expectCgError(file(store, 'no-such-user', 'complaint', 'x'), 'not-found');
        const events = await eventsOf(store, user.id);
        expect(events).toEqual([
          {
            type: 'complaint-filed',
            requirement: 'COMPLAINT-1',
            data: { complaintId: complaint.id, kind: 'report', ref: 'cg-x', withText: true },
          },
        ]);
        expect(JSON.stringify(events)).not.toContain('充值');
      }));

    it('COMPLAINT-1: assign, in progress, resolve with a reason; closed ones refuse changes; every step audited', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const { complaint } = await file(store, user.id, 'complaint', 'The app charged me twice');
        const assigned = await store.complaints.assign(complaint.id, {
          assignee: 'staff-2',
          staffId: 'staff-1',
          now: t0 + HOUR,
        });
        expect(assigned).toMatchObject({ assignee: 'staff-2', acknowledgedAt: t0 + HOUR, status: 'open' });
        const started = await store.complaints.setStatus(complaint.id, {
          status: 'in-progress',
          reason: null,
          staffId: 'staff-2',
          now: t0 + 2 * HOUR,
        });
        expect(started).toMatchObject({ status: 'in-progress', acknowledgedAt: t0 + HOUR });
        await expectCgError(
          store.complaints.setStatus(complaint.id, {
            status: 'in-progress',
            reason: null,
            staffId: 'staff-2',
            now: t0 + 2 * HOUR,
          }),
          'invalid-request',
        );
        await expectCgError(
          store.complaints.setStatus(complaint.id, {
            status: 'resolved',
            reason: '  ',
            staffId: 'staff-2',
            now: t0 + 3 * HOUR,
          }),
          'invalid-request',
        );
        const resolved = await store.complaints.setStatus(complaint.id, {
          status: 'resolved',
          reason: 'refunded',
          staffId: 'staff-2',
          now: t0 + 3 * HOUR,
        });
        expect(resolved).toMatchObject({
          status: 'resolved',
          closedAt: t0 + 3 * HOUR,
          closedBy: 'staff-2',
          reason: 'refunded',
        });
        await expectCgError(
          store.complaints.setStatus(complaint.id, {
            status: 'rejected',
            reason: 'no',
            staffId: 'staff-2',
            now: t0 + 4 * HOUR,
          }),
          'complaint-closed',
        );
        await expectCgError(
          store.complaints.assign(complaint.id, { assignee: 'staff-1', staffId: 'staff-1', now: t0 }),
          'complaint-closed',
        );
        await expectCgError(
          store.complaints.assign('no-such', { assignee: 'staff-1', staffId: 'staff-1', now: t0 }),
          'not-found',
        );
        const events = await eventsOf(store, user.id);
        expect(events.map((e) => e.type)).toEqual([
          'complaint-filed',
          'complaint-assigned',
          'complaint-status',
          'complaint-status',
        ]);
        expect(events.every((e) => e.requirement === 'COMPLAINT-1')).toBe(true);
        expect(events[3]?.data).toEqual({
          complaintId: complaint.id,
          kind: 'complaint',
          from: 'in-progress',
          to: 'resolved',
          staffId: 'staff-2',
          withReason: true,
        });
        expect(JSON.stringify(events)).not.toContain('refunded');
      }));

    it('COMPLAINT-1: of two concurrent closings one wins, the other is refused', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const { complaint } = await file(store, user.id, 'complaint', 'twice');
        const close = (status: 'resolved' | 'rejected') =>
          store.complaints.setStatus(complaint.id, {
            status,
            reason: status,
            staffId: status,
            now: t0 + HOUR,
          });
        const results = await Promise.allSettled([close('resolved'), close('rejected')]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const refused = results.find((r) => r.status === 'rejected');
        expect((refused as PromiseRejectedResult | undefined)?.reason).toMatchObject({
          code: 'complaint-closed',
        });
        const events = await eventsOf(store, user.id);
        expect(events.filter((e) => e.type === 'complaint-status')).toHaveLength(1);
      }));

    it('COMPLAINT-1: the queue filters by status, user, assignee and overdue at a time', () =>
      withStore(async (store) => {
        const a = await store.ensureUser(newId('ext'), t0);
        const b = await store.ensureUser(newId('ext'), t0);
        const old = (await file(store, a.id, 'complaint', 'old', t0)).complaint;
        const taken = (await file(store, a.id, 'report', 'taken', t0 + HOUR)).complaint;
        const fresh = (await file(store, b.id, 'complaint', 'fresh', t0 + 2 * DAY)).complaint;
        await store.complaints.assign(taken.id, { assignee: 's1', staffId: 's1', now: t0 + 2 * HOUR });
        const ids = (list: { id: string }[]) => list.map((c) => c.id);
        expect(ids(await store.complaints.list())).toEqual([fresh.id, taken.id, old.id]);
        expect(ids(await store.complaints.list({ userId: a.id }))).toEqual([taken.id, old.id]);
        expect(ids(await store.complaints.list({ assignee: 's1' }))).toEqual([taken.id]);
        expect(ids(await store.complaints.list({ assignee: null }))).toEqual([fresh.id, old.id]);
        expect(ids(await store.complaints.list({ status: 'open', limit: 1 }))).toEqual([fresh.id]);
        // A day and a half in: `old` was never taken up (acknowledge deadline passed); `taken` was.
        expect(ids(await store.complaints.list({ overdueAt: t0 + 36 * HOUR }))).toEqual([old.id]);
        // Eight days in: both of a's are past the resolve deadline, b's was never taken up.
        expect(ids(await store.complaints.list({ overdueAt: t0 + 8 * DAY }))).toEqual([
          fresh.id,
          taken.id,
          old.id,
        ]);
        expect(ids(await store.complaints.list({ overdueAt: t0 + 3 * DAY + HOUR }))).toEqual([
          fresh.id,
          old.id,
        ]);
        await store.complaints.setStatus(old.id, {
          status: 'rejected',
          reason: 'duplicate',
          staffId: 's1',
          now: t0 + 9 * DAY,
        });
        expect(ids(await store.complaints.list({ overdueAt: t0 + 10 * DAY }))).toEqual([fresh.id, taken.id]);
      }));

    it('COMPLAINT-1: a reply is sealed, flags the user, and is taken once (oldest first, audited)', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const { complaint } = await file(store, user.id, 'complaint', 'too many reminders');
        expect((await store.getUser(user.id))?.complaintReplyPending).toBe(false);
        expect(await store.complaints.takeReplies(user.id, t0)).toEqual([]);
        const r1 = newId('r');
        const r2 = newId('r');
        await store.complaints.reply(complaint.id, {
          id: r1,
          text: '我们正在核实',
          staffId: 's1',
          now: t0 + HOUR,
        });
        const replied = await store.complaints.reply(complaint.id, {
          id: r2,
          text: 'Fixed: reminders follow the law’s minimum now.',
          staffId: 's1',
          now: t0 + 2 * HOUR,
        });
        expect(replied.acknowledgedAt).toBe(t0 + HOUR);
        expect(replied.replies.map((r) => [r.id, r.text, r.shownAt])).toEqual([
          [r1, '我们正在核实', null],
          [r2, 'Fixed: reminders follow the law’s minimum now.', null],
        ]);
        expect((await store.getUser(user.id))?.complaintReplyPending).toBe(true);
        await expectCgError(
          store.complaints.reply('no-such', { id: newId('r'), text: 'x', staffId: 's1', now: t0 }),
          'not-found',
        );
        const [first, second] = await Promise.all([
          store.complaints.takeReplies(user.id, t0 + 3 * HOUR),
          store.complaints.takeReplies(user.id, t0 + 3 * HOUR),
        ]);
        const taken = [...(first ?? []), ...(second ?? [])];
        expect(taken.map((t) => t.reply.id)).toEqual([r1, r2]);
        expect(taken[1]?.complaint).toMatchObject({ id: complaint.id, kind: 'complaint', status: 'open' });
        expect(taken[1]?.reply).toMatchObject({ shownAt: t0 + 3 * HOUR, staffId: 's1' });
        expect((await store.getUser(user.id))?.complaintReplyPending).toBe(false);
        expect(await store.complaints.takeReplies(user.id, t0 + 4 * HOUR)).toEqual([]);
        // A closed complaint still takes a reply.
        await store.complaints.setStatus(complaint.id, {
          status: 'resolved',
          reason: 'fixed',
          staffId: 's1',
          now: t0 + 5 * HOUR,
        });
        await store.complaints.reply(complaint.id, {
          id: newId('r'),
          text: 'done',
          staffId: 's1',
          now: t0 + 6 * HOUR,
        });
        expect(
          (await store.complaints.takeReplies(user.id, t0 + 7 * HOUR)).map((t) => t.complaint.status),
        ).toEqual(['resolved']);
        const events = await eventsOf(store, user.id);
        expect(events.filter((e) => e.type === 'complaint-replied')).toHaveLength(3);
        expect(events.filter((e) => e.type === 'complaint-reply-shown')).toHaveLength(3);
        expect(JSON.stringify(events)).not.toContain('核实');
      }));

    it('COMPLAINT-1, MINOR-5: a minor-mode appeal is also the MINOR-5 appeal; resolving it upholds it in the same commit', () =>
      withStore(async (store) => {
        const adult = await store.ensureUser(newId('ext'), t0);
        await expectCgError(file(store, adult.id, 'appeal', 'x', t0, 'minor-mode'), 'appeal-not-allowed');
        expect(await store.complaints.list({ userId: adult.id })).toEqual([]);
        const kid = await store.ensureUser(newId('ext'), t0);
        await store.minors.setSuspicion(kid.id, 100, t0);
        await store.minors.enter(kid.id, { reason: 'suspected', now: t0 });
        const first = await file(store, kid.id, 'appeal', '我已经成年了', t0 + 1, 'minor-mode');
        expect(first.created).toBe(true);
        const again = await file(store, kid.id, 'appeal', 'again', t0 + 2, 'minor-mode');
        expect(again).toEqual({ complaint: first.complaint, created: false });
        expect(await store.appeals.get(first.complaint.id)).toMatchObject({
          status: 'open',
          text: '我已经成年了',
          userId: kid.id,
        });
        const resolved = await store.complaints.setStatus(first.complaint.id, {
          status: 'resolved',
          reason: 'ID checked',
          staffId: 's1',
          now: t0 + HOUR,
        });
        expect(resolved.status).toBe('resolved');
        expect(await store.appeals.get(first.complaint.id)).toMatchObject({
          status: 'upheld',
          decidedBy: 's1',
        });
        expect(await store.getUser(kid.id)).toMatchObject({ minorMode: false, appealOutcomePending: true });
        expect((await store.minors.getState(kid.id)).suspicion).toBe(0);
        const types = (await eventsOf(store, kid.id)).map((e) => e.type);
        expect(types.slice(types.indexOf('appeal-filed'))).toEqual([
          'appeal-filed',
          'complaint-filed',
          'complaint-status',
          'appeal-decided',
          'minor-mode-leave',
        ]);
      }));

    it('COMPLAINT-1, MINOR-5: an appeal decided through the appeals store closes its complaint', () =>
      withStore(async (store) => {
        const kid = await store.ensureUser(newId('ext'), t0);
        await store.minors.setSuspicion(kid.id, 100, t0);
        await store.minors.enter(kid.id, { reason: 'suspected', now: t0 });
        const { complaint } = await file(store, kid.id, 'appeal', null, t0 + 1, 'minor-mode');
        await store.appeals.decide(complaint.id, {
          outcome: 'rejected',
          reason: 'stated age 14',
          staffId: 's1',
          now: t0 + HOUR,
        });
        expect(await store.complaints.get(complaint.id)).toMatchObject({
          status: 'rejected',
          reason: 'stated age 14',
          closedAt: t0 + HOUR,
          text: null,
        });
        expect((await store.getUser(kid.id))?.minorMode).toBe(true);
      }));

    it('COMPLAINT-1, DATA-4: a ref is checked against the user’s own messages; a full deletion re-seals words and replies', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const other = await store.ensureUser(newId('ext'), t0);
        const session = await store.createSession(
          { id: newId('s'), userId: user.id, characterId: 'aria', state: { turns: 0 }, now: t0 },
          [],
        );
        const contentId = newId('cg');
        await store.commitTurn({
          sessionId: session.id,
          expectedVersion: session.version,
          state: { turns: 1 },
          now: t0 + 1,
          messages: [
            {
              id: newId('m'),
              sessionId: session.id,
              userId: user.id,
              role: 'user',
              content: 'hello',
              contentId,
              status: 'accepted',
              createdAt: t0 + 1,
            },
          ],
          audit: [],
        });
        expect(await store.complaints.ownsContent(user.id, contentId)).toBe(true);
        expect(await store.complaints.ownsContent(other.id, contentId)).toBe(false);
        expect(await store.complaints.ownsContent(user.id, 'cg-none')).toBe(false);

        const { complaint } = await file(store, user.id, 'report', '这条回复不合适', t0 + 2, contentId);
        await store.complaints.reply(complaint.id, {
          id: newId('r'),
          text: '已处理',
          staffId: 's1',
          now: t0 + 3,
        });
        await store.dataRights.deleteHistory({
          userId: user.id,
          characterId: null,
          at: t0 + 10,
          audit: () => [{ type: 'history-deleted', requirement: 'DATA-4', at: t0 + 10, userId: user.id }],
          receipt: (facts, audit) => ({
            type: 'companion-guard/deletion-receipt',
            version: 1,
            id: newId('rc'),
            userId: facts.userId,
            externalUserId: 'ext',
            characterId: facts.characterId,
            requestedBy: 'user',
            deletedAt: new Date(facts.at).toISOString(),
            messagesDeleted: facts.messagesDeleted,
            keysDestroyed: facts.keysDestroyed,
            keysRetained: facts.keysRetained,
            audit,
            signingKeyId: 'test',
            signature: 'sig',
          }),
        });
        expect(await store.complaints.ownsContent(user.id, contentId)).toBe(false);
        const kept = await store.complaints.get(complaint.id);
        expect(kept?.text).toBe('这条回复不合适');
        expect(kept?.replies.map((r) => r.text)).toEqual(['已处理']);
      }));

    it('COMPLAINT-1: the summary counts by kind, on-time closings, overdue open ones and the median', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const before = await file(store, user.id, 'complaint', 'before the period', t0 - DAY);
        const c1 = (await file(store, user.id, 'complaint', 'one', t0)).complaint;
        const c2 = (await file(store, user.id, 'report', 'two', t0 + HOUR)).complaint;
        const c3 = (await file(store, user.id, 'report', 'three', t0 + 2 * HOUR)).complaint;
        await file(store, user.id, 'appeal', 'four', t0 + 3 * HOUR, 'cg-1');
        const close = (id: string, at: number) =>
          store.complaints.setStatus(id, { status: 'resolved', reason: 'done', staffId: 's', now: at });
        await close(c1.id, t0 + 10 * HOUR); // 10 h, on time
        await close(c2.id, t0 + HOUR + 8 * DAY); // 192 h, late
        await close(before.complaint.id, t0);
        const period = { from: t0, to: t0 + DAY };
        expect(await store.complaints.summary({ ...period, now: t0 + 9 * DAY })).toEqual({
          received: 4,
          byKind: { complaint: 1, report: 2, appeal: 1 },
          resolved: 2,
          resolvedOnTime: 1,
          overdueOpen: 2,
          medianResolveHours: 101,
        });
        // Earlier, before anything closed or fell due.
        expect(await store.complaints.summary({ ...period, now: t0 + 5 * HOUR })).toMatchObject({
          received: 4,
          resolved: 0,
          overdueOpen: 0,
          medianResolveHours: null,
        });
        expect(c3.status).toBe('open');
        expect(await store.complaints.summary({ from: 0, to: 1, now: t0 })).toEqual({
          received: 0,
          byKind: { complaint: 0, report: 0, appeal: 0 },
          resolved: 0,
          resolvedOnTime: 0,
          overdueOpen: 0,
          medianResolveHours: null,
        });
      }));
  });
}
