import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import { cli, serveProcess } from './serve-process.js';

describe('a crash loses nothing accepted', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('a user message is stored before the model is called and survives SIGKILL mid-reply', async () => {
    expect(existsSync(cli), 'run `npm run build` first (npm test does)').toBe(true);
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-crash-'));
    dirs.push(dataDir);
    const configFile = join(dataDir, 'config.json');
    // A slow demo model: the process is killed while the reply is still being generated.
    await writeFile(configFile, JSON.stringify({ demo: { paceMs: 10_000 } }));
    const { child, url } = await serveProcess(dataDir, configFile);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'demo',
        user: 'olga',
        stream: true,
        messages: [{ role: 'user', content: '崩溃前的最后一句话' }],
      }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const sessionId = /"session":\{"id":"([^"]+)"/.exec(first)?.[1];
    expect(sessionId).toBeTruthy();
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await reader.cancel().catch(() => undefined);

    const server = await startServer({ port: 0, dataDir, configFile, env: {}, logger: silentLogger });
    try {
      const messages = await server.store.listMessages(sessionId ?? '');
      expect(messages.map((m) => [m.role, m.content, m.status])).toEqual([
        ['user', '崩溃前的最后一句话', 'accepted'],
      ]);
      expect((await server.store.verifyAudit()).ok).toBe(true);
    } finally {
      await server.close();
    }
  });
});
