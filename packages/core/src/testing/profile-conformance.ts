import { describe, expect, it } from 'vitest';
import { isCgError } from '../errors.js';
import {
  type Contact,
  type ProfileChange,
  type ProfilePatch,
  profileUpdatedAudit,
} from '../people/user-profile.js';
import type { Store } from '../ports.js';

const t0 = Date.UTC(2026, 6, 15, 8, 0, 0);
const guardian: Contact = {
  name: '王秀英',
  email: 'wang.xiuying.guardian@example.cn',
  phone: '+86 138 0013 8000',
};
const emergency: Contact = { name: 'Ada Lovelace', email: null, phone: '+1 415 555 0100' };

const audited = (change: ProfileChange) => profileUpdatedAudit(change, 60);

/**
 * The `profiles` part of the store conformance suite (REG-1). `withStore` gives each test a store over a
 * fresh database and closes it afterwards.
 */
export function describeProfileConformance(
  withStore: (work: (store: Store) => Promise<void>) => Promise<void>,
) {
  const update = (store: Store, externalId: string, patch: ProfilePatch, now = t0) =>
    store.profiles.updateProfile(externalId, patch, { now, locale: 'en', audit: audited });

  describe('profiles (REG-1)', () => {
    it('getProfile of an unknown user is undefined and creates nobody', () =>
      withStore(async (store) => {
        expect(await store.profiles.getProfile('nobody')).toBeUndefined();
        expect((await store.ensureUser('nobody', t0 + 5)).createdAt).toBe(t0 + 5);
      }));

    it('updateProfile registers a new user and audits it in the same call; the user record carries the age facts', () =>
      withStore(async (store) => {
        const profile = await update(store, 'reg-1', {
          birthDate: '2011-03-02',
          region: 'US-CA',
          timeZone: 'America/Los_Angeles',
          guardian,
        });
        expect(profile).toMatchObject({
          externalId: 'reg-1',
          locale: 'en',
          ageBand: 'unknown',
          createdAt: t0,
          birthDate: '2011-03-02',
          declaredAge: null,
          region: 'US-CA',
          timeZone: 'America/Los_Angeles',
          guardian,
          emergencyContact: null,
          profileUpdatedAt: t0,
        });
        expect(await store.profiles.getProfile('reg-1')).toEqual(profile);
        const { guardian: _g, emergencyContact: _e, profileUpdatedAt: _p, ...record } = profile;
        expect(await store.getUser(profile.id)).toEqual(record);
        expect(await store.ensureUser('reg-1', t0 + 1)).toEqual(record);
        const events = await store.listAudit();
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          type: 'profile-updated',
          requirement: 'REG-1',
          at: t0,
          userId: profile.id,
          data: {
            fields: ['birthDate', 'region', 'timeZone', 'guardian'],
            ageBand: '14-15',
            registration: true,
          },
        });
        expect(JSON.stringify(events)).not.toContain(guardian.email);
        expect(await store.verifyAudit()).toEqual({ ok: true, count: 1 });
      }));

    it('a declared age keeps the day it was declared; absent fields stay, null clears', () =>
      withStore(async (store) => {
        const user = await store.ensureUser('reg-2', t0, { locale: 'zh' });
        await update(store, 'reg-2', { age: 75, emergencyContact: emergency, region: 'CN' });
        const later = await update(store, 'reg-2', { timeZone: 'Asia/Shanghai' }, t0 + 1000);
        expect(later).toMatchObject({
          id: user.id,
          locale: 'zh',
          declaredAge: { age: 75, at: t0 },
          emergencyContact: emergency,
          region: 'CN',
          timeZone: 'Asia/Shanghai',
          profileUpdatedAt: t0 + 1000,
        });
        const cleared = await update(
          store,
          'reg-2',
          { age: null, emergencyContact: null, region: null },
          t0 + 2000,
        );
        expect(cleared).toMatchObject({
          declaredAge: null,
          birthDate: null,
          emergencyContact: null,
          region: null,
        });
        expect(await store.profiles.getProfile('reg-2')).toEqual(cleared);
        expect((await store.listAudit()).map((e) => e.data)).toEqual([
          { fields: ['age', 'region', 'emergencyContact'], ageBand: 'elderly', registration: true },
          { fields: ['timeZone'], ageBand: 'elderly' },
          { fields: ['age', 'region', 'emergencyContact'], ageBand: 'unknown' },
        ]);
      }));

    it('updates within one millisecond all land', () =>
      withStore(async (store) => {
        await update(store, 'reg-ms', { region: 'CN' });
        await update(store, 'reg-ms', { region: 'EU', timeZone: 'Europe/Paris' });
        expect(await update(store, 'reg-ms', { age: 40 })).toMatchObject({
          region: 'EU',
          timeZone: 'Europe/Paris',
          declaredAge: { age: 40, at: t0 },
        });
        expect(await store.profiles.getProfile('reg-ms')).toMatchObject({
          region: 'EU',
          declaredAge: { age: 40 },
        });
      }));

    it('contacts are replaced and cleared one by one', () =>
      withStore(async (store) => {
        await update(store, 'reg-3', { guardian, emergencyContact: emergency });
        const replaced = { ...guardian, email: null };
        expect(await update(store, 'reg-3', { guardian: replaced })).toMatchObject({
          guardian: replaced,
          emergencyContact: emergency,
        });
        expect(await update(store, 'reg-3', { emergencyContact: null })).toMatchObject({
          guardian: replaced,
          emergencyContact: null,
        });
        expect(await store.profiles.getProfile('reg-3')).toMatchObject({
          guardian: replaced,
          emergencyContact: null,
        });
      }));

    it('nothing half-written: when the transaction fails no field, contact or event is stored', () =>
      withStore(async (store) => {
        const before = await update(store, 'reg-4', { age: 30 });
        let caught: unknown;
        try {
          await store.profiles.updateProfile(
            'reg-4',
            { age: 15, guardian, region: 'CN' },
            {
              now: t0 + 1,
              audit: () => {
                throw new Error('audit failed');
              },
            },
          );
        } catch (error) {
          caught = error;
        }
        expect(isCgError(caught, 'store-error')).toBe(true);
        expect(await store.profiles.getProfile('reg-4')).toEqual(before);
        expect(await store.listAudit()).toHaveLength(1);
      }));

    it('20 concurrent updates of one user are serialized: each sees the one before, each is audited once', () =>
      withStore(async (store) => {
        const changes: ProfileChange[] = [];
        const regions = Array.from({ length: 20 }, (_, i) => `R${String.fromCharCode(65 + i)}`);
        await Promise.all(
          regions.map((region, i) =>
            store.profiles.updateProfile(
              'racing-profile',
              { region },
              {
                now: t0 + i,
                audit: (change) => {
                  changes.push(change);
                  return audited(change);
                },
              },
            ),
          ),
        );
        expect(changes).toHaveLength(20);
        expect(changes[0]?.before.region).toBeNull();
        for (let i = 1; i < changes.length; i++) {
          expect(changes[i]?.before.region).toBe(changes[i - 1]?.after.region);
        }
        expect(new Set(changes.map((c) => c.after.region))).toEqual(new Set(regions));
        const events = await store.listAudit();
        expect(events).toHaveLength(20);
        expect(events.filter((e) => e.data?.registration === true)).toHaveLength(1);
        expect((await store.profiles.getProfile('racing-profile'))?.region).toBe(changes[19]?.after.region);
        expect(await store.verifyAudit()).toEqual({ ok: true, count: 20 });
      }));
  });
}
