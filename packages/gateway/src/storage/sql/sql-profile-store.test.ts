import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Contact, isCgError, profileUpdatedAudit, type Store } from '@companion-guard/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describePostgres, renderedRows, useTestSchemas } from '../../../test/postgres.js';
import { createStore } from './create-store.js';

const masterKey = randomBytes(32);
const t0 = Date.UTC(2026, 6, 15);
const guardian: Contact = { name: '张伟', email: 'zhang.wei.guardian-5d1e@example.cn', phone: null };
const emergency: Contact = {
  name: 'Grace Hopper',
  email: 'grace.emergency-0b7c@example.org',
  phone: '+1 202 555 0143',
};
const secrets = [guardian.email, emergency.email, emergency.name, emergency.phone] as string[];

async function register(store: Store): Promise<void> {
  const options = {
    now: t0,
    audit: (change: Parameters<typeof profileUpdatedAudit>[0]) => profileUpdatedAudit(change, 60),
  };
  await store.profiles.updateProfile('kid', { age: 12, guardian, emergencyContact: emergency }, options);
  await store.profiles.updateProfile(
    'other',
    { age: 40, guardian: emergency, emergencyContact: guardian },
    options,
  );
}

async function expectStoreError(promise: Promise<unknown>): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(isCgError(caught, 'store-error'), String(caught)).toBe(true);
  expect(String((caught as Error).message)).not.toContain('@');
}

describe('contacts at rest (SQLite)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('a sealed contact is bound to its user and its field: moved rows fail authentication', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cg-contacts-'));
    dirs.push(dir);
    const file = join(dir, 'store.sqlite');
    const raw = (work: (db: BetterSqlite3.Database) => void) => {
      const db = new BetterSqlite3(file);
      try {
        db.pragma('busy_timeout = 5000');
        work(db);
      } finally {
        db.close();
      }
    };
    const swap = (a: [string, string], b: [string, string]) =>
      raw((db) => {
        const read = db.prepare(
          'select sealed from user_contacts where kind = ? and user_id = (select id from users where external_id = ?)',
        );
        const write = db.prepare(
          'update user_contacts set sealed = ? where kind = ? and user_id = (select id from users where external_id = ?)',
        );
        const sa = (read.get(a[1], a[0]) as { sealed: Buffer }).sealed;
        const sb = (read.get(b[1], b[0]) as { sealed: Buffer }).sealed;
        write.run(sb, a[1], a[0]);
        write.run(sa, b[1], b[0]);
      });

    let store = await createStore({ url: `sqlite://${file}`, masterKey });
    await register(store);
    expect(await store.profiles.getProfile('kid')).toMatchObject({ guardian, emergencyContact: emergency });
    await store.close();

    // Guardian and emergency contact of one user swapped.
    swap(['kid', 'guardian'], ['kid', 'emergency']);
    store = await createStore({ url: `sqlite://${file}`, masterKey });
    await expectStoreError(store.profiles.getProfile('kid'));
    await store.close();
    swap(['kid', 'guardian'], ['kid', 'emergency']);

    // The same field swapped between two users (each sealed under its own user's key).
    swap(['kid', 'guardian'], ['other', 'guardian']);
    store = await createStore({ url: `sqlite://${file}`, masterKey });
    try {
      await expectStoreError(store.profiles.getProfile('kid'));
      await expectStoreError(store.profiles.getProfile('other'));
    } finally {
      await store.close();
    }
    swap(['kid', 'guardian'], ['other', 'guardian']);
    store = await createStore({ url: `sqlite://${file}`, masterKey });
    try {
      expect(await store.profiles.getProfile('other')).toMatchObject({
        guardian: emergency,
        emergencyContact: guardian,
      });
    } finally {
      await store.close();
    }
  });
});

describePostgres('contacts at rest (PostgreSQL)', () => {
  const schemas = useTestSchemas();

  it('no table row renders a contact’s e-mail, name or phone; the profile still reads back', async () => {
    const { schema, url } = await schemas.create('cg_test_contacts');
    const store = await createStore({ url, masterKey });
    try {
      await register(store);
      expect(await store.profiles.getProfile('kid')).toMatchObject({ guardian, emergencyContact: emergency });
    } finally {
      await store.close();
    }
    const rendered = await renderedRows(schemas.admin, schema);
    // Plaintext columns (external ids, contact kinds) are visible to the scan.
    expect(rendered).toContain('kid');
    expect(rendered).toContain('guardian');
    for (const secret of secrets) expect(rendered).not.toContain(secret);
    const contacts = await schemas.admin.query<{ sealed: Buffer }>(
      `select sealed from ${schema}.user_contacts`,
    );
    expect(contacts.rows).toHaveLength(4);
    for (const { sealed } of contacts.rows) {
      for (const secret of secrets) expect(sealed.includes(Buffer.from(secret))).toBe(false);
    }
  });
});
