import type { LiveEvents } from '@companion-guard/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app/harness.js';
import { sseReader } from '../../../test/sse.js';
import { createStaffTestApp, type StaffTestApp } from '../../../test/staff-app.js';
import { createInProcessEvents } from '../../events/in-process-events.js';
import { hashApiKey } from '../auth/api-keys.js';

/**
 * In-process events that count a stream's live subscriptions, its session's and its user's channels (to see
 * it let go of them); the app's own always-on ones (`users`, service controls) are not counted.
 */
function countingEvents() {
  const inner = createInProcessEvents();
  const live = { count: 0 };
  const events: LiveEvents = {
    publish: (channel, event) => inner.publish(channel, event),
    subscribe(channel, listener) {
      const counted = channel.startsWith('session:') || channel.startsWith('user:');
      if (counted) live.count++;
      const off = inner.subscribe(channel, listener);
      let done = false;
      return Object.assign(
        () => {
          if (!done && counted) live.count--;
          done = true;
          off();
        },
        { ready: off.ready },
      );
    },
    close: () => inner.close(),
  };
  return { events, live };
}

const at = '2026-03-01T08:00:00.000Z';
/** An explicit suicide plan (tier 2): opens an incident and puts the session in human takeover. */
const plan = '我今晚就要自杀，药已经准备好了';

async function chat(t: TestApp | StaffTestApp, user: string, content: string) {
  const r = await t.request('/v1/chat/completions', {
    method: 'POST',
    body: JSON.stringify({ model: 'demo', user, messages: [{ role: 'user', content }] }),
  });
  expect(r.status).toBe(200);
  const body = (await r.json()) as {
    choices: { message: { content: string } }[];
    compliance: { session: { id: string; state: string } };
  };
  return { content: body.choices[0]?.message.content ?? '', session: body.compliance.session };
}

describe('GET /api/incidents/events (RISK-4: the live incident queue)', () => {
  let t: StaffTestApp;
  afterEach(async () => t.close());

  it('streams incident events to an operator as they happen, each with the incident, nothing replayed', async () => {
    t = await createStaffTestApp();
    const operator = await t.login(await t.addStaff('operator'));
    const earlier = await chat(t, 'earlier-user', plan); // opens an incident before the feed connects
    expect(earlier.session.state).toBe('human-takeover');
    const response = await t.request('/api/incidents/events', { session: operator });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const feed = sseReader(response);
    await feed.ready();
    const { session } = await chat(t, 'feed-user', plan);
    const opened = await feed.nextEvent();
    expect(opened).toMatchObject({
      event: 'incident',
      data: {
        type: 'incident-opened',
        incident: {
          user: 'feed-user',
          session_id: session.id,
          state: 'open',
          reason: 'crisis',
          claimed_by: null,
        },
      },
    });
    const id = (opened as { data: { incident: { id: string } } }).data.incident.id;
    const claim = await t.request(`/api/incidents/${id}/claim`, { method: 'POST', session: operator });
    expect(claim.status).toBe(200);
    expect((await feed.nextEvent())?.data).toMatchObject({
      type: 'incident-claimed',
      incident: { id, state: 'claimed', claimed_at: expect.any(String) },
    });
    // Ids and facts only: nothing the user wrote is on the feed.
    expect(JSON.stringify(opened)).not.toContain('自杀');
    await feed.cancel();
  });

  it('is the operators’ only: an app key and other roles are refused', async () => {
    t = await createStaffTestApp();
    const auditor = await t.login(await t.addStaff('auditor'));
    expect((await t.request('/api/incidents/events', { session: auditor })).status).toBe(403);
    const apiKey = await t.createKey();
    expect((await t.request('/api/incidents/events', { apiKey })).status).toBe(403);
  });
});

describe('GET /v1/sessions/:id/events: operator messages (RISK-4)', () => {
  let t: StaffTestApp;
  afterEach(async () => t.close());

  /** A user in crisis, the incident open; `post` acts on the incident as an operator. */
  async function inCrisis(user: string) {
    t = await createStaffTestApp();
    const operator = await t.login(await t.addStaff('operator'));
    const { session } = await chat(t, user, plan);
    const list = await t.request('/api/incidents', { session: operator });
    const [incident] = ((await list.json()) as { data: { id: string }[] }).data;
    const post = (path: string, body: unknown = {}) =>
      t.request(`/api/incidents/${incident?.id}${path}`, {
        method: 'POST',
        session: operator,
        body: JSON.stringify(body),
      });
    return { session, post };
  }

  it('sends an operator’s message marked human, once: neither a later stream nor the next chat call repeats it', async () => {
    const { session, post } = await inCrisis('taken-over');
    const stream = sseReader(await t.request(`/v1/sessions/${session.id}/events?user=taken-over`));
    await stream.ready();
    expect((await post('/claim')).status).toBe(200);
    expect((await stream.nextEvent())?.data).toMatchObject({ type: 'takeover-start' });
    const sent = await post('/messages', { text: '我是值班的李老师，我在这里陪你。' });
    expect(sent.status).toBe(201);
    const { id: messageId } = (await sent.json()) as { id: string };
    expect((await stream.nextEvent())?.data).toEqual({
      type: 'operator-message',
      message: { id: messageId, content: '我是值班的李老师，我在这里陪你。', created_at: expect.any(String) },
      compliance: {
        author: 'human',
        directives: [],
        label: null,
        session: { id: session.id, state: 'human-takeover' },
      },
    });
    const second = sseReader(await t.request(`/v1/sessions/${session.id}/events?user=taken-over`));
    await second.ready();
    const next = await chat(t, 'taken-over', '嗯');
    expect(next.content).not.toContain('李老师');
    // The later stream had nothing waiting: its first event is the one published now.
    await t.events.publish(`session:${session.id}`, { type: 'takeover-end', at });
    expect((await second.nextEvent())?.data).toMatchObject({ type: 'takeover-end' });
    await Promise.all([stream.cancel(), second.cancel()]);
  });

  it('ends when the app’s key is revoked: nothing more is sent on it', async () => {
    const { session, post } = await inCrisis('revoked-app');
    const key = await t.createKey();
    await t.createKey(); // another app's key stays: the server does not fall back to keyless mode
    const stream = sseReader(
      await t.request(`/v1/sessions/${session.id}/events?user=revoked-app`, { apiKey: key }),
    );
    await stream.ready();
    expect((await post('/claim')).status).toBe(200);
    expect((await stream.nextEvent())?.data).toMatchObject({ type: 'takeover-start' });
    const record = await t.store.findApiKeyByHash(hashApiKey(key));
    await t.store.revokeApiKey(record?.id ?? '', t.clock.now());
    t.auth.apiKeysChanged();
    expect((await post('/messages', { text: '我是值班的李老师。' })).status).toBe(201);
    expect(await stream.nextEvent()).toBeNull();
  });

  it('delivers what waited while the app was not listening as soon as it connects', async () => {
    const { session, post } = await inCrisis('away-user');
    expect((await post('/claim')).status).toBe(200);
    expect((await post('/messages', { text: 'Are you safe right now?' })).status).toBe(201);
    const stream = sseReader(await t.request(`/v1/sessions/${session.id}/events?user=away-user`));
    await stream.ready();
    expect((await stream.nextEvent())?.data).toMatchObject({
      type: 'operator-message',
      message: { content: 'Are you safe right now?' },
      compliance: { author: 'human', label: null },
    });
    await stream.cancel();
  });
});

describe('GET /v1/sessions/:id/events (the app’s live session stream)', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  const hello = async (user: string) => (await chat(t, user, '你好')).session.id;

  it('answers 404 for a session that is not the user’s, creating no user; 400 without a user', async () => {
    t = await createTestApp();
    const sessionId = await hello('owner-1');
    const users = () =>
      new Database(t.dbFile, { readonly: true }).prepare('select count(*) as n from users').get();
    const before = users();
    const stranger = await t.request(`/v1/sessions/${sessionId}/events?user=stranger-1`);
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe('not-found');
    expect((await t.request('/v1/sessions/no-such-session/events?user=owner-1')).status).toBe(404);
    expect(users()).toEqual(before);
    const anonymous = await t.request(`/v1/sessions/${sessionId}/events`);
    expect(anonymous.status).toBe(400);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('missing-user');
  });

  it('EXIT-3: streams takeover events with the session state, then session-ended on exit, and closes', async () => {
    const { events, live } = countingEvents();
    t = await createTestApp({ events });
    const sessionId = await hello('owner-2');
    const stream = sseReader(await t.request(`/v1/sessions/${sessionId}/events?user=owner-2`));
    await stream.ready();
    expect(live.count).toBe(2); // the session's channel and the user's (COMPLAINT-1 replies)
    await events.publish(`session:${sessionId}`, { type: 'takeover-start', at });
    await events.publish(`session:${sessionId}`, { type: 'unknown-kind', at }); // not the app's business
    expect((await stream.nextEvent())?.data).toEqual({
      type: 'takeover-start',
      compliance: { directives: [], label: null, session: { id: sessionId, state: 'active' } },
    });
    const exit = await t.post(`/v1/sessions/${sessionId}/exit`, { user: 'owner-2' });
    expect(exit.status).toBe(200);
    expect((await stream.nextEvent())?.data).toEqual({
      type: 'session-ended',
      compliance: { directives: [], label: null, session: { id: sessionId, state: 'ended' } },
    });
    expect(await stream.next()).toBeNull(); // the server closed the stream
    await expect.poll(() => live.count).toBe(0);
    // Listening to an ended session: told at once, then closed.
    const late = sseReader(await t.request(`/v1/sessions/${sessionId}/events?user=owner-2`));
    await late.ready();
    expect((await late.nextEvent())?.data).toMatchObject({ type: 'session-ended' });
    expect(await late.next()).toBeNull();
  });

  it('lets go of the channel when the client goes away', async () => {
    const { events, live } = countingEvents();
    t = await createTestApp({ events });
    const sessionId = await hello('owner-3');
    const stream = sseReader(await t.request(`/v1/sessions/${sessionId}/events?user=owner-3`));
    await stream.ready();
    expect(live.count).toBe(2); // the session's channel and the user's (COMPLAINT-1 replies)
    await stream.cancel();
    await expect.poll(() => live.count).toBe(0);
  });
});
