import type { StaffRole } from '@companion-guard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaffTestApp,
  type StaffTestApp,
  type TestSession,
  type TestStaff,
} from '../../../test/staff-app.js';
import { type Access, authorizationMatrix, type Caller } from './authorization.js';

const roles = ['operator', 'compliance', 'auditor', 'admin'] as const satisfies readonly StaffRole[];
type Who = 'nobody' | Caller;
const callers: readonly Who[] = ['nobody', 'app', ...roles, 'guardian'];

/** A concrete path for a route pattern. */
const concrete = (path: string) => path.replace(/:[a-z]+/g, 'x').replace(/\/\*$/, '/some-page');

function expected(access: Access, who: Who): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed';
  if (who === 'nobody') return 401;
  return access.includes(who) ? 'allowed' : 403;
}

describe('the authorization matrix, route × caller (keyed server)', () => {
  let t: StaffTestApp;
  let apiKey = '';
  const members = new Map<StaffRole, TestStaff>();
  const sessions = new Map<StaffRole, TestSession>();
  let guardian: TestSession;

  beforeAll(async () => {
    t = await createStaffTestApp();
    apiKey = await t.createKey();
    for (const role of roles) {
      const member = await t.addStaff(role);
      members.set(role, member);
      sessions.set(role, await t.login(member));
    }
    await t.registerMinor('walk-kid', 12, 'walk-guardian@example.com');
    guardian = await t.guardianLogin('walk-guardian@example.com');
  });
  afterAll(() => t.close());

  const registered = () => {
    const keys = t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    return [...new Set(keys)].sort();
  };

  /**
   * Matrix entries whose handlers another branch registers (the user-profile work, REG-1). Empty this list
   * when that work is merged: the test then fails until it is.
   */
  it('the matrix covers exactly the routes registered on the app', () => {
    expect(registered()).toEqual(Object.keys(authorizationMatrix).sort());
  });

  async function call(key: string, who: Who): Promise<Response> {
    const [method = 'GET', path = '/'] = key.split(' ');
    const init: Parameters<StaffTestApp['request']>[1] = { method };
    if (method !== 'GET') init.body = '{}';
    if (who === 'app') init.apiKey = apiKey;
    if (who === 'guardian') init.session = guardian;
    if (who !== 'nobody' && who !== 'app' && who !== 'guardian') {
      const session = sessions.get(who);
      if (session) init.session = session;
    }
    const response = await t.request(concrete(path), init);
    if (
      key === 'POST /api/logout' &&
      response.status === 204 &&
      who !== 'nobody' &&
      who !== 'app' &&
      who !== 'guardian'
    ) {
      // Signing out ended the session the walk uses: sign in again (a new TOTP step for the admin).
      t.clock.advance(30_000);
      const member = members.get(who);
      if (member) sessions.set(who, await t.login(member));
    }
    if (key === 'POST /api/guardian/logout' && response.status === 204 && who === 'guardian') {
      guardian = await t.guardianLogin('walk-guardian@example.com');
    }
    return response;
  }

  for (const [key, access] of Object.entries(authorizationMatrix) as [string, Access][]) {
    for (const who of callers) {
      const want = expected(access, who);
      it(`${key} as ${who}: ${want === 'allowed' ? 'allowed' : want}`, async () => {
        const response = await call(key, who);
        const json = response.headers.get('content-type')?.includes('json')
          ? ((await response.json()) as { code?: string; error?: { code?: string } })
          : {};
        // `{ code }` under /api, OpenAI's `{ error: { code } }` under /v1.
        const body = { code: json.code ?? json.error?.code };
        if (want === 'allowed') {
          expect([401, 403], `${key} as ${who}: ${response.status} ${body.code}`).not.toContain(
            response.status,
          );
        } else {
          expect({ status: response.status, code: body.code }).toEqual({
            status: want,
            code: want === 401 ? 'unauthorized' : 'forbidden',
          });
        }
      });
    }
  }

  it('an app key on /api/me is 403; a staff cookie on /v1/chat/completions is 403', async () => {
    expect((await t.request('/api/me', { apiKey })).status).toBe(403);
    const admin = sessions.get('admin');
    const chat = await t.request('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'demo', user: 'u1', messages: [{ role: 'user', content: 'hi' }] }),
      ...(admin ? { session: admin } : {}),
    });
    expect(chat.status).toBe(403);
  });

  it('a staff cookie with an app key is the app: the key decides, never the cookie', async () => {
    const operator = sessions.get('operator');
    const r = await t.request('/api/me', { apiKey, ...(operator ? { session: operator } : {}) });
    expect(r.status).toBe(403);
  });

  it('a bogus cookie is 401 unauthorized', async () => {
    const r = await t.request('/api/me', { headers: { cookie: 'cg_session=forged-token' } });
    expect(r.status).toBe(401);
  });
});

describe('guardian sessions (MINOR-4)', () => {
  let t: StaffTestApp;
  beforeAll(async () => {
    t = await createStaffTestApp();
    await t.createKey();
    await t.registerMinor('kid-a', 12, 'a@example.com');
  });
  afterAll(() => t.close());

  it('MINOR-4: a guardian cookie never reaches staff or app routes; a staff cookie never reaches guardian routes', async () => {
    const guardian = await t.guardianLogin('a@example.com');
    expect((await t.request('/api/me', { session: guardian })).status).toBe(403);
    expect((await t.request('/v1/characters', { session: guardian })).status).toBe(403);
    expect((await t.request('/api/guardian/minors', { session: guardian })).status).toBe(200);
    const operator = await t.login(await t.addStaff('operator'));
    expect((await t.request('/api/guardian/minors', { session: operator })).status).toBe(403);
    // Both cookies: the guardian route takes the guardian's, the staff route the staff member's.
    const both = { cookie: `${guardian.cookie}; ${operator.cookie}`, csrf: guardian.csrf, setCookie: '' };
    expect((await t.request('/api/guardian/minors', { session: both })).status).toBe(200);
    expect((await t.request('/api/me', { session: both })).status).toBe(200);
  });

  it('MINOR-4: a forged or signed-out guardian cookie is 401; state changes need the CSRF token', async () => {
    expect(
      (await t.request('/api/guardian/minors', { headers: { cookie: 'cg_guardian=forged' } })).status,
    ).toBe(401);
    const guardian = await t.guardianLogin('a@example.com');
    const [kid] = (
      (await (await t.request('/api/guardian/minors', { session: guardian })).json()) as {
        data: { id: string }[];
      }
    ).data;
    const noCsrf = await t.request(`/api/guardian/minors/${kid?.id}/consent`, {
      method: 'POST',
      headers: { cookie: guardian.cookie, 'x-csrf-token': 'wrong' },
    });
    expect(noCsrf.status).toBe(403);
    expect((await t.request('/api/guardian/logout', { method: 'POST', session: guardian })).status).toBe(204);
    expect((await t.request('/api/guardian/minors', { session: guardian })).status).toBe(401);
  });
});

describe('keyless loopback server', () => {
  let t: StaffTestApp;
  beforeAll(async () => {
    t = await createStaffTestApp();
  });
  afterAll(() => t.close());

  it('requests without credentials are the app on app routes only: /v1 works, /api/me is 401', async () => {
    expect((await t.request('/v1/characters')).status).toBe(200);
    expect((await t.request('/api/me')).status).toBe(401);
    // A placeholder bearer token on a keyless server is still the app, and the app never reaches /api.
    expect((await t.request('/api/me', { headers: { authorization: 'Bearer none' } })).status).toBe(403);
  });

  it('a staff cookie does not break the demo chat on the same origin: app routes ignore it', async () => {
    const session = await t.login(await t.addStaff('operator'));
    expect((await t.request('/v1/characters', { session })).status).toBe(200);
    expect((await t.request('/v1/characters', { headers: { cookie: 'cg_session=stale' } })).status).toBe(200);
    expect((await t.request('/api/me', { session })).status).toBe(200);
  });
});
