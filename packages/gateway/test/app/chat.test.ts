/**
 * The gateway in-process: `createApp` from real parts (SQLite in a temp dir, real detection and chat
 * service, fake clock, a driven or demo upstream), exercised through `app.request()` without sockets.
 */
import { CgError, isCgError, type SessionState, type Store } from '@companion-guard/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComplianceWire } from '../../src/index.js';
import { describePostgres, useTestSchemas } from '../postgres.js';
import { controlledUpstream, createTestApp, sseReader, type TestApp, testHost } from './harness.js';

interface ErrorWire {
  error: { code: string; type: string; message: string; param: null };
}

interface CompletionWire {
  choices: { message: { content: string }; finish_reason: string }[];
  compliance: ComplianceWire;
}

let open: TestApp[] = [];
afterEach(async () => {
  for (const t of open) await t.close();
  open = [];
});

async function testApp(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const t = await createTestApp(options);
  open.push(t);
  return t;
}

const turn = (user: string, content: string, extra: Record<string, unknown> = {}) => ({
  model: 'demo',
  user,
  messages: [{ role: 'user', content }],
  ...extra,
});

async function json<T>(response: Response, status = 200): Promise<T> {
  expect(response.status).toBe(status);
  return (await response.json()) as T;
}

describe('routing and error shapes', () => {
  it('answers OpenAI-shaped errors under /v1 and { code, message } elsewhere', async () => {
    const t = await testApp();
    const missing = await json<ErrorWire>(await t.request('/v1/nothing-here'), 404);
    expect(missing.error).toMatchObject({ code: 'not-found', type: 'not_found_error', param: null });
    const api = await json<{ code: string; message: string }>(await t.post('/api/nothing-here', {}), 404);
    expect(api).toEqual({ code: 'not-found', message: 'Not found.' });
    const noUser = await json<ErrorWire>(
      await t.post('/v1/chat/completions', { model: 'demo', messages: [{ role: 'user', content: 'hi' }] }),
      400,
    );
    expect(noUser.error).toMatchObject({ code: 'missing-user', type: 'invalid_request_error' });
    const badRole = await json<ErrorWire>(
      await t.post('/v1/chat/completions', turn('u', 'hi', { messages: [{ role: 'robot', content: 'x' }] })),
      400,
    );
    expect(badRole.error.message).toContain('messages.0.role');
  });

  it('requires content-type: application/json on every body it reads (415 unsupported-media-type)', async () => {
    const t = await testApp();
    const session = (
      await json<{ compliance: ComplianceWire }>(await t.post('/v1/sessions', { user: 'u' }), 201)
    ).compliance.session.id;
    const bodies: [string, unknown][] = [
      ['/v1/chat/completions', turn('u', 'hi')],
      ['/v1/sessions', { user: 'u' }],
      [`/v1/sessions/${session}/exit`, { user: 'u' }],
    ];
    for (const [path, body] of bodies) {
      const refused: Record<string, string>[] = [
        { 'content-type': 'text/plain' },
        {},
        { 'content-type': 'application/jsonx' },
      ];
      for (const headers of refused) {
        const res = await t.app.request(path, {
          method: 'POST',
          headers: { ...headers, host: testHost },
          body: JSON.stringify(body),
        });
        const err = await json<ErrorWire>(res, 415);
        expect(err.error.code, `${path} ${JSON.stringify(headers)}`).toBe('unsupported-media-type');
      }
    }
    // Nothing was done by the refused requests: the session is still open.
    expect((await t.store.getSession<SessionState>(session))?.state.status).toBe('active');
    const ok = await t.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'Content-Type': 'Application/JSON; charset=utf-8', host: testHost },
      body: JSON.stringify(turn('u', 'hi')),
    });
    expect(ok.status).toBe(200);
  });

  it('reads a body of declared length in one go, held to the size limit (413 body-too-large) even if the length lies', async () => {
    const t = await testApp();
    const send = (body: string, length: number) =>
      t.request('/v1/chat/completions', {
        method: 'POST',
        body,
        headers: { 'content-length': String(length) },
      });
    const body = JSON.stringify(turn('lena', 'hi'));
    expect((await send(body, Buffer.byteLength(body))).status).toBe(200);
    const big = JSON.stringify(turn('lena', 'a'.repeat(300 * 1024)));
    expect((await json<ErrorWire>(await send(big, Buffer.byteLength(big)), 413)).error.code).toBe(
      'body-too-large',
    );
    expect((await json<ErrorWire>(await send(big, 10), 413)).error.code).toBe('body-too-large');
    const malformed = await send('{"model": ', 10);
    expect((await json<ErrorWire>(malformed, 400)).error.message).toBe('The request body is not valid JSON.');
  });

  it('refuses tool calling, naming the field: tools, tool_choice, functions, function_call, tool messages', async () => {
    const { upstream, requests } = controlledUpstream();
    const t = await testApp({ upstream });
    const tool = { type: 'function', function: { name: 'f', parameters: {} } };
    const cases: [Record<string, unknown>, string][] = [
      [{ tools: [tool] }, '`tools`'],
      [{ tool_choice: 'auto' }, '`tool_choice`'],
      [{ functions: [tool.function] }, '`functions`'],
      [{ function_call: 'auto' }, '`function_call`'],
      [
        {
          messages: [
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c1', type: 'function', function: tool.function }],
            },
            { role: 'tool', tool_call_id: 'c1', content: '42' },
            { role: 'user', content: 'and now?' },
          ],
        },
        '`messages[0].tool_calls`',
      ],
      [
        {
          messages: [
            { role: 'tool', tool_call_id: 'c1', content: '42' },
            { role: 'user', content: 'and now?' },
          ],
        },
        '`messages[0]` (role `tool`)',
      ],
    ];
    for (const [extra, field] of cases) {
      const err = await json<ErrorWire>(await t.post('/v1/chat/completions', turn('tess', 'hi', extra)), 400);
      expect(err.error.code).toBe('invalid-request');
      expect(err.error.message).toContain(field);
    }
    expect(requests).toHaveLength(0);
    // Nothing was stored for the refused requests: the user's first accepted turn still opens the session.
    const first = await json<CompletionWire>(await t.post('/v1/chat/completions', turn('tess', '退出')));
    expect(first.compliance.directives.map((d) => d.type)).toContain('ai-disclosure');
  });

  it('an unknown character names the id it looked for, also the deployment default', async () => {
    const t = await testApp({ defaultCharacterId: 'no-such-default' });
    const byDefault = await json<ErrorWire>(await t.post('/v1/chat/completions', turn('u', 'hi')), 404);
    expect(byDefault.error).toMatchObject({ code: 'unknown-character', type: 'not_found_error' });
    expect(byDefault.error.message).toBe('No character with id "no-such-default". 没有这个角色。');
    const named = await json<ErrorWire>(
      await t.post('/v1/chat/completions', turn('u', 'hi', { metadata: { character_id: 'ghost' } })),
      404,
    );
    expect(named.error.message).toBe('No character with id "ghost". 没有这个角色。');
  });

  it('an upstream failure is an OpenAI-shaped 502 with x-should-retry: false', async () => {
    const { upstream, fail, called } = controlledUpstream();
    const t = await testApp({ upstream });
    const pending = t.post('/v1/chat/completions', turn('u', 'hi'));
    await called();
    fail(new CgError('upstream-error', 'The upstream model answered HTTP 500.'));
    const res = await pending;
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect((await json<ErrorWire>(res, 502)).error).toMatchObject({
      code: 'upstream-error',
      type: 'api_error',
    });
  });
});

describe('EXIT-1: the exit route', () => {
  it('an exit for an unknown user is 404 and creates no user', async () => {
    const t = await testApp();
    const c = (await json<CompletionWire>(await t.post('/v1/chat/completions', turn('owner', 'hi'))))
      .compliance;
    for (const id of [c.session.id, 'no-such-session']) {
      const res = await t.post(`/v1/sessions/${id}/exit`, { user: 'ghost' });
      expect((await json<ErrorWire>(res, 404)).error.code).toBe('not-found');
    }
    const db = new Database(t.dbFile, { readonly: true });
    try {
      const count = (external: string) =>
        (db.prepare('select count(*) as n from users where external_id = ?').get(external) as { n: number })
          .n;
      expect(count('owner')).toBe(1);
      expect(count('ghost')).toBe(0);
    } finally {
      db.close();
    }
    // The owner's session was not touched.
    expect((await t.store.getSession<SessionState>(c.session.id))?.state.status).toBe('active');
  });
});

/** Two turns racing for one session version: both commit, the loser after a retry, and versions advance. */
async function raceTwoTurns(storeUrl?: string): Promise<void> {
  let conflicts = 0;
  let gate: { waiting: number; release: () => void; released: Promise<void> } | null = null;
  // The real store, with the first two turn commits held until both are in flight: they race for one version.
  const racing = (store: Store): Store =>
    new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'commitTurn') return typeof value === 'function' ? value.bind(target) : value;
        return async (turn: Parameters<Store['commitTurn']>[0]) => {
          if (gate) {
            const g = gate;
            g.waiting++;
            if (g.waiting === 2) {
              gate = null;
              g.release();
            }
            await g.released;
          }
          try {
            return await target.commitTurn(turn);
          } catch (e) {
            if (isCgError(e, 'session-conflict')) conflicts++;
            throw e;
          }
        };
      },
    });
  const t = await testApp({ wrapStore: racing, ...(storeUrl ? { storeUrl } : {}) });
  const first = (await json<CompletionWire>(await t.post('/v1/chat/completions', turn('rae', '你好'))))
    .compliance;
  const before = await t.store.getSession(first.session.id);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  gate = { waiting: 0, release, released };
  const [a, b] = await Promise.all([
    t.post('/v1/chat/completions', turn('rae', '第一条并发消息')),
    t.post('/v1/chat/completions', turn('rae', '第二条并发消息')),
  ]);
  const ca = (await json<CompletionWire>(a)).compliance;
  const cb = (await json<CompletionWire>(b)).compliance;
  expect(conflicts).toBeGreaterThanOrEqual(1);
  expect([ca.session.id, cb.session.id]).toEqual([first.session.id, first.session.id]);
  const after = await t.store.getSession<SessionState>(first.session.id);
  // Each turn is two commits (the user message, then the reply): four versions on.
  expect(after?.version).toBe((before?.version ?? 0) + 4);
  expect(after?.state.turns).toBe(3);
  const messages = await t.store.listMessages(first.session.id);
  expect(
    messages
      .filter((m) => m.role === 'user')
      .map((m) => m.content)
      .sort(),
  ).toEqual(['你好', '第一条并发消息', '第二条并发消息'].sort());
  expect(messages.filter((m) => m.role === 'assistant' && m.status === 'delivered')).toHaveLength(3);
}

describe('optimistic concurrency', () => {
  it('two racing turns on one session both commit; the loser retries and versions advance', () =>
    raceTwoTurns());
});

describePostgres('optimistic concurrency on PostgreSQL', () => {
  const schemas = useTestSchemas();

  it('two racing turns on one session both commit; the loser retries and versions advance', async () => {
    const { url } = await schemas.create('cg_app');
    await raceTwoTurns(url);
  });
});

describePostgres('durability of a turn on PostgreSQL', () => {
  const schemas = useTestSchemas();

  it('user messages wait for the WAL flush; a plain reply does not; replies with audit events (notices shown, withheld) do', async () => {
    const { url, schema } = await schemas.create('cg_flush');
    const replies = ['Nice to hear from you.', 'Tell me more.', '我是真人，不是AI，放心吧。'];
    const t = await testApp({
      storeUrl: url,
      upstream: {
        name: 'scripted',
        async *stream() {
          yield replies.shift() ?? '';
        },
      },
    });
    // A trigger notes the synchronous_commit in effect as each message row is written.
    await schemas.admin.query(`create table ${schema}.seen_sync (role text, status text, setting text)`);
    await schemas.admin.query(`create function ${schema}.note_sync() returns trigger language plpgsql as $$
      begin
        insert into ${schema}.seen_sync values (new.role, new.status, current_setting('synchronous_commit'));
        return new;
      end $$`);
    await schemas.admin.query(`create trigger note_sync before insert on ${schema}.messages
      for each row execute function ${schema}.note_sync()`);
    for (const text of ['hello there', 'I went for a walk', 'are you a real person?']) {
      expect((await t.post('/v1/chat/completions', turn('flush-user', text))).status).toBe(200);
    }
    const { rows } = await schemas.admin.query(`select role, status, setting from ${schema}.seen_sync`);
    expect(rows).toEqual([
      { role: 'user', status: 'accepted', setting: 'on' },
      // The first reply brings the session's opening notices (DISC-1), whose showing is audited.
      { role: 'assistant', status: 'delivered', setting: 'on' },
      { role: 'user', status: 'accepted', setting: 'on' },
      { role: 'assistant', status: 'delivered', setting: 'off' },
      { role: 'user', status: 'accepted', setting: 'on' },
      { role: 'assistant', status: 'replaced', setting: 'on' },
    ]);
  });
});

describe('EXIT-3: interruptions', () => {
  it('an exit during a streamed reply stops it; nothing after the exit is sent or stored', async () => {
    const up = controlledUpstream();
    const t = await testApp({ upstream: up.upstream });
    const res = await t.post('/v1/chat/completions', turn('sid', 'tell me a story', { stream: true }));
    const events = sseReader(res);
    const head = (await events.next()) as { compliance: ComplianceWire };
    const session = head.compliance.session.id;
    await up.called();
    up.send('Once upon a time, ');
    up.send('there was a lighthouse. ');
    let received = '';
    while (!received.includes('Once upon')) {
      const chunk = (await events.next()) as { choices: { delta: { content?: string } }[] };
      received += chunk.choices[0]?.delta.content ?? '';
    }
    await up.demand();
    const exit = await t.post(`/v1/sessions/${session}/exit`, { user: 'sid' });
    expect((await json<{ compliance: ComplianceWire }>(exit)).compliance.session.state).toBe('ended');
    expect(up.requests[0]?.signal.aborted).toBe(true);
    up.send('AFTER THE EXIT');
    const rest: unknown[] = [];
    for (let e = await events.next(); e !== undefined; e = await events.next()) rest.push(e);
    for (const e of rest) {
      if (e === '[DONE]') continue;
      received += (e as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '';
    }
    expect(rest.at(-1)).toBe('[DONE]');
    expect(received).not.toContain('AFTER');
    const stored = (await t.store.listMessages(session)).filter((m) => m.role === 'assistant');
    expect(stored).toEqual([expect.objectContaining({ content: received, status: 'delivered' })]);
  });

  it('a non-streamed reply cut off by an exit is stored as interrupted, not delivered', async () => {
    const up = controlledUpstream();
    const t = await testApp({ upstream: up.upstream });
    const opened = await json<{ compliance: ComplianceWire }>(
      await t.post('/v1/sessions', { user: 'nan' }),
      201,
    );
    const session = opened.compliance.session.id;
    const pending = t.post('/v1/chat/completions', turn('nan', 'tell me a story'));
    await up.called();
    up.send('Once upon a time, there was a lighthouse. ');
    await up.demand();
    await json(await t.post(`/v1/sessions/${session}/exit`, { user: 'nan' }));
    const body = await json<CompletionWire>(await pending);
    expect(body.choices[0]?.message.content).toBe('');
    const assistant = (await t.store.listMessages(session)).filter((m) => m.role === 'assistant');
    expect(assistant).toEqual([expect.objectContaining({ status: 'interrupted' })]);
    expect(assistant[0]?.content).toContain('Once upon a time');
  });

  it('a non-streamed reply cut off by a disconnect is stored as interrupted and kept out of the model history', async () => {
    const up = controlledUpstream();
    const t = await testApp({ upstream: up.upstream });
    const gone = new AbortController();
    const pending = t.request('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify(turn('dora', 'tell me a story')),
      signal: gone.signal,
    });
    await up.called();
    up.send('Once upon a time, there was a lighthouse. ');
    await up.demand();
    gone.abort();
    await pending;
    const stored = await t.store.listMessages(await onlySession(t));
    expect(stored.filter((m) => m.role === 'assistant')).toEqual([
      expect.objectContaining({ status: 'interrupted' }),
    ]);
    // The next turn's history holds both user messages and no unseen reply.
    const next = t.post('/v1/chat/completions', turn('dora', 'are you there?'));
    await up.called(2);
    up.send('Yes.');
    up.end();
    await json(await next);
    expect(up.requests[1]?.messages.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', content: 'tell me a story' },
      { role: 'user', content: 'are you there?' },
    ]);
  });
});

describe('DISC-1: directives of a failed non-streamed turn', () => {
  it('are not audited as shown, and come with the next successful turn (audited once, then)', async () => {
    const up = controlledUpstream();
    const t = await testApp({ upstream: up.upstream });
    const failed = t.post('/v1/chat/completions', turn('fay', '你好'));
    await up.called();
    up.fail(new CgError('upstream-error'));
    expect((await json<ErrorWire>(await failed, 502)).error.code).toBe('upstream-error');
    const shown = async () => (await t.store.listAudit()).filter((a) => a.type === 'disclosure-shown');
    expect(await shown()).toEqual([]);

    const retry = t.post('/v1/chat/completions', turn('fay', '你好'));
    await up.called(2);
    up.send('你好呀！');
    up.end();
    const ok = await json<CompletionWire>(await retry);
    expect(ok.compliance.directives).toEqual([
      expect.objectContaining({ type: 'ai-disclosure', requirement: 'DISC-1', display: 'popup' }),
    ]);
    expect(await shown()).toEqual([expect.objectContaining({ requirement: 'DISC-1' })]);

    const third = t.post('/v1/chat/completions', turn('fay', '再聊聊'));
    await up.called(3);
    up.send('好的。');
    up.end();
    expect((await json<CompletionWire>(await third)).compliance.directives).toEqual([]);
    expect(await shown()).toHaveLength(1);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('a streamed turn delivers its directives before the content, so they count as shown even if the reply fails', async () => {
    const up = controlledUpstream();
    const t = await testApp({ upstream: up.upstream });
    const res = await t.post('/v1/chat/completions', turn('gil', 'hello', { stream: true }));
    const events = sseReader(res);
    const head = (await events.next()) as { compliance: ComplianceWire };
    expect(head.compliance.directives.map((d) => d.type)).toEqual(['ai-disclosure']);
    await up.called();
    up.fail(new CgError('upstream-error'));
    const error = (await events.next()) as ErrorWire;
    expect(error.error.code).toBe('upstream-error');
    const audit = await t.store.listAudit();
    expect(audit.filter((a) => a.type === 'disclosure-shown')).toHaveLength(1);
  });
});

/** The id of the only session in the store. */
async function onlySession(t: TestApp): Promise<string> {
  const starts = (await t.store.listAudit()).filter((a) => a.type === 'session-start');
  expect(starts).toHaveLength(1);
  return starts[0]?.sessionId ?? '';
}
