import type { StaffRole } from '@companion-guard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaffTestApp, type StaffTestApp, type TestSession } from '../../../test/staff-app.js';
import { totpCode } from '../auth/totp.js';

let t: StaffTestApp;
beforeEach(async () => {
  t = await createStaffTestApp();
});
afterEach(() => t.close());

const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
const post = (path: string, body: unknown, session?: TestSession) =>
  t.request(path, { method: 'POST', body: JSON.stringify(body), ...(session ? { session } : {}) });
const login = (body: Record<string, unknown>) => post('/api/login', body);

async function expectError(response: Response | Promise<Response>, status: number, code: string) {
  const r = await response;
  expect({ status: r.status, code: (await json(r)).code }).toEqual({ status, code });
}

async function auditTypes(): Promise<string[]> {
  return (await t.store.listAudit()).map((e) => e.type);
}

describe('staff login (DATA-1 access control)', () => {
  for (const role of ['operator', 'compliance', 'auditor', 'admin'] as const satisfies StaffRole[]) {
    it(`signs in a ${role}: cookie, csrf token, role, expiry; GET /api/me answers`, async () => {
      const member = await t.addStaff(role);
      const session = await t.login(member);
      expect(session.setCookie).toMatch(/^cg_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
      const me = await json(await t.request('/api/me', { session }));
      expect(me).toEqual({
        id: member.id,
        email: member.email,
        role,
        csrf_token: session.csrf,
        expires_at: new Date(t.clock.now() + 30 * 60_000).toISOString(),
        totp: role === 'admin',
      });
      const events = await t.store.listAudit();
      expect(events.at(-1)).toMatchObject({
        type: 'staff-login',
        requirement: 'DATA-1',
        data: { staffId: member.id, role },
      });
    });
  }

  it('the login body returns csrf_token, role, email and expires_at', async () => {
    const member = await t.addStaff('operator', { email: 'Mixed.Case@Example.com' });
    const r = await login({ email: 'MIXED.case@example.COM', password: member.password });
    expect(r.status).toBe(200);
    expect(await json(r)).toEqual({
      csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      role: 'operator',
      email: 'mixed.case@example.com',
      expires_at: new Date(t.clock.now() + 30 * 60_000).toISOString(),
    });
  });

  it('the cookie is Secure when the request came over https (X-Forwarded-Proto)', async () => {
    const member = await t.addStaff('auditor');
    const r = await t.request('/api/login', {
      method: 'POST',
      headers: { 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email: member.email, password: member.password }),
    });
    expect(r.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('wrong password, unknown email and a disabled account all get the same invalid-credentials', async () => {
    const member = await t.addStaff('operator');
    const other = await t.addStaff('operator');
    const admin = await t.addStaff('admin');
    await expectError(
      login({ email: member.email, password: 'wrong password!!' }),
      401,
      'invalid-credentials',
    );
    await expectError(
      login({ email: 'nobody@example.com', password: member.password }),
      401,
      'invalid-credentials',
    );
    const adminSession = await t.login(admin);
    expect((await post(`/api/staff/${other.id}/disable`, {}, adminSession)).status).toBe(200);
    await expectError(login({ email: other.email, password: other.password }), 401, 'invalid-credentials');
    const failed = (await t.store.listAudit()).filter((e) => e.type === 'staff-login-failed');
    expect(failed.map((e) => e.data)).toEqual([
      { staffId: member.id, reason: 'password' },
      { staffId: other.id, reason: 'disabled' },
    ]);
  });

  it('an admin needs the TOTP code: none → totp-required, wrong → invalid-totp, replayed → invalid-totp', async () => {
    const admin = await t.addStaff('admin');
    const secret = admin.totpSecret ?? '';
    await expectError(login({ email: admin.email, password: admin.password }), 401, 'totp-required');
    const wrong = totpCode(secret, t.clock.now() + 10 * 60_000);
    await expectError(
      login({ email: admin.email, password: admin.password, totp: wrong }),
      401,
      'invalid-totp',
    );
    const code = totpCode(secret, t.clock.now());
    expect((await login({ email: admin.email, password: admin.password, totp: code })).status).toBe(200);
    await expectError(
      login({ email: admin.email, password: admin.password, totp: code }),
      401,
      'invalid-totp',
    );
    // The code of the previous step is refused too: steps only move forward.
    const previous = totpCode(secret, t.clock.now() - 30_000);
    await expectError(
      login({ email: admin.email, password: admin.password, totp: previous }),
      401,
      'invalid-totp',
    );
    t.clock.advance(30_000);
    const next = totpCode(secret, t.clock.now());
    expect((await login({ email: admin.email, password: admin.password, totp: next })).status).toBe(200);
  });

  it('an admin without an enrolled second factor cannot finish signing in', async () => {
    const { hashPassword } = await import('../auth/passwords.js');
    await t.store.staff.addStaff(
      {
        id: 'bare-admin',
        email: 'bare@example.com',
        role: 'admin',
        passwordHash: await hashPassword('a long enough password'),
        totpSecret: null,
        createdAt: t.clock.now(),
      },
      [],
    );
    await expectError(
      login({ email: 'bare@example.com', password: 'a long enough password', totp: '123456' }),
      401,
      'totp-required',
    );
  });

  it('a non-admin with TOTP enrolled needs the code as well', async () => {
    const member = await t.addStaff('operator', { totp: true });
    await expectError(login({ email: member.email, password: member.password }), 401, 'totp-required');
    expect((await t.login(member)).csrf).toBeTruthy();
  });

  it('five wrong passwords lock the account (423); the right password is refused until lockoutMinutes pass', async () => {
    const member = await t.addStaff('compliance');
    for (let i = 0; i < 4; i++) {
      await expectError(
        login({ email: member.email, password: `wrong password ${i}` }),
        401,
        'invalid-credentials',
      );
    }
    await expectError(login({ email: member.email, password: 'wrong password 5' }), 423, 'account-locked');
    await expectError(login({ email: member.email, password: member.password }), 423, 'account-locked');
    t.clock.advanceMinutes(14);
    await expectError(login({ email: member.email, password: member.password }), 423, 'account-locked');
    t.clock.advanceMinutes(1);
    expect((await login({ email: member.email, password: member.password })).status).toBe(200);
    const types = await auditTypes();
    expect(types.filter((x) => x === 'staff-login-failed')).toHaveLength(5);
    expect(types.filter((x) => x === 'staff-locked')).toHaveLength(1);
  });

  it('a success resets the failure count', async () => {
    const member = await t.addStaff('auditor');
    for (let i = 0; i < 4; i++) await login({ email: member.email, password: 'not the password' });
    await t.login(member);
    for (let i = 0; i < 4; i++) {
      await expectError(
        login({ email: member.email, password: 'not the password' }),
        401,
        'invalid-credentials',
      );
    }
    expect((await t.store.staff.getStaff(member.id))?.failedLogins).toBe(4);
  });

  it('wrong TOTP codes count toward the lockout', async () => {
    const admin = await t.addStaff('admin');
    for (let i = 0; i < 4; i++) {
      await expectError(
        login({ email: admin.email, password: admin.password, totp: '000000' }),
        401,
        'invalid-totp',
      );
    }
    await expectError(
      login({ email: admin.email, password: admin.password, totp: '000000' }),
      423,
      'account-locked',
    );
  });

  it('the lockout settings are honoured (3 attempts, 2 minutes)', async () => {
    await t.close();
    t = await createStaffTestApp({ settings: { lockoutAttempts: 3, lockoutMinutes: 2 } });
    const member = await t.addStaff('operator');
    await login({ email: member.email, password: 'not the password' });
    await login({ email: member.email, password: 'not the password' });
    await expectError(login({ email: member.email, password: 'not the password' }), 423, 'account-locked');
    t.clock.advanceMinutes(2);
    expect((await login({ email: member.email, password: member.password })).status).toBe(200);
  });

  it('a malformed login body is invalid-request', async () => {
    await expectError(login({ email: 'x@example.com' }), 400, 'invalid-request');
  });
});

describe('staff sessions', () => {
  it('idle expiry: 30 minutes without a request ends the session; requests slide it', async () => {
    const session = await t.login(await t.addStaff('operator'));
    t.clock.advanceMinutes(29);
    expect((await t.request('/api/me', { session })).status).toBe(200);
    t.clock.advanceMinutes(29);
    const me = await json(await t.request('/api/me', { session }));
    expect(me.expires_at).toBe(new Date(t.clock.now() + 30 * 60_000).toISOString());
    t.clock.advanceMinutes(30);
    await expectError(t.request('/api/me', { session }), 401, 'unauthorized');
  });

  it('a live stream’s checks do not keep a session alive (an open tab is not an operator on duty)', async () => {
    const session = await t.login(await t.addStaff('operator'));
    const token = session.cookie.slice(session.cookie.indexOf('=') + 1);
    for (let i = 0; i < 14; i++) {
      t.clock.advanceMinutes(2);
      expect(await t.staff.verifySession(token, { touch: false })).toBeDefined();
    }
    t.clock.advanceMinutes(2);
    expect(await t.staff.verifySession(token, { touch: false })).toBeUndefined();
    await expectError(t.request('/api/me', { session }), 401, 'unauthorized');
  });

  it('absolute expiry: 12 hours after sign-in, however busy', async () => {
    const session = await t.login(await t.addStaff('auditor'));
    for (let i = 0; i < 35; i++) {
      t.clock.advanceMinutes(20);
      expect((await t.request('/api/me', { session })).status).toBe(200);
    }
    const me = await json(await t.request('/api/me', { session }));
    expect(me.expires_at).toBe(new Date(Date.UTC(2026, 6, 15) + 12 * 3_600_000).toISOString());
    t.clock.advanceMinutes(20);
    await expectError(t.request('/api/me', { session }), 401, 'unauthorized');
  });

  it('logout: 204, the cookie is cleared and the session is dead', async () => {
    const session = await t.login(await t.addStaff('compliance'));
    const r = await post('/api/logout', {}, session);
    expect(r.status).toBe(204);
    expect(r.headers.get('set-cookie')).toMatch(
      /^cg_session=; Max-Age=0; Path=\/; .*HttpOnly; SameSite=Strict/,
    );
    await expectError(t.request('/api/me', { session }), 401, 'unauthorized');
  });

  it('a state-changing staff request without the CSRF token is 403 forbidden', async () => {
    const session = await t.login(await t.addStaff('compliance'));
    await expectError(
      t.request('/api/logout', { method: 'POST', headers: { cookie: session.cookie } }),
      403,
      'forbidden',
    );
    await expectError(
      t.request('/api/logout', {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': 'nope' },
      }),
      403,
      'forbidden',
    );
    expect((await t.request('/api/me', { session })).status).toBe(200);
  });

  it('disabling a staff member ends their live session', async () => {
    const admin = await t.login(await t.addStaff('admin'));
    const member = await t.addStaff('operator');
    const session = await t.login(member);
    expect((await t.request('/api/me', { session })).status).toBe(200);
    expect(await json(await post(`/api/staff/${member.id}/disable`, {}, admin))).toEqual({
      id: member.id,
      disabled: true,
    });
    await expectError(t.request('/api/me', { session }), 401, 'unauthorized');
  });
});

describe('admin: staff accounts', () => {
  it('adds staff (admins get a TOTP URI once), lists them, refuses duplicates and short passwords', async () => {
    const adminMember = await t.addStaff('admin');
    const admin = await t.login(adminMember);
    const loginAt = t.clock.now();
    t.clock.advance(1000);
    const op = await post(
      '/api/staff',
      { email: 'Op@Example.com', role: 'operator', password: 'twelve chars' },
      admin,
    );
    t.clock.advance(1000);
    expect(op.status).toBe(201);
    const opBody = await json(op);
    expect(opBody).toEqual({ id: expect.any(String), email: 'op@example.com', role: 'operator' });
    const ad = await json(
      await post(
        '/api/staff',
        { email: 'ad@example.com', role: 'admin', password: 'another long one' },
        admin,
      ),
    );
    expect(ad.totp_uri).toMatch(
      /^otpauth:\/\/totp\/companion-guard:ad@example\.com\?secret=[A-Z2-7]{32}&issuer=companion-guard$/,
    );
    const refused = [
      [{ email: 'OP@example.com', role: 'auditor', password: 'twelve chars' }, 409, 'staff-exists'],
      [{ email: 'x@example.com', role: 'auditor', password: 'short' }, 400, 'invalid-request'],
      [{ email: 'not-an-email', role: 'auditor', password: 'twelve chars' }, 400, 'invalid-request'],
      [{ email: 'y@example.com', role: 'root', password: 'twelve chars' }, 400, 'invalid-request'],
    ] as const;
    for (const [body, status, code] of refused)
      await expectError(post('/api/staff', body, admin), status, code);
    const list = await json(await t.request('/api/staff', { session: admin }));
    expect(list.data).toEqual([
      {
        id: adminMember.id,
        email: adminMember.email,
        role: 'admin',
        disabled: false,
        totp: true,
        created_at: new Date(loginAt).toISOString(),
        last_login_at: new Date(loginAt).toISOString(),
      },
      expect.objectContaining({
        id: opBody.id,
        email: 'op@example.com',
        role: 'operator',
        totp: false,
        created_at: new Date(loginAt + 1000).toISOString(),
        last_login_at: null,
      }),
      expect.objectContaining({ email: 'ad@example.com', role: 'admin', totp: true }),
    ]);
    const added = (await t.store.listAudit()).filter((e) => e.type === 'staff-added');
    expect(added.at(-1)).toMatchObject({
      requirement: 'DATA-1',
      data: { role: 'admin', totp: true, by: adminMember.id },
    });
    expect(JSON.stringify(await t.store.listAudit())).not.toMatch(/another long one|twelve chars|secret=/);
  });

  it('an admin cannot disable themselves; an unknown id is 404', async () => {
    const adminMember = await t.addStaff('admin');
    const admin = await t.login(adminMember);
    await expectError(post(`/api/staff/${adminMember.id}/disable`, {}, admin), 400, 'invalid-request');
    await expectError(post('/api/staff/no-such-id/disable', {}, admin), 404, 'not-found');
    const types = await auditTypes();
    expect(types).not.toContain('staff-disabled');
  });

  it('disabling is audited once', async () => {
    const admin = await t.login(await t.addStaff('admin'));
    const member = await t.addStaff('auditor');
    await post(`/api/staff/${member.id}/disable`, {}, admin);
    await post(`/api/staff/${member.id}/disable`, {}, admin);
    expect((await auditTypes()).filter((x) => x === 'staff-disabled')).toHaveLength(1);
    const list = (await json(await t.request('/api/staff', { session: admin }))).data as {
      id: string;
      disabled: boolean;
    }[];
    expect(list.find((s) => s.id === member.id)?.disabled).toBe(true);
  });
});
