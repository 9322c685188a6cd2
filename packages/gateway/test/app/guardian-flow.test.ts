import { resolveProfile, singleProfileBook, type UserRecord } from '@companion-guard/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { defaultGuardianSettings } from '../../src/server/auth/guardian-auth.js';
import { createMinorTurns } from '../../src/server/chat/minor-turns.js';
import { createGuardianConsent } from '../../src/server/guardians/guardian-consent.js';
import { createStaffTestApp, type StaffTestApp } from '../staff-app.js';

let t: StaffTestApp;
beforeEach(async () => {
  t = await createStaffTestApp();
});
afterEach(() => t.close());

const HOUR = 3_600_000;
const json = async <T>(r: Response) => (await r.json()) as T;
const post = (path: string, body: unknown, init: Parameters<StaffTestApp['request']>[1] = {}) =>
  t.request(path, { method: 'POST', body: JSON.stringify(body), ...init });

/** One chat turn of `user`; the `consent-required` directive's text, or null when there is none. */
async function consentText(user: string, character = 'xiaonuan'): Promise<string | null> {
  const res = await t.post('/v1/chat/completions', {
    model: 'demo',
    user,
    messages: [{ role: 'user', content: 'hello' }],
    metadata: { character_id: character, locale: 'en' },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { compliance: { directives: { type: string; text: string }[] } };
  return body.compliance.directives.find((d) => d.type === 'consent-required')?.text ?? null;
}

const linkToken = (text: string | undefined) => /consent=([\w.-]+)/.exec(text ?? '')?.[1] ?? '';

describe('guardian flow fixes (MINOR-1, MINOR-2, MINOR-4)', () => {
  it('MINOR-2: a minor whose guardian index row is missing (registered before migration 0007) gets consent by link; sign-in works after', async () => {
    const key = await t.createKey();
    const kid = await t.registerMinor('kid', 12, 'mum@example.com');
    const db = new Database(t.dbFile);
    db.prepare('delete from guardian_links where user_id = ?').run(kid);
    db.close();
    await post('/api/guardian/code', { contact: 'mum@example.com' });
    await t.guardianMessagesSettled();
    expect(t.guardianMessages).toEqual([]);

    const sent = await t.request('/v1/users/kid/guardian-consent', { method: 'POST', apiKey: key });
    expect(await json(sent)).toEqual({ status: 'sent' });
    const confirmed = await post('/api/guardian/consent', {
      token: linkToken(t.guardianMessages.at(-1)?.text),
    });
    expect(confirmed.status).toBe(200);
    expect(await json(confirmed)).toMatchObject({ user: 'kid', consent: { method: 'link' } });
    await t.guardianLogin('mum@example.com');
  });

  it('MINOR-2: chat turns ask the guardian once per consentResendHours (store, fake clock), never spend or end sign-in codes, and say what happened', async () => {
    await t.registerMinor('kid', 12, 'mum@example.com');
    const requests = () => t.guardianMessages.filter((m) => m.subject.includes('consent as guardian'));
    const code = await t.guardianCode('mum@example.com');
    const first = t.clock.now();
    expect(await consentText('kid')).toMatch(/We are asking your guardian to confirm/);
    await t.guardianMessagesSettled();
    expect(requests()).toHaveLength(1);
    expect(requests()[0]?.text).toContain('/guardian?consent=');
    expect(requests()[0]?.text).not.toMatch(/\b\d{6}\b/);
    t.clock.advance(60_000);
    expect(await consentText('kid')).toMatch(/asked your guardian to confirm a short while ago/);
    // The code mailed before the request still signs in.
    expect((await post('/api/guardian/login', { contact: 'mum@example.com', code })).status).toBe(200);
    // Turns every 11 minutes for 5 hours: no new request; the hour's sign-in codes are all still there.
    for (let i = 0; i < 27; i++) {
      t.clock.advance(11 * 60_000);
      expect(await consentText('kid')).toMatch(/asked your guardian to confirm a short while ago/);
    }
    await t.guardianMessagesSettled();
    expect(requests()).toHaveLength(1);
    for (let i = 0; i < 5; i++) await t.guardianCode('mum@example.com');
    t.clock.set(first + 6 * HOUR - 1);
    expect(await consentText('kid')).toMatch(/a short while ago/);
    t.clock.set(first + 6 * HOUR);
    expect(await consentText('kid')).toMatch(/We are asking your guardian/);
    await t.guardianMessagesSettled();
    expect(requests()).toHaveLength(2);
  });

  it('MINOR-2: the consent-required text says when no guardian is registered or none can be reached', async () => {
    await t.store.profiles.updateProfile('lonely', { age: 12 }, { now: t.clock.now(), audit: () => [] });
    expect(await consentText('lonely')).toMatch(/No guardian is registered for you/);
    await t.guardianMessagesSettled();
    expect(t.guardianMessages).toEqual([]);
    const kid = await t.registerMinor('kid', 12, 'mum@example.com');
    const user = (await t.store.getUser(kid)) as UserRecord;
    const common = {
      store: t.store,
      clock: t.clock,
      profile: resolveProfile('cn-2026'),
      settings: defaultGuardianSettings,
      linkBase: () => 'http://localhost',
      logger: silentLogger,
    };
    const noMail = createGuardianConsent({ ...common, messenger: null });
    expect(await noMail.outlook(user, t.clock.now())).toBe('no-channel');
    const smsOnly = Object.assign(async () => undefined, { channels: new Set(['phone'] as const) });
    const viaSms = createGuardianConsent({ ...common, messenger: smsOnly });
    expect(await viaSms.request(kid, t.clock.now())).toBe('no-channel');
  });

  it('MINOR-2: an undelivered consent request is withdrawn: audited as failed, and the next turn does not say the guardian was asked', async () => {
    const kid = await t.registerMinor('kid', 12, 'mum@example.com');
    const user = (await t.store.getUser(kid)) as UserRecord;
    const common = {
      store: t.store,
      clock: t.clock,
      profile: resolveProfile('cn-2026'),
      settings: defaultGuardianSettings,
      linkBase: () => 'http://localhost',
      logger: silentLogger,
    };
    const down = Object.assign(
      async () => {
        throw new Error('smtp down');
      },
      { channels: new Set(['email', 'phone'] as const) },
    );
    const failing = createGuardianConsent({ ...common, messenger: down });
    await expect(failing.request(kid, t.clock.now())).rejects.toThrow('smtp down');
    expect(await failing.outlook(user, t.clock.now())).toBe('sent');
    expect(await t.store.guardians.lastConsentRequestAt(kid)).toBeNull();
    const events = (await t.store.listAudit({ limit: 1000 })).filter((e) => e.userId === kid);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['guardian-consent-requested', 'guardian-consent-request-failed']),
    );
  });

  it('MINOR-2: a hung mail server does not hold the chat turn; the request is fired, not awaited', async () => {
    const kid = await t.registerMinor('kid', 12, 'mum@example.com');
    const user = (await t.store.getUser(kid)) as UserRecord;
    const request = vi.fn(() => new Promise<never>(() => undefined));
    const minors = createMinorTurns({
      store: t.store,
      profiles: singleProfileBook(resolveProfile('cn-2026')),
      logger: silentLogger,
      guardianConsent: { outlook: async () => 'sent', request },
    });
    const now = t.clock.now();
    const facts = await minors.facts(user, '14-15', now, { scope: 'companion' });
    expect(facts?.consentRequest).toBe('sent');
    const refused = { kind: 'reply', reason: 'consent-required', text: 'x' } as const;
    await minors.afterTurn(user, facts, refused as never, 'xiaonuan', now);
    expect(request).toHaveBeenCalledWith(kid, now);
  });

  it('MINOR-1: the guardian cannot end minor mode of a registered minor age (409 minor-by-age); a suspected minor can leave', async () => {
    const kid = await t.registerMinor('kid', 15, 'mum@example.com');
    await t.store.minors.enter(kid, { reason: 'declared', now: t.clock.now() });
    const g = await t.guardianLogin('mum@example.com');
    const refused = await post(`/api/guardian/minors/${kid}/leave-minor-mode`, {}, { session: g });
    expect(refused.status).toBe(409);
    const body = await json<{ code: string; message: string }>(refused);
    expect(body.code).toBe('minor-by-age');
    expect(body.message).toMatch(/18/);
    expect((await t.store.minors.getState(kid)).mode).toBe('on');

    await t.store.profiles.updateProfile(
      'maybe',
      { guardian: { name: 'Mum', email: 'mum@example.com', phone: null } },
      { now: t.clock.now(), audit: () => [] },
    );
    const user = await t.store.ensureUser('maybe', t.clock.now());
    await t.store.minors.enter(user.id, { reason: 'suspected', now: t.clock.now() });
    const left = await post(`/api/guardian/minors/${user.id}/leave-minor-mode`, {}, { session: g });
    expect(await json(left)).toMatchObject({ minor_mode: false });
  });

  it('MINOR-4: a wrong code costs the same for an unknown contact (the failure is audited alike); code requests past the shared limit issue no code', async () => {
    await t.registerMinor('kid', 12, 'mum@example.com');
    await t.guardianCode('mum@example.com');
    for (const contact of ['mum@example.com', 'stranger@example.com']) {
      const r = await post('/api/guardian/login', { contact, code: '000000' });
      expect(r.status).toBe(401);
    }
    const failed = (await t.store.listAudit()).filter((e) => e.type === 'guardian-login-failed');
    expect(failed).toHaveLength(2);

    const issue = vi.spyOn(t.store.guardians, 'issueCode');
    for (let i = 0; i < 6; i++) await post('/api/guardian/code', { contact: 'mum@example.com' });
    await t.guardianMessagesSettled();
    expect(issue).toHaveBeenCalledTimes(4); // 5 per hour, one used above
    // Many contacts from one address (behind a proxy: every caller) are never refused as a group; an
    // unregistered contact costs reads only, never a write.
    issue.mockClear();
    for (let i = 0; i < 70; i++) await post('/api/guardian/code', { contact: `p${i}@example.com` });
    await t.guardianMessagesSettled();
    expect(issue).not.toHaveBeenCalled();
    await t.registerMinor('kid-2', 12, 'dad@example.com');
    await post('/api/guardian/code', { contact: 'dad@example.com' });
    await t.guardianMessagesSettled();
    expect(issue).toHaveBeenCalledTimes(1);
  });
});
