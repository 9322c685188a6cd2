/**
 * Issue #12, the per-turn budget: the SQLite statements one chat turn of a returning user runs (caches warm),
 * in order. Two reads, the user's message committed in one transaction BEFORE the model is called, the reply
 * committed in one transaction after. A statement added to the hot path fails this test on purpose: say why in
 * docs/bench.md and change the list.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import { openSqlite } from '../../src/storage/sql/sql-dialect.js';
import type { ChatUpstream } from '../../src/upstream/upstream.js';

// better-sqlite3's statements share one prototype: every run, all, get and iterate in this process is noted.
const statement = Object.getPrototypeOf(openSqlite(':memory:').prepare('select 1')) as Record<
  string,
  (...args: unknown[]) => unknown
>;
const seen: string[] = [];
for (const method of ['run', 'all', 'get', 'iterate']) {
  const original = statement[method] as (...args: unknown[]) => unknown;
  statement[method] = function (this: { source: string }, ...args: unknown[]) {
    seen.push(this.source);
    return original.apply(this, args);
  };
}

/** A short name for each statement of the hot path; anything else shows as its SQL. */
const shapes: [RegExp, string][] = [
  [/^select \* from "incidents" where "active_user_id"/, 'read incident'],
  [/^select \* from "sessions" where "user_id" = \? order by/, 'read session'],
  [/^begin immediate$/, 'begin'],
  [/^update "sessions" set "state"/, 'update session'],
  [/^insert into "messages"/, 'insert message'],
  [/^insert into "stats_counters"/, 'count stats'],
  [/^commit$/, 'commit'],
];
const shape = (sql: string) => shapes.find(([pattern]) => pattern.test(sql))?.[1] ?? sql;

it('a returning user’s turn: two reads, the message committed before the model call, the reply committed after', async () => {
  let atModelCall: string[] = [];
  const upstream: ChatUpstream = {
    name: 'stub',
    async *stream() {
      atModelCall = seen.map(shape);
      yield 'Sounds good. ';
      yield 'Tell me more?';
    },
  };
  // Caches expire by `Date.now()` (keys 2 s, users 5 s): stopped here, so a slow machine reads none again.
  vi.useFakeTimers({ toFake: ['Date'] });
  const dataDir = await mkdtemp(join(tmpdir(), 'cg-statements-'));
  // No periodic job may run in between (the notifier polls every second by default; the others every 15 s or more).
  const configFile = join(dataDir, 'config.json');
  await writeFile(configFile, JSON.stringify({ notify: { pollMs: 60_000 } }));
  const gateway = await startServer({
    port: 0,
    dataDir,
    configFile,
    env: {},
    logger: silentLogger,
    upstream,
  });
  const turn = (stream: boolean) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'stub',
        user: 'u1',
        stream,
        messages: [{ role: 'user', content: 'Hi there' }],
      }),
    }).then((r) => r.text());
  try {
    for (let i = 0; i < 3; i++) await turn(false); // the session exists, the caches are warm
    for (const stream of [false, true]) {
      seen.length = 0;
      await turn(stream);
      const before = ['read incident', 'read session', 'begin', 'update session', 'insert message', 'commit'];
      expect(atModelCall, `${stream ? 'streamed' : 'non-streamed'}, at the model call`).toEqual(before);
      expect(seen.map(shape), `${stream ? 'streamed' : 'non-streamed'}, the whole turn`).toEqual([
        ...before,
        ...['begin', 'update session', 'insert message', 'count stats', 'commit'],
      ]);
    }
  } finally {
    await gateway.close();
    await rm(dataDir, { recursive: true, force: true });
    vi.useRealTimers();
  }
});
