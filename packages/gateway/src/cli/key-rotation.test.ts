import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewMessage, NewNotification } from '@companion-guard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePostgres, useTestSchemas } from '../../test/postgres.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { masterKeyId } from '../storage/envelope-cipher.js';
import { rotateMasterKeyFile } from '../storage/master-key.js';
import type { SqlStore } from '../storage/sql/sql-store.js';
import { openStore } from './serve.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-rotate-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const character = {
  id: 'c',
  name: { zh: '角色', en: 'C' },
  description: { zh: '角色', en: 'C' },
  scope: 'companion' as const,
  relation: 'friend' as const,
  persona: '',
  model: null,
  enabled: true,
};

/** One user's chat: a session and `turns` turns of two messages, each turn committed on its own. */
async function chat(store: SqlStore, name: string, turns: number, written: Map<string, string>) {
  const user = await store.ensureUser(name, 1);
  const sessionId = `${name}-s`;
  await store.createSession({ id: sessionId, userId: user.id, characterId: 'c', state: {}, now: 1 }, []);
  for (let turn = 0; turn < turns; turn++) {
    const messages: NewMessage[] = ['user', 'assistant'].map((role, i) => ({
      id: `${name}-${turn}-${i}`,
      sessionId,
      userId: user.id,
      role: role as NewMessage['role'],
      content: `${name} turn ${turn} ${role} 你好`,
      contentId: `${name}-${turn}-${i}`,
      status: 'delivered',
      createdAt: 2 + turn,
    }));
    await store.commitTurn({
      sessionId,
      expectedVersion: turn + 1,
      state: { turn },
      now: 2 + turn,
      messages,
      audit: [],
    });
    for (const m of messages) written.set(m.id, m.content);
    // Reads through the gateway's store during the rotation must keep working too.
    expect((await store.listMessages(sessionId, { limit: 2 })).map((m) => m.content)).toEqual(
      messages.map((m) => m.content),
    );
  }
  return sessionId;
}

function describeRotation(name: string, databaseUrl: () => Promise<string | undefined>): void {
  it(`DATA-1: rotating the master key while users chat loses nothing and leaves nothing unreadable (${name})`, async () => {
    const url = await databaseUrl();
    const env = url ? { COMPANION_GUARD_DATABASE_URL: url } : {};
    const config = await loadConfig({ dataDir: dir }, env);
    const gateway = await openStore(config, createLogger({ level: 'error', write: () => undefined }));
    const written = new Map<string, string>();
    const sessions: string[] = [];
    try {
      await gateway.upsertCharacter(character);
      // Users who chatted before the rotation, with keys under the old master key.
      for (let i = 0; i < 4; i++) sessions.push(await chat(gateway, `before-${i}`, 2, written));
      const oldKey = await readFile(join(dir, 'master.key'), 'utf8');

      const rotation = (async () => {
        const newKey = await rotateMasterKeyFile(dir);
        const tool = await openStore(config);
        try {
          return { newKey, result: await tool.rewrapDataKeys({ now: 10, batchSize: 3 }) };
        } finally {
          await tool.close();
        }
      })();
      // Meanwhile: old users go on, new users arrive (their keys made by the gateway mid-rotation).
      const traffic = Promise.all([
        ...Array.from({ length: 4 }, (_, i) => chat(gateway, `during-${i}`, 6, written)),
        ...sessions.map(async (sessionId, i) => {
          const s = await gateway.getSession<{ turn: number }>(sessionId);
          if (!s) throw new Error('session lost');
          const user = s.userId;
          for (let turn = 0; turn < 4; turn++) {
            const id = `${sessionId}-more-${turn}`;
            const content = `more ${i} ${turn}`;
            await gateway.commitTurn({
              sessionId,
              expectedVersion: s.version + turn,
              state: { turn },
              now: 20 + turn,
              messages: [
                {
                  id,
                  sessionId,
                  userId: user,
                  role: 'user',
                  content,
                  contentId: id,
                  status: 'delivered',
                  createdAt: 20 + turn,
                },
              ],
              audit: [],
            });
            written.set(id, content);
          }
        }),
      ]);
      const [{ newKey, result }, during] = await Promise.all([rotation, traffic]);
      sessions.push(...(during.filter(Boolean) as string[]));
      expect(result.unreadable).toEqual([]);
      expect(result.masterKeyId).toBe(masterKeyId(newKey));
      // New users whose key the gateway made while the tool re-wrapped are caught by a second run.
      const resumed = await openStore(config);
      const again = await resumed.rewrapDataKeys({ now: 11 });
      await resumed.close();
      expect(again.unreadable).toEqual([]);
      expect(await readFile(join(dir, 'master.previous.key'), 'utf8')).toBe(oldKey);

      // Retire the old key: a store holding only the new key reads every message written.
      await unlink(join(dir, 'master.previous.key'));
      const fresh = await openStore(config);
      try {
        const read = new Map<string, string>();
        for (const sessionId of [...sessions, ...Array.from({ length: 4 }, (_, i) => `during-${i}-s`)]) {
          for (const m of await fresh.listMessages(sessionId)) read.set(m.id, m.content);
        }
        expect(read.size).toBe(written.size);
        expect(read).toEqual(written);
        const events = await fresh.listAudit();
        expect(events.filter((e) => e.type === 'master-key-rotated')).toHaveLength(2);
        expect((await fresh.verifyAudit()).ok).toBe(true);
      } finally {
        await fresh.close();
      }
      // The gateway that started with the old key followed the rotation: it reads and writes on.
      expect((await gateway.listMessages('during-0-s')).length).toBe(12);
      await chat(gateway, 'after', 1, written);
    } finally {
      await gateway.close();
    }
  });
  it(`DATA-1, MINOR-4, RISK-5: guardian lookups, sign-in codes and notification dedupe survive a rotation with the old key retired (${name})`, async () => {
    const url = await databaseUrl();
    const config = await loadConfig({ dataDir: dir }, url ? { COMPANION_GUARD_DATABASE_URL: url } : {});
    const mum = { channel: 'email', value: 'mum@example.com' } as const;
    const alert = (id: string): NewNotification => ({
      id,
      incidentId: 'inc-1',
      userId: kidId,
      kind: 'incident-opened',
      audience: 'guardian',
      channel: 'email',
      requirement: 'RISK-5',
      facts: {
        target: mum.value,
        contactName: 'Mum',
        externalUserId: 'kid-12',
        severity: 'critical',
        reason: 'crisis',
        openedAt: 1,
      },
      createdAt: 1,
    });
    let kidId = '';
    const before = await openStore(config);
    const guardianId = before.guardians.guardianIdOf(mum);
    try {
      kidId = (
        await before.profiles.updateProfile(
          'kid-12',
          { age: 12, guardian: { name: 'Mum', email: mum.value, phone: null } },
          { now: 1, audit: () => [] },
        )
      ).id;
      const code = { guardianId, purpose: 'login', userId: null, createdAt: 1, expiresAt: 600_000 } as const;
      await before.guardians.issueCode(
        { ...code, id: 'code-1', secret: '123456' },
        { windowMs: 1, max: 9 },
        [],
      );
      expect(await before.notifications.enqueue([alert('n-1')], () => [])).toHaveLength(1);
    } finally {
      await before.close();
    }

    await rotateMasterKeyFile(dir);
    const tool = await openStore(config);
    await tool.rewrapDataKeys({ now: 2 }).finally(() => tool.close());
    await unlink(join(dir, 'master.previous.key'));

    const after = await openStore(config);
    try {
      expect(after.guardians.guardianIdOf(mum)).toBe(guardianId);
      expect((await after.guardians.linkedMinors(guardianId)).map((u) => u.id)).toEqual([kidId]);
      const attempt = { secret: '123456', now: 3, maxAttempts: 5 };
      expect(
        await after.guardians.redeemCode({ guardianId, purpose: 'login' }, attempt, () => []),
      ).toMatchObject({
        ok: true,
        guardianId,
      });
      // The same alert queued again after the rotation is still recognised as a duplicate.
      expect(await after.notifications.enqueue([alert('n-2')], () => [])).toEqual([]);
    } finally {
      await after.close();
    }
  });
}

it('DATA-1: a gateway that has not reloaded since a rotation seals a new staff TOTP secret under the new key', async () => {
  const config = await loadConfig({ dataDir: dir }, {});
  const gateway = await openStore(config);
  try {
    await rotateMasterKeyFile(dir);
    const tool = await openStore(config);
    await tool.rewrapDataKeys({ now: 10 });
    await tool.close();
    const staff = { passwordHash: 'x', createdAt: 11, role: 'auditor' as const };
    await gateway.staff.addStaff(
      { ...staff, id: 'st1', email: 'a@example.com', totpSecret: 'SECRETONE' },
      [],
    );
    await unlink(join(dir, 'master.previous.key'));
    const fresh = await openStore(config);
    try {
      expect((await fresh.staff.getStaff('st1'))?.totpSecret).toBe('SECRETONE');
    } finally {
      await fresh.close();
    }
  } finally {
    await gateway.close();
  }
});

describe('master-key rotation (SQLite)', () => {
  describeRotation('sqlite', async () => undefined);

  it('DATA-1: a second rotation is refused until the old key is retired', async () => {
    const config = await loadConfig({ dataDir: dir }, {});
    await (await openStore(config)).close();
    await rotateMasterKeyFile(dir);
    await expect(rotateMasterKeyFile(dir)).rejects.toMatchObject({ code: 'invalid-config' });
    expect((await stat(join(dir, 'master.key'))).mode & 0o777).toBe(0o600);
  });
});

describePostgres('master-key rotation (PostgreSQL)', () => {
  const schemas = useTestSchemas();
  describeRotation('postgres', async () => (await schemas.create('cg_rotate')).url);
});
