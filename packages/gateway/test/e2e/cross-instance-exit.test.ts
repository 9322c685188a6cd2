import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { adminPool, createTestSchema, describePostgres } from '../postgres.js';
import { describeRedis, redisUrl } from '../redis.js';
import { complianceOf } from './helpers.js';

/** A model that trickles a word every `stepMs` until it is aborted (at most 400 words). */
function tricklingUpstream(stepMs = 25) {
  const seen = { abortedAt: null as number | null, words: 0, finished: false };
  const upstream: ChatUpstream = {
    name: 'trickle',
    async *stream({ signal }) {
      signal.addEventListener('abort', () => {
        seen.abortedAt ??= Date.now();
      });
      try {
        for (let i = 0; i < 400; i++) {
          // One abort listener per step, removed when the step ends: 11 at once would be a listener leak.
          await new Promise<void>((resolve, reject) => {
            const onAbort = () => {
              clearTimeout(timer);
              reject(signal.reason);
            };
            const timer = setTimeout(() => {
              signal.removeEventListener('abort', onAbort);
              resolve();
            }, stepMs);
            signal.addEventListener('abort', onAbort, { once: true });
          });
          seen.words++;
          yield `w${i} `;
        }
      } finally {
        seen.finished = true;
      }
    },
  };
  return { upstream, seen };
}

/** Two gateway instances on one PostgreSQL schema (and, when given, one Redis), sharing the master key. */
async function startPair(url: string, config: Record<string, unknown>, env: Record<string, string>) {
  const dataDir = await mkdtemp(join(tmpdir(), 'cg-pair-'));
  const configFile = join(dataDir, 'config.json');
  await writeFile(configFile, JSON.stringify({ demo: { paceMs: 0 }, ...config }));
  const { upstream, seen } = tricklingUpstream();
  const start = () =>
    startServer({
      port: 0,
      dataDir,
      configFile,
      env: { COMPANION_GUARD_DATABASE_URL: url, ...env },
      logger: silentLogger,
      upstream,
    });
  const a: RunningServer = await start();
  const b: RunningServer = await start();
  return {
    a,
    b,
    seen,
    async stop() {
      await Promise.all([a.close(), b.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describePostgres('EXIT-3 across instances', () => {
  const admin = adminPool();
  afterAll(async () => {
    await admin.end();
  });

  async function exitOnBStopsStreamOnA(config: Record<string, unknown>, env: Record<string, string>) {
    const { url, schema } = await createTestSchema(admin, 'cg_exit');
    const pair = await startPair(url, config, env);
    try {
      const client = new OpenAI({ apiKey: 'not-needed', baseURL: `${pair.a.url}/v1`, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'demo',
        user: 'exit-user',
        stream: true,
        messages: [{ role: 'user', content: '给我讲一个很长的故事' }],
      });
      let sessionId = '';
      let received = '';
      let words = 0;
      let exitedAt = 0;
      let receivedAtExit = '';
      for await (const chunk of stream) {
        sessionId ||= complianceOf(chunk)?.session.id ?? '';
        const text = chunk.choices[0]?.delta.content ?? '';
        received += text;
        if (text) words++;
        if (words === 5 && exitedAt === 0) {
          // The exit button pressed on the other instance while A is still streaming.
          const res = await fetch(`${pair.b.url}/v1/sessions/${sessionId}/exit`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ user: 'exit-user' }),
          });
          expect(res.status).toBe(200);
          expect(
            ((await res.json()) as { compliance: { session: { state: string } } }).compliance.session.state,
          ).toBe('ended');
          exitedAt = Date.now();
          receivedAtExit = received;
        }
      }
      const endedAt = Date.now();
      expect(exitedAt).toBeGreaterThan(0);
      // A's stream and the model call behind it stopped within a second of the exit.
      expect(endedAt - exitedAt).toBeLessThan(1000);
      expect(pair.seen.abortedAt).not.toBeNull();
      expect((pair.seen.abortedAt ?? 0) - exitedAt).toBeLessThan(1000);
      expect(pair.seen.words).toBeLessThan(60); // 400 if the exit had not reached A
      expect(received.startsWith(receivedAtExit)).toBe(true);

      // The model call is over (its generator finished), so no word can come after the end.
      expect(pair.seen.finished).toBe(true);
      // What is stored as delivered is exactly what the user was shown.
      const messages = (await pair.b.store.listMessages(sessionId)).map((m) => ({
        role: m.role,
        status: m.status,
        content: m.content,
      }));
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(messages[1]).toEqual({ role: 'assistant', status: 'delivered', content: received });
    } finally {
      await pair.stop();
    }
    // Nothing was added later: once both instances have shut down (their work drained), still two messages.
    const rows = await admin.query(`select count(*)::int as n from ${schema}.messages`);
    expect(rows.rows[0]?.n).toBe(2);
  }

  it('EXIT-3: an exit on instance B stops a reply streaming on instance A (PostgreSQL LISTEN/NOTIFY)', async () => {
    await exitOnBStopsStreamOnA({}, {});
  });

  describeRedis('with Redis', () => {
    it('EXIT-3: an exit on instance B stops a reply streaming on instance A (Redis pub/sub)', async () => {
      const prefix = `cg-exit-${randomBytes(4).toString('hex')}:`;
      await exitOnBStopsStreamOnA({ redis: { prefix } }, { COMPANION_GUARD_REDIS_URL: redisUrl ?? '' });
    });
  });
});
