import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@companion-guard/core';
import OpenAI from 'openai';
import { type RunningServer, startServer } from '../../src/cli/serve.js';
import type { ComplianceWire } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { createDemoModel } from '../../src/upstream/demo-model.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';

/** The demo model (no pacing) wrapped to count calls, so tests can prove the model was not called. */
export function countingUpstream(inner: ChatUpstream = createDemoModel({ paceMs: 0 })) {
  const counter = { calls: 0 };
  const upstream: ChatUpstream = {
    name: 'counting',
    stream(request) {
      counter.calls++;
      return inner.stream(request);
    },
  };
  return { upstream, counter };
}

export interface Harness {
  server: RunningServer;
  client: OpenAI;
  dataDir: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a real gateway on SQLite in a temp dir on a free loopback port. */
export async function startHarness(
  options: {
    upstream?: ChatUpstream;
    clock?: Clock;
    config?: Record<string, unknown>;
    dataDir?: string;
    env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'cg-e2e-')));
  const configFile = join(dataDir, 'config.json');
  await writeFile(configFile, JSON.stringify({ demo: { paceMs: 0 }, ...options.config }));
  const start = () =>
    startServer({
      port: 0,
      dataDir,
      configFile,
      env: options.env ?? {},
      logger: silentLogger,
      ...(options.upstream ? { upstream: options.upstream } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  const h: Harness = {
    server: await start(),
    client: new OpenAI({ apiKey: 'not-needed', baseURL: '' }),
    dataDir,
    async restart() {
      await h.server.close();
      h.server = await start();
      h.client = new OpenAI({ apiKey: 'not-needed', baseURL: `${h.server.url}/v1`, maxRetries: 0 });
    },
    async stop() {
      await h.server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  h.client = new OpenAI({ apiKey: 'not-needed', baseURL: `${h.server.url}/v1`, maxRetries: 0 });
  return h;
}

/** The `compliance` extension of a response body or chunk. */
export function complianceOf(x: unknown): ComplianceWire {
  return (x as { compliance: ComplianceWire }).compliance;
}
