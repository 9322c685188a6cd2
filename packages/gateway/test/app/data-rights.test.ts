/**
 * Data rights in-process (DATA-2..7, DISC-5, MINOR-6): copies, deletion that reaches backups, receipts,
 * consents, the training export and the minors' report, on a real SQLite store.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DeletionReceipt,
  type IncidentChange,
  operatorStep,
  receiptSigningText,
  resolveProfile,
  type StoredIncident,
} from '@companion-guard/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { exportTrainingData, minorsPiReport, verifyReceiptFile } from '../../src/cli/data-rights-commands.js';
import { createDeletionService } from '../../src/server/data-rights/deletion-service.js';
import { decryptContent, encryptContent, unwrapDataKey } from '../../src/storage/envelope-cipher.js';
import { verifySignature } from '../../src/storage/signing-key.js';
import { createTestApp, type TestApp } from './harness.js';

let open: TestApp[] = [];
const temp: string[] = [];
afterEach(async () => {
  for (const t of open) await t.close();
  for (const d of temp) await rm(d, { recursive: true, force: true });
  open = [];
  temp.length = 0;
});

async function testApp(): Promise<TestApp> {
  const t = await createTestApp();
  open.push(t);
  return t;
}

async function chat(t: TestApp, user: string, content: string, character = 'xiaonuan') {
  const res = await t.post('/v1/chat/completions', {
    model: 'demo',
    user,
    messages: [{ role: 'user', content }],
    metadata: { character_id: character },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { compliance: { label: { content_id: string } | null } };
}

async function json<T>(res: Response, status = 200): Promise<T> {
  expect(res.status).toBe(status);
  return (await res.json()) as T;
}

const put = (t: TestApp, path: string, body: unknown) =>
  t.request(path, { method: 'PUT', body: JSON.stringify(body) });

/** Copies the SQLite database with its WAL, as a backup would. */
async function backup(t: TestApp): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-backup-'));
  temp.push(dir);
  const copy = join(dir, 'backup.sqlite');
  for (const suffix of ['', '-wal', '-shm']) {
    await copyFile(`${t.dbFile}${suffix}`, `${copy}${suffix}`).catch(() => undefined);
  }
  return copy;
}

/**
 * What the old copy's messages yield with the keys the live database holds now: per external user, the
 * texts that still decrypt and the number that no longer do.
 */
function readBackupWithCurrentKeys(t: TestApp, copy: string) {
  const old = new Database(copy);
  const live = new Database(t.dbFile, { readonly: true });
  try {
    const rows = old
      .prepare(
        `select m.id, m.user_id, m.key_id, m.content, u.external_id from messages m join users u on u.id = m.user_id`,
      )
      .all() as { id: string; user_id: string; key_id: string; content: Buffer; external_id: string }[];
    const result = new Map<string, { readable: string[]; unreadable: number }>();
    for (const row of rows) {
      const entry = result.get(row.external_id) ?? { readable: [], unreadable: 0 };
      result.set(row.external_id, entry);
      const keys = live
        .prepare('select id, wrapped_key from user_keys where user_id = ?')
        .all(row.user_id) as {
        id: string;
        wrapped_key: Buffer;
      }[];
      let text: string | undefined;
      for (const key of keys) {
        try {
          text = decryptContent(
            unwrapDataKey(t.masterKey, row.user_id, key.id, key.wrapped_key),
            row.id,
            row.content,
          );
          break;
        } catch {
          // Not this key.
        }
      }
      if (text === undefined) entry.unreadable += 1;
      else entry.readable.push(text);
    }
    return result;
  } finally {
    old.close();
    live.close();
  }
}

/** The user-wide key of `userId` (live database), unwrapped, with its id. */
function userWideKey(t: TestApp, userId: string): { id: string; key: Buffer } {
  const db = new Database(t.dbFile, { readonly: true });
  try {
    const row = db
      .prepare(`select id, wrapped_key from user_keys where user_id = ? and character_id = ''`)
      .get(userId) as { id: string; wrapped_key: Buffer };
    return { id: row.id, key: unwrapDataKey(t.masterKey, userId, row.id, row.wrapped_key) };
  } finally {
    db.close();
  }
}

/** Writes a message as a store before migration 0008 did: sealed under the user-wide key. Returns its id. */
function writeLegacyMessage(t: TestApp, userId: string, text: string): string {
  const wide = userWideKey(t, userId);
  const db = new Database(t.dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    const session = db.prepare('select id from sessions where user_id = ? limit 1').get(userId) as {
      id: string;
    };
    const id = `legacy-${userId}`;
    db.prepare(
      `insert into messages (id, session_id, user_id, role, content, key_id, content_id, status, created_at)
       values (?, ?, ?, 'user', ?, ?, ?, 'accepted', ?)`,
    ).run(id, session.id, userId, encryptContent(wide.key, id, text), wide.id, `c-${id}`, t.clock.now());
    return wide.id;
  } finally {
    db.close();
  }
}

/** An incident of `userId` claimed and handed back by an operator with `note`; returns the incident id. */
async function handBackNote(t: TestApp, userId: string, note: string): Promise<string> {
  const { incident } = await t.store.incidents.openIncident(
    {
      id: `inc-${userId}`,
      userId,
      externalUserId: 'alice',
      sessionId: null,
      characterId: null,
      severity: 'critical',
      reason: 'crisis',
      signals: [],
      ageBand: 'adult',
    },
    t.clock.now(),
    () => [],
  );
  const step = (i: StoredIncident, kind: 'claim' | 'handback', event: IncidentChange['event']) =>
    t.store.incidents.commitIncident({
      incident: operatorStep(i, 'op', { kind }, t.clock.now()).incident,
      expectedVersion: i.version,
      now: t.clock.now(),
      event,
      audit: [],
    });
  const claimed = await step(incident, 'claim', { type: 'claimed', actor: 'op' });
  await step(claimed, 'handback', { type: 'handback', actor: 'op', text: note });
  expect(await t.store.incidents.handbackInstruction(incident.id)).toBe(note);
  return incident.id;
}

/** The hand-back notes of `userId` in the old copy that some key in the live database still opens. */
function readNotesWithCurrentKeys(t: TestApp, copy: string, userId: string): string[] {
  const old = new Database(copy);
  const live = new Database(t.dbFile, { readonly: true });
  try {
    const notes = old
      .prepare(
        `select e.incident_id, e.type, e.at, e.sealed from incident_events e join incidents i on i.id = e.incident_id
         where i.user_id = ? and e.sealed is not null`,
      )
      .all(userId) as { incident_id: string; type: string; at: number; sealed: Buffer }[];
    const keys = live.prepare('select id, wrapped_key from user_keys where user_id = ?').all(userId) as {
      id: string;
      wrapped_key: Buffer;
    }[];
    return notes.flatMap((n) =>
      keys.flatMap((k) => {
        try {
          const key = unwrapDataKey(t.masterKey, userId, k.id, k.wrapped_key);
          return [decryptContent(key, `incident:${n.incident_id}:${n.type}:${n.at}`, n.sealed)];
        } catch {
          return [];
        }
      }),
    );
  } finally {
    old.close();
    live.close();
  }
}

const verifies = (t: TestApp, receipt: DeletionReceipt) =>
  verifySignature(t.signingKey.publicKeyPem, receiptSigningText(receipt), receipt.signature);

describe('DATA-4: deletion destroys the keys, so backups taken before cannot be read', () => {
  it('DATA-4: an old copy of the database no longer yields the deleted user’s messages (those before migration 0008 too) nor the hand-back note, other users’ still; the receipt verifies, a tampered one does not', async () => {
    const t = await testApp();
    await chat(t, 'alice', 'alice secret one');
    await chat(t, 'alice', 'alice secret two', 'leo');
    await chat(t, 'bob', 'bob keeps this');
    // What the user-wide key seals: a contact, a message written the way a store before migration 0008 did
    // (under the user-wide key), and an operator's hand-back note.
    const contact = { name: 'Alice Mum', email: 'mum@example.com' };
    expect((await put(t, '/v1/users/alice', { age: 30, emergency_contact: contact })).status).toBe(200);
    const alice = await t.store.ensureUser('alice', t.clock.now());
    const wideKeyId = writeLegacyMessage(t, alice.id, 'alice legacy secret');
    const note = await handBackNote(t, alice.id, 'alice hand-back secret');
    const copy = await backup(t);
    const before = readBackupWithCurrentKeys(t, copy);
    expect(before.get('alice')?.unreadable).toBe(0);
    expect(before.get('alice')?.readable).toEqual(
      expect.arrayContaining(['alice secret one', 'alice legacy secret']),
    );
    expect(readNotesWithCurrentKeys(t, copy, alice.id)).toEqual(['alice hand-back secret']);

    const receipt = await json<DeletionReceipt>(
      await t.request('/v1/users/alice/history', { method: 'DELETE' }),
    );
    expect(receipt).toMatchObject({
      type: 'companion-guard/deletion-receipt',
      externalUserId: 'alice',
      characterId: null,
      requestedBy: 'user',
      messagesDeleted: 5,
      keysRetained: [],
      signingKeyId: t.signingKey.keyId,
    });
    expect(receipt.keysDestroyed).toHaveLength(3);
    expect(receipt.keysDestroyed).toContain(wideKeyId);
    expect(verifies(t, receipt)).toBe(true);
    expect(verifies(t, { ...receipt, messagesDeleted: 3 })).toBe(false);
    expect(verifies(t, { ...receipt, keysDestroyed: [] })).toBe(false);

    const after = readBackupWithCurrentKeys(t, copy);
    expect(after.get('alice')).toEqual({ readable: [], unreadable: 5 });
    expect(readNotesWithCurrentKeys(t, copy, alice.id)).toEqual([]);
    // Live: the note is gone, the contact survives under the new user-wide key.
    expect(await t.store.incidents.handbackInstruction(note)).toBeNull();
    expect((await t.store.profiles.getProfile('alice'))?.emergencyContact).toMatchObject(contact);
    expect(after.get('bob')?.unreadable).toBe(0);
    expect(after.get('bob')?.readable).toContain('bob keeps this');

    // The receipt is kept, and the audit event at its position is the deletion (with no text).
    expect(await t.store.dataRights.listReceipts({})).toEqual([receipt]);
    const [event] = await t.store.listAudit({ afterSeq: receipt.audit.seq - 1, limit: 1 });
    expect(event).toMatchObject({ type: 'history-deleted', requirement: 'DATA-4', hash: receipt.audit.hash });
    expect(JSON.stringify(event)).not.toContain('secret');
    // Alice can chat on, under a fresh key; her copy holds only what came after.
    await chat(t, 'alice', 'a new start');
    const copyOfAlice = await json<{ messages: { content: string }[] }>(
      await t.request('/v1/users/alice/export'),
    );
    expect(copyOfAlice.messages.map((m) => m.content)).toContain('a new start');
    expect(JSON.stringify(copyOfAlice)).not.toContain('alice secret');
  });

  it('DATA-4: ?character_id= shreds only that character’s history; `receipt verify` accepts the receipt and rejects a tampered file', async () => {
    const t = await testApp();
    await chat(t, 'carol', 'for xiaonuan only');
    await chat(t, 'carol', 'for leo only', 'leo');
    const copy = await backup(t);
    const receipt = await json<DeletionReceipt>(
      await t.request('/v1/users/carol/history?character_id=leo', { method: 'DELETE' }),
    );
    expect(receipt).toMatchObject({ characterId: 'leo', messagesDeleted: 2 });
    expect(receipt.keysDestroyed).toHaveLength(1);
    const after = readBackupWithCurrentKeys(t, copy).get('carol');
    expect(after?.unreadable).toBe(2);
    expect(after?.readable).toContain('for xiaonuan only');
    const rest = await json<{ messages: { character_id: string }[] }>(
      await t.request('/v1/users/carol/export'),
    );
    expect(new Set(rest.messages.map((m) => m.character_id))).toEqual(new Set(['xiaonuan']));

    const file = join(t.dir, 'receipt.json');
    await writeFile(file, JSON.stringify(receipt));
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => undefined };
    expect(await verifyReceiptFile(file, { dataDir: t.dir, env: {} }, io)).toBe(0);
    expect(lines.at(-1)).toContain('valid');
    await writeFile(file, JSON.stringify({ ...receipt, characterId: null }));
    expect(await verifyReceiptFile(file, { dataDir: t.dir, env: {} }, io)).toBe(2);
    expect(lines.at(-1)).toContain('INVALID');
    const pem = join(t.dir, 'public.pem');
    await writeFile(pem, t.signingKey.publicKeyPem);
    await writeFile(file, JSON.stringify(receipt));
    expect(await verifyReceiptFile(file, { publicKeyFile: pem, dataDir: '/nonexistent', env: {} }, io)).toBe(
      0,
    );
  });

  it('DATA-4: deleting an unknown user is not-found; a bad character_id is invalid-request', async () => {
    const t = await testApp();
    const missing = await json<{ error: { code: string } }>(
      await t.request('/v1/users/nobody/history', { method: 'DELETE' }),
      404,
    );
    expect(missing.error.code).toBe('not-found');
    await chat(t, 'dan', 'hello');
    const bad = await json<{ error: { code: string } }>(
      await t.request(`/v1/users/dan/history?character_id=${'x'.repeat(200)}`, { method: 'DELETE' }),
      400,
    );
    expect(bad.error.code).toBe('invalid-request');
  });
});

describe('DATA-5: a guardian’s request through the deletion service', () => {
  it('DATA-5: the deletion service records a guardian’s request as DATA-5 with the actor, and signs the receipt', async () => {
    const t = await testApp();
    await put(t, '/v1/users/minor-del', { age: 12 });
    await chat(t, 'minor-del', 'a minor wrote this');
    const user = await t.store.profiles.getProfile('minor-del');
    if (!user) throw new Error('no user');
    const deletions = createDeletionService({ store: t.store, clock: t.clock, signingKey: t.signingKey });
    const receipt = await deletions.deleteHistory({
      user,
      characterId: null,
      requestedBy: 'guardian',
      actor: 'g-1',
    });
    expect(receipt).toMatchObject({ requestedBy: 'guardian', messagesDeleted: 2 });
    expect(verifies(t, receipt)).toBe(true);
    const [event] = await t.store.listAudit({ afterSeq: receipt.audit.seq - 1, limit: 1 });
    expect(event).toMatchObject({ type: 'history-deleted', requirement: 'DATA-5', data: { actor: 'g-1' } });
  });
});

describe('DATA-3, DISC-5: the user’s copy carries the AI label and the AIGC metadata', () => {
  it('DISC-5: the JSON copy labels every AI message with its content ID and AIGC metadata; the HTML escapes and carries them', async () => {
    const t = await testApp();
    const reply = await chat(t, 'erin', '你好 <script>alert(1)</script>');
    const contentId = reply.compliance.label?.content_id;
    const doc = await json<{
      label: string;
      AIGC: Record<string, string>;
      messages: {
        role: string;
        author: string;
        content_id: string;
        label?: string;
        AIGC?: Record<string, string>;
      }[];
    }>(await t.request('/v1/users/erin/export?format=json'));
    expect(doc.label).toBe('内容由人工智能生成');
    expect(Object.keys(doc.AIGC).sort()).toEqual(
      [
        'ContentProducer',
        'ContentPropagator',
        'Label',
        'ProduceID',
        'PropagateID',
        'ReservedCode1',
        'ReservedCode2',
      ].sort(),
    );
    const ai = doc.messages.find((m) => m.author === 'ai');
    expect(ai).toMatchObject({ role: 'assistant', content_id: contentId, label: '内容由人工智能生成' });
    expect(ai?.AIGC).toMatchObject({ Label: '1', ProduceID: contentId, ContentProducer: 'companion-guard' });
    expect(doc.messages.find((m) => m.author === 'user')).not.toHaveProperty('AIGC');

    const html = await t.request('/v1/users/erin/export?format=html');
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toMatch(/<meta name="AIGC" content="\{&quot;Label&quot;:&quot;1&quot;/);
    expect(page).toContain(`data-content-id="${contentId}"`);
    const audit = await t.store.listAudit({ limit: 1000 });
    expect(audit.filter((e) => e.type === 'history-exported').map((e) => e.requirement)).toEqual([
      'DATA-3',
      'DATA-3',
    ]);
    const bad = await json<{ error: { code: string } }>(
      await t.request('/v1/users/erin/export?format=pdf'),
      400,
    );
    expect(bad.error.code).toBe('invalid-request');
  });
});

interface ConsentState {
  age_band: string;
  current: Record<string, boolean>;
  history: { id: string; kind: string; granted: boolean; given_by: string; version: string }[];
}

describe('DATA-2, DATA-6: separate, versioned, revocable consents', () => {
  it('DATA-6: consents are appended, never changed; revoking is a new record; absent keys stay unchanged', async () => {
    const t = await testApp();
    const given = await json<ConsentState>(
      await put(t, '/v1/users/fay/consents', { training: true, third_party: false, version: 'v3' }),
    );
    expect(given.current).toEqual({ training: true, third_party: false, sensitive: false });
    expect(given.history).toHaveLength(2);
    const revoked = await json<ConsentState>(await put(t, '/v1/users/fay/consents', { training: false }));
    expect(revoked.current.training).toBe(false);
    expect(revoked.history.slice(0, 2)).toEqual(given.history);
    expect(revoked.history[2]).toMatchObject({
      kind: 'training',
      granted: false,
      version: '1',
      given_by: 'user',
    });
    expect(await json<ConsentState>(await t.request('/v1/users/fay/consents'))).toEqual(revoked);
    const audit = (await t.store.listAudit({ limit: 1000 })).filter((e) => e.type.startsWith('consent-'));
    expect(audit.map((e) => [e.type, e.requirement])).toEqual([
      ['consent-given', 'DATA-6'],
      ['consent-revoked', 'DATA-2'],
      ['consent-revoked', 'DATA-6'],
    ]);
    const bad = await json<{ error: { code: string } }>(
      await put(t, '/v1/users/fay/consents', { training: 'yes' }),
      400,
    );
    expect(bad.error.code).toBe('invalid-request');
    expect((await json<ConsentState>(await t.request('/v1/users/fay/consents'))).history).toHaveLength(3);
  });

  it('DATA-2: for a minor only the guardian’s consent counts', async () => {
    const t = await testApp();
    await put(t, '/v1/users/gus', { age: 15 });
    const own = await json<ConsentState>(await put(t, '/v1/users/gus/consents', { third_party: true }));
    expect(own.current.third_party).toBe(false);
    const guardian = await json<ConsentState>(
      await put(t, '/v1/users/gus/consents', { third_party: true, given_by: 'guardian' }),
    );
    expect(guardian.current.third_party).toBe(true);
  });

  it('DATA-2, DATA-6: a user in minor mode (suspected, age unknown) counts as a minor: only the guardian’s consent holds', async () => {
    const t = await testApp();
    const user = await t.store.ensureUser('kim', t.clock.now());
    await t.store.minors.enter(user.id, { reason: 'suspected', now: t.clock.now() });
    const own = await json<ConsentState>(
      await put(t, '/v1/users/kim/consents', { third_party: true, training: true }),
    );
    expect(own.age_band).toBe('unknown');
    expect(own.current).toMatchObject({ third_party: false, training: false });
    const guardian = await json<ConsentState>(
      await put(t, '/v1/users/kim/consents', { third_party: true, given_by: 'guardian' }),
    );
    expect(guardian.current).toMatchObject({ third_party: true, training: false });
  });
});

describe('DATA-6, DATA-7: the training export', () => {
  it('DATA-7: only current consents are exported (minors, suspected ones too, only with the guardian’s), PII redacted, manifest counts match', async () => {
    const t = await testApp();
    // Daytime in UTC (the minors' time zone when none is registered): outside their quiet hours.
    t.clock.set(Date.UTC(2026, 6, 15, 10));
    await put(t, '/v1/users/adult-yes', { age: 30 });
    await put(t, '/v1/users/adult-no', { age: 30 });
    await put(t, '/v1/users/minor-own', { age: 15 });
    await put(t, '/v1/users/minor-guardian', { age: 13 });
    await put(t, '/v1/users/adult-revoked', { age: 40 });
    await chat(t, 'adult-yes', '我叫王小明，电话13812345678，邮箱 wxm@example.cn');
    await chat(t, 'adult-yes', '身份证11010519491231002X，住在北京市朝阳区建国路88号');
    await chat(t, 'adult-yes', 'My name is Anna Lee, I live at 42 Baker Street', 'leo');
    await chat(t, 'adult-no', 'nothing for training');
    await chat(t, 'minor-own', 'minor text one');
    // The under-14 is served only once the guardian consented to the service (MINOR-2).
    const guardianMinor = await t.store.ensureUser('minor-guardian', t.clock.now());
    await t.store.minors.recordConsent(guardianMinor.id, {
      at: t.clock.now(),
      method: 'email-code',
      policyVersion: '1',
    });
    await chat(t, 'minor-guardian', 'guardian agreed text');
    await chat(t, 'adult-revoked', 'revoked text');
    await put(t, '/v1/users/adult-yes/consents', { training: true, version: 't-2' });
    await put(t, '/v1/users/adult-no/consents', { training: false });
    await put(t, '/v1/users/minor-own/consents', { training: true });
    await put(t, '/v1/users/minor-guardian/consents', { training: true, given_by: 'guardian' });
    await put(t, '/v1/users/adult-revoked/consents', { training: true });
    await put(t, '/v1/users/adult-revoked/consents', { training: false });
    // A suspected minor (age unknown, minor mode on) whose own consent does not count.
    const suspected = await t.store.ensureUser('suspected-own', t.clock.now());
    await t.store.minors.enter(suspected.id, { reason: 'suspected', now: t.clock.now() });
    await chat(t, 'suspected-own', 'suspected minor text');
    await put(t, '/v1/users/suspected-own/consents', { training: true });

    const out = join(t.dir, 'training');
    const progress: string[] = [];
    const io = { out: () => undefined, err: (l: string) => progress.push(l) };
    expect(await exportTrainingData(t.store, resolveProfile('cn-2026'), out, t.clock.now(), io)).toBe(0);
    expect(progress.at(-1)).toBe('6/6 users');
    const lines = (await readFile(join(out, 'training.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { user: string; consent: string; messages: { content: string }[] });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/nothing for training|minor text one|revoked text|suspected minor text/);
    expect(text).toContain('guardian agreed text');
    for (const pii of [
      '王小明',
      '13812345678',
      'wxm@example.cn',
      '11010519491231002X',
      '建国路88号',
      'Anna Lee',
      '42 Baker Street',
    ]) {
      expect(text).not.toContain(pii);
    }
    for (const placeholder of ['[NAME]', '[PHONE]', '[EMAIL]', '[ID]', '[ADDRESS]'])
      expect(text).toContain(placeholder);

    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      counts: { users: number; conversations: number; messages: number; excluded: Record<string, number> };
      users: { user: string; consent: { id: string; version: string; givenBy: string }; messages: number }[];
      timeRange: { from: string; to: string };
    };
    expect(manifest.counts.users).toBe(2);
    expect(manifest.counts.conversations).toBe(lines.length);
    expect(manifest.counts.messages).toBe(lines.reduce((n, l) => n + l.messages.length, 0));
    expect(manifest.counts.excluded).toEqual({
      'minor-without-guardian-consent': 2,
      revoked: 1,
      'not-given': 1,
    });
    expect(manifest.users.map((u) => u.consent.version).sort()).toEqual(['1', 't-2']);
    for (const line of lines) {
      expect(manifest.users.find((u) => u.user === line.user)?.consent.id).toBe(line.consent);
    }
    expect(manifest.timeRange.from).toBe(new Date(t.clock.now()).toISOString());
    await expect(
      exportTrainingData(t.store, resolveProfile('cn-2026'), out, t.clock.now(), io),
    ).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });
});

describe('MINOR-6: the minors’ personal-information report', () => {
  it('MINOR-6: counts minors’ fields, messages, consents and deletions of the year, without values', async () => {
    const t = await testApp();
    const year = new Date(t.clock.now()).getUTCFullYear();
    await put(t, '/v1/users/kid', {
      age: 12,
      guardian: { name: '王芳', email: 'wang.fang@example.cn' },
      region: 'CN',
    });
    await put(t, '/v1/users/grown', { age: 35 });
    await chat(t, 'kid', 'kid message');
    await chat(t, 'grown', 'adult message');
    await put(t, '/v1/users/kid/consents', { training: true, given_by: 'guardian' });
    await t.request('/v1/users/kid/history', { method: 'DELETE' });
    const lines: string[] = [];
    expect(
      await minorsPiReport(t.store, resolveProfile('cn-2026'), year, {
        out: (l) => lines.push(l),
        err: () => undefined,
      }),
    ).toBe(0);
    const report = JSON.parse(lines.join('\n')) as {
      minors: number;
      personalInformation: { profileFields: Record<string, number>; messagesInYear: number };
      consents: Record<string, { given: number; byGuardian: number; heldAtEnd: number }>;
      deletions: { receipts: { messagesDeleted: number }[]; auditEvents: number };
    };
    expect(report.minors).toBe(1);
    expect(report.personalInformation.profileFields).toMatchObject({
      declaredAge: 1,
      guardianContact: 1,
      region: 1,
    });
    expect(report.personalInformation.messagesInYear).toBe(0);
    expect(report.consents.training).toMatchObject({ given: 1, byGuardian: 1, heldAtEnd: 1 });
    expect(report.deletions.receipts).toEqual([expect.objectContaining({ messagesDeleted: 2 })]);
    expect(report.deletions.auditEvents).toBe(1);
    expect(lines.join('\n')).not.toMatch(/王芳|wang\.fang|kid message/);
  });
});
