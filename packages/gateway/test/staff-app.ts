import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveProfile, type StaffRole, type Store } from '@companion-guard/core';
import { createFakeClock, type FakeClock } from '@companion-guard/core/testing';
import type { Hono } from 'hono';
import { demoCharacters } from '../src/characters.js';
import { createDetection } from '../src/detection.js';
import { silentLogger } from '../src/logger.js';
import { createApp } from '../src/server/app.js';
import { createApiKey } from '../src/server/auth/api-keys.js';
import { createAuthenticator } from '../src/server/auth/authenticator.js';
import type { AppEnv } from '../src/server/auth/authorization.js';
import type { HostCheckOptions } from '../src/server/auth/host-check.js';
import {
  addStaffAccount,
  createStaffAuth,
  defaultStaffSettings,
  type StaffSettings,
} from '../src/server/auth/staff-auth.js';
import { totpCode } from '../src/server/auth/totp.js';
import { createChatService } from '../src/server/chat-service.js';
import { createStore } from '../src/storage/index.js';
import { createDemoModel } from '../src/upstream/demo-model.js';

/** A staff member made for a test, with what is needed to sign in. */
export interface TestStaff {
  readonly id: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly password: string;
  /** Base32 TOTP secret (parsed from the otpauth URI), or null. */
  readonly totpSecret: string | null;
}

/** A signed-in session: the cookie header and the CSRF token. */
export interface TestSession {
  readonly cookie: string;
  readonly csrf: string;
  readonly setCookie: string;
}

export interface StaffTestApp {
  readonly app: Hono<AppEnv>;
  readonly store: Store;
  readonly clock: FakeClock;
  readonly dir: string;
  /** Sends a request in-process with a served Host header. */
  request(path: string, init?: RequestInit & { session?: TestSession; apiKey?: string }): Promise<Response>;
  addStaff(role: StaffRole, options?: { email?: string; totp?: boolean }): Promise<TestStaff>;
  /** Signs in (with the current TOTP code when the account has one); throws unless 200. */
  login(staff: TestStaff): Promise<TestSession>;
  /** Creates an API key (making the server keyed) and returns its secret. */
  createKey(): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * The gateway app built with `createApp` from real parts: a SQLite store in a temp dir, the real
 * authenticator and staff sign-in, the demo model, and a fake clock.
 */
export async function createStaffTestApp(
  options: { settings?: Partial<StaffSettings>; hosts?: Partial<HostCheckOptions> } = {},
): Promise<StaffTestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-staff-'));
  const store = await createStore({
    url: `sqlite://${join(dir, 'store.sqlite')}`,
    masterKey: randomBytes(32),
  });
  for (const character of demoCharacters) await store.upsertCharacter(character);
  const clock = createFakeClock();
  const profile = resolveProfile(undefined, {});
  const settings = { ...defaultStaffSettings, ...options.settings };
  const staff = createStaffAuth({ store, clock, settings });
  const hosts: HostCheckOptions = { loopback: true, port: () => 8787, allowedHosts: [], ...options.hosts };
  const auth = createAuthenticator({ store, staff, loopbackOnly: hosts.loopback });
  const app = createApp({
    store,
    clock,
    profile,
    chat: createChatService({
      store,
      profile,
      clock,
      upstream: createDemoModel({ paceMs: 0 }),
      detection: createDetection(profile),
      logger: silentLogger,
      defaultCharacterId: 'xiaonuan',
    }),
    auth,
    staff,
    hosts,
    logger: silentLogger,
    maxBodyBytes: 64 * 1024,
    defaultCharacterId: 'xiaonuan',
    consoleDir: null,
  });

  const t: StaffTestApp = {
    app,
    store,
    clock,
    dir,
    request(path, init = {}) {
      const { session, apiKey, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('host')) headers.set('host', '127.0.0.1:8787');
      if (session) {
        headers.set('cookie', session.cookie);
        if (!headers.has('x-csrf-token')) headers.set('x-csrf-token', session.csrf);
      }
      if (apiKey) headers.set('authorization', `Bearer ${apiKey}`);
      if (rest.body !== undefined && !headers.has('content-type'))
        headers.set('content-type', 'application/json');
      return Promise.resolve(app.request(path, { ...rest, headers }));
    },
    async addStaff(role, staffOptions = {}) {
      counter += 1;
      const email = staffOptions.email ?? `${role}-${counter}@example.com`;
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      const { staff: record, totpUri } = await addStaffAccount(store, {
        email,
        role,
        password,
        totp: staffOptions.totp,
        now: clock.now(),
        by: 'test',
      });
      const secret = totpUri ? new URL(totpUri).searchParams.get('secret') : null;
      return { id: record.id, email: record.email, role, password, totpSecret: secret };
    },
    async login(member) {
      const body: Record<string, string> = { email: member.email, password: member.password };
      if (member.totpSecret) body.totp = totpCode(member.totpSecret, clock.now());
      const response = await t.request('/api/login', { method: 'POST', body: JSON.stringify(body) });
      if (response.status !== 200)
        throw new Error(`login failed: ${response.status} ${await response.text()}`);
      const setCookie = response.headers.get('set-cookie') ?? '';
      const json = (await response.json()) as { csrf_token: string };
      return { cookie: setCookie.split(';')[0] ?? '', csrf: json.csrf_token, setCookie };
    },
    async createKey() {
      const { secret } = await createApiKey(store, { label: 'test', now: clock.now(), by: 'test' });
      auth.apiKeysChanged();
      return secret;
    },
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return t;
}
