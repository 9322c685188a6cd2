import { describe, expect, it } from 'vitest';
import type { NewStaff } from '../people/staff.js';
import type { AuditInput, CharacterRecord, Store } from '../ports.js';

/** What the staff part of the conformance suite borrows from the main suite. */
export interface StaffConformanceTools {
  readonly withStore: (work: (store: Store) => Promise<void>) => Promise<void>;
  readonly expectCgError: (promise: Promise<unknown>, code: string) => Promise<Error>;
  readonly newId: (prefix: string) => string;
}

const t0 = Date.UTC(2026, 0, 15, 8, 0, 0);
const policy = { now: t0, maxAttempts: 5, lockMs: 15 * 60_000 };

/**
 * Staff accounts and sessions, console-managed characters and audited API keys: the behaviour every
 * backend's `StaffStore` and the audited admin operations must show. Registered by `describeStoreConformance`.
 */
export function describeStaffConformance({ withStore, expectCgError, newId }: StaffConformanceTools): void {
  const newStaff = (patch: Partial<NewStaff> = {}): NewStaff => ({
    id: newId('staff'),
    email: `${newId('e')}@example.com`,
    role: 'operator',
    passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==',
    totpSecret: null,
    createdAt: t0,
    ...patch,
  });
  const added = (id: string): AuditInput => ({
    type: 'staff-added',
    requirement: 'DATA-1',
    at: t0,
    data: { id },
  });
  const session = (staffId: string, at = t0) => ({
    id: newId('ss'),
    staffId,
    tokenHash: newId('h'),
    createdAt: at,
  });

  describe('staff', () => {
    it('addStaff stores the account with its audit event; emails are matched case-insensitively', () =>
      withStore(async (store) => {
        const input = newStaff({
          email: '  Ada.Lovelace@Example.COM ',
          role: 'admin',
          totpSecret: 'JBSWY3DPEHPK3PXP',
        });
        const record = await store.staff.addStaff(input, [added(input.id)]);
        expect(record).toEqual({
          id: input.id,
          email: 'ada.lovelace@example.com',
          role: 'admin',
          passwordHash: input.passwordHash,
          totpSecret: 'JBSWY3DPEHPK3PXP',
          disabled: false,
          failedLogins: 0,
          lockedUntil: null,
          createdAt: t0,
          lastLoginAt: null,
        });
        expect(await store.staff.getStaff(input.id)).toEqual(record);
        expect(await store.staff.findStaffByEmail('ADA.LOVELACE@example.com')).toEqual(record);
        expect(await store.staff.findStaffByEmail('nobody@example.com')).toBeUndefined();
        expect(await store.staff.getStaff('nobody')).toBeUndefined();
        expect((await store.listAudit()).map((e) => e.type)).toEqual(['staff-added']);
      }));

    it('a taken email (any case) is staff-exists and writes nothing', () =>
      withStore(async (store) => {
        const first = newStaff({ email: 'op@example.com' });
        await store.staff.addStaff(first, [added(first.id)]);
        const second = newStaff({ email: 'OP@example.com' });
        await expectCgError(store.staff.addStaff(second, [added(second.id)]), 'staff-exists');
        expect((await store.staff.listStaff()).map((s) => s.id)).toEqual([first.id]);
        expect(await store.listAudit()).toHaveLength(1);
      }));

    it('of 10 concurrent adds with one email exactly one succeeds', () =>
      withStore(async (store) => {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, () => {
            const s = newStaff({ email: 'race@example.com' });
            return store.staff.addStaff(s, [added(s.id)]);
          }),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect((await store.staff.listStaff()).length).toBe(1);
        expect(await store.listAudit()).toHaveLength(1);
        expect(await store.verifyAudit()).toEqual({ ok: true, count: 1 });
      }));

    it('listStaff is oldest first, ties by id', () =>
      withStore(async (store) => {
        const late = newStaff({ id: 'a-late', createdAt: t0 + 10 });
        const early2 = newStaff({ id: 'c-early' });
        const early1 = newStaff({ id: 'b-early' });
        for (const s of [late, early2, early1]) await store.staff.addStaff(s, []);
        expect((await store.staff.listStaff()).map((s) => s.id)).toEqual(['b-early', 'c-early', 'a-late']);
      }));

    it('disableStaff disables, revokes every session and audits once; unknown id is not-found', () =>
      withStore(async (store) => {
        const s = newStaff();
        await store.staff.addStaff(s, []);
        const a = await store.staff.recordLoginSuccess(session(s.id), []);
        const b = await store.staff.recordLoginSuccess(session(s.id), []);
        const disabledEvent: AuditInput = { type: 'staff-disabled', requirement: 'DATA-1', at: t0 + 5 };
        expect((await store.staff.disableStaff(s.id, t0 + 5, [disabledEvent])).disabled).toBe(true);
        for (const live of [a, b]) {
          const found = await store.staff.findSessionByTokenHash(live?.tokenHash ?? '');
          expect(found?.session.revokedAt).toBe(t0 + 5);
          expect(found?.staff.disabled).toBe(true);
        }
        await store.staff.disableStaff(s.id, t0 + 9, [disabledEvent]);
        expect((await store.listAudit()).map((e) => e.type)).toEqual(['staff-disabled']);
        expect((await store.staff.findSessionByTokenHash(a?.tokenHash ?? ''))?.session.revokedAt).toBe(
          t0 + 5,
        );
        await expectCgError(store.staff.disableStaff('nobody', t0, []), 'not-found');
      }));

    it('recordLoginFailure counts, locks at maxAttempts (resetting the count) and commits the audit it is given', () =>
      withStore(async (store) => {
        const s = newStaff();
        await store.staff.addStaff(s, []);
        const audit = (f: { lockedUntil: number | null }): AuditInput[] => [
          {
            type: f.lockedUntil === null ? 'staff-login-failed' : 'staff-locked',
            requirement: 'DATA-1',
            at: t0,
          },
        ];
        for (let i = 1; i <= 4; i++) {
          expect(await store.staff.recordLoginFailure(s.id, policy, audit)).toEqual({
            failedLogins: i,
            lockedUntil: null,
          });
        }
        expect(await store.staff.recordLoginFailure(s.id, policy, audit)).toEqual({
          failedLogins: 0,
          lockedUntil: t0 + 15 * 60_000,
        });
        expect(await store.staff.getStaff(s.id)).toMatchObject({
          failedLogins: 0,
          lockedUntil: t0 + 15 * 60_000,
        });
        expect((await store.listAudit()).map((e) => e.type)).toEqual([
          'staff-login-failed',
          'staff-login-failed',
          'staff-login-failed',
          'staff-login-failed',
          'staff-locked',
        ]);
        await expectCgError(store.staff.recordLoginFailure('nobody', policy, audit), 'not-found');
      }));

    it('20 concurrent failures are all counted', () =>
      withStore(async (store) => {
        const s = newStaff();
        await store.staff.addStaff(s, []);
        await Promise.all(
          Array.from({ length: 20 }, () =>
            store.staff.recordLoginFailure(s.id, { ...policy, maxAttempts: 100 }, () => []),
          ),
        );
        expect((await store.staff.getStaff(s.id))?.failedLogins).toBe(20);
      }));

    it('recordLoginSuccess while the account is locked writes nothing (a right guess racing wrong ones)', () =>
      withStore(async (store) => {
        const s = newStaff();
        await store.staff.addStaff(s, []);
        for (let i = 0; i < 5; i++) await store.staff.recordLoginFailure(s.id, policy, () => []);
        const input = session(s.id, t0 + 60_000);
        expect(await store.staff.recordLoginSuccess(input, [])).toBeUndefined();
        expect((await store.staff.getStaff(s.id))?.lockedUntil).toBe(t0 + policy.lockMs);
        expect(await store.staff.findSessionByTokenHash(input.tokenHash)).toBeUndefined();
      }));

    it('recordLoginSuccess resets the count and an expired lock, sets lastLoginAt and creates a live session', () =>
      withStore(async (store) => {
        const s = newStaff();
        await store.staff.addStaff(s, []);
        for (let i = 0; i < 5; i++) await store.staff.recordLoginFailure(s.id, policy, () => []);
        const at = t0 + policy.lockMs;
        const input = session(s.id, at);
        const created = await store.staff.recordLoginSuccess(input, [
          { type: 'staff-login', requirement: 'DATA-1', at },
        ]);
        expect(created).toEqual({ ...input, lastSeenAt: at, heartbeatAt: null, revokedAt: null });
        expect(await store.staff.getStaff(s.id)).toMatchObject({
          failedLogins: 0,
          lockedUntil: null,
          lastLoginAt: at,
        });
        const found = await store.staff.findSessionByTokenHash(input.tokenHash);
        expect(found?.session).toEqual(created);
        expect(found?.staff.id).toBe(s.id);
        expect(await store.staff.findSessionByTokenHash('unknown')).toBeUndefined();
        expect((await store.listAudit()).map((e) => e.type)).toEqual(['staff-login']);
      }));

    it('recordLoginSuccess for a disabled or unknown account writes nothing and returns undefined', () =>
      withStore(async (store) => {
        const s = newStaff();
        await store.staff.addStaff(s, []);
        await store.staff.disableStaff(s.id, t0, []);
        const login: AuditInput = { type: 'staff-login', requirement: 'DATA-1', at: t0 };
        const input = session(s.id);
        expect(await store.staff.recordLoginSuccess(input, [login])).toBeUndefined();
        expect(await store.staff.recordLoginSuccess(session('nobody'), [login])).toBeUndefined();
        expect(await store.staff.findSessionByTokenHash(input.tokenHash)).toBeUndefined();
        expect(await store.listAudit()).toEqual([]);
        expect((await store.staff.getStaff(s.id))?.lastLoginAt).toBeNull();
      }));

    it('useTotpStep: each step once, never an earlier one; of concurrent uses of one step exactly one wins', () =>
      withStore(async (store) => {
        const s = newStaff({ totpSecret: 'JBSWY3DPEHPK3PXP' });
        await store.staff.addStaff(s, []);
        expect(await store.staff.useTotpStep(s.id, 1000)).toBe(true);
        expect(await store.staff.useTotpStep(s.id, 1000)).toBe(false);
        expect(await store.staff.useTotpStep(s.id, 999)).toBe(false);
        expect(await store.staff.useTotpStep(s.id, 1001)).toBe(true);
        const race = await Promise.all(Array.from({ length: 10 }, () => store.staff.useTotpStep(s.id, 1005)));
        expect(race.filter(Boolean)).toHaveLength(1);
        expect(await store.staff.useTotpStep('nobody', 2000)).toBe(false);
      }));

    it('touchSession moves lastSeenAt forward only and not after revocation; revokeSession keeps the first time', () =>
      withStore(async (store) => {
        const s = newStaff();
        await store.staff.addStaff(s, []);
        const live = await store.staff.recordLoginSuccess(session(s.id), []);
        const hash = live?.tokenHash ?? '';
        const id = live?.id ?? '';
        await store.staff.touchSession(id, t0 + 100);
        await store.staff.touchSession(id, t0 + 50);
        expect((await store.staff.findSessionByTokenHash(hash))?.session.lastSeenAt).toBe(t0 + 100);
        await store.staff.revokeSession(id, t0 + 200);
        await store.staff.revokeSession(id, t0 + 300);
        await store.staff.touchSession(id, t0 + 400);
        expect((await store.staff.findSessionByTokenHash(hash))?.session).toMatchObject({
          lastSeenAt: t0 + 100,
          revokedAt: t0 + 200,
        });
        await store.staff.touchSession('nobody', t0);
        await store.staff.revokeSession('nobody', t0);
      }));

    it('RISK-4: on duty needs the flag and a heartbeat within heartbeatMs; recordHeartbeat moves forward only, not after revocation; endHeartbeat stops it at once', () =>
      withStore(async (store) => {
        const s = newStaff();
        await store.staff.addStaff(s, []);
        await store.incidents.setOnDuty(s.id, true, []);
        const live = await store.staff.recordLoginSuccess(session(s.id), []);
        const id = live?.id ?? '';
        const at = (now: number) => ({
          now,
          idleMs: 30 * 60_000,
          maxMs: 12 * 3_600_000,
          heartbeatMs: 90_000,
        });
        // Signed in a moment ago, but no heartbeat yet: not at the console.
        expect(await store.incidents.countOnDuty('operator', at(t0 + 1000))).toBe(0);
        expect(await store.incidents.hasLiveSession(s.id, at(t0 + 1000))).toBe(false);
        await store.staff.recordHeartbeat(id, t0 + 10_000);
        await store.staff.recordHeartbeat(id, t0 + 5_000);
        expect(await store.incidents.countOnDuty('operator', at(t0 + 99_999))).toBe(1);
        expect(await store.incidents.hasLiveSession(s.id, at(t0 + 99_999))).toBe(true);
        expect(await store.incidents.countOnDuty('compliance', at(t0 + 99_999))).toBe(0);
        // A request keeps the session alive (touchSession) but is no heartbeat.
        await store.staff.touchSession(id, t0 + 100_000);
        expect(await store.incidents.countOnDuty('operator', at(t0 + 100_000))).toBe(0);
        expect(await store.incidents.hasLiveSession(s.id, at(t0 + 100_000))).toBe(false);
        await store.staff.recordHeartbeat(id, t0 + 100_000);
        expect(await store.incidents.countOnDuty('operator', at(t0 + 100_000))).toBe(1);
        // The console closed its queue: not counted from that moment; its next heartbeat counts again.
        await store.staff.endHeartbeat(id);
        expect(await store.incidents.countOnDuty('operator', at(t0 + 100_000))).toBe(0);
        expect(await store.incidents.hasLiveSession(s.id, at(t0 + 100_000))).toBe(false);
        await store.staff.recordHeartbeat(id, t0 + 100_000);
        expect(await store.incidents.countOnDuty('operator', at(t0 + 100_000))).toBe(1);
        // Off duty: not counted, though still at the console (and still there for an incident they hold).
        await store.incidents.setOnDuty(s.id, false, []);
        expect(await store.incidents.countOnDuty('operator', at(t0 + 100_000))).toBe(0);
        expect(await store.incidents.hasLiveSession(s.id, at(t0 + 100_000))).toBe(true);
        await store.incidents.setOnDuty(s.id, true, []);
        await store.staff.revokeSession(id, t0 + 110_000);
        await store.staff.recordHeartbeat(id, t0 + 120_000);
        expect((await store.staff.findSessionByTokenHash(live?.tokenHash ?? ''))?.session.heartbeatAt).toBe(
          t0 + 100_000,
        );
        expect(await store.incidents.countOnDuty('operator', at(t0 + 120_000))).toBe(0);
        expect(await store.incidents.hasLiveSession(s.id, at(t0 + 120_000))).toBe(false);
        await store.staff.recordHeartbeat('nobody', t0);
        await store.staff.endHeartbeat('nobody');
      }));
  });

  describe('console characters', () => {
    const character = (id: string, patch: Partial<CharacterRecord> = {}): CharacterRecord => ({
      id,
      name: { zh: `角色 ${id}`, en: `Character ${id}` },
      description: { zh: '控制台角色', en: 'A console character' },
      scope: 'companion',
      relation: 'friend',
      persona: '',
      model: null,
      enabled: true,
      ...patch,
    });
    const updated: AuditInput = { type: 'character-updated', requirement: 'SCOPE-1', at: t0 };

    it('saveConsoleCharacter inserts and replaces console characters with their audit events', () =>
      withStore(async (store) => {
        const saved = await store.saveConsoleCharacter(character('tutor'), t0, [updated]);
        expect(saved).toEqual({ ...character('tutor'), managedBy: 'console' });
        const changed = character('tutor', { relation: 'mentor', scope: 'tool', model: 'm', enabled: false });
        expect(await store.saveConsoleCharacter(changed, t0 + 1, [updated])).toEqual({
          ...changed,
          managedBy: 'console',
        });
        expect(await store.getCharacter('tutor')).toEqual({ ...changed, managedBy: 'console' });
        expect(await store.listAudit()).toHaveLength(2);
      }));

    it('a config-managed character is character-read-only for the console, nothing written', () =>
      withStore(async (store) => {
        await store.upsertCharacter(character('cfg'));
        await expectCgError(
          store.saveConsoleCharacter(character('cfg', { enabled: false }), t0, [updated]),
          'character-read-only',
        );
        expect(await store.getCharacter('cfg')).toEqual({ ...character('cfg'), managedBy: 'config' });
        expect(await store.listAudit()).toEqual([]);
      }));

    it('upsertCharacter (the config file) takes over a console character of the same id', () =>
      withStore(async (store) => {
        await store.saveConsoleCharacter(character('both'), t0, []);
        await store.upsertCharacter(character('both', { persona: 'from the file' }));
        expect(await store.getCharacter('both')).toMatchObject({
          persona: 'from the file',
          managedBy: 'config',
        });
      }));
  });

  describe('audited API keys', () => {
    it('createApiKey and revokeApiKey commit their audit events; a second revoke appends nothing', () =>
      withStore(async (store) => {
        const key = { id: newId('k'), label: 'app', hash: 'e'.repeat(64), createdAt: t0, revokedAt: null };
        await store.createApiKey(key, [{ type: 'api-key-created', requirement: 'DATA-1', at: t0 }]);
        const revoked: AuditInput = { type: 'api-key-revoked', requirement: 'DATA-1', at: t0 + 1 };
        expect(await store.revokeApiKey(key.id, t0 + 1, [revoked])).toEqual({ ...key, revokedAt: t0 + 1 });
        expect(await store.revokeApiKey(key.id, t0 + 2, [revoked])).toEqual({ ...key, revokedAt: t0 + 1 });
        expect((await store.listAudit()).map((e) => e.type)).toEqual(['api-key-created', 'api-key-revoked']);
      }));

    it('a key whose hash is taken is not stored and its audit event is not appended', () =>
      withStore(async (store) => {
        const key = { id: newId('k'), label: 'app', hash: 'f'.repeat(64), createdAt: t0, revokedAt: null };
        await store.createApiKey(key);
        const created: AuditInput = { type: 'api-key-created', requirement: 'DATA-1', at: t0 };
        await expectCgError(store.createApiKey({ ...key, id: newId('k') }, [created]), 'store-error');
        expect(await store.listAudit()).toEqual([]);
      }));
  });
}
