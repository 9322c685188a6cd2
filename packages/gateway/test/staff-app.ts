import { randomBytes } from 'node:crypto';
import type { StaffRole } from '@companion-guard/core';
import { createApiKey } from '../src/server/auth/api-keys.js';
import type { HostCheckOptions } from '../src/server/auth/host-check.js';
import { addStaffAccount, type StaffSettings } from '../src/server/auth/staff-auth.js';
import { totpCode } from '../src/server/auth/totp.js';
import { createTestApp, type TestApp } from './app/harness.js';

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

export interface StaffTestApp extends Omit<TestApp, 'request'> {
  /** Sends a request in-process with a served Host header, a staff session or an API key. */
  request(path: string, init?: RequestInit & { session?: TestSession; apiKey?: string }): Promise<Response>;
  addStaff(role: StaffRole, options?: { email?: string; totp?: boolean }): Promise<TestStaff>;
  /** Signs in (with the current TOTP code when the account has one); throws unless 200. */
  login(staff: TestStaff): Promise<TestSession>;
  /** Creates an API key (making the server keyed) and returns its secret. */
  createKey(): Promise<string>;
  /** Registers `user` (via the store, audited as the app would) with `age` and a guardian e-mail. */
  registerMinor(user: string, age: number, guardianEmail: string): Promise<string>;
  /** Asks for a sign-in code for `contact` and returns the code the guardian received. */
  guardianCode(contact: string): Promise<string>;
  /** Signs a guardian in by code; throws unless 200. */
  guardianLogin(contact: string): Promise<TestSession>;
}

let counter = 0;

/**
 * The gateway app built with `createApp` from real parts: a SQLite store in a temp dir, the real
 * authenticator and staff sign-in, the demo model, and a fake clock.
 */
export async function createStaffTestApp(
  options: {
    settings?: Partial<StaffSettings>;
    hosts?: Partial<HostCheckOptions>;
    /** Passed to the in-process app: the upstream, the notifier, the profile. */
    app?: Pick<
      Parameters<typeof createTestApp>[0] & object,
      'upstream' | 'notifier' | 'profile' | 'guardianSettings' | 'compliance' | 'storeUrl' | 'limits'
    >;
  } = {},
): Promise<StaffTestApp> {
  const base = await createTestApp({
    ...options.app,
    ...(options.settings ? { staffSettings: options.settings } : {}),
    ...(options.hosts ? { hosts: options.hosts } : {}),
  });
  const { store, clock, auth } = base;
  const t: StaffTestApp = {
    ...base,
    request(path, init = {}) {
      const { session, apiKey, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (session) {
        headers.set('cookie', session.cookie);
        if (!headers.has('x-csrf-token')) headers.set('x-csrf-token', session.csrf);
      }
      if (apiKey) headers.set('authorization', `Bearer ${apiKey}`);
      return base.request(path, { ...rest, headers });
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
    async registerMinor(user, age, guardianEmail) {
      const profile = await store.profiles.updateProfile(
        user,
        { age, guardian: { name: 'Guardian', email: guardianEmail, phone: null } },
        { now: clock.now(), audit: () => [] },
      );
      return profile.id;
    },
    async guardianCode(contact) {
      const before = base.guardianMessages.length;
      const response = await t.request('/api/guardian/code', {
        method: 'POST',
        body: JSON.stringify({ contact }),
      });
      if (response.status !== 202) throw new Error(`code request failed: ${response.status}`);
      await base.guardianMessagesSettled();
      const sent = base.guardianMessages.slice(before).find((m) => m.to === contact.trim().toLowerCase());
      const code = sent ? /\b(\d{6})\b/.exec(sent.text)?.[1] : undefined;
      if (!code) throw new Error(`no code was sent to ${contact}`);
      return code;
    },
    async guardianLogin(contact) {
      const code = await t.guardianCode(contact);
      const response = await t.request('/api/guardian/login', {
        method: 'POST',
        body: JSON.stringify({ contact, code }),
      });
      if (response.status !== 200)
        throw new Error(`guardian login failed: ${response.status} ${await response.text()}`);
      const setCookie = response.headers.get('set-cookie') ?? '';
      const json = (await response.json()) as { csrf_token: string };
      return { cookie: setCookie.split(';')[0] ?? '', csrf: json.csrf_token, setCookie };
    },
    async createKey() {
      const { secret } = await createApiKey(store, { label: 'test', now: clock.now(), by: 'test' });
      auth.apiKeysChanged();
      return secret;
    },
  };
  return t;
}
