/**
 * The SQLite statements one chat turn runs, in order, after a few warm-up turns of the same user (caches
 * warm): `npx tsx bench/turn-statements.ts`. Shows what the hot path costs in store work: the reads before
 * the turn's commit, the commit before the model call, and the one after the reply.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../packages/gateway/src/cli/serve.js';
import { silentLogger } from '../packages/gateway/src/logger.js';
import { openSqlite } from '../packages/gateway/src/storage/sql/sql-dialect.js';
import type { ChatUpstream } from '../packages/gateway/src/upstream/upstream.js';

// better-sqlite3's statements share one prototype: every run, all, get and iterate is noted.
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

const upstream: ChatUpstream = {
  name: 'stub',
  async *stream() {
    yield 'Sounds good. ';
    yield 'Tell me more?';
  },
};
const dataDir = await mkdtemp(join(tmpdir(), 'cg-statements-'));
const gateway = await startServer({ port: 0, dataDir, env: {}, logger: silentLogger, upstream });
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
  for (let i = 0; i < 3; i++) await turn(false);
  for (const stream of [false, true]) {
    seen.length = 0;
    await turn(stream);
    const transactions = seen.filter((s) => s === 'begin immediate').length;
    process.stdout.write(
      `${stream ? 'streamed' : 'non-streamed'} turn: ${seen.length} statements, ${transactions} transactions\n`,
    );
    for (const sql of seen) process.stdout.write(`  ${sql.length > 110 ? `${sql.slice(0, 107)}...` : sql}\n`);
  }
} finally {
  await gateway.close();
  await rm(dataDir, { recursive: true, force: true });
}
