import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaffTestApp, type StaffTestApp, type TestSession } from '../../../test/staff-app.js';

let t: StaffTestApp;
beforeEach(async () => {
  t = await createStaffTestApp();
});
afterEach(() => t.close());

const json = async <T>(r: Response) => (await r.json()) as T;
const post = (path: string, body: unknown, session?: TestSession) =>
  t.request(path, { method: 'POST', body: JSON.stringify(body), ...(session ? { session } : {}) });
const put = (path: string, body: unknown, session: TestSession) =>
  t.request(path, { method: 'PUT', body: JSON.stringify(body), session });
const auditTypes = async () => (await t.store.listAudit()).map((e) => e.type);

describe('guardian sign-in by one-time code (MINOR-4)', () => {
  it('MINOR-4: a code request answers 202 alike for a registered and an unknown contact; only the registered one gets a code', async () => {
    await t.registerMinor('kid', 12, 'mum@example.com');
    const known = await post('/api/guardian/code', { contact: 'Mum@Example.com' });
    const unknown = await post('/api/guardian/code', { contact: 'stranger@example.com' });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(await known.json()).toEqual(await unknown.json());
    await t.guardianMessagesSettled();
    expect(t.guardianMessages.map((m) => m.to)).toEqual(['mum@example.com']);
    expect(t.guardianMessages[0]?.text).toMatch(/\d{6}/);
    expect((await post('/api/guardian/code', { contact: 'not a contact' })).status).toBe(400);
  });

  it('MINOR-4: a code expires, is single use, and wrong tries spend it (fake clock)', async () => {
    await t.registerMinor('kid', 12, 'mum@example.com');
    const code = await t.guardianCode('mum@example.com');
    t.clock.advance(10 * 60_000);
    expect((await post('/api/guardian/login', { contact: 'mum@example.com', code })).status).toBe(401);

    const second = await t.guardianCode('mum@example.com');
    const wrong = second === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await post('/api/guardian/login', { contact: 'mum@example.com', code: wrong });
      expect(await json<{ code: string }>(r)).toMatchObject({ code: 'invalid-code' });
    }
    expect((await post('/api/guardian/login', { contact: 'mum@example.com', code: second })).status).toBe(
      401,
    );

    const third = await t.guardianCode('mum@example.com');
    const ok = await post('/api/guardian/login', { contact: 'mum@example.com', code: third });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/^cg_guardian=.*HttpOnly.*SameSite=Strict/i);
    expect((await post('/api/guardian/login', { contact: 'mum@example.com', code: third })).status).toBe(401);
    expect(await auditTypes()).toEqual(expect.arrayContaining(['guardian-login-failed', 'guardian-login']));
  });

  it('MINOR-4: codes per contact are rate-limited per hour, silently (still 202)', async () => {
    await t.registerMinor('kid', 12, 'mum@example.com');
    for (let i = 0; i < 7; i++)
      expect((await post('/api/guardian/code', { contact: 'mum@example.com' })).status).toBe(202);
    await t.guardianMessagesSettled();
    expect(t.guardianMessages).toHaveLength(5);
    t.clock.advance(3_600_000);
    await t.guardianCode('mum@example.com');
  });

  it('MINOR-4: the session ends after 30 idle minutes', async () => {
    await t.registerMinor('kid', 12, 'mum@example.com');
    const session = await t.guardianLogin('mum@example.com');
    expect((await t.request('/api/guardian/me', { session })).status).toBe(200);
    t.clock.advance(30 * 60_000);
    expect((await t.request('/api/guardian/me', { session })).status).toBe(401);
  });
});

describe('guardian console API (MINOR-2, MINOR-4)', () => {
  it('MINOR-4: two guardians each see only their linked minors', async () => {
    const a = await t.registerMinor('kid-a', 12, 'a@example.com');
    const b = await t.registerMinor('kid-b', 15, 'b@example.com');
    const ga = await t.guardianLogin('a@example.com');
    const gb = await t.guardianLogin('b@example.com');
    const list = await json<{ data: { id: string; user: string }[] }>(
      await t.request('/api/guardian/minors', { session: ga }),
    );
    expect(list.data.map((m) => m.user)).toEqual(['kid-a']);
    expect((await t.request(`/api/guardian/minors/${b}`, { session: ga })).status).toBe(404);
    expect((await put(`/api/guardian/minors/${b}/controls`, { spending: true }, ga)).status).toBe(404);
    expect((await post(`/api/guardian/minors/${a}/consent`, {}, gb)).status).toBe(404);
    expect((await post(`/api/guardian/minors/${a}/leave-minor-mode`, {}, gb)).status).toBe(404);
    expect((await t.request(`/api/guardian/minors/${b}`, { session: gb })).status).toBe(200);
    // MINOR-2: the console is told what waits for the consent: everything under 14, companions at 15.
    const waiting = async (id: string, session: TestSession) =>
      (
        await json<{ consent_required_for: string }>(
          await t.request(`/api/guardian/minors/${id}`, { session }),
        )
      ).consent_required_for;
    expect([await waiting(a, ga), await waiting(b, gb)]).toEqual(['all', 'companion-characters']);
  });

  it('MINOR-2: consent in the console is recorded with time, method and policy version, and can be revoked', async () => {
    const kid = await t.registerMinor('kid', 12, 'mum@example.com');
    const g = await t.guardianLogin('mum@example.com');
    const given = await json<{ consent: Record<string, unknown> }>(
      await post(`/api/guardian/minors/${kid}/consent`, {}, g),
    );
    expect(given.consent).toEqual({
      at: new Date(t.clock.now()).toISOString(),
      method: 'email-code',
      policy_version: expect.any(String),
      revoked_at: null,
    });
    const revoked = await json<{ consent: { revoked_at: string | null } }>(
      await post(`/api/guardian/minors/${kid}/consent/revoke`, {}, g),
    );
    expect(revoked.consent.revoked_at).not.toBeNull();
    expect(await auditTypes()).toEqual(
      expect.arrayContaining([
        'guardian-consent-recorded',
        'guardian-consent-confirmed',
        'guardian-consent-revoked',
      ]),
    );
  });

  it('MINOR-2: the app (re)sends a consent request; the link confirms once', async () => {
    const key = await t.createKey();
    await t.registerMinor('kid', 12, 'mum@example.com');
    const sent = await t.request('/v1/users/kid/guardian-consent', { method: 'POST', apiKey: key });
    expect(await json(sent)).toEqual({ status: 'sent' });
    const mail = t.guardianMessages.at(-1);
    expect(mail?.to).toBe('mum@example.com');
    const token = /consent=([\w.-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    const confirmed = await post('/api/guardian/consent', { token });
    expect(await json(confirmed)).toMatchObject({ user: 'kid', consent: { method: 'link' } });
    expect((await post('/api/guardian/consent', { token })).status).toBe(401);
    expect((await post('/api/guardian/consent', { token: `${token.split('.')[0]}.forged` })).status).toBe(
      401,
    );
    const none = await t.request('/v1/users/nobody/guardian-consent', { method: 'POST', apiKey: key });
    expect(none.status).toBe(404);
  });

  it('MINOR-4: controls stay within the profile bounds; accepted ones are stored and audited', async () => {
    const kid = await t.registerMinor('kid', 12, 'mum@example.com');
    const g = await t.guardianLogin('mum@example.com');
    const detail = await json<{
      bounds: { max_daily_limit_minutes: number; min_quiet_hours: { from: string; to: string } };
    }>(await t.request(`/api/guardian/minors/${kid}`, { session: g }));
    const max = detail.bounds.max_daily_limit_minutes;
    expect(
      (await put(`/api/guardian/minors/${kid}/controls`, { daily_limit_minutes: max + 1 }, g)).status,
    ).toBe(400);
    expect(
      (await put(`/api/guardian/minors/${kid}/controls`, { quiet_hours: { from: '23:59', to: '00:00' } }, g))
        .status,
    ).toBe(400);
    expect(
      (await put(`/api/guardian/minors/${kid}/controls`, { blocked_characters: ['no-such'] }, g)).status,
    ).toBe(404);
    const ok = await put(
      `/api/guardian/minors/${kid}/controls`,
      {
        daily_limit_minutes: 30,
        quiet_hours: { from: '20:00', to: '07:00' },
        blocked_characters: ['xiaonuan'],
        spending: true,
      },
      g,
    );
    expect(await json(ok)).toMatchObject({
      controls: {
        daily_limit_minutes: 30,
        quiet_hours: { from: '20:00', to: '07:00' },
        blocked_characters: ['xiaonuan'],
        spending: true,
      },
    });
    const events = (await t.store.listAudit()).filter((e) => e.type === 'guardian-action');
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        action: 'controls-update',
        fields: ['dailyLimitMinutes', 'quietHours', 'blockedCharacters', 'spending'],
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain('mum@example.com');
  });

  it('MINOR-1, MINOR-4: leaving minor mode needs the signed-in guardian and is audited', async () => {
    // A suspected minor (no registered age): a registered minor age cannot leave (guardian-flow.test.ts).
    await t.store.profiles.updateProfile(
      'kid',
      { guardian: { name: 'Mum', email: 'mum@example.com', phone: null } },
      { now: t.clock.now(), audit: () => [] },
    );
    const kid = (await t.store.ensureUser('kid', t.clock.now())).id;
    await t.store.minors.enter(kid, { reason: 'suspected', now: t.clock.now() });
    const g = await t.guardianLogin('mum@example.com');
    const left = await json<{ minor_mode: boolean }>(
      await post(`/api/guardian/minors/${kid}/leave-minor-mode`, {}, g),
    );
    expect(left.minor_mode).toBe(false);
    expect((await t.store.listAudit()).map((e) => e.type)).toEqual(
      expect.arrayContaining(['minor-mode-leave', 'guardian-action']),
    );
  });
});

describe('spending check (MINOR-4)', () => {
  it('MINOR-4: denies a minor without consent or with spending off, allows with spending on and adults; audited', async () => {
    const key = await t.createKey();
    const kid = await t.registerMinor('kid', 12, 'mum@example.com');
    await t.store.profiles.updateProfile('adult', { age: 30 }, { now: t.clock.now(), audit: () => [] });
    const check = async (user: string) =>
      json(
        await t.request('/v1/spending/check', {
          method: 'POST',
          apiKey: key,
          body: JSON.stringify({ user, amount: 6, currency: 'CNY' }),
        }),
      );
    expect(await check('kid')).toEqual({ allow: false, reason: 'consent-required' });
    expect(await check('adult')).toEqual({ allow: true, reason: 'not-a-minor' });
    const g = await t.guardianLogin('mum@example.com');
    await post(`/api/guardian/minors/${kid}/consent`, {}, g);
    expect(await check('kid')).toEqual({ allow: false, reason: 'guardian-disallowed' });
    await put(`/api/guardian/minors/${kid}/controls`, { spending: true }, g);
    expect(await check('kid')).toEqual({ allow: true, reason: 'guardian-allowed' });
    await put(`/api/guardian/minors/${kid}/controls`, { spending: false }, g);
    expect(await check('kid')).toEqual({ allow: false, reason: 'guardian-disallowed' });
    const audited = (await t.store.listAudit()).filter((e) => e.type === 'spending-checked');
    expect(audited.map((e) => e.data?.allow)).toEqual([false, true, false, true, false]);
    const bad = await t.request('/v1/spending/check', {
      method: 'POST',
      apiKey: key,
      body: JSON.stringify({ user: 'kid', amount: -1, currency: 'CNY' }),
    });
    expect(bad.status).toBe(400);
  });
});
