/** A guardian's deletion request through the guardian API, in-process on a real SQLite store (DATA-5). */
import { type DeletionReceipt, receiptSigningText } from '@companion-guard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/storage/signing-key.js';
import { createStaffTestApp, type StaffTestApp, type TestSession } from '../staff-app.js';

let t: StaffTestApp;
beforeEach(async () => {
  t = await createStaffTestApp();
});
afterEach(() => t.close());

const json = async <T>(r: Response) => (await r.json()) as T;
const post = (path: string, body: unknown, session: TestSession) =>
  t.request(path, { method: 'POST', body: JSON.stringify(body), session });

describe("a guardian's deletion request (DATA-5, MINOR-4)", () => {
  it("DATA-5: a guardian deletes a linked minor's history, one character's or all, with a signed receipt; other guardians cannot", async () => {
    const key = await t.createKey();
    const kid = await t.registerMinor('kid', 12, 'mum@example.com');
    await t.registerMinor('other-kid', 12, 'dad@example.com');
    const mum = await t.guardianLogin('mum@example.com');
    const dad = await t.guardianLogin('dad@example.com');
    expect((await post(`/api/guardian/minors/${kid}/consent`, {}, mum)).status).toBe(200);
    for (const character of ['xiaonuan', 'study-buddy']) {
      const res = await t.request('/v1/chat/completions', {
        method: 'POST',
        apiKey: key,
        body: JSON.stringify({
          model: 'demo',
          user: 'kid',
          messages: [{ role: 'user', content: '今天的作业好难' }],
          metadata: { character_id: character },
        }),
      });
      expect(res.status).toBe(200);
    }
    const history = async () => (await t.store.dataRights.listHistory(kid)).map((m) => m.characterId);
    expect(new Set(await history())).toEqual(new Set(['xiaonuan', 'study-buddy']));

    const path = `/api/guardian/minors/${kid}/history/delete`;
    expect((await post(path, {}, dad)).status).toBe(404);
    expect((await post(path, { character_id: '' }, mum)).status).toBe(400);
    const noCsrf = await t.request(path, { method: 'POST', body: '{}', session: { ...mum, csrf: '' } });
    expect(noCsrf.status).toBe(403);
    expect(new Set(await history())).toEqual(new Set(['xiaonuan', 'study-buddy']));

    const one = await json<DeletionReceipt>(await post(path, { character_id: 'xiaonuan' }, mum));
    expect(one).toMatchObject({
      type: 'companion-guard/deletion-receipt',
      externalUserId: 'kid',
      characterId: 'xiaonuan',
      requestedBy: 'guardian',
    });
    expect(one.messagesDeleted).toBeGreaterThan(0);
    expect(verifySignature(t.signingKey.publicKeyPem, receiptSigningText(one), one.signature)).toBe(true);
    expect(new Set(await history())).toEqual(new Set(['study-buddy']));

    const all = await json<DeletionReceipt>(await post(path, {}, mum));
    expect(all).toMatchObject({ characterId: null, requestedBy: 'guardian' });
    expect(await history()).toEqual([]);

    const deleted = (await t.store.listAudit()).filter((e) => e.type === 'history-deleted');
    expect(deleted.map((e) => [e.requirement, e.userId, e.data?.requestedBy])).toEqual([
      ['DATA-5', kid, 'guardian'],
      ['DATA-5', kid, 'guardian'],
    ]);
    // The guardian is named by the keyed id, never the address.
    expect(JSON.stringify(deleted)).not.toContain('mum@');
    expect(deleted[0]?.data?.actor).toMatch(/^[0-9a-f]{64}$/);
  });
});
