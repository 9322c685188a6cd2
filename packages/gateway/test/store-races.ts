import { isCgError, minorModeRef, type Store } from '@companion-guard/core';
import { expect } from 'vitest';

/**
 * DATA-4 across two instances sharing one database: `a` holds keys in its cache that `b`'s full deletion
 * destroys. A turn sealed under a destroyed key fails at commit (the foreign key) and succeeds on retry under
 * a fresh key; a contact write under the replaced user-wide key re-seals under the new one by itself.
 */
export async function deletionRacesCachedKeys(a: Store, b: Store): Promise<void> {
  const contact = { name: 'Li', email: 'li@example.cn', phone: null };
  await a.profiles.updateProfile(
    'racer',
    { age: 30, emergencyContact: contact },
    { now: 1, audit: () => [] },
  );
  const user = await a.ensureUser('racer', 1);
  const turn = (sessionId: string, expectedVersion: number, id: string) => ({
    sessionId,
    expectedVersion,
    state: {},
    now: 2,
    messages: [
      {
        id,
        sessionId,
        userId: user.id,
        role: 'user' as const,
        content: `text ${id}`,
        contentId: id,
        status: 'accepted' as const,
        createdAt: 2,
      },
    ],
    audit: [],
  });
  await a.createSession({ id: 'race-1', userId: user.id, characterId: 'aria', state: {}, now: 1 }, []);
  await a.commitTurn(turn('race-1', 1, 'race-m1'));
  await a.minors.enter(user.id, { reason: 'suspected', now: 1 });
  const fullDeletion = (at: number) =>
    b.dataRights.deleteHistory({
      userId: user.id,
      characterId: null,
      at,
      audit: () => [{ type: 'history-deleted', requirement: 'DATA-4', at, userId: user.id }],
      receipt: (facts, audit) => ({
        type: 'companion-guard/deletion-receipt',
        version: 1,
        id: `race-receipt-${at}`,
        userId: user.id,
        externalUserId: 'racer',
        characterId: null,
        requestedBy: 'user',
        deletedAt: new Date(at).toISOString(),
        messagesDeleted: facts.messagesDeleted,
        keysDestroyed: facts.keysDestroyed,
        keysRetained: facts.keysRetained,
        audit,
        signingKeyId: 'test',
        signature: 'sig',
      }),
    });
  await fullDeletion(3);
  // MINOR-5: an appeal `a` seals with the user-wide key it still holds is sealed again under the new one.
  await a.complaints.file({
    id: 'race-appeal',
    userId: user.id,
    kind: 'appeal',
    ref: minorModeRef,
    text: '我已经成年了',
    now: 4,
    acknowledgeBy: 5,
    resolveBy: 6,
  });
  expect((await b.appeals.get('race-appeal'))?.text).toBe('我已经成年了');
  // A new session (its version says nothing of the deletion), sealed by `a` under the destroyed aria key.
  await a.createSession({ id: 'race-2', userId: user.id, characterId: 'aria', state: {}, now: 4 }, []);
  const refused = await a.commitTurn(turn('race-2', 1, 'race-m2')).catch((e: unknown) => e);
  expect(isCgError(refused, 'session-conflict')).toBe(true);
  expect(await b.listMessages('race-2')).toEqual([]);
  await a.commitTurn(turn('race-2', 1, 'race-m2'));
  expect((await b.listMessages('race-2')).map((m) => m.content)).toEqual(['text race-m2']);
  const guardian = { name: 'Wang', email: null, phone: '+8613800000000' };
  await a.profiles.updateProfile('racer', { guardian }, { now: 5, audit: () => [] });
  expect(await b.profiles.getProfile('racer')).toMatchObject({ emergencyContact: contact, guardian });
  // A second full deletion goes through, and the appeal's words come through it re-sealed.
  await fullDeletion(6);
  expect((await b.appeals.get('race-appeal'))?.text).toBe('我已经成年了');
}
