import { describe, expect, it } from 'vitest';
import { minorModeRef } from '../complaints/complaint-store.js';
import type { DeletionReceipt } from '../data/data-rights.js';
import { operatorStep } from '../incident/incident.js';
import type { NotificationFacts } from '../notify/notification-store.js';
import type { NewMessage, Store } from '../ports.js';

/** What the data-rights part of the conformance suite borrows from the main suite. */
export interface DataRightsConformanceTools {
  readonly withStore: (work: (store: Store) => Promise<void>) => Promise<void>;
  readonly newId: (prefix: string) => string;
}

const t0 = Date.UTC(2026, 0, 15, 8, 0, 0);

/**
 * Consents, history and deletion (DATA-2..6): append-only consents, per-character deletion that leaves the
 * rest readable, receipts kept, and turns that go on after a deletion. Registered by `describeStoreConformance`.
 */
export function describeDataRightsConformance({ withStore, newId }: DataRightsConformanceTools): void {
  const message = (sessionId: string, userId: string, content: string, at: number): NewMessage => ({
    id: newId('m'),
    sessionId,
    userId,
    role: 'user',
    content,
    contentId: newId('c'),
    status: 'accepted',
    createdAt: at,
  });

  async function sessionWith(store: Store, userId: string, characterId: string, texts: readonly string[]) {
    const session = await store.createSession(
      { id: newId('s'), userId, characterId, state: { turns: 0 }, now: t0 },
      [],
    );
    return store.commitTurn({
      sessionId: session.id,
      expectedVersion: session.version,
      state: { turns: 1 },
      now: t0 + 1,
      messages: texts.map((text, i) => message(session.id, userId, text, t0 + i)),
      audit: [],
    });
  }

  const signedBy =
    (id: string) =>
    (
      facts: Parameters<Parameters<Store['dataRights']['deleteHistory']>[0]['receipt']>[0],
      audit: { seq: number; hash: string },
    ) =>
      ({
        type: 'companion-guard/deletion-receipt',
        version: 1,
        id,
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
      }) satisfies DeletionReceipt;

  describe('data rights (DATA-2..6)', () => {
    it('DATA-6: consent records are appended in order with their audit events; an empty change writes nothing', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const base = { userId: user.id, textVersion: 'v1', givenBy: 'user', method: 'api' } as const;
        const first = await store.dataRights.recordConsents({ ...base, changes: { training: true }, at: t0 });
        const second = await store.dataRights.recordConsents({
          ...base,
          changes: { training: false, sensitive: true },
          at: t0 + 1,
        });
        expect(await store.dataRights.recordConsents({ ...base, changes: {}, at: t0 + 2 })).toEqual([]);
        expect(await store.dataRights.listConsents(user.id)).toEqual([...first, ...second]);
        expect(await store.dataRights.usersWithConsent('training')).toContain(user.id);
        expect(await store.dataRights.usersWithConsent('third_party')).not.toContain(user.id);
        const audit = (await store.listAudit({ limit: 10_000 })).filter((e) => e.userId === user.id);
        expect(audit.map((e) => e.type)).toEqual(['consent-given', 'consent-revoked', 'consent-given']);
      }));

    it('DATA-4: deleting one character’s history destroys its key and rows only; the receipt is kept; turns go on', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        const other = await store.ensureUser(newId('ext'), t0);
        const kept = await sessionWith(store, user.id, 'aria', ['stays with aria']);
        const gone = await sessionWith(store, user.id, 'bolt', ['goes with bolt', 'also goes']);
        await sessionWith(store, other.id, 'bolt', ['another user']);
        const receipt = await store.dataRights.deleteHistory({
          userId: user.id,
          characterId: 'bolt',
          at: t0 + 10,
          audit: (facts) => [
            {
              type: 'history-deleted',
              requirement: 'DATA-4',
              at: t0 + 10,
              userId: user.id,
              data: { ...facts },
            },
          ],
          receipt: signedBy(newId('r')),
        });
        expect(receipt).toMatchObject({ characterId: 'bolt', messagesDeleted: 2, keysRetained: [] });
        expect(receipt.keysDestroyed).toHaveLength(1);
        expect((await store.dataRights.listHistory(user.id)).map((m) => m.content)).toEqual([
          'stays with aria',
        ]);
        expect((await store.dataRights.listHistory(other.id)).map((m) => m.content)).toEqual([
          'another user',
        ]);
        expect(await store.dataRights.listReceipts({ userId: user.id })).toEqual([receipt]);
        const [event] = await store.listAudit({ afterSeq: receipt.audit.seq - 1, limit: 1 });
        expect(event).toMatchObject({ type: 'history-deleted', hash: receipt.audit.hash });
        // The session moved on (caches drop it); a turn at the new version writes under a fresh key.
        const session = await store.getSession(gone.id);
        expect(session?.version).toBe(gone.version + 1);
        await store.commitTurn({
          sessionId: gone.id,
          expectedVersion: gone.version + 1,
          state: { turns: 2 },
          now: t0 + 20,
          messages: [message(gone.id, user.id, 'after the deletion', t0 + 20)],
          audit: [],
        });
        expect((await store.listMessages(gone.id)).map((m) => m.content)).toEqual(['after the deletion']);
        expect((await store.listMessages(kept.id)).map((m) => m.content)).toEqual(['stays with aria']);
        expect(
          (await store.dataRights.listHistory(user.id, { characterId: 'bolt' })).map((m) => m.characterId),
        ).toEqual(['bolt']);
      }));

    it('DATA-4: deleting all history destroys the user-wide key too: contacts, notification facts and appeal texts are re-sealed under a new one, hand-back notes erased, queued operator messages deleted', () =>
      withStore(async (store) => {
        const externalId = newId('ext');
        const contact = { name: '李华', email: 'li@example.cn', phone: null };
        await store.profiles.updateProfile(
          externalId,
          { age: 30, emergencyContact: contact },
          { now: t0, audit: () => [] },
        );
        const user = await store.ensureUser(externalId, t0);
        const session = await sessionWith(store, user.id, 'aria', ['before the crisis']);
        const { incident } = await store.incidents.openIncident(
          {
            id: newId('inc'),
            userId: user.id,
            externalUserId: externalId,
            sessionId: session.id,
            characterId: 'aria',
            severity: 'critical',
            reason: 'crisis',
            signals: [],
            ageBand: 'adult',
          },
          t0 + 1,
          () => [],
        );
        const claimed = await store.incidents.commitIncident({
          incident: operatorStep(incident, 'op', { kind: 'claim' }, t0 + 2).incident,
          expectedVersion: incident.version,
          now: t0 + 2,
          event: { type: 'claimed', actor: 'op' },
          audit: [],
        });
        await store.incidents.commitIncident({
          incident: operatorStep(claimed, 'op', { kind: 'handback' }, t0 + 3).incident,
          expectedVersion: claimed.version,
          now: t0 + 3,
          event: { type: 'handback', actor: 'op', text: 'remind her of the hotline gently' },
          message: {
            ...message(session.id, user.id, 'an operator note not yet shown', t0 + 3),
            status: 'queued',
            author: 'human',
          },
          audit: [],
        });
        const facts: NotificationFacts = {
          target: 'li@example.cn',
          contactName: '李华',
          externalUserId: externalId,
          severity: 'critical',
          reason: 'crisis',
          openedAt: t0 + 1,
        };
        await store.notifications.enqueue(
          [
            {
              id: newId('n'),
              incidentId: incident.id,
              userId: user.id,
              kind: 'incident-opened',
              audience: 'emergency-contact',
              channel: 'email',
              requirement: 'RISK-5',
              facts,
              createdAt: t0 + 1,
            },
          ],
          () => [],
        );
        // An appeal against suspected-minor mode (MINOR-5): the user's words, under the user-wide key.
        await store.minors.enter(user.id, { reason: 'suspected', now: t0 + 4 });
        const appealId = newId('appeal');
        await store.complaints.file({
          id: appealId,
          userId: user.id,
          kind: 'appeal',
          ref: minorModeRef,
          text: 'I am 30',
          now: t0 + 5,
          acknowledgeBy: t0 + 6,
          resolveBy: t0 + 7,
        });
        const receipt = await store.dataRights.deleteHistory({
          userId: user.id,
          characterId: null,
          at: t0 + 10,
          audit: (f) => [
            { type: 'history-deleted', requirement: 'DATA-4', at: t0 + 10, userId: user.id, data: { ...f } },
          ],
          receipt: signedBy(newId('r')),
        });
        // The (user, aria) key and the user-wide key: nothing retained.
        expect(receipt).toMatchObject({ messagesDeleted: 2, keysRetained: [] });
        expect(receipt.keysDestroyed).toHaveLength(2);
        expect(await store.dataRights.listHistory(user.id)).toEqual([]);
        expect(await store.incidents.takeHumanMessages(user.id, t0 + 11)).toEqual([]);
        expect(await store.incidents.handbackInstruction(incident.id)).toBeNull();
        expect((await store.incidents.listIncidentEvents(incident.id)).map((e) => e.type)).toContain(
          'handback',
        );
        expect((await store.profiles.getProfile(externalId))?.emergencyContact).toEqual(contact);
        expect((await store.notifications.listForIncident(incident.id)).map((n) => n.facts)).toEqual([facts]);
        expect((await store.appeals.get(appealId))?.text).toBe('I am 30');
        // The new user-wide key seals on.
        const next = { name: 'Wang', email: null, phone: '+8613800000000' };
        await store.profiles.updateProfile(externalId, { guardian: next }, { now: t0 + 12, audit: () => [] });
        expect(await store.profiles.getProfile(externalId)).toMatchObject({
          emergencyContact: contact,
          guardian: next,
        });
      }));

    it('DATA-4: a failing receipt builder writes nothing', () =>
      withStore(async (store) => {
        const user = await store.ensureUser(newId('ext'), t0);
        await sessionWith(store, user.id, 'aria', ['one']);
        const failing = store.dataRights.deleteHistory({
          userId: user.id,
          characterId: null,
          at: t0 + 5,
          audit: () => [{ type: 'history-deleted', requirement: 'DATA-4', at: t0 + 5, userId: user.id }],
          receipt: () => {
            throw new Error('signer down');
          },
        });
        await expect(failing).rejects.toThrow();
        expect((await store.dataRights.listHistory(user.id)).map((m) => m.content)).toEqual(['one']);
        const receipt = await store.dataRights.deleteHistory({
          userId: user.id,
          characterId: null,
          at: t0 + 6,
          audit: () => [{ type: 'history-deleted', requirement: 'DATA-4', at: t0 + 6, userId: user.id }],
          receipt: signedBy(newId('r')),
        });
        expect(receipt.messagesDeleted).toBe(1);
        expect(await store.dataRights.listHistory(user.id)).toEqual([]);
        expect(await store.dataRights.listReceipts({ from: t0 + 6, to: t0 + 7, userId: user.id })).toEqual([
          receipt,
        ]);
      }));
  });
}
