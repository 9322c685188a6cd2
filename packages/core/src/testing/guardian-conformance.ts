import { describe, expect, it } from 'vitest';
import type { NewGuardianCode } from '../people/guardian.js';
import type { Contact } from '../people/user-profile.js';
import type { Store } from '../ports.js';
import type { StaffConformanceTools } from './staff-conformance.js';

const t0 = Date.UTC(2026, 0, 15, 8, 0, 0);
const hour = 3_600_000;
const audit = (type: string) => ({ type, requirement: 'MINOR-4' as const, at: t0 });

/**
 * Guardians (MINOR-2, MINOR-4): the blind index written with the profile, rate-limited single-use codes
 * with counted attempts, and sessions. Registered by `describeStoreConformance`.
 */
export function describeGuardianConformance({ withStore, newId }: StaffConformanceTools): void {
  const contact = (email: string | null, phone: string | null = null): Contact => ({
    name: 'Mum',
    email,
    phone,
  });
  const register = (store: Store, guardian: Contact | null, age = 12) =>
    store.profiles.updateProfile(newId('kid'), { age, guardian }, { now: t0, audit: () => [] });
  const idOf = (store: Store, value: string) =>
    store.guardians.guardianIdOf(
      value.includes('@') ? { channel: 'email', value } : { channel: 'phone', value },
    );
  const code = (store: Store, patch: Partial<NewGuardianCode> = {}): NewGuardianCode => ({
    id: newId('code'),
    guardianId: idOf(store, 'mum@example.com'),
    purpose: 'login',
    userId: null,
    secret: '123456',
    createdAt: t0,
    expiresAt: t0 + 10 * 60_000,
    ...patch,
  });
  const rate = { windowMs: hour, max: 3 };
  const attempt = (secret: string, now = t0 + 1000) => ({ secret, now, maxAttempts: 3 });

  describe('guardians (MINOR-4)', () => {
    it('MINOR-4: the guardian id is a keyed hash of the normalized address, never the address', () =>
      withStore(async (store) => {
        const id = idOf(store, 'mum@example.com');
        expect(id).toMatch(/^[0-9a-f]{64}$/);
        expect(id).not.toContain('mum');
        expect(idOf(store, 'mum@example.com')).toBe(id);
        expect(idOf(store, 'dad@example.com')).not.toBe(id);
        expect(store.guardians.guardianIdOf({ channel: 'phone', value: 'mum@example.com' })).not.toBe(id);
      }));

    it('MINOR-4: minors are linked by e-mail and by phone; a changed or cleared guardian unlinks them', () =>
      withStore(async (store) => {
        const a = await register(store, contact('Mum@Example.com', '+86 138 0013 8000'));
        const b = await register(store, contact('mum@example.com'));
        const other = await register(store, contact('dad@example.com'));
        await register(store, null, 30);
        const byEmail = await store.guardians.linkedMinors(idOf(store, 'mum@example.com'));
        expect(byEmail.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
        const byPhone = await store.guardians.linkedMinors(idOf(store, '+8613800138000'));
        expect(byPhone.map((u) => u.id)).toEqual([a.id]);
        await store.profiles.updateProfile(
          a.externalId,
          { guardian: contact('dad@example.com') },
          {
            now: t0 + 1,
            audit: () => [],
          },
        );
        expect((await store.guardians.linkedMinors(idOf(store, 'mum@example.com'))).map((u) => u.id)).toEqual(
          [b.id],
        );
        expect(await store.guardians.linkedMinors(idOf(store, '+8613800138000'))).toEqual([]);
        expect(
          (await store.guardians.linkedMinors(idOf(store, 'dad@example.com'))).map((u) => u.id).sort(),
        ).toEqual([other.id, a.id].sort());
        await store.profiles.updateProfile(
          b.externalId,
          { guardian: null },
          { now: t0 + 2, audit: () => [] },
        );
        expect(await store.guardians.linkedMinors(idOf(store, 'mum@example.com'))).toEqual([]);
      }));

    it('MINOR-4: codes are rate-limited per guardian and purpose, with their audit events', () =>
      withStore(async (store) => {
        for (let i = 0; i < 3; i++) {
          expect(
            await store.guardians.issueCode(code(store, { createdAt: t0 + i }), rate, [
              audit('guardian-code-sent'),
            ]),
          ).toBe(true);
        }
        expect(await store.guardians.issueCode(code(store, { createdAt: t0 + 10 }), rate, [audit('x')])).toBe(
          false,
        );
        const other = code(store, { purpose: 'consent', createdAt: t0 + 10 });
        expect(await store.guardians.issueCode(other, rate, [])).toBe(true);
        expect(await store.guardians.issueCode(code(store, { createdAt: t0 + hour + 1 }), rate, [])).toBe(
          true,
        );
        expect((await store.listAudit()).map((e) => e.type)).toEqual(Array(3).fill('guardian-code-sent'));
      }));

    it('MINOR-4: a code works once, only the latest works, and wrong tries spend it', () =>
      withStore(async (store) => {
        const guardianId = idOf(store, 'mum@example.com');
        const selector = { guardianId, purpose: 'login' } as const;
        await store.guardians.issueCode(code(store, { secret: '111111' }), rate, []);
        await store.guardians.issueCode(code(store, { secret: '222222', createdAt: t0 + 1 }), rate, []);
        expect(await store.guardians.redeemCode(selector, attempt('111111'), () => [])).toEqual({
          ok: false,
          guardianId,
        });
        const seen: boolean[] = [];
        const ok = await store.guardians.redeemCode(selector, attempt('222222'), (r) => {
          seen.push(r.ok);
          return [audit('guardian-login')];
        });
        expect(ok).toEqual({ ok: true, guardianId, userId: null, purpose: 'login' });
        expect(seen).toEqual([true]);
        expect(await store.guardians.redeemCode(selector, attempt('222222'), () => [])).toEqual({
          ok: false,
          guardianId: null,
        });
        await store.guardians.issueCode(code(store, { secret: '333333', createdAt: t0 + 2 }), rate, []);
        for (let i = 0; i < 3; i++) await store.guardians.redeemCode(selector, attempt('000000'), () => []);
        expect((await store.guardians.redeemCode(selector, attempt('333333'), () => [])).ok).toBe(false);
        expect((await store.listAudit()).map((e) => e.type)).toEqual(['guardian-login']);
      }));

    it('MINOR-2: an expired code fails; a consent code is redeemed by id and names its minor', () =>
      withStore(async (store) => {
        const kid = await register(store, contact('mum@example.com'));
        const link = code(store, { purpose: 'consent', userId: kid.id, secret: 'long-secret' });
        await store.guardians.issueCode(link, rate, []);
        expect(
          (
            await store.guardians.redeemCode(
              { id: link.id },
              attempt('long-secret', link.expiresAt),
              () => [],
            )
          ).ok,
        ).toBe(false);
        const fresh = code(store, {
          purpose: 'consent',
          userId: kid.id,
          secret: 'another',
          createdAt: t0 + 5,
        });
        await store.guardians.issueCode(fresh, rate, []);
        expect(await store.guardians.redeemCode({ id: fresh.id }, attempt('another'), () => [])).toEqual({
          ok: true,
          guardianId: fresh.guardianId,
          userId: kid.id,
          purpose: 'consent',
        });
      }));

    it('MINOR-4: of concurrent redemptions of one code exactly one wins', () =>
      withStore(async (store) => {
        const c = code(store, { secret: '424242' });
        await store.guardians.issueCode(c, rate, []);
        const results = await Promise.all(
          Array.from({ length: 5 }, () =>
            store.guardians.redeemCode({ id: c.id }, attempt('424242'), () => []),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
      }));

    it('MINOR-4: sessions are found by token hash, touched forward only, revoked once with audit', () =>
      withStore(async (store) => {
        const guardianId = idOf(store, 'mum@example.com');
        const s = await store.guardians.createSession(
          { id: newId('gs'), guardianId, channel: 'email', tokenHash: newId('h'), createdAt: t0 },
          [audit('guardian-login')],
        );
        expect(s).toMatchObject({ lastSeenAt: t0, revokedAt: null, channel: 'email' });
        await store.guardians.touchSession(s.id, t0 + 5000);
        await store.guardians.touchSession(s.id, t0 + 1000);
        expect(await store.guardians.findSessionByTokenHash(s.tokenHash)).toEqual({
          ...s,
          lastSeenAt: t0 + 5000,
        });
        await store.guardians.revokeSession(s.id, t0 + 6000, [audit('guardian-logout')]);
        await store.guardians.revokeSession(s.id, t0 + 7000, [audit('guardian-logout')]);
        expect((await store.guardians.findSessionByTokenHash(s.tokenHash))?.revokedAt).toBe(t0 + 6000);
        expect(await store.guardians.findSessionByTokenHash('nope')).toBeUndefined();
        expect((await store.listAudit()).map((e) => e.type)).toEqual(['guardian-login', 'guardian-logout']);
      }));

    it('MINOR-4: risk events list incidents of the given users only, newest first, without text', () =>
      withStore(async (store) => {
        const kid = await register(store, contact('mum@example.com'));
        const other = await register(store, contact('dad@example.com'));
        for (const [user, at] of [
          [kid, t0],
          [other, t0 + 1],
        ] as const) {
          await store.incidents.openIncident(
            {
              id: newId('inc'),
              userId: user.id,
              externalUserId: user.externalId,
              sessionId: null,
              characterId: null,
              severity: 'high',
              reason: 'crisis',
              signals: [],
              ageBand: 'under-14',
            },
            at,
            () => [],
          );
        }
        const events = await store.guardians.riskEvents([kid.id], { since: t0 - 1, limit: 10 });
        expect(events).toEqual([
          expect.objectContaining({
            userId: kid.id,
            openedAt: t0,
            reason: 'crisis',
            severity: 'high',
            state: 'open',
          }),
        ]);
        expect(await store.guardians.riskEvents([], { since: 0, limit: 10 })).toEqual([]);
      }));

    it('MINOR-2: consent codes have their own quota and a per-user gap, and never end sign-in codes', () =>
      withStore(async (store) => {
        const kid = await register(store, contact('mum@example.com'));
        const login = code(store);
        expect(await store.guardians.issueCode(login, rate, [])).toBe(true);
        expect(await store.guardians.lastConsentRequestAt(kid.id)).toBeNull();
        const consent = (at: number) =>
          code(store, { purpose: 'consent', userId: kid.id, createdAt: at, expiresAt: at + 72 * hour });
        const gap = { ...rate, userGapMs: 6 * hour };
        expect(await store.guardians.issueCode(consent(t0 + 10), gap, [audit('requested')])).toBe(true);
        expect(await store.guardians.issueCode(consent(t0 + 5 * hour), gap, [audit('requested')])).toBe(
          false,
        );
        expect(await store.guardians.lastConsentRequestAt(kid.id)).toBe(t0 + 10);
        expect(await store.guardians.issueCode(consent(t0 + 6 * hour + 10), gap, [])).toBe(true);
        expect(await store.guardians.lastConsentRequestAt(kid.id)).toBe(t0 + 6 * hour + 10);
        const signedIn = await store.guardians.redeemCode(
          { guardianId: login.guardianId, purpose: 'login' },
          attempt('123456'),
          () => [],
        );
        expect(signedIn.ok).toBe(true);
        expect((await store.listAudit()).map((e) => e.type)).toEqual(['requested']);
      }));

    it('MINOR-2: linkGuardian is idempotent and never links the contact of a profile changed since it was read', () =>
      withStore(async (store) => {
        const kid = await register(store, contact('mum@example.com'));
        const read = await store.profiles.getProfile(kid.externalId);
        const mum = idOf(store, 'mum@example.com');
        await store.guardians.linkGuardian(
          kid.id,
          contact('mum@example.com'),
          read?.profileUpdatedAt ?? null,
        );
        expect((await store.guardians.linkedMinors(mum)).map((u) => u.id)).toEqual([kid.id]);
        await store.profiles.updateProfile(
          kid.externalId,
          { guardian: contact('dad@example.com') },
          { now: t0 + hour, audit: () => [] },
        );
        await store.guardians.linkGuardian(
          kid.id,
          contact('mum@example.com'),
          read?.profileUpdatedAt ?? null,
        );
        expect(await store.guardians.linkedMinors(mum)).toEqual([]);
        expect((await store.guardians.linkedMinors(idOf(store, 'dad@example.com'))).map((u) => u.id)).toEqual(
          [kid.id],
        );
      }));
  });
}
