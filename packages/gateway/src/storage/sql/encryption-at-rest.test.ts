import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CharacterRecord, NewMessage, Store } from '@companion-guard/core';
import { afterAll, describe, expect, it } from 'vitest';
import { describePostgres, renderedRows, useTestSchemas } from '../../../test/postgres.js';
import { createStore } from './create-store.js';

/**
 * Our own sentences (not from any dataset); none shares a 6-byte run with the control sentence or with the
 * schema's own table and column names (which the file holds in plain text, e.g. `secret_hash`).
 */
const secrets = [
  '我昨晚梦见自己在海边的灯塔里数星星，醒来以后心里空落落的。',
  '妈妈说周末要带我去外婆家吃饺子，可我其实想留在家里。',
  'I furtively planted marigolds beside the harbor lighthouse last Tuesday.',
  'My brother Quentin borrowed forty-two dollars and never mentioned it again.',
];
/** Stored unencrypted on purpose (a character persona is configuration): proves the scan finds plaintext. */
const control = 'Xylophonic zebras juggle quartz.';

const minRun = 6;

/** Every run of `minRun` UTF-8 bytes of `text` that occurs in `haystack`, as hex. */
function leakedRuns(haystack: Buffer, text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const leaks: string[] = [];
  for (let i = 0; i + minRun <= bytes.length; i++) {
    const run = bytes.subarray(i, i + minRun);
    if (haystack.includes(run)) leaks.push(run.toString('hex'));
  }
  return leaks;
}

function controlCharacter(): CharacterRecord {
  return {
    id: 'control',
    name: { zh: '对照', en: 'Control' },
    description: { zh: '对照', en: 'Control' },
    scope: 'companion',
    relation: 'friend',
    persona: control,
    model: null,
    enabled: true,
  };
}

async function writeSecrets(store: Store): Promise<NewMessage[]> {
  await store.upsertCharacter(controlCharacter());
  const user = await store.ensureUser('at-rest-user', 1);
  await store.createSession(
    { id: 'at-rest-session', userId: user.id, characterId: 'control', state: {}, now: 1 },
    [{ type: 'session-start', requirement: 'DISC-1', at: 1, sessionId: 'at-rest-session' }],
  );
  const messages = secrets.map(
    (content, i): NewMessage => ({
      id: `at-rest-m${i}`,
      sessionId: 'at-rest-session',
      userId: user.id,
      role: i % 2 === 0 ? 'user' : 'assistant',
      content,
      contentId: `at-rest-c${i}`,
      status: i % 2 === 0 ? 'accepted' : 'delivered',
      createdAt: 2 + i,
    }),
  );
  await store.commitTurn({
    sessionId: 'at-rest-session',
    expectedVersion: 1,
    state: {},
    now: 10,
    messages,
    audit: [{ type: 'label-applied', requirement: 'DISC-4', at: 10, sessionId: 'at-rest-session' }],
  });
  expect((await store.listMessages('at-rest-session')).map((m) => m.content)).toEqual(secrets);
  return messages;
}

const masterKey = randomBytes(32);

describe('DATA-1: no plaintext message content at rest (SQLite)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function rawFiles(file: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      parts.push(await readFile(path).catch(() => Buffer.alloc(0)));
    }
    return Buffer.concat(parts);
  }

  it('the database, WAL and shared-memory files hold no sentence nor any 6-byte run of one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cg-at-rest-'));
    dirs.push(dir);
    const file = join(dir, 'companion-guard.sqlite');
    const store = await createStore({ url: `sqlite://${file}`, masterKey });
    await writeSecrets(store);

    // While open, the newest pages live in the WAL file.
    const whileOpen = await rawFiles(file);
    expect(leakedRuns(whileOpen, control).length).toBeGreaterThan(0);
    for (const secret of secrets) expect(leakedRuns(whileOpen, secret)).toEqual([]);

    await store.close();
    const afterClose = await rawFiles(file);
    expect(afterClose.includes(Buffer.from(control, 'utf8'))).toBe(true);
    for (const secret of secrets) expect(leakedRuns(afterClose, secret)).toEqual([]);

    // And the data is still there, readable through the store with the master key.
    const reopened = await createStore({ url: `sqlite://${file}`, masterKey });
    try {
      expect((await reopened.listMessages('at-rest-session')).map((m) => m.content)).toEqual(secrets);
    } finally {
      await reopened.close();
    }
  });
});

describePostgres('DATA-1: no plaintext message content at rest (PostgreSQL)', () => {
  const schemas = useTestSchemas();

  it('the content column holds only ciphertext, and no table row renders a sentence', async () => {
    const { schema, url } = await schemas.create('cg_test_at_rest');
    const store = await createStore({ url, masterKey });
    let messages: NewMessage[];
    try {
      messages = await writeSecrets(store);
    } finally {
      await store.close();
    }

    const rows = await schemas.admin.query<{ id: string; content: Buffer }>(
      `select id, content from ${schema}.messages order by seq`,
    );
    expect(rows.rows.map((r) => r.id)).toEqual(messages.map((m) => m.id));
    for (const [i, row] of rows.rows.entries()) {
      const plain = Buffer.from(secrets[i] ?? '', 'utf8');
      // version byte + 96-bit IV + 128-bit tag + ciphertext as long as the plaintext
      expect(row.content.length).toBe(1 + 12 + 16 + plain.length);
      expect(row.content.equals(plain)).toBe(false);
      for (const secret of secrets) expect(leakedRuns(row.content, secret)).toEqual([]);
    }

    const renderedBytes = Buffer.from(await renderedRows(schemas.admin, schema), 'utf8');
    expect(leakedRuns(renderedBytes, control).length).toBeGreaterThan(0);
    for (const secret of secrets) expect(leakedRuns(renderedBytes, secret)).toEqual([]);
  });
});
