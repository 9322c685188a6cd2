import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, StaffRole } from '@companion-guard/core';
import OpenAI from 'openai';
import { type RunningServer, startServer } from '../../src/cli/serve.js';
import type { ComplianceWire } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { totpCode } from '../../src/server/auth/totp.js';
import { createDemoModel } from '../../src/upstream/demo-model.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { redisUrl } from '../redis.js';

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

/**
 * Adds a staff account with `role` (`<role>@example.com`) and signs it in on `server` (with a one-time code
 * when the role needs one): the headers every staff call carries. The session is in the store, so instances
 * sharing the store accept it too.
 */
export async function signInStaff(server: RunningServer, role: StaffRole): Promise<Record<string, string>> {
  const email = `${role}@example.com`;
  const password = 'correct horse battery';
  const { totpUri } = await addStaffAccount(server.store, {
    email,
    role,
    password,
    now: Date.now(),
    by: 'test',
  });
  const secret = totpUri ? new URL(totpUri).searchParams.get('secret') : null;
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, ...(secret ? { totp: totpCode(secret, Date.now()) } : {}) }),
  });
  if (login.status !== 200) throw new Error(`staff sign-in failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  return { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
}

/**
 * Gateways that behave as one deployment: one PostgreSQL schema (`databaseUrl`), one Redis under a fresh
 * prefix, one data directory and config file (`config` over the unpaced demo model). `start()` starts one
 * more instance; `close()` closes every one started and removes the directory.
 */
export async function sharedGateways(
  databaseUrl: string,
  config: Record<string, unknown> = {},
  options: { upstream?: ChatUpstream; clock?: Clock } = {},
): Promise<{ start(): Promise<RunningServer>; close(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cg-instances-'));
  const configFile = join(dataDir, 'config.json');
  const redis = { prefix: `cg-instances-${randomBytes(4).toString('hex')}:` };
  await writeFile(configFile, JSON.stringify({ demo: { paceMs: 0 }, redis, ...config }));
  const started: RunningServer[] = [];
  return {
    async start() {
      const server = await startServer({
        port: 0,
        dataDir,
        configFile,
        env: { COMPANION_GUARD_DATABASE_URL: databaseUrl, COMPANION_GUARD_REDIS_URL: redisUrl ?? '' },
        logger: silentLogger,
        ...options,
      });
      started.push(server);
      return server;
    },
    async close() {
      await Promise.all(started.map((server) => server.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
