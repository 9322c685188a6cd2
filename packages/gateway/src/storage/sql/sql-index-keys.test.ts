import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from './create-store.js';
import { indexKeysMeta } from './sql-index-keys.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-index-keys-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const mum = { channel: 'email', value: 'mum@example.com' } as const;
const register = { age: 12, guardian: { name: 'Mum', email: mum.value, phone: null } };

describe('store index keys (MINOR-4, DATA-1)', () => {
  it('MINOR-4: a new database gets random index keys, sealed in store_meta and the same on every open', async () => {
    const file = join(dir, 'cg.sqlite');
    const masterKey = randomBytes(32);
    const first = await createStore({ url: file, masterKey });
    const id = first.guardians.guardianIdOf(mum);
    await first.close();
    const derived = Buffer.from(hkdfSync('sha256', masterKey, '', 'cg-guardian-index-v1', 32));
    expect(id).not.toBe(createHmac('sha256', derived).update(`guardian:email:${mum.value}`).digest('hex'));
    const again = await createStore({ url: file, masterKey });
    expect(again.guardians.guardianIdOf(mum)).toBe(id);
    await again.close();
    const db = new BetterSqlite3(file, { readonly: true });
    const row = db.prepare('select value from store_meta where name = ?').get(indexKeysMeta) as {
      value: string;
    };
    db.close();
    expect(Buffer.from(row.value, 'base64').toString('latin1')).not.toContain('guardian');
  });

  it('MINOR-4: a database whose guardian links were hashed before index keys existed keeps finding them', async () => {
    const file = join(dir, 'cg.sqlite');
    const masterKey = randomBytes(32);
    const store = await createStore({ url: file, masterKey });
    await store.profiles.updateProfile('kid', register, { now: 1, audit: () => [] });
    await store.close();
    // As written by a gateway before the index keys: hashes under a key derived from the master key.
    const derived = Buffer.from(hkdfSync('sha256', masterKey, '', 'cg-guardian-index-v1', 32));
    const legacyId = createHmac('sha256', derived).update(`guardian:email:${mum.value}`).digest('hex');
    const db = new BetterSqlite3(file);
    db.prepare('update guardian_links set guardian_id = ?').run(legacyId);
    db.prepare('delete from store_meta where name = ?').run(indexKeysMeta);
    db.close();

    const upgraded = await createStore({ url: file, masterKey });
    try {
      expect(upgraded.guardians.guardianIdOf(mum)).toBe(legacyId);
      expect((await upgraded.guardians.linkedMinors(legacyId)).map((u) => u.externalId)).toEqual(['kid']);
    } finally {
      await upgraded.close();
    }
  });
});
