import { randomBytes } from 'node:crypto';
import { CamelCasePlugin, CompiledQuery, Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from './schema.js';
import { SqlContext } from './sql-context.js';
import { createSqlDialect, type SqliteHandle } from './sql-dialect.js';

const raw = (text: string) => CompiledQuery.raw(text) as CompiledQuery<Record<string, unknown>>;

let open: Kysely<Database> | undefined;
afterEach(async () => {
  await open?.destroy();
  open = undefined;
});

/** A context over an in-memory SQLite with one row `t.some_value = 1`. */
async function sqliteContext(): Promise<SqlContext> {
  const sqlite: SqliteHandle = {};
  const db = new Kysely<Database>({
    dialect: createSqlDialect({ dialect: 'sqlite', filename: ':memory:' }, {}, sqlite),
    plugins: [new CamelCasePlugin()],
  });
  open = db;
  await db.executeQuery(raw('create table t (id integer primary key, some_value integer)'));
  await db.executeQuery(raw('insert into t values (1, 1)'));
  return new SqlContext({
    db,
    dialect: 'sqlite',
    sqlite,
    masterKey: randomBytes(32),
    indexKeys: { guardian: randomBytes(32), notifyTarget: randomBytes(32) },
  });
}

const read = async (ctx: SqlContext) =>
  (await ctx.execute(ctx.db, raw('select some_value from t where id = 1'))).rows[0];

describe('SqlContext.execute on SQLite (statements run on the connection directly)', () => {
  it('gives rows camelCased as the CamelCasePlugin does, and the counts of a write', async () => {
    const ctx = await sqliteContext();
    expect(await read(ctx)).toEqual({ someValue: 1 });
    const written = await ctx.execute(ctx.db, raw('update t set some_value = 2'));
    expect(written.numAffectedRows).toBe(1n);
    expect(await read(ctx)).toEqual({ someValue: 2 });
  });

  it("never reads another caller's uncommitted change: a read waits for the open transaction to end", async () => {
    const ctx = await sqliteContext();
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written = () => undefined as void;
    const changed = new Promise<void>((resolve) => {
      written = resolve;
    });
    const rolledBack = ctx
      .transaction(async (trx) => {
        await ctx.execute(trx, raw('update t set some_value = 99'));
        written();
        await gate; // the transaction stays open across an await, holding the connection
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    await changed;
    // Run on the shared connection straight away, this read would see 99, which is never committed.
    const seen = read(ctx);
    release();
    expect(await rolledBack).toBe('roll back');
    expect(await seen).toEqual({ someValue: 1 });
  });

  it('a failing statement inside a transaction rolls the whole transaction back', async () => {
    const ctx = await sqliteContext();
    const failed = await ctx
      .transaction(async (trx) => {
        await ctx.execute(trx, raw('update t set some_value = 5'));
        await ctx.execute(trx, raw('insert into t values (1, 1)')); // duplicate key
      })
      .catch((e: { code?: string }) => e.code);
    expect(failed).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(await read(ctx)).toEqual({ someValue: 1 });
  });
});
