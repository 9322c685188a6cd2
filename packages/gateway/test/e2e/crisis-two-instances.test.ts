/**
 * Issue 7, end to end (RISK-2..6, ELDER-2, EXIT-3): two real gateway instances on one PostgreSQL schema and
 * one Redis, the official `openai` client for the user on instance A, an operator signed in over HTTP on
 * instance B, a real SMTP server and a real webhook receiver on loopback. The upstream fails throughout
 * until the operator hands the session back.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CgError } from '@companion-guard/core';
import OpenAI from 'openai';
import { afterAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/serve.js';
import { createLogger } from '../../src/logger.js';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import type { ChatUpstream, UpstreamRequest } from '../../src/upstream/upstream.js';
import { smtpSink, webhookReceiver } from '../notify-capture.js';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { describeRedis, redisUrl } from '../redis.js';
import { sseReader } from '../sse.js';
import { complianceOf } from './helpers.js';

/** The model: failing (`upstream-error`) until switched to working; every request is recorded. */
function switchableUpstream() {
  const state = { working: false, requests: [] as UpstreamRequest[] };
  const upstream: ChatUpstream = {
    name: 'switchable',
    async *stream(request) {
      state.requests.push(request);
      if (!state.working) throw new CgError('upstream-error', 'upstream down');
      yield '我在呢，我们慢慢聊。';
    },
  };
  return { upstream, state };
}

/** Waits (bounded) until `check` holds; real I/O across processes' loops, not timed behaviour. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describePostgres('issue 7 end to end: two instances, PostgreSQL', () => {
  const admin = adminPool();
  afterAll(async () => {
    await admin.end();
  });

  describeRedis('and Redis', () => {
    it('RISK-2..6, ELDER-2: crisis reply with help lines, live incident on the other instance, operator talks, contacts notified, hand-back; the upstream down throughout', async () => {
      const { url: databaseUrl } = await createTestSchema(admin, 'cg_issue7');
      const smtp = await smtpSink();
      const secret = `whsec-${randomBytes(12).toString('hex')}`;
      const hooks = await webhookReceiver({ secret });
      const dataDir = await mkdtemp(join(tmpdir(), 'cg-issue7-'));
      const configFile = join(dataDir, 'config.json');
      await writeFile(
        configFile,
        JSON.stringify({
          redis: { prefix: `cg-issue7-${randomBytes(4).toString('hex')}:` },
          notify: {
            webhooks: [{ url: hooks.url, secret, audience: 'all' }],
            smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'safety@cg.example' },
            pollMs: 100,
          },
        }),
      );
      const logs: string[] = [];
      const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
      const { upstream, state } = switchableUpstream();
      const start = () =>
        startServer({
          port: 0,
          dataDir,
          configFile,
          env: { COMPANION_GUARD_DATABASE_URL: databaseUrl, COMPANION_GUARD_REDIS_URL: redisUrl ?? '' },
          logger,
          upstream,
        });
      const servers: RunningServer[] = [];
      const streams: { cancel(): Promise<unknown> }[] = [];
      try {
        const a = await start();
        servers.push(a);
        const b = await start();
        servers.push(b);
        expect(logs.filter((l) => l.includes('"events":"redis"'))).toHaveLength(2);

        // The user's app registers an emergency contact (REG-1) on instance A.
        const user = `user-${randomBytes(4).toString('hex')}`;
        const profile = await fetch(`${a.url}/v1/users/${user}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            age: 34,
            emergency_contact: {
              name: '王芳',
              email: 'wang.fang@family.example',
              phone: '+86 138 0000 1234',
            },
          }),
        });
        expect(profile.status, await profile.clone().text()).toBe(200);

        // An operator signs in on instance B over HTTP, goes on duty and opens the live queue.
        const password = `pw-${randomBytes(9).toString('base64url')}`;
        await addStaffAccount(b.store, {
          email: 'duty@cg.example',
          role: 'operator',
          password,
          now: Date.now(),
          by: 'test',
        });
        const login = await fetch(`${b.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'duty@cg.example', password }),
        });
        expect(login.status).toBe(200);
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
        const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
        const staff = (path: string, method = 'GET', body?: unknown) =>
          fetch(`${b.url}${path}`, {
            method,
            headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
        expect((await staff('/api/me/duty', 'PUT', { on_duty: true })).status).toBe(200);
        // The console's heartbeat: the crisis queue is open (on duty needs both).
        expect((await staff('/api/me/heartbeat', 'POST')).status).toBe(204);
        const feed = sseReader(await staff('/api/incidents/events'));
        streams.push(feed);
        await feed.ready();

        // RISK-2/3: an explicit plan on instance A: help lines in the reply's own content, no model output.
        const client = new OpenAI({ apiKey: 'not-needed', baseURL: `${a.url}/v1`, maxRetries: 0 });
        const plan = '我已经写好遗书了，今晚就从楼顶跳下去';
        const crisis = await client.chat.completions.create({
          model: 'demo',
          user,
          messages: [{ role: 'user', content: plan }],
        });
        const crisisText = crisis.choices[0]?.message.content ?? '';
        for (const number of ['12356', '400-161-9995']) expect(crisisText).toContain(number);
        const sessionId = complianceOf(crisis).session.id;
        expect(complianceOf(crisis).session.state).toBe('human-takeover');
        expect(state.requests).toHaveLength(0);

        // RISK-4: the incident reaches the operator's feed on the other instance.
        const opened = await feed.nextEvent(5000);
        expect(opened).toMatchObject({
          event: 'incident',
          data: {
            type: 'incident-opened',
            incident: { user, session_id: sessionId, severity: 'critical', reason: 'crisis', state: 'open' },
          },
        });
        const incidentId = (opened as { data: { incident: { id: string } } }).data.incident.id;

        // The user's app listens to the session's events on instance A.
        const events = sseReader(await fetch(`${a.url}/v1/sessions/${sessionId}/events?user=${user}`));
        streams.push(events);
        await events.ready();

        // The operator claims and writes from instance B.
        expect((await staff(`/api/incidents/${incidentId}/claim`, 'POST', {})).status).toBe(200);
        expect((await events.nextEvent(5000))?.data).toMatchObject({ type: 'takeover-start' });
        const first = '我是危机干预员小林，我现在就在这里陪着你。你现在安全吗？';
        const sent = await staff(`/api/incidents/${incidentId}/messages`, 'POST', { text: first });
        expect(sent.status).toBe(201);
        const firstId = ((await sent.json()) as { id: string }).id;
        expect((await events.nextEvent(5000))?.data).toEqual({
          type: 'operator-message',
          message: { id: firstId, content: first, created_at: expect.any(String) },
          compliance: {
            author: 'human',
            directives: [],
            label: null,
            session: { id: sessionId, state: 'human-takeover' },
          },
        });
        await events.cancel();

        // While the app does not listen, the next message comes with the user's next call, marked human.
        const second = '我会一直在线。能告诉我你现在在哪里吗？';
        expect((await staff(`/api/incidents/${incidentId}/messages`, 'POST', { text: second })).status).toBe(
          201,
        );
        const reply = await client.chat.completions.create({
          model: 'demo',
          user,
          messages: [{ role: 'user', content: '我在家里' }],
        });
        expect(reply.choices[0]?.message.content).toBe(second);
        expect(complianceOf(reply)).toMatchObject({
          author: 'human',
          label: null,
          session: { id: sessionId, state: 'human-takeover' },
        });
        expect(state.requests).toHaveLength(0);

        // RISK-5 / ELDER-2: the emergency contact gets an e-mail over real SMTP and a signed webhook goes out.
        await until('the e-mail to the emergency contact', () =>
          smtp.mails.some((m) => m.to.includes('wang.fang@family.example')),
        );
        await until('a signed webhook', () => hooks.calls.some((c) => c.body.type === 'incident.opened'));
        expect(hooks.calls.every((c) => c.verified)).toBe(true);
        const incident = async () =>
          (await (await staff(`/api/incidents/${incidentId}`)).json()) as Record<string, unknown>;
        // The contact time is recorded after the send; an operator's change racing it conflicts and retries
        // rather than writing it back to null (that lost update once left it unset). A failure shows the logs.
        await expect
          .poll(async () => (await incident()).contact_notified_at, { timeout: 10_000 })
          .not.toBeNull()
          .catch((e: Error) => {
            throw new Error(
              `${e.message}\n${logs.filter((l) => /"level":"(warn|error)"/.test(l)).join('\n')}`,
            );
          });
        const current = await incident();
        expect(current).toMatchObject({ state: 'claimed', first_human_message_at: expect.any(String) });

        // The operator hands back with a safety instruction; the model works again and the AI resumes.
        const instruction = '用户刚经历危机：语气温和，不要讨论自伤方法，适时提醒热线 12356。';
        expect((await staff(`/api/incidents/${incidentId}/handback`, 'POST', { instruction })).status).toBe(
          200,
        );
        state.working = true;
        const resumed = await client.chat.completions.create({
          model: 'demo',
          user,
          messages: [{ role: 'user', content: '谢谢你们，我好一些了' }],
        });
        expect(resumed.choices[0]?.message.content).toBe('我在呢，我们慢慢聊。');
        expect(complianceOf(resumed).label).not.toBeNull();
        expect(complianceOf(resumed).session.state).not.toBe('human-takeover');
        expect(state.requests).toHaveLength(1);
        expect(JSON.stringify(state.requests[0]?.messages)).toContain(instruction);

        // Each alert went out once although both instances run a delivery loop.
        const contactMails = smtp.mails.filter((m) => m.to.includes('wang.fang@family.example'));
        expect(contactMails).toHaveLength(1);
        const keys = hooks.calls.map((c) => c.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);

        // Nothing the user or the operator wrote is in the logs of either instance.
        const logText = logs.join('\n');
        for (const text of [plan, first, second, instruction, '楼顶', '小林'])
          expect(logText).not.toContain(text);
      } finally {
        for (const s of streams) await s.cancel();
        for (const s of servers) await s.close();
        await smtp.close();
        await hooks.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
