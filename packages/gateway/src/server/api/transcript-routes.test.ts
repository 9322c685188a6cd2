import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaffTestApp, type StaffTestApp, type TestSession } from '../../../test/staff-app.js';

let t: StaffTestApp;
let operator: TestSession;
let operatorId = '';
let sessionId = '';
let incidentId = '';

/** The operator opens an incident on the user and claims it: only then may they read (assignment rule). */
async function claimIncident(session: TestSession = operator): Promise<void> {
  const opened = await t.request('/api/incidents', {
    method: 'POST',
    session,
    body: JSON.stringify({ user: 'reader-test', session_id: sessionId, reason_note: 'review' }),
  });
  expect(opened.status).toBe(201);
  incidentId = ((await opened.json()) as { id: string }).id;
  const claimed = await t.request(`/api/incidents/${incidentId}/claim`, { method: 'POST', session });
  expect(claimed.status).toBe(200);
}

beforeEach(async () => {
  t = await createStaffTestApp();
  const member = await t.addStaff('operator');
  operatorId = member.id;
  operator = await t.login(member);
  for (const content of ['你好，今天有点累', 'tell me a joke']) {
    const r = await t.request('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'demo', user: 'reader-test', messages: [{ role: 'user', content }] }),
    });
    expect(r.status).toBe(200);
    sessionId = ((await r.json()) as { compliance: { session: { id: string } } }).compliance.session.id;
  }
});
afterEach(() => t.close());

const read = (purpose?: string, session: TestSession = operator, id = sessionId) =>
  t.request(
    `/api/sessions/${id}/messages${purpose === undefined ? '' : `?purpose=${encodeURIComponent(purpose)}`}`,
    {
      session,
    },
  );

describe('DATA-1: reading a conversation needs a purpose and is audited', () => {
  it('without a purpose (or a too short one): 400 purpose-required, nothing read, nothing audited', async () => {
    for (const purpose of [undefined, '', 'why', '    abc   ']) {
      const r = await read(purpose);
      expect([r.status, ((await r.json()) as { code: string }).code]).toEqual([400, 'purpose-required']);
    }
    expect((await t.store.listAudit()).filter((e) => e.type === 'transcript-read')).toEqual([]);
  });

  it('with a purpose: the decrypted messages, and a transcript-read event with who, why and how many', async () => {
    await claimIncident();
    const r = await read('incident review 42');
    expect(r.status).toBe(200);
    const data = ((await r.json()) as { data: Record<string, unknown>[] }).data;
    expect(data.map((m) => [m.role, m.status])).toEqual([
      ['user', 'accepted'],
      ['assistant', 'delivered'],
      ['user', 'accepted'],
      ['assistant', 'delivered'],
    ]);
    expect(data[0]).toEqual({
      id: expect.any(String),
      role: 'user',
      author: 'user',
      content: '你好，今天有点累',
      content_id: expect.any(String),
      status: 'accepted',
      created_at: new Date(t.clock.now()).toISOString(),
    });
    expect(data[2]?.content).toBe('tell me a joke');
    const events = (await t.store.listAudit()).filter((e) => e.type === 'transcript-read');
    expect(events).toEqual([
      expect.objectContaining({
        requirement: 'DATA-1',
        sessionId,
        data: { staffId: operatorId, purpose: 'incident review 42', messageCount: 4, incident: incidentId },
      }),
    ]);
    // The audit trail holds who read and why, never what was said.
    expect(JSON.stringify(await t.store.listAudit())).not.toMatch(/今天有点累|tell me a joke/);
    expect(await t.store.verifyAudit()).toMatchObject({ ok: true });
  });

  it('DATA-1: an operator without a claimed incident on the user may not read (403), and nothing is audited', async () => {
    expect((await read('incident review 42')).status).toBe(403);
    const other = await t.login(await t.addStaff('operator'));
    await claimIncident(other);
    const r = await read('incident review 42');
    expect([r.status, ((await r.json()) as { code: string }).code]).toEqual([403, 'incident-not-assigned']);
    expect((await t.store.listAudit()).filter((e) => e.type === 'transcript-read')).toEqual([]);
  });

  it('an unknown session is 404 and not audited', async () => {
    const r = await read('incident review 42', operator, 'no-such-session');
    expect(r.status).toBe(404);
    expect((await t.store.listAudit()).filter((e) => e.type === 'transcript-read')).toEqual([]);
  });

  it('other roles may not read conversations (403), even with a purpose', async () => {
    for (const role of ['compliance', 'auditor', 'admin'] as const) {
      const session = await t.login(await t.addStaff(role));
      expect((await read('incident review 42', session)).status).toBe(403);
    }
    expect((await t.store.listAudit()).filter((e) => e.type === 'transcript-read')).toEqual([]);
  });
});
