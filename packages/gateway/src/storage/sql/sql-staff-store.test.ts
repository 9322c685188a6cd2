import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCgError } from '@companion-guard/core';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from './create-store.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-staff-store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const staff = (id: string, email: string) => ({
  id,
  email,
  role: 'admin' as const,
  passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==',
  totpSecret: secret,
  createdAt: 1,
});

describe('sqlite staff store: secrets at rest', () => {
  it('the TOTP secret is sealed under the master key; the file never holds it or a session token', async () => {
    const file = join(dir, 'store.sqlite');
    const masterKey = randomBytes(32);
    const store = await createStore({ url: file, masterKey });
    await store.staff.addStaff(staff('s1', 'root@example.com'), []);
    await store.staff.recordLoginSuccess(
      { id: 'ss1', staffId: 's1', tokenHash: 'f'.repeat(64), createdAt: 1 },
      [],
    );
    expect((await store.staff.getStaff('s1'))?.totpSecret).toBe(secret);
    await store.close();
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      const row = raw.prepare('select totp_seed from staff where id = ?').get('s1') as {
        totp_seed: Buffer;
      };
      expect(row.totp_seed.includes(Buffer.from(secret))).toBe(false);
    } finally {
      raw.close();
    }
    for (const name of ['store.sqlite', 'store.sqlite-wal']) {
      const bytes = await readFile(join(dir, name)).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('a sealed secret copied to another account does not open (it is bound to its owner)', async () => {
    const file = join(dir, 'store.sqlite');
    const store = await createStore({ url: file, masterKey: randomBytes(32) });
    await store.staff.addStaff(staff('s1', 'a@example.com'), []);
    await store.staff.addStaff({ ...staff('s2', 'b@example.com'), totpSecret: null }, []);
    const raw = new BetterSqlite3(file);
    try {
      raw.pragma('busy_timeout = 5000');
      raw
        .prepare('update staff set totp_seed = (select totp_seed from staff where id = ?) where id = ?')
        .run('s1', 's2');
    } finally {
      raw.close();
    }
    const error = await store.staff.getStaff('s2').catch((e: unknown) => e);
    expect(isCgError(error, 'store-error')).toBe(true);
    await store.close();
  });
});
