import { describe, expect, it } from 'vitest';
import { isCgError } from '../errors.js';
import type { AuditInput, CharacterRecord, NewMessage, Store, StoredCharacter } from '../ports.js';
import { describeAppealConformance } from './appeal-conformance.js';
import { describeComplaintConformance } from './complaint-conformance.js';
import { describeControlConformance } from './control-conformance.js';
import { describeDataRightsConformance } from './data-rights-conformance.js';
import { describeEmotionalStateConformance } from './emotional-state-conformance.js';
import { describeGuardianConformance } from './guardian-conformance.js';
import { describeIncidentConformance } from './incident-conformance.js';
import { describeMinorConformance } from './minor-conformance.js';
import { describeNotificationConformance } from './notification-conformance.js';
import { describeProfileConformance } from './profile-conformance.js';
import { describeStaffConformance } from './staff-conformance.js';
import { describeStatsConformance } from './stats-conformance.js';

/**
 * Raw-database operations the suite needs to prove tamper detection. They act behind the store's back, on
 * the database that `store` (made by the suite's `makeStore`) uses. Each test using a hook is registered
 * only when the hook is given.
 */
export interface StoreConformanceHooks {
  /** Changes the stored `data` of audit event `seq` without updating any hash. */
  readonly tamperAuditEvent?: (store: Store, seq: number) => Promise<void>;
  /** Deletes audit event `seq` (and nothing else). */
  readonly deleteAuditEvent?: (store: Store, seq: number) => Promise<void>;
  /** Swaps the stored (encrypted) content of two messages. */
  readonly swapMessageContent?: (store: Store, messageIdA: string, messageIdB: string) => Promise<void>;
}

let idCounter = 0;
/** Unique-enough ids without node:crypto (core stays pure). */
function newId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${idCounter}-${Math.random().toString(36).slice(2, 10)}`;
}

const t0 = Date.UTC(2026, 0, 15, 8, 0, 0);

function character(id: string, patch: Partial<CharacterRecord> = {}): CharacterRecord {
  return {
    id,
    name: { zh: `角色 ${id}`, en: `Character ${id}` },
    description: { zh: '陪伴聊天的角色', en: 'A companion character' },
    scope: 'companion',
    relation: 'friend',
    persona: 'You are kind and brief.',
    model: null,
    enabled: true,
    ...patch,
  };
}

function message(
  sessionId: string,
  userId: string,
  content: string,
  patch: Partial<NewMessage> = {},
): NewMessage {
  const m: NewMessage = {
    id: newId('m'),
    sessionId,
    userId,
    role: 'user',
    content,
    contentId: newId('c'),
    status: 'accepted',
    createdAt: t0,
    ...patch,
  };
  // Stored messages name their author; one not given is the user's or the model's by role.
  return { ...m, author: m.author ?? (m.role === 'user' ? 'user' : 'ai') };
}

const fromConfig = (c: CharacterRecord): StoredCharacter => ({ ...c, managedBy: 'config' });

interface TestState {
  readonly phase: string;
  readonly turns: number;
}

async function expectCgError(promise: Promise<unknown>, code: string): Promise<Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(isCgError(caught), `expected CgError('${code}'), got ${String(caught)}`).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
  return caught as Error;
}

/**
 * The behaviour every `Store` backend must show. Call it from a backend's test file; `makeStore` must return
 * a store over a fresh, empty database each time (the suite closes every store it makes).
 *
 * @example
 * describeStoreConformance('sqlite', () => createStore({ url: tempUrl(), masterKey }), { tamperAuditEvent });
 */
export function describeStoreConformance(
  name: string,
  makeStore: () => Promise<Store>,
  hooks: StoreConformanceHooks = {},
): void {
  async function withStore(work: (store: Store) => Promise<void>): Promise<void> {
    const store = await makeStore();
    try {
      await work(store);
    } finally {
      await store.close();
    }
  }

  async function newSession(
    store: Store,
    options: { userId?: string; characterId?: string; now?: number; audit?: readonly AuditInput[] } = {},
  ) {
    const userId = options.userId ?? (await store.ensureUser(newId('ext'), t0)).id;
    return store.createSession<TestState>(
      {
        id: newId('s'),
        userId,
        characterId: options.characterId ?? 'aria',
        state: { phase: 'active', turns: 0 },
        now: options.now ?? t0,
      },
      options.audit ?? [],
    );
  }

  describe(`Store conformance: ${name}`, () => {
    describe('users', () => {
      it('ensureUser creates a user once and returns the same record afterwards', () =>
        withStore(async (store) => {
          const first = await store.ensureUser('app-user-1', t0);
          expect(first).toMatchObject({ externalId: 'app-user-1', ageBand: 'unknown', createdAt: t0 });
          expect(['zh', 'en']).toContain(first.locale);
          expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
          const again = await store.ensureUser('app-user-1', t0 + 60_000);
          expect(again).toEqual(first);
          const other = await store.ensureUser('app-user-2', t0);
          expect(other.id).not.toBe(first.id);
          expect(await store.getUser(first.id)).toEqual(first);
          expect(await store.getUser('no-such-user')).toBeUndefined();
          // A new user takes the given default locale; an existing one keeps its own.
          expect((await store.ensureUser('app-user-3', t0, { locale: 'en' })).locale).toBe('en');
          expect((await store.ensureUser('app-user-1', t0, { locale: 'en' })).locale).toBe(first.locale);
        }));

      it('20 concurrent ensureUser calls for one external id agree on one user', () =>
        withStore(async (store) => {
          const users = await Promise.all(
            Array.from({ length: 20 }, (_, i) => store.ensureUser('racing-user', t0 + i)),
          );
          expect(new Set(users.map((u) => u.id)).size).toBe(1);
          expect(new Set(users.map((u) => u.createdAt)).size).toBe(1);
        }));

      it('updateUser patches locale and age band; an unknown id is not-found', () =>
        withStore(async (store) => {
          const user = await store.ensureUser('patch-me', t0);
          const updated = await store.updateUser(user.id, { locale: 'en', ageBand: '16-17' });
          expect(updated).toEqual({ ...user, locale: 'en', ageBand: '16-17' });
          const partial = await store.updateUser(user.id, { ageBand: 'adult' });
          expect(partial).toEqual({ ...user, locale: 'en', ageBand: 'adult' });
          expect(await store.getUser(user.id)).toEqual(partial);
          expect(await store.ensureUser('patch-me', t0)).toEqual(partial);
          await expectCgError(store.updateUser('no-such-user', { locale: 'zh' }), 'not-found');
        }));
    });

    describe('characters', () => {
      it('upsertCharacter inserts and replaces; listCharacters is ordered by id and includes disabled ones', () =>
        withStore(async (store) => {
          expect(await store.listCharacters()).toEqual([]);
          const zed = character('zed', { enabled: false, relation: 'mentor', model: 'gpt-x' });
          const aria = character('aria');
          await store.upsertCharacter(zed);
          await store.upsertCharacter(aria);
          expect(await store.listCharacters()).toEqual([aria, zed].map(fromConfig));
          const renamed = fromConfig(
            character('aria', {
              name: { zh: '艾莉亚 🌙', en: 'Aria 🌙' },
              scope: 'tool',
              relation: 'assistant',
              persona: '你是一位温和的助手。',
              model: 'demo-2',
              enabled: false,
            }),
          );
          await store.upsertCharacter(renamed);
          expect(await store.getCharacter('aria')).toEqual(renamed);
          expect(await store.listCharacters()).toEqual([renamed, fromConfig(zed)]);
          expect(await store.getCharacter('nobody')).toBeUndefined();
        }));
    });

    describe('sessions', () => {
      it('createSession starts at version 1 and appends its audit events in the same call', () =>
        withStore(async (store) => {
          const user = await store.ensureUser('u-create', t0);
          const id = newId('s');
          const created = await store.createSession<TestState>(
            { id, userId: user.id, characterId: 'aria', state: { phase: 'new', turns: 0 }, now: t0 },
            [{ type: 'session-start', requirement: 'DISC-1', at: t0, userId: user.id, sessionId: id }],
          );
          expect(created).toEqual({
            id,
            userId: user.id,
            characterId: 'aria',
            state: { phase: 'new', turns: 0 },
            version: 1,
            createdAt: t0,
            updatedAt: t0,
          });
          expect(await store.getSession(id)).toEqual(created);
          const audit = await store.listAudit({ sessionId: id });
          expect(audit.map((e) => [e.seq, e.type, e.requirement])).toEqual([[1, 'session-start', 'DISC-1']]);
          expect(await store.getSession('no-such-session')).toBeUndefined();
        }));

      it('createSession with a taken id throws session-exists and writes nothing', () =>
        withStore(async (store) => {
          const first = await newSession(store);
          const error = await expectCgError(
            store.createSession(
              {
                id: first.id,
                userId: first.userId,
                characterId: 'other',
                state: { phase: 'x', turns: 9 },
                now: t0,
              },
              [{ type: 'session-start', requirement: 'DISC-1', at: t0, sessionId: first.id }],
            ),
            'session-exists',
          );
          expect(error.message).not.toContain('undefined');
          expect(await store.getSession(first.id)).toEqual(first);
          expect(await store.listAudit()).toEqual([]);
        }));

      it('commitTurn moves the version by one and stores state, messages and audit together', () =>
        withStore(async (store) => {
          const session = await newSession(store);
          const userMessage = message(session.id, session.userId, '你好，今天过得怎么样？', {
            createdAt: t0 + 1000,
          });
          const reply = message(session.id, session.userId, 'Hello! I am an AI companion.', {
            role: 'assistant',
            status: 'delivered',
            createdAt: t0 + 2000,
          });
          const next = await store.commitTurn<TestState>({
            sessionId: session.id,
            expectedVersion: 1,
            state: { phase: 'active', turns: 1 },
            now: t0 + 2000,
            messages: [userMessage, reply],
            audit: [
              { type: 'directive-shown', requirement: 'DISC-1', at: t0 + 2000, sessionId: session.id },
              { type: 'label-applied', requirement: 'DISC-4', at: t0 + 2000, sessionId: session.id },
            ],
          });
          expect(next).toEqual({
            ...session,
            state: { phase: 'active', turns: 1 },
            version: 2,
            updatedAt: t0 + 2000,
          });
          expect(await store.getSession(session.id)).toEqual(next);
          expect(await store.listMessages(session.id)).toEqual([userMessage, reply]);
          expect((await store.listAudit({ sessionId: session.id })).map((e) => e.requirement)).toEqual([
            'DISC-1',
            'DISC-4',
          ]);

          const third = await store.commitTurn<TestState>({
            sessionId: session.id,
            expectedVersion: 2,
            state: { phase: 'ended', turns: 2 },
            now: t0 + 3000,
            messages: [],
            audit: [],
          });
          expect(third.version).toBe(3);
          expect(third.state).toEqual({ phase: 'ended', turns: 2 });
        }));

      it('a stale expectedVersion throws session-conflict and writes no state, message or audit event', () =>
        withStore(async (store) => {
          const session = await newSession(store);
          await store.commitTurn<TestState>({
            sessionId: session.id,
            expectedVersion: 1,
            state: { phase: 'active', turns: 1 },
            now: t0 + 1000,
            messages: [message(session.id, session.userId, 'first')],
            audit: [{ type: 'turn', requirement: 'DISC-4', at: t0 + 1000, sessionId: session.id }],
          });
          const before = await store.getSession(session.id);
          await expectCgError(
            store.commitTurn<TestState>({
              sessionId: session.id,
              expectedVersion: 1,
              state: { phase: 'hijacked', turns: 99 },
              now: t0 + 5000,
              messages: [message(session.id, session.userId, 'must not be stored')],
              audit: [{ type: 'turn', requirement: 'DISC-4', at: t0 + 5000, sessionId: session.id }],
            }),
            'session-conflict',
          );
          expect(await store.getSession(session.id)).toEqual(before);
          expect((await store.listMessages(session.id)).map((m) => m.content)).toEqual(['first']);
          expect(await store.listAudit()).toHaveLength(1);
          expect(await store.verifyAudit()).toEqual({ ok: true, count: 1 });
        }));

      it('of 10 concurrent commits from the same version exactly one wins; the rest conflict', () =>
        withStore(async (store) => {
          const session = await newSession(store);
          const results = await Promise.allSettled(
            Array.from({ length: 10 }, (_, i) =>
              store.commitTurn<TestState>({
                sessionId: session.id,
                expectedVersion: 1,
                state: { phase: `writer-${i}`, turns: 1 },
                now: t0 + i,
                messages: [message(session.id, session.userId, `writer ${i}`)],
                audit: [
                  { type: 'turn', requirement: 'DISC-4', at: t0 + i, sessionId: session.id, data: { i } },
                ],
              }),
            ),
          );
          const won = results.filter((r) => r.status === 'fulfilled');
          const lost = results.filter((r) => r.status === 'rejected');
          expect(won).toHaveLength(1);
          for (const r of lost) expect(isCgError(r.reason, 'session-conflict')).toBe(true);
          const stored = await store.getSession<TestState>(session.id);
          expect(stored?.version).toBe(2);
          const winner = stored?.state.phase.replace('writer-', '');
          expect((await store.listMessages(session.id)).map((m) => m.content)).toEqual([`writer ${winner}`]);
          const audit = await store.listAudit();
          expect(audit.map((e) => e.data)).toEqual([{ i: Number(winner) }]);
        }));

      it('commitTurn on an unknown session throws not-found', () =>
        withStore(async (store) => {
          await expectCgError(
            store.commitTurn({
              sessionId: 'no-such-session',
              expectedVersion: 1,
              state: {},
              now: t0,
              messages: [],
              audit: [],
            }),
            'not-found',
          );
        }));

      it('a turn that fails midway (duplicate message id) is rolled back whole, as a store-error', () =>
        withStore(async (store) => {
          const session = await newSession(store);
          const kept = message(session.id, session.userId, 'kept');
          await store.commitTurn({
            sessionId: session.id,
            expectedVersion: 1,
            state: { phase: 'active', turns: 1 },
            now: t0 + 1,
            messages: [kept],
            audit: [],
          });
          const secret = '这句私密的话不能出现在错误信息里 secret words';
          const error = await expectCgError(
            store.commitTurn({
              sessionId: session.id,
              expectedVersion: 2,
              state: { phase: 'active', turns: 2 },
              now: t0 + 2,
              messages: [message(session.id, session.userId, secret, { id: kept.id })],
              audit: [{ type: 'turn', requirement: 'DISC-4', at: t0 + 2, sessionId: session.id }],
            }),
            'store-error',
          );
          expect(error.message).not.toContain('私密');
          expect(error.message).not.toContain('secret');
          const stored = await store.getSession(session.id);
          expect(stored?.version).toBe(2);
          expect(await store.listMessages(session.id)).toEqual([kept]);
          expect(await store.listAudit()).toEqual([]);
        }));

      it('latestSession is the newest created per user and character, even within one millisecond', () =>
        withStore(async (store) => {
          const user = await store.ensureUser('u-latest', t0);
          const other = await store.ensureUser('u-other', t0);
          expect(await store.latestSession(user.id, 'aria')).toBeUndefined();
          const a = await newSession(store, { userId: user.id, characterId: 'aria', now: t0 });
          const b = await newSession(store, { userId: user.id, characterId: 'aria', now: t0 });
          const c = await newSession(store, { userId: user.id, characterId: 'zed', now: t0 });
          await newSession(store, { userId: other.id, characterId: 'aria', now: t0 + 10 });
          expect((await store.latestSession(user.id, 'aria'))?.id).toBe(b.id);
          expect((await store.latestSession(user.id, 'zed'))?.id).toBe(c.id);
          expect(await store.latestSession(user.id, 'nobody')).toBeUndefined();
          // Updating an older session does not make it the latest created one.
          await store.commitTurn({
            sessionId: a.id,
            expectedVersion: 1,
            state: {},
            now: t0 + 50,
            messages: [],
            audit: [],
          });
          expect((await store.latestSession(user.id, 'aria'))?.id).toBe(b.id);
        }));

      it('latestSessionOfUser is the most recently updated session of the user with any character', () =>
        withStore(async (store) => {
          const user = await store.ensureUser('u-of-user', t0);
          expect(await store.latestSessionOfUser(user.id)).toBeUndefined();
          const a = await newSession(store, { userId: user.id, characterId: 'aria', now: t0 });
          const b = await newSession(store, { userId: user.id, characterId: 'zed', now: t0 + 10 });
          expect((await store.latestSessionOfUser(user.id))?.id).toBe(b.id);
          await store.commitTurn({
            sessionId: a.id,
            expectedVersion: 1,
            state: {},
            now: t0 + 20,
            messages: [],
            audit: [],
          });
          expect((await store.latestSessionOfUser(user.id))?.id).toBe(a.id);
          const other = await store.ensureUser('u-of-user-2', t0);
          expect(await store.latestSessionOfUser(other.id)).toBeUndefined();
        }));
    });

    describe('messages', () => {
      it('DATA-1: content round-trips exactly (Chinese, emoji, combining marks, 10 KB), oldest first', () =>
        withStore(async (store) => {
          const session = await newSession(store);
          const long = '长文本 long text ✨ '.repeat(10_240 / 16).slice(0, 10_240);
          const contents = [
            '我今天有点累，想和你聊聊天。',
            'Emoji 👩‍👩‍👧‍👦🏳️‍🌈🙂 and flags 🇨🇳🇺🇸',
            'Combining: é (e\u0301), 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, zero\u200bwidth, tab\tnewline\nend',
            'NUL\u0000inside, quotes "\' and backslash \\ and right-to-left \u202e text',
            '',
            long,
          ];
          const messages = contents.map((content, i) =>
            message(session.id, session.userId, content, {
              role: i % 2 === 0 ? 'user' : 'assistant',
              status: i % 2 === 0 ? 'accepted' : 'delivered',
              createdAt: t0 + i,
            }),
          );
          await store.commitTurn({
            sessionId: session.id,
            expectedVersion: 1,
            state: { note: 'NUL\u0000 and 中文 survive in state' },
            now: t0 + 10,
            messages: messages.slice(0, 2),
            audit: [],
          });
          expect((await store.getSession(session.id))?.state).toEqual({
            note: 'NUL\u0000 and 中文 survive in state',
          });
          await store.commitTurn({
            sessionId: session.id,
            expectedVersion: 2,
            state: {},
            now: t0 + 20,
            messages: messages.slice(2),
            audit: [],
          });
          const listed = await store.listMessages(session.id);
          expect(listed).toEqual(messages);
          expect(listed[5]?.content.length).toBe(10_240);
          expect(await store.listMessages(session.id, { limit: 2 })).toEqual(messages.slice(-2));
          expect(await store.listMessages(session.id, { limit: 100 })).toEqual(messages);
          expect(await store.listMessages('no-such-session')).toEqual([]);
        }));

      it("keeps each session's messages apart, across users", () =>
        withStore(async (store) => {
          const s1 = await newSession(store);
          const s2 = await newSession(store);
          const m1 = message(s1.id, s1.userId, 'for session one');
          const m2 = message(s2.id, s2.userId, '给第二个会话');
          await store.commitTurn({
            sessionId: s1.id,
            expectedVersion: 1,
            state: {},
            now: t0,
            messages: [m1],
            audit: [],
          });
          await store.commitTurn({
            sessionId: s2.id,
            expectedVersion: 1,
            state: {},
            now: t0,
            messages: [m2],
            audit: [],
          });
          expect(await store.listMessages(s1.id)).toEqual([m1]);
          expect(await store.listMessages(s2.id)).toEqual([m2]);
        }));

      if (hooks.swapMessageContent) {
        const swap = hooks.swapMessageContent;
        it('DATA-1: ciphertexts swapped between rows are detected, not silently returned', () =>
          withStore(async (store) => {
            const session = await newSession(store);
            const a = message(session.id, session.userId, 'message A');
            const b = message(session.id, session.userId, 'message B');
            await store.commitTurn({
              sessionId: session.id,
              expectedVersion: 1,
              state: {},
              now: t0,
              messages: [a, b],
              audit: [],
            });
            await swap(store, a.id, b.id);
            const error = await expectCgError(store.listMessages(session.id), 'store-error');
            expect(error.message).not.toContain('message A');
          }));
      }
    });

    describe('audit chain', () => {
      it('LOG-1: appendAudit links events in order from the genesis hash', () =>
        withStore(async (store) => {
          expect(await store.verifyAudit()).toEqual({ ok: true, count: 0 });
          const first = await store.appendAudit([
            {
              type: 'session-start',
              requirement: 'DISC-1',
              at: t0,
              userId: 'u1',
              sessionId: 's1',
              data: { b: 2, a: [1, 'x'] },
            },
            { type: 'reminder-shown', requirement: 'TIME-1', at: t0 + 1 },
          ]);
          const second = await store.appendAudit([
            { type: 'exit', requirement: 'EXIT-1', at: t0 + 2, sessionId: 's1' },
          ]);
          expect(await store.appendAudit([])).toEqual([]);
          const all = [...first, ...second];
          expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
          expect(all[0]?.prevHash).toBe('0'.repeat(64));
          for (const [i, event] of all.entries()) {
            expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
            if (i > 0) expect(event.prevHash).toBe(all[i - 1]?.hash);
          }
          expect(new Set(all.map((e) => e.hash)).size).toBe(3);
          expect(first[0]).toMatchObject({ userId: 'u1', sessionId: 's1', data: { a: [1, 'x'], b: 2 } });
          expect(first[1]?.userId ?? null).toBeNull();
          expect(first[1]?.sessionId ?? null).toBeNull();
          expect(await store.listAudit()).toEqual(all);
          expect(await store.verifyAudit()).toEqual({ ok: true, count: 3 });
        }));

      it('listAudit pages with afterSeq and limit and filters by session', () =>
        withStore(async (store) => {
          const events = await store.appendAudit(
            Array.from({ length: 7 }, (_, i) => ({
              type: 'directive-shown',
              requirement: 'DISC-4',
              at: t0 + i,
              sessionId: i % 2 === 0 ? 'even' : 'odd',
            })),
          );
          expect(await store.listAudit({ afterSeq: 2, limit: 3 })).toEqual(events.slice(2, 5));
          expect(await store.listAudit({ afterSeq: 7 })).toEqual([]);
          expect((await store.listAudit({ sessionId: 'odd' })).map((e) => e.seq)).toEqual([2, 4, 6]);
          expect(
            (await store.listAudit({ sessionId: 'even', afterSeq: 1, limit: 2 })).map((e) => e.seq),
          ).toEqual([3, 5]);
        }));

      it('ASSESS-2: listAudit filters by requirement and time range for the reports', () =>
        withStore(async (store) => {
          await store.appendAudit(
            Array.from({ length: 8 }, (_, i) => ({
              type: 'directive-shown',
              requirement: i % 2 === 0 ? 'RISK-3' : 'DISC-4',
              at: t0 + i * 1000,
            })),
          );
          const seqs = async (options: Parameters<Store['listAudit']>[0]) =>
            (await store.listAudit(options)).map((e) => e.seq);
          expect(await seqs({ requirements: ['RISK-3'] })).toEqual([1, 3, 5, 7]);
          expect(await seqs({ requirements: ['RISK-3', 'DISC-4'], from: t0 + 2000, to: t0 + 5000 })).toEqual([
            3, 4, 5,
          ]);
          expect(await seqs({ requirements: ['RISK-3'], afterSeq: 3, limit: 2 })).toEqual([5, 7]);
          expect(await seqs({ requirements: [] })).toEqual([]);
        }));

      it('LOG-1: 20 parallel callers form one unforked chain, each batch contiguous', () =>
        withStore(async (store) => {
          const batches = await Promise.all(
            Array.from({ length: 20 }, (_, caller) =>
              store.appendAudit(
                Array.from({ length: 3 }, (_, k) => ({
                  type: 'directive-shown',
                  requirement: 'DISC-4',
                  at: t0 + caller,
                  data: { caller, k },
                })),
              ),
            ),
          );
          for (const batch of batches) {
            const seqs = batch.map((e) => e.seq);
            expect(seqs).toEqual([seqs[0] ?? 0, (seqs[0] ?? 0) + 1, (seqs[0] ?? 0) + 2]);
          }
          const all = await store.listAudit({ limit: 1000 });
          expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
          for (let i = 1; i < all.length; i++) expect(all[i]?.prevHash).toBe(all[i - 1]?.hash);
          expect(new Set(all.map((e) => e.prevHash)).size).toBe(60);
          expect(await store.verifyAudit()).toEqual({ ok: true, count: 60 });
        }));

      it('LOG-1: sessions created and turns committed in parallel share one valid chain', () =>
        withStore(async (store) => {
          const user = await store.ensureUser('u-parallel', t0);
          await Promise.all(
            Array.from({ length: 10 }, async (_, i) => {
              const s = await newSession(store, {
                userId: user.id,
                audit: [{ type: 'session-start', requirement: 'DISC-1', at: t0, userId: user.id }],
              });
              await store.commitTurn({
                sessionId: s.id,
                expectedVersion: 1,
                state: { i },
                now: t0 + 1,
                messages: [message(s.id, user.id, `parallel ${i}`)],
                audit: [{ type: 'label-applied', requirement: 'DISC-4', at: t0 + 1, sessionId: s.id }],
              });
              await store.appendAudit([{ type: 'reminder-shown', requirement: 'TIME-1', at: t0 + 2 }]);
            }),
          );
          expect(await store.verifyAudit()).toEqual({ ok: true, count: 30 });
        }));

      if (hooks.tamperAuditEvent) {
        const tamper = hooks.tamperAuditEvent;
        it('LOG-1: verifyAudit detects an altered event and names it', () =>
          withStore(async (store) => {
            await store.appendAudit(
              Array.from({ length: 5 }, (_, i) => ({
                type: 'directive-shown',
                requirement: 'DISC-4',
                at: t0 + i,
                data: { i },
              })),
            );
            expect(await store.verifyAudit()).toEqual({ ok: true, count: 5 });
            await tamper(store, 3);
            const result = await store.verifyAudit();
            expect(result.ok).toBe(false);
            expect(result.brokenAt).toBe(3);
          }));
      }

      it('LOG-1: verifyAudit walks a long chain (12 000 events) and finds a change deep inside it', () =>
        withStore(async (store) => {
          for (let batch = 0; batch < 12; batch++) {
            await store.appendAudit(
              Array.from({ length: 1000 }, (_, i) => ({
                type: 'directive-shown',
                requirement: 'DISC-4',
                at: t0 + batch * 1000 + i,
                sessionId: `s-${batch}`,
                data: { i },
              })),
            );
          }
          expect(await store.verifyAudit()).toEqual({ ok: true, count: 12_000 });
          if (hooks.tamperAuditEvent) {
            await hooks.tamperAuditEvent(store, 10_500);
            expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: 10_500 });
          }
        }));

      if (hooks.deleteAuditEvent) {
        const remove = hooks.deleteAuditEvent;
        it('LOG-1: verifyAudit detects a deleted event, in the middle or at the end of the chain', () =>
          withStore(async (store) => {
            await store.appendAudit(
              Array.from({ length: 6 }, (_, i) => ({ type: 'exit', requirement: 'EXIT-1', at: t0 + i })),
            );
            await remove(store, 6);
            expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: 6 });
            await remove(store, 2);
            expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: 3 });
          }));
      }
    });

    describe('API keys', () => {
      it('creates, finds by hash, lists, and revokes once', () =>
        withStore(async (store) => {
          const a = {
            id: newId('k'),
            label: 'app server',
            hash: 'a'.repeat(64),
            createdAt: t0,
            revokedAt: null,
          };
          const b = {
            id: newId('k'),
            label: '控制台',
            hash: 'b'.repeat(64),
            createdAt: t0 + 1,
            revokedAt: null,
          };
          expect(await store.listApiKeys()).toEqual([]);
          await store.createApiKey(b);
          await store.createApiKey(a);
          expect(await store.listApiKeys()).toEqual([a, b]);
          expect(await store.findApiKeyByHash(b.hash)).toEqual(b);
          expect(await store.findApiKeyByHash('c'.repeat(64))).toBeUndefined();
          await store.revokeApiKey(a.id, t0 + 100);
          await store.revokeApiKey(a.id, t0 + 200);
          expect(await store.findApiKeyByHash(a.hash)).toEqual({ ...a, revokedAt: t0 + 100 });
          expect((await store.listApiKeys()).map((k) => k.revokedAt)).toEqual([t0 + 100, null]);
          await expectCgError(store.revokeApiKey('no-such-key', t0), 'not-found');
        }));

      it('refuses a second key with the same hash', () =>
        withStore(async (store) => {
          const key = { id: newId('k'), label: 'one', hash: 'd'.repeat(64), createdAt: t0, revokedAt: null };
          await store.createApiKey(key);
          await expectCgError(store.createApiKey({ ...key, id: newId('k') }), 'store-error');
          expect(await store.listApiKeys()).toEqual([key]);
        }));
    });

    describeStaffConformance({ withStore, expectCgError, newId });
    describeIncidentConformance({ withStore, expectCgError, newId });

    describe('lifecycle', () => {
      it('ping answers while open; calls after close fail as store-error', async () => {
        const store = await makeStore();
        await store.ping();
        await store.close();
        await expectCgError(store.ping(), 'store-error');
        await store.close();
      });
    });

    describeProfileConformance(withStore);
    describeNotificationConformance({ withStore, newId });
    describeMinorConformance({ withStore, expectCgError, newId });
    describeAppealConformance({ withStore, expectCgError, newId });
    describeEmotionalStateConformance({ withStore, expectCgError, newId });
    describeComplaintConformance({ withStore, expectCgError, newId });
    describeGuardianConformance({ withStore, expectCgError, newId });
    describeDataRightsConformance({ withStore, newId });
    describeControlConformance({ withStore, expectCgError, newId });
    describeStatsConformance({ withStore, expectCgError, newId });
  });
}
