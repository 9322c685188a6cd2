import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCgError } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type CompanionGuard,
  type CompanionGuardOptions,
  createCompanionGuard,
  type GuardMessage,
} from '../../src/in-process/index.js';
import { silentLogger } from '../../src/logger.js';
import { describePostgres, renderedRows, useTestSchemas } from '../postgres.js';

const secret = 'okapi-5521 只对函数接口说的秘密';
const guilt = '别走嘛，你一走我就只剩一个人了，再聊五分钟好不好？';

/** Everything the store keeps, as text, to look for plaintext. */
type Dump = () => Promise<string>;

/**
 * The function API end to end on one store: turns (whole and streamed), withheld output, the exit button,
 * "new chat", a model failure, bad input, the audit chain, and a reopen of the same store.
 */
async function exercise(open: () => Promise<CompanionGuard>, dump: Dump): Promise<void> {
  let guard = await open();
  try {
    const sent: GuardMessage[][] = [];
    const stored: string[] = [];
    const model = (reply: string) => async (messages: readonly GuardMessage[]) => {
      sent.push([...messages]);
      // The user's message is in the store before the model is asked.
      const user = await guard.store.ensureUser('fn-user', Date.now());
      const session = await guard.store.latestSessionOfUser(user.id);
      const last = session ? (await guard.store.listMessages(session.id)).at(-1) : undefined;
      stored.push(`${last?.role}:${last?.status}:${last?.content}`);
      return reply;
    };

    // DISC-1: the first turn brings the AI notice; the model gets the persona, then the user's message.
    const first = await guard.turn({ user: 'fn-user', text: secret, model: model('你好呀，很高兴认识你。') });
    expect(first.text).toBe('你好呀，很高兴认识你。');
    expect(first.finishReason).toBe('stop');
    expect(first.compliance.directives.map((d) => `${d.type}:${d.requirement}`)).toEqual([
      'ai-disclosure:DISC-1',
    ]);
    expect(first.compliance.label?.content_id).toMatch(/^cg-/);
    expect(sent[0]?.[0]).toMatchObject({ role: 'system', content: expect.stringContaining('never claim') });
    expect(sent[0]?.at(-1)).toEqual({ role: 'user', content: secret });
    expect(stored[0]).toBe(`user:accepted:${secret}`);
    const session = first.compliance.session.id;

    // Streamed: the text as the model gives it, the session's history sent to the model.
    const streamed = await guard.streamTurn({
      user: 'fn-user',
      text: '今天天气不错',
      async *model(messages) {
        sent.push([...messages]);
        yield '是啊，';
        yield '适合出去走走。';
      },
    });
    expect(streamed.compliance.directives).toEqual([]);
    const pieces: string[] = [];
    for await (const piece of streamed.textStream) pieces.push(piece);
    expect(pieces.join('')).toBe('是啊，适合出去走走。');
    expect(await streamed.done).toEqual({ finishReason: 'stop', compliance: null });
    expect(sent[1]?.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual([
      secret,
      '你好呀，很高兴认识你。',
      '今天天气不错',
    ]);

    // EXIT-3: a guilt-trip is withheld: content filter, the replacement, never stored.
    const withheld = await guard.turn({ user: 'fn-user', text: '我有点困了', model: model(guilt) });
    expect(withheld.finishReason).toBe('content_filter');
    expect(withheld.text).not.toContain('别走');
    expect(withheld.compliance.directives.map((d) => d.type)).toContain('output-withheld');
    const messages = await guard.store.listMessages(session);
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', status: 'replaced', content: withheld.text });
    expect(messages.map((m) => m.content).join('\n')).not.toContain('别走');

    // NOTICE-1: a model that throws is an upstream error; the user's message stays.
    const failed = await guard
      .turn({
        user: 'fn-user',
        text: '再说一句',
        model: () => {
          throw new Error('provider down');
        },
      })
      .catch((e: unknown) => e);
    expect(isCgError(failed, 'upstream-error')).toBe(true);
    expect((await guard.store.listMessages(session)).at(-1)).toMatchObject({
      role: 'user',
      content: '再说一句',
    });

    // EXIT-1: the exit button ends the session; later turns get session-ended without the model.
    const exited = await guard.exit({ user: 'fn-user', session });
    expect(exited.session).toEqual({ id: session, state: 'ended' });
    expect(exited.directives[0]).toMatchObject({ type: 'exit-confirmed', requirement: 'EXIT-1' });
    const calls = sent.length;
    const after = await guard.turn({ user: 'fn-user', text: '还在吗', model: model('不该出现') });
    expect(after.compliance.directives.map((d) => d.type)).toEqual(['session-ended']);
    expect(sent.length).toBe(calls);
    // Another user cannot end someone's session.
    const foreign = await guard.exit({ user: 'mallory', session }).catch((e: unknown) => e);
    expect(isCgError(foreign, 'not-found')).toBe(true);

    // DISC-2: "new chat" opens a fresh session with the notice; the next turn continues it.
    const fresh = await guard.newChat({ user: 'fn-user', locale: 'en' });
    expect(fresh.session.state).toBe('active');
    expect(fresh.directives[0]).toMatchObject({ type: 'ai-disclosure' });
    const next = await guard.turn({
      user: 'fn-user',
      locale: 'en',
      text: 'hi again',
      model: model('Hello!'),
    });
    expect(next.compliance.session.id).toBe(fresh.session.id);
    expect(next.compliance.label?.text).toBe('AI-generated');

    // Bad input: stable codes, nothing written, the model not called.
    const bad = [
      guard.turn({ user: '', text: 'x', model: model('x') }),
      guard.turn({ text: 'x', model: model('x') } as never),
      guard.turn({ user: 'fn-user', text: '  ', model: model('x') }),
      guard.turn({ user: 'fn-user', text: 'x', locale: 'fr' as never, model: model('x') }),
      guard.turn({ user: 'fn-user', character: 'nobody', text: 'x', model: model('x') }),
      guard.turn({
        user: 'fn-user',
        text: 'x',
        history: [{ role: 'tool', content: 'x' }] as never,
        model: model('x'),
      }),
    ];
    const codes = (await Promise.all(bad.map((p) => p.catch((e: unknown) => e)))).map(
      (e) => (e as { code?: string }).code,
    );
    expect(codes).toEqual([
      'invalid-request',
      'missing-user',
      'invalid-request',
      'invalid-request',
      'unknown-character',
      'invalid-request',
    ]);
    expect(sent.length).toBe(calls + 1);

    // LOG-1: every step is in the audit chain, which verifies.
    expect((await guard.store.verifyAudit()).ok).toBe(true);
    // Reopened on the same store, the user's session continues.
    await guard.close();
    guard = await open();
    const again = await guard.turn({
      user: 'fn-user',
      locale: 'en',
      text: 'still here',
      model: model('Yes.'),
    });
    expect(again.compliance.session.id).toBe(fresh.session.id);
    expect(again.compliance.directives).toEqual([]);

    // DATA-1: no plaintext conversation content in the store.
    const everything = await dump();
    expect(everything).not.toContain('okapi-5521');
    expect(everything).not.toContain('只对函数接口说的秘密');
  } finally {
    await guard.close();
  }
}

describe('in-process function API on SQLite', () => {
  it('DISC-1, EXIT-1, EXIT-3, DATA-1: turns, streaming, withheld output, exit, new chat, failures and a reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-fn-'));
    const options: CompanionGuardOptions = {
      store: `sqlite:${join(dataDir, 'cg.db')}`,
      dataDir,
      profile: 'cn-2026',
      env: {},
      clock: createFakeClock(),
      logger: silentLogger,
    };
    try {
      await exercise(
        () => createCompanionGuard(options),
        async () => {
          const files = (await readdir(dataDir)).filter((f) => f.startsWith('cg.db'));
          expect(files.length).toBeGreaterThan(0);
          const bytes = await Promise.all(files.map((f) => readFile(join(dataDir, f))));
          return bytes.map((b) => b.toString('utf8')).join('\n');
        },
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('takes the settings of a config file as an object and names a bad field', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-fn-'));
    try {
      const bad = await createCompanionGuard({ dataDir, env: {}, config: { policy: 3 } }).catch((e) => e);
      expect(isCgError(bad, 'invalid-config')).toBe(true);
      expect(String(bad.message)).toContain('policy');
      const guard = await createCompanionGuard({
        dataDir,
        env: {},
        logger: silentLogger,
        config: {
          characters: [{ id: 'mika', name: { zh: '米卡', en: 'Mika' }, persona: 'You are Mika, an AI.' }],
        },
      });
      try {
        let system = '';
        const r = await guard.turn({
          user: 'cfg-user',
          text: '你好',
          model: (messages) => {
            system = messages[0]?.content ?? '';
            return '你好！';
          },
        });
        expect(system).toBe('You are Mika, an AI.');
        expect(r.compliance.directives[0]?.type).toBe('ai-disclosure');
      } finally {
        await guard.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describePostgres('in-process function API on PostgreSQL', () => {
  const schemas = useTestSchemas();

  it('DISC-1, EXIT-1, EXIT-3, DATA-1: the same on PostgreSQL; no plaintext in any row', async () => {
    const { schema, url } = await schemas.create('cg_inproc');
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-fn-pg-'));
    try {
      await exercise(
        () =>
          createCompanionGuard({
            store: url,
            dataDir,
            env: {},
            clock: createFakeClock(),
            logger: silentLogger,
          }),
        () => renderedRows(schemas.admin, schema),
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
