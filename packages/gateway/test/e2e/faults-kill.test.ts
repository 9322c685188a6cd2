import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { expect, it, vi } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import { describePostgres, useTestSchemas } from '../postgres.js';
import { complianceOf } from './helpers.js';
import { cli, serveProcess } from './serve-process.js';

interface Chat {
  readonly instance: 'a' | 'b';
  readonly text: string;
  /** Set when the response started: the gateway accepted the message (stored before the model is asked). */
  sessionId?: string;
  outcome?: 'finished' | 'failed';
  /** An error response (status and code) instead of a stream. */
  error?: string;
}

describePostgres('faults: kill -9 of one of two gateway processes under 200 streamed chats', () => {
  const schemas = useTestSchemas();

  it('loses no accepted message; the other instance finishes its replies and serves on', async () => {
    expect(existsSync(cli), 'run `npm run build` first (npm test does)').toBe(true);
    const { url } = await schemas.create('cg_faults_kill');
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-kill-'));
    const configFile = join(dataDir, 'config.json');
    // A paced demo model: replies take seconds, so the kill lands while many are still streaming.
    await writeFile(configFile, JSON.stringify({ demo: { paceMs: 100 } }));
    const env = { COMPANION_GUARD_DATABASE_URL: url };
    // The first start creates the master key both instances share; then both run side by side.
    const a = await serveProcess(dataDir, configFile, env);
    const b = await serveProcess(dataDir, configFile, env);
    const clients = {
      a: new OpenAI({ apiKey: 'not-needed', baseURL: `${a.url}/v1`, maxRetries: 0 }),
      b: new OpenAI({ apiKey: 'not-needed', baseURL: `${b.url}/v1`, maxRetries: 0 }),
    };
    const chats: Chat[] = Array.from({ length: 200 }, (_, i) => ({
      instance: i % 2 === 0 ? 'a' : 'b',
      text: `kill test message ${i}`,
    }));
    try {
      const traffic = Promise.all(
        chats.map(async (chat, i) => {
          try {
            const stream = await clients[chat.instance].chat.completions.create({
              model: 'demo',
              user: `kill-user-${i}`,
              stream: true,
              messages: [{ role: 'user', content: chat.text }],
            });
            for await (const chunk of stream) chat.sessionId ??= complianceOf(chunk)?.session.id;
            chat.outcome = 'finished';
          } catch (e) {
            chat.outcome = 'failed';
            if (e instanceof OpenAI.APIError) chat.error = `${e.status} ${e.code}`;
          }
        }),
      );
      const started = (instance: 'a' | 'b') =>
        chats.filter((c) => c.instance === instance && c.sessionId !== undefined).length;
      await vi.waitFor(() => expect(started('a')).toBeGreaterThanOrEqual(20), {
        timeout: 60_000,
        interval: 10,
      });
      const exited = new Promise((r) => a.child.once('exit', r));
      a.child.kill('SIGKILL');
      await exited;
      await traffic;

      // The survivor finished every reply it had started and takes new chats. Under this burst of 200 new
      // users a turn may wait longer for a database connection than the pool allows (10 s): that turn is
      // refused before it is accepted, with 503 store-unavailable, and nothing else.
      const onB = chats.filter((c) => c.instance === 'b');
      for (const c of onB) {
        if (c.sessionId) expect(c.outcome, c.text).toBe('finished');
        else expect(c.error, c.text).toBe('503 store-unavailable');
      }
      expect(onB.filter((c) => c.outcome === 'finished').length).toBeGreaterThan(50);
      const after = await clients.b.chat.completions.create({
        model: 'demo',
        user: 'kill-user-after',
        messages: [{ role: 'user', content: 'still here?' }],
      });
      expect(after.choices[0]?.message.content).toBeTruthy();
      // The kill cut replies short on A (else it did not land mid-traffic).
      expect(chats.some((c) => c.instance === 'a' && c.outcome === 'failed')).toBe(true);

      // Every accepted message is in the store, read by a fresh instance.
      const reader = await startServer({ port: 0, dataDir, configFile, env, logger: silentLogger });
      try {
        const accepted = chats.filter((c) => c.sessionId !== undefined);
        for (const chat of accepted) {
          const messages = await reader.store.listMessages(chat.sessionId ?? '');
          expect(
            messages.some((m) => m.role === 'user' && m.content === chat.text),
            chat.text,
          ).toBe(true);
          if (chat.outcome === 'finished') expect(messages.some((m) => m.role === 'assistant')).toBe(true);
        }
        expect((await reader.store.verifyAudit()).ok).toBe(true);
      } finally {
        await reader.close();
      }
    } finally {
      a.child.kill('SIGKILL');
      b.child.kill('SIGTERM');
      await new Promise((r) => (b.child.exitCode === null ? b.child.once('exit', r) : r(null)));
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
