/**
 * Incidents in-process (RISK-3..6, ELDER-4, DATA-1): the crisis reply, takeover with the upstream failing,
 * claim / message / hand-back / close, escalation on a fake clock, races and roles. Real SQLite store,
 * real detection, real staff sign-in; only the upstream and the clock are fake.
 */
import { CgError, type Notifier, type NotifyIncident } from '@companion-guard/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComplianceWire } from '../../src/index.js';
import type { ChatUpstream, UpstreamRequest } from '../../src/upstream/upstream.js';
import { createStaffTestApp, type StaffTestApp, type TestSession } from '../staff-app.js';

interface Completion {
  choices: { message: { content: string } }[];
  compliance: ComplianceWire;
}

interface IncidentWire {
  id: string;
  user: string;
  session_id: string | null;
  state: string;
  severity: string;
  reason: string;
  claimed_by: string | null;
  escalated_at: string | null;
  first_human_message_at: string | null;
  outcome: string | null;
}

/** An upstream that always fails and counts its calls (safety never waits on the model). */
function failingUpstream() {
  const calls: UpstreamRequest[] = [];
  const upstream: ChatUpstream = {
    name: 'failing',
    // biome-ignore lint/correctness/useYield: it fails before it could yield anything
    async *stream(request) {
      calls.push(request);
      throw new CgError('upstream-error', 'upstream down');
    },
  };
  return { upstream, calls };
}

/** An upstream that records each request and answers "ok". */
function recordingUpstream() {
  const calls: UpstreamRequest[] = [];
  const upstream: ChatUpstream = {
    name: 'recording',
    async *stream(request) {
      calls.push(request);
      yield 'ok';
    },
  };
  return { upstream, calls };
}

function recordingNotifier() {
  const opened: NotifyIncident[] = [];
  const escalated: NotifyIncident[] = [];
  const notifier: Notifier = {
    incidentOpened: async (i) => void opened.push(i),
    incidentEscalated: async (i) => void escalated.push(i),
    deliverDue: async () => 0,
  };
  return { notifier, opened, escalated };
}

let open: StaffTestApp[] = [];
afterEach(async () => {
  for (const t of open) await t.close();
  open = [];
});

async function app(options: Parameters<typeof createStaffTestApp>[0] = {}) {
  const t = await createStaffTestApp(options);
  open.push(t);
  return t;
}

async function chat(t: StaffTestApp, user: string, content: string, metadata: Record<string, string> = {}) {
  const r = await t.request('/v1/chat/completions', {
    method: 'POST',
    body: JSON.stringify({ model: 'demo', user, messages: [{ role: 'user', content }], metadata }),
  });
  expect(r.status).toBe(200);
  const body = (await r.json()) as Completion;
  return { content: body.choices[0]?.message.content ?? '', compliance: body.compliance };
}

async function api<T>(
  t: StaffTestApp,
  session: TestSession,
  path: string,
  init: { method?: string; body?: unknown } = {},
  status = 200,
): Promise<T> {
  const r = await t.request(path, {
    method: init.method ?? 'GET',
    session,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return JSON.parse(text) as T;
}

/** The console's heartbeat: the operator's crisis queue is open and visible now. */
async function heartbeat(t: StaffTestApp, session: TestSession) {
  const r = await t.request('/api/me/heartbeat', { method: 'POST', session });
  expect(r.status, await r.text()).toBe(204);
}

/** An operator signed in with the console's queue open (one heartbeat), on duty unless `onDuty` is false. */
async function operator(t: StaffTestApp, onDuty = true) {
  const staff = await t.addStaff('operator');
  const session = await t.login(staff);
  if (onDuty) await api(t, session, '/api/me/duty', { method: 'PUT', body: { on_duty: true } });
  await heartbeat(t, session);
  return { staff, session };
}

/** A heartbeat request (`POST` beats, `DELETE` ends) with a wrong CSRF token: refused, 403. */
async function forgedHeartbeat(t: StaffTestApp, session: TestSession, method: 'POST' | 'DELETE') {
  const r = await t.request('/api/me/heartbeat', { method, session, headers: { 'x-csrf-token': 'wrong' } });
  expect(r.status).toBe(403);
}

const onDutyCount = async (t: StaffTestApp, session: TestSession) =>
  (await api<{ on_duty: number }>(t, session, '/api/incidents')).on_duty;

const plan = '我今晚就要自杀，药已经准备好了';

describe('incidents: the crisis reply says only what is true (RISK-3, RISK-4)', () => {
  it('RISK-4: without an operator on duty the reply promises no person and carries the help lines', async () => {
    const { upstream, calls } = failingUpstream();
    const t = await app({ app: { upstream } });
    const r = await chat(t, 'ann', plan);
    for (const n of ['12356', '400-161-9995']) expect(r.content).toContain(n);
    expect(r.content).not.toContain('工作人员很快会加入');
    expect(r.compliance.session.state).toBe('human-takeover');
    expect(calls).toHaveLength(0);
    const incidents = (await t.store.incidents.listIncidents('active')).map((i) => i.reason);
    expect(incidents).toEqual(['crisis']);
  });

  it('RISK-4: with an operator on duty the reply says a trained person will join', async () => {
    const t = await app();
    await operator(t);
    const r = await chat(t, 'bob', plan);
    expect(r.content).toContain('工作人员很快会加入');
    expect(r.content).toContain('12356');
  });

  it('an operator who signed out no longer counts as on duty', async () => {
    const t = await app();
    const { session } = await operator(t);
    const list = await api<{ on_duty: number }>(t, session, '/api/incidents');
    expect(list.on_duty).toBe(1);
    await t.request('/api/logout', { method: 'POST', session });
    const other = await operator(t, false);
    expect((await api<{ on_duty: number }>(t, other.session, '/api/incidents')).on_duty).toBe(0);
  });
});

describe('incidents: on duty means the console is open now, not a login within 30 minutes (RISK-4)', () => {
  it('RISK-4: past staff.onDutyWindowSeconds without a heartbeat the operator is not counted and the user is promised nobody; one heartbeat counts again', async () => {
    const t = await app();
    const { session } = await operator(t);
    expect(await onDutyCount(t, session)).toBe(1);
    // The window is 90 s by default; requests other than the heartbeat (this list) do not count.
    t.clock.advance(89_000);
    expect(await onDutyCount(t, session)).toBe(1);
    t.clock.advance(1_000);
    expect(await onDutyCount(t, session)).toBe(0);
    const alone = await chat(t, 'fay', plan);
    expect(alone.content).toContain('12356');
    expect(alone.content).not.toContain('工作人员很快会加入');
    expect(alone.compliance.session.state).toBe('human-takeover');

    // Still signed in (the 30-minute session stays), the console beats again: counted again.
    await heartbeat(t, session);
    expect(await onDutyCount(t, session)).toBe(1);
    const helped = await chat(t, 'gus', plan);
    expect(helped.content).toContain('工作人员很快会加入');
  });

  it('the window is staff.onDutyWindowSeconds; a heartbeat needs the CSRF token and an operator session', async () => {
    const t = await app({ settings: { onDutyWindowSeconds: 300 } });
    const { session } = await operator(t);
    t.clock.advance(299_000);
    expect(await onDutyCount(t, session)).toBe(1);
    t.clock.advance(1_000);
    expect(await onDutyCount(t, session)).toBe(0);
    await forgedHeartbeat(t, session, 'POST');
    expect(await onDutyCount(t, session)).toBe(0);
    const compliance = await t.login(await t.addStaff('compliance'));
    expect((await t.request('/api/me/heartbeat', { method: 'POST', session: compliance })).status).toBe(403);
  });

  it('RISK-4: the console closing its queue (DELETE /api/me/heartbeat) stops the count at once, so a user in crisis is promised nobody', async () => {
    const t = await app();
    const { session } = await operator(t);
    expect(await onDutyCount(t, session)).toBe(1);
    await forgedHeartbeat(t, session, 'DELETE');
    expect(await onDutyCount(t, session)).toBe(1);
    const left = await t.request('/api/me/heartbeat', { method: 'DELETE', session });
    expect(left.status).toBe(204);
    // No time passed: the window has not run out, the queue is simply closed.
    expect(await onDutyCount(t, session)).toBe(0);
    const alone = await chat(t, 'hal', plan);
    expect(alone.content).not.toContain('工作人员很快会加入');
    expect(alone.content).toContain('12356');
    // Opened again: its first heartbeat counts.
    await heartbeat(t, session);
    expect(await onDutyCount(t, session)).toBe(1);
  });
});

describe('incidents: a claim counts only while its operator is there (RISK-4)', () => {
  /** An app whose operator has claimed `user`'s incident. */
  async function claimed(user: string) {
    const t = await app();
    const { session } = await operator(t);
    await chat(t, user, plan);
    const [incident] = await t.store.incidents.listIncidents('active');
    await api(t, session, `/api/incidents/${incident?.id}/claim`, { method: 'POST', body: {} });
    return { t, session };
  }
  /** The help lines, and no word of a person with the user or on the way. */
  function expectNobodyWithUser(left: Awaited<ReturnType<typeof chat>>) {
    expect(left.compliance.session.state).toBe('human-takeover');
    expect(left.compliance.directives.map((d) => d.type)).not.toContain('human-takeover');
    expect(left.compliance.directives.map((d) => d.type)).toContain('crisis-resources');
    expect(left.content).toContain('12356');
    expect(left.content).not.toContain('真人工作人员');
    expect(left.content).not.toContain('工作人员很快会加入');
  }

  it('RISK-4: once the console of the operator holding it stops beating, the user is not told a person is with them', async () => {
    const { t, session } = await claimed('hal');
    const held = await chat(t, 'hal', '你在吗');
    expect(held.content).toContain('真人工作人员');
    // The notice that a person is in the chat is a system text, not labelled as AI output (DISC-4 labels AI content; RISK-4).
    expect(held.compliance).toMatchObject({ author: 'system', label: null });
    t.clock.advance(90_000);
    // Signed in, but the queue has not been open for the window: nobody is with the user.
    expectNobodyWithUser(await chat(t, 'hal', '你还在吗'));
    await heartbeat(t, session);
    const back = await chat(t, 'hal', '有人吗');
    expect(back.compliance.directives.map((d) => d.type)).toContain('human-takeover');
  });

  it('RISK-4: once the operator holding it signs out, the user is no longer told a person is with them', async () => {
    const { t, session } = await claimed('eve');
    const held = await chat(t, 'eve', '你在吗');
    expect(held.compliance.directives.map((d) => d.type)).toContain('human-takeover');
    await t.request('/api/logout', { method: 'POST', session });
    expectNobodyWithUser(await chat(t, 'eve', '你还在吗'));
  });
});

describe('incidents: the operator takes over and hands back (RISK-4..6)', () => {
  it('RISK-4: open → claim → human message → close, with the upstream failing throughout', async () => {
    const { upstream, calls } = failingUpstream();
    const { notifier, opened } = recordingNotifier();
    const t = await app({ app: { upstream, notifier } });
    const op = await operator(t);
    const first = await chat(t, 'cat', plan);
    expect(first.compliance.session.state).toBe('human-takeover');
    const [incident] = (await api<{ data: IncidentWire[] }>(t, op.session, '/api/incidents')).data;
    expect(incident).toMatchObject({ user: 'cat', state: 'open', severity: 'critical', reason: 'crisis' });
    const id = incident?.id ?? '';
    // RISK-5: the notifier is asked (in the background) with the incident's ids, never text.
    await expect.poll(() => opened.map((i) => i.id)).toEqual([id]);

    const claimed = await api<IncidentWire>(t, op.session, `/api/incidents/${id}/claim`, { method: 'POST' });
    expect(claimed).toMatchObject({ state: 'claimed', claimed_by: op.staff.id });

    // Before the operator writes, the user is told a person is with them.
    const waiting = await chat(t, 'cat', '你是谁');
    expect(waiting.compliance.directives.map((d) => d.type)).toContain('human-takeover');
    expect(waiting.compliance.session.state).toBe('human-takeover');

    const text = '我是心理支持团队的小林，我在这里陪你。';
    const sent = await api<{ id: string }>(
      t,
      op.session,
      `/api/incidents/${id}/messages`,
      { method: 'POST', body: { text } },
      201,
    );
    const reply = await chat(t, 'cat', '真的有人吗');
    expect(reply.content).toBe(text);
    expect(reply.compliance.author).toBe('human');
    expect(reply.compliance.label).toBeNull();
    // Delivered once: the next turn gets the fixed notice, not the same message again.
    expect((await chat(t, 'cat', '嗯')).content).not.toContain('小林');

    // RISK-6: another character and a new chat keep the takeover.
    expect((await chat(t, 'cat', '换个角色聊', { character_id: 'leo' })).compliance.session.state).toBe(
      'human-takeover',
    );
    const fresh = await t.request('/v1/sessions', { method: 'POST', body: JSON.stringify({ user: 'cat' }) });
    expect(((await fresh.json()) as { compliance: ComplianceWire }).compliance.session.state).toBe(
      'human-takeover',
    );

    // DATA-1: the assigned operator reads the conversation with a purpose; it is audited.
    const read = await api<{ data: { id: string; author: string; content: string }[] }>(
      t,
      op.session,
      `/api/incidents/${id}/messages?purpose=${encodeURIComponent('crisis support')}`,
    );
    expect(read.data.map((m) => m.content)).toContain(plan);
    expect(read.data.find((m) => m.author === 'human')).toMatchObject({ id: sent.id, content: text });

    const closed = await api<IncidentWire>(t, op.session, `/api/incidents/${id}/close`, {
      method: 'POST',
      body: { outcome: 'safe' },
    });
    expect(closed).toMatchObject({ state: 'closed', outcome: 'safe' });
    const detail = await api<{ timeline: { type: string }[] }>(t, op.session, `/api/incidents/${id}`);
    expect(detail.timeline.map((e) => e.type)).toEqual(['opened', 'claimed', 'message', 'closed']);
    const figures = await api<{ claimed: number; outcomes: Record<string, number> }>(
      t,
      op.session,
      '/api/incidents/figures',
    );
    expect(figures).toMatchObject({ claimed: 1, outcomes: { safe: 1 } });
    const audit = (await t.store.listAudit()).map((e) => `${e.type}:${e.requirement}`);
    for (const e of [
      'incident-open:RISK-4',
      'takeover-start:RISK-4',
      'operator-message:RISK-4',
      'incident-close:RISK-6',
      'transcript-read:DATA-1',
    ]) {
      expect(audit).toContain(e);
    }
    // Safety never waited on the model: it was never called. After the close the model is asked again.
    expect(calls).toHaveLength(0);
    const after = await t.request('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'demo', user: 'cat', messages: [{ role: 'user', content: '谢谢' }] }),
    });
    expect(after.status).toBe(502);
    expect(calls).toHaveLength(1);
  });

  it('RISK-4: after a hand-back the AI answers again, with the operator’s safety instruction', async () => {
    const { upstream, calls } = recordingUpstream();
    const t = await app({ app: { upstream } });
    const op = await operator(t);
    await chat(t, 'dan', plan);
    const [incident] = await t.store.incidents.listIncidents('active');
    const id = incident?.id ?? '';
    await api(t, op.session, `/api/incidents/${id}/claim`, { method: 'POST' });
    expect(calls).toHaveLength(0);
    const back = await api<IncidentWire>(t, op.session, `/api/incidents/${id}/handback`, {
      method: 'POST',
      body: { instruction: 'Be gentle and remind them of the help lines.' },
    });
    expect(back.state).toBe('handed-back');
    const reply = await chat(t, 'dan', '我好一些了');
    expect(reply.content).toBe('ok');
    expect(reply.compliance.session.state).toBe('active');
    const system = calls[0]?.messages.filter((m) => m.role === 'system').map((m) => m.content) ?? [];
    expect(system.join('\n')).toContain('Be gentle and remind them of the help lines.');
    // The crisis messages never reach the model.
    expect(calls[0]?.messages.map((m) => m.content).join('\n')).not.toContain('自杀');
    // A new explicit plan takes the chat back from the AI, to the same operator.
    await chat(t, 'dan', plan);
    expect((await t.store.incidents.getIncident(id))?.state).toBe('claimed');
    expect(calls).toHaveLength(1);
  });
});

describe('incidents: nobody talks to silence', () => {
  it('RISK-4: an unclaimed incident escalates once on a fake clock; the user gets the fallback with the help lines', async () => {
    const { notifier, escalated } = recordingNotifier();
    const t = await app({ app: { notifier } });
    await chat(t, 'eve', plan);
    const [incident] = await t.store.incidents.listIncidents('active');
    expect(await t.sweeper.runDue(t.clock.now())).toEqual({ escalated: 0, cooledDown: 0 });
    t.clock.advance(5 * 60_000);
    const [a, b] = await Promise.all([t.sweeper.runDue(t.clock.now()), t.sweeper.runDue(t.clock.now())]);
    expect((a?.escalated ?? 0) + (b?.escalated ?? 0)).toBe(1);
    expect((await t.sweeper.runDue(t.clock.now())).escalated).toBe(0);
    await expect.poll(() => escalated.map((i) => i.id)).toEqual([incident?.id]);
    const fallback = await chat(t, 'eve', '还在吗');
    expect(fallback.content).toContain('12356');
    expect(fallback.content).toContain('还没能安排工作人员');
    expect(fallback.compliance.author).toBe('system');
    // RISK-6: the cooldown closes an incident nobody holds.
    t.clock.advance(72 * 60 * 60_000);
    expect((await t.sweeper.runDue(t.clock.now())).cooledDown).toBe(1);
    expect((await t.store.incidents.getIncident(incident?.id ?? ''))?.outcome).toBe('cooldown');
    expect((await chat(t, 'eve', '你好')).compliance.session.state).toBe('active');
  });
});

describe('incidents: roles and races', () => {
  it('two operators racing to claim: one wins, the other gets 409 incident-claimed', async () => {
    const t = await app();
    const a = await operator(t);
    const b = await operator(t);
    await chat(t, 'fay', plan);
    const [incident] = await t.store.incidents.listIncidents('active');
    const claim = (s: TestSession) =>
      t.request(`/api/incidents/${incident?.id}/claim`, { method: 'POST', session: s });
    const statuses = (await Promise.all([claim(a.session), claim(b.session)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
  });

  it('DATA-1: an operator cannot read or write a conversation not assigned to them', async () => {
    const t = await app();
    const a = await operator(t);
    const b = await operator(t);
    await chat(t, 'gus', plan);
    const [incident] = await t.store.incidents.listIncidents('active');
    const id = incident?.id ?? '';
    const purpose = '?purpose=crisis%20support';
    // Unclaimed: nobody reads it yet.
    const early = await t.request(`/api/incidents/${id}/messages${purpose}`, { session: b.session });
    expect(early.status).toBe(403);
    await api(t, a.session, `/api/incidents/${id}/claim`, { method: 'POST' });
    const read = await t.request(`/api/incidents/${id}/messages${purpose}`, { session: b.session });
    expect(read.status).toBe(403);
    const write = await t.request(`/api/incidents/${id}/messages`, {
      method: 'POST',
      session: b.session,
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(((await write.json()) as { code: string }).code).toBe('incident-claimed');
    const session = incident?.sessionId ?? '';
    const transcript = await t.request(`/api/sessions/${session}/messages${purpose}`, { session: b.session });
    expect(transcript.status).toBe(403);
    expect(
      (await t.request(`/api/sessions/${session}/messages${purpose}`, { session: a.session })).status,
    ).toBe(200);
    const noPurpose = await t.request(`/api/incidents/${id}/messages`, { session: a.session });
    expect(((await noPurpose.json()) as { code: string }).code).toBe('purpose-required');
  });

  it('an app key cannot reach /api/incidents', async () => {
    const t = await app();
    const key = await t.createKey();
    for (const [method, path] of [
      ['GET', '/api/incidents'],
      ['POST', '/api/incidents/x/claim'],
      ['PUT', '/api/me/duty'],
    ] as const) {
      const r = await t.request(path, { method, apiKey: key, body: method === 'GET' ? undefined : '{}' });
      expect([401, 403]).toContain(r.status);
    }
  });

  it('ELDER-4 / RISK-5: a scam signal of an elderly user opens a high incident without taking over the chat', async () => {
    const { upstream, calls } = recordingUpstream();
    const t = await app({ app: { upstream } });
    const put = await t.request('/v1/users/hal', { method: 'PUT', body: JSON.stringify({ age: 72 }) });
    expect(put.status).toBe(200);
    const r = await chat(t, 'hal', '银行客服说要我把钱转到安全账户，还要我提供验证码');
    expect(r.compliance.directives.map((d) => d.type)).toContain('risk-warning');
    expect(calls).toHaveLength(1);
    const [incident] = await t.store.incidents.listIncidents('active');
    expect(incident).toMatchObject({ severity: 'high', reason: 'scam' });
    expect((await chat(t, 'hal', '你好')).compliance.session.state).toBe('active');
  });

  it('an operator opens an incident on their own judgement', async () => {
    const t = await app();
    const op = await operator(t);
    await chat(t, 'ivy', '你好');
    const created = await api<IncidentWire>(
      t,
      op.session,
      '/api/incidents',
      { method: 'POST', body: { user: 'ivy', reason_note: 'worrying pattern over several days' } },
      201,
    );
    expect(created).toMatchObject({ user: 'ivy', reason: 'operator', severity: 'critical', state: 'open' });
    expect((await chat(t, 'ivy', '在吗')).compliance.session.state).toBe('human-takeover');
  });
});
