import type { LiveEvents } from '@companion-guard/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app/harness.js';
import { sseReader } from '../../../test/sse.js';
import { createStaffTestApp, type StaffTestApp } from '../../../test/staff-app.js';
import { createInProcessEvents } from '../../events/in-process-events.js';

/** In-process events that count live subscriptions (to see a stream let go of its channel). */
function countingEvents() {
  const inner = createInProcessEvents();
  const live = { count: 0 };
  const events: LiveEvents = {
    publish: (channel, event) => inner.publish(channel, event),
    subscribe(channel, listener) {
      live.count++;
      const off = inner.subscribe(channel, listener);
      let done = false;
      return Object.assign(
        () => {
          if (!done) live.count--;
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

describe('GET /api/incidents/events (RISK-4: the live incident queue)', () => {
  let t: StaffTestApp;
  afterEach(async () => t.close());

  it('streams incident events to an operator as they happen, with nothing replayed on connect', async () => {
    t = await createStaffTestApp();
    const operator = await t.login(await t.addStaff('operator'));
    await t.events.publish('incidents', { type: 'incident-opened', incident_id: 'before', at });
    const response = await t.request('/api/incidents/events', { session: operator });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const feed = sseReader(response);
    await feed.ready();
    await t.events.publish('incidents', { type: 'incident-opened', incident_id: 'inc-1', at });
    await t.events.publish('incidents', { type: 'incident-claimed', incident_id: 'inc-1', at });
    const first = await feed.nextEvent();
    expect(first).toMatchObject({
      event: 'incident',
      data: { type: 'incident-opened', incident: { id: 'inc-1' } },
    });
    expect((await feed.nextEvent())?.data).toMatchObject({ type: 'incident-claimed' });
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

describe('GET /v1/sessions/:id/events (the app’s live session stream)', () => {
  let t: TestApp;
  afterEach(async () => t.close());

  async function chat(user: string): Promise<string> {
    const r = await t.post('/v1/chat/completions', {
      model: 'demo',
      user,
      messages: [{ role: 'user', content: '你好' }],
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { compliance: { session: { id: string } } }).compliance.session.id;
  }

  it('answers 404 for a session that is not the user’s, creating no user; 400 without a user', async () => {
    t = await createTestApp();
    const sessionId = await chat('owner-1');
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
    const sessionId = await chat('owner-2');
    const stream = sseReader(await t.request(`/v1/sessions/${sessionId}/events?user=owner-2`));
    await stream.ready();
    expect(live.count).toBe(1);
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
    const sessionId = await chat('owner-3');
    const stream = sseReader(await t.request(`/v1/sessions/${sessionId}/events?user=owner-3`));
    await stream.ready();
    expect(live.count).toBe(1);
    await stream.cancel();
    await expect.poll(() => live.count).toBe(0);
  });
});
