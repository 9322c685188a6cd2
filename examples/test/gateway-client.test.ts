/**
 * `@companion-guard/client`'s gateway calls against a real gateway (SQLite, the demo model, the official
 * `openai` client for the chat): profiles, new chat, exit, errors with stable codes, API keys, and the
 * session events stream through an operator's takeover to the session's end.
 */
import { randomBytes } from 'node:crypto';
import {
  type Compliance,
  complianceOf,
  createGatewayClient,
  errorOf,
  GatewayError,
  type SessionEvent,
} from '@companion-guard/client';
import { CgError } from '@companion-guard/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../packages/gateway/src/server/auth/api-keys.js';
import { addStaffAccount } from '../../packages/gateway/src/server/auth/staff-auth.js';
import type { ChatUpstream } from '../../packages/gateway/src/upstream/upstream.js';
import { type Harness, startHarness } from '../../packages/gateway/test/e2e/helpers.js';

/** The demo characters plus a virtual partner and a virtual grandson (MINOR-3, ELDER-3). */
const characters = [
  { id: 'xiaonuan', name: { zh: '小暖', en: 'Xiaonuan' }, relation: 'friend' },
  { id: 'leo', name: { zh: '阿乐', en: 'Leo' }, relation: 'friend' },
  { id: 'study-buddy', name: { zh: '学习助手', en: 'Study buddy' }, scope: 'tool', relation: 'assistant' },
  { id: 'beau', name: { zh: '阿澈', en: 'Beau' }, relation: 'partner' },
  { id: 'grandson', name: { zh: '乖孙', en: 'Grandson' }, relation: 'kin' },
];

describe('the client package against a real gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { characters } });
  });
  afterAll(() => h.stop());
  const gateway = () => createGatewayClient({ baseURL: `${h.server.url}/v1` });
  const chat = async (user: string, content: string) =>
    complianceOf(
      await h.client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] }),
    ) as Compliance;

  it('REG-1: updateProfile registers and updates, getProfile reads; errors carry the stable code', async () => {
    const g = gateway();
    const user = 'client-profile/1'; // a path separator in the id is encoded
    const saved = await g.updateProfile(user, {
      age: 34,
      timezone: 'Asia/Shanghai',
      locale: 'zh',
      emergency_contact: { name: '王芳', phone: '+86 138 0000 1234' },
    });
    expect(saved).toMatchObject({
      user,
      age: 34,
      age_band: 'adult',
      timezone: 'Asia/Shanghai',
      locale: 'zh',
    });
    expect(saved.emergency_contact).toEqual({ name: '王芳', email: null, phone: '+86 138 0000 1234' });
    expect(await g.getProfile(user)).toEqual(saved);
    const cleared = await g.updateProfile(user, { emergency_contact: null });
    expect(cleared.emergency_contact).toBeNull();

    const unknown = await g.getProfile('client-nobody').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(GatewayError);
    expect(unknown).toMatchObject({ status: 404, code: 'not-found' });
    await expect(g.updateProfile(user, { age: 200 })).rejects.toMatchObject({
      status: 400,
      code: 'invalid-request',
      message: 'age: must be 0–130',
    });
  });

  it('MINOR-3: listCharacters lists the characters to offer; for a minor, none that plays a partner or kin', async () => {
    const g = gateway();
    const all = await g.listCharacters();
    const ids = (list: typeof all) => list.data.map((c) => c.id).sort();
    expect(ids(all)).toEqual(characters.map((c) => c.id).sort());
    expect(all.data.map((c) => c.id)).toContain(all.default_character_id);
    expect(all.data.find((c) => c.id === 'beau')).toMatchObject({
      name: { zh: '阿澈', en: 'Beau' },
      relation: 'partner',
    });
    await g.updateProfile('client-minor', { age: 15 });
    const forMinor = await g.listCharacters({ user: 'client-minor' });
    expect(ids(forMinor)).toEqual(['leo', 'study-buddy', 'xiaonuan']);
  });

  it('DISC-2: newChat starts a fresh session with the AI notice, in the asked locale', async () => {
    const g = gateway();
    const user = 'client-new-chat';
    const before = await chat(user, '你好');
    const fresh = await g.newChat(user, { locale: 'en' });
    expect(fresh.session.state).toBe('active');
    expect(fresh.session.id).not.toBe(before.session.id);
    expect(fresh.directives.map((d) => [d.type, d.requirement])).toEqual([['ai-disclosure', 'DISC-2']]);
    expect(fresh.directives[0]?.text).toMatch(/\bAI\b/);
    expect(fresh.directives[0]?.text).not.toMatch(/[\u4e00-\u9fff]/);
    // The next chat call continues the new session.
    expect((await chat(user, 'hello again')).session.id).toBe(fresh.session.id);
    await expect(g.newChat(user, { characterId: 'no-such-character' })).rejects.toMatchObject({
      code: 'unknown-character',
    });
  });

  it('EXIT-1 / EXIT-2: exit by button or voice ends the session; only its own user may end it', async () => {
    const g = gateway();
    const a = await chat('client-exit-a', 'hi');
    await expect(g.exit(a.session.id, 'client-someone-else')).rejects.toMatchObject({ code: 'not-found' });
    const voice = await g.exit(a.session.id, 'client-exit-a', { via: 'voice', locale: 'en' });
    expect(voice.directives.map((d) => [d.type, d.requirement])).toEqual([
      ['exit-confirmed', 'EXIT-2'],
      ['session-ended', 'EXIT-3'],
    ]);
    expect(voice.session).toEqual({ id: a.session.id, state: 'ended' });
    // An ended session's stream says so at once and ends.
    const events: SessionEvent[] = [];
    for await (const e of g.sessionEvents(a.session.id, 'client-exit-a')) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['session-ended']);
    // Another user's session is not found, and not retried.
    await expect(
      (async () => {
        for await (const _ of g.sessionEvents(a.session.id, 'client-someone-else', { minDelayMs: 1 })) {
          /* nothing arrives */
        }
      })(),
    ).rejects.toMatchObject({ status: 404, code: 'not-found' });
  });

  it('RISK-4: the session events stream carries the takeover, the operator’s messages and the end', async () => {
    const user = `client-crisis-${randomBytes(3).toString('hex')}`;
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    const email = `${user}@cg.example`;
    await addStaffAccount(h.server.store, { email, role: 'operator', password, now: Date.now(), by: 'test' });
    const login = await fetch(`${h.server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
    const staff = async (path: string, method = 'GET', body?: unknown) => {
      const res = await fetch(`${h.server.url}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return res.json() as Promise<Record<string, unknown>>;
    };
    await staff('/api/me/duty', 'PUT', { on_duty: true });

    const crisis = await chat(user, '我已经写好遗书了，今晚就从楼顶跳下去');
    expect(crisis.session.state).toBe('human-takeover');
    const help = crisis.directives.find((d) => d.type === 'crisis-resources');
    expect(help?.type === 'crisis-resources' && help.data.hotlines.map((x) => x.number)).toContain('12356');
    const { data } = (await staff('/api/incidents')) as { data: { id: string; user: string }[] };
    const incidentId = data.find((i) => i.user === user)?.id ?? '';

    const g = gateway();
    const events: SessionEvent[] = [];
    let opened!: () => void;
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    let next!: () => void;
    let arrived = new Promise<void>((resolve) => {
      next = resolve;
    });
    const waitFor = async (count: number) => {
      while (events.length < count) await arrived;
    };
    const listening = (async () => {
      for await (const e of g.sessionEvents(crisis.session.id, user, { onOpen: opened })) {
        events.push(e);
        const done = next;
        arrived = new Promise<void>((resolve) => {
          next = resolve;
        });
        done();
      }
    })();
    await open;

    await staff(`/api/incidents/${incidentId}/claim`, 'POST', {});
    await waitFor(1);
    const text = '我是危机干预员，我在这里陪着你。';
    const sent = await staff(`/api/incidents/${incidentId}/messages`, 'POST', { text });
    await waitFor(2);
    await gateway().exit(crisis.session.id, user);
    await listening;

    const session = { id: crisis.session.id };
    expect(events).toEqual([
      {
        type: 'takeover-start',
        compliance: expect.objectContaining({ session: { ...session, state: 'human-takeover' } }),
      },
      {
        type: 'operator-message',
        message: { id: sent.id, content: text, created_at: expect.any(String) },
        compliance: {
          author: 'human',
          directives: [],
          label: null,
          session: { ...session, state: 'human-takeover' },
        },
      },
      {
        type: 'session-ended',
        compliance: { directives: [], label: null, session: { ...session, state: 'ended' } },
      },
    ]);
  });

  it('sends the API key of a keyed gateway; without it, unauthorized (last: the gateway stays keyed)', async () => {
    const { secret } = await createApiKey(h.server.store, { label: 'app', now: Date.now(), by: 'test' });
    await h.restart();
    const user = 'client-keyed';
    await expect(gateway().newChat(user)).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    const keyed = createGatewayClient({ baseURL: `${h.server.url}/v1/`, apiKey: secret });
    const fresh = await keyed.newChat(user);
    expect(fresh.session.state).toBe('active');
    const events: SessionEvent[] = [];
    await keyed.exit(fresh.session.id, user);
    for await (const e of keyed.sessionEvents(fresh.session.id, user)) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['session-ended']);
  });
});

describe('errors of the openai client read with errorOf', () => {
  let h: Harness;
  beforeAll(async () => {
    const failing: ChatUpstream = {
      name: 'failing',
      // biome-ignore lint/correctness/useYield: it fails before its first piece of text
      async *stream() {
        throw new CgError('upstream-error');
      },
    };
    h = await startHarness({ upstream: failing });
  });
  afterAll(() => h.stop());

  it('a failed non-streamed turn: an APIError with the code and status; no envelope in it', async () => {
    const e = await h.client.chat.completions
      .create({ model: 'demo', user: 'client-errors', messages: [{ role: 'user', content: 'hi' }] })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.APIError);
    expect(errorOf(e)).toEqual({ code: 'upstream-error', message: expect.any(String), status: 502 });
    expect(complianceOf(e)).toBeNull();
  });

  it('a stream that fails: the first chunk’s envelope, then the error the openai client throws', async () => {
    const stream = await h.client.chat.completions.create({
      model: 'demo',
      user: 'client-errors-stream',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const envelopes: Compliance[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) {
        const c = complianceOf(chunk);
        if (c) envelopes.push(c);
      }
    })().catch((x: unknown) => x);
    expect(envelopes.map((c) => c.directives.map((d) => d.type))).toEqual([['ai-disclosure']]);
    expect(errorOf(failure)).toMatchObject({ code: 'upstream-error', status: null });
  });
});
