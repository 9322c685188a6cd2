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
async function sqliteContext(sqlite: SqliteHandle = {}): Promise<SqlContext> {
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

describe('SqlContext.transaction on SQLite (group commit)', () => {
  /** The context, and the statements its connection runs from now on. */
  async function watched() {
    const handle: SqliteHandle = {};
    const ctx = await sqliteContext(handle);
    const direct = handle.current;
    if (!direct) throw new Error('the connection is open by now');
    const seen: string[] = [];
    const prepare = direct.prepare.bind(direct);
    direct.prepare = (sql: string) => {
      seen.push(sql);
      return prepare(sql);
    };
    const control = () => seen.filter((s) => /^(begin|commit|rollback|savepoint|release)/.test(s));
    return { ctx, control };
  }
  const bump = (ctx: SqlContext, k: number) => (trx: Kysely<Database>) =>
    ctx.execute(trx, raw(`update t set some_value = some_value * 10 + ${k}`)).then(() => k);

  it('transactions asked for together commit as one, in order, each resolving with its own result', async () => {
    const { ctx, control } = await watched();
    const results = await Promise.all([1, 2, 3].map((k) => ctx.transaction(bump(ctx, k))));
    expect(results).toEqual([1, 2, 3]);
    expect(await read(ctx)).toEqual({ someValue: 1123 });
    expect(control()).toEqual([
      'begin immediate',
      ...Array.from({ length: 3 }, () => ['savepoint cg_grouped', 'release cg_grouped']).flat(),
      'commit',
    ]);
    // One alone runs as before: no savepoint.
    await ctx.transaction(bump(ctx, 4));
    expect(control().slice(-2)).toEqual(['begin immediate', 'commit']);
  });

  it('one that fails is rolled back alone and rejects; the others of its group commit', async () => {
    const { ctx } = await watched();
    const outcomes = await Promise.allSettled([
      ctx.transaction(bump(ctx, 1)),
      ctx.transaction(async (trx) => {
        await bump(ctx, 2)(trx);
        throw new Error('turn refused');
      }),
      ctx.transaction(bump(ctx, 3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('turn refused'));
    expect(await read(ctx)).toEqual({ someValue: 113 });
  });

  it('when SQLite ends the whole transaction, those run so far fail with its error; the rest commit after', async () => {
    const { ctx, control } = await watched();
    const outcomes = await Promise.allSettled([
      ctx.transaction(bump(ctx, 1)),
      ctx.transaction(async (trx) => {
        await bump(ctx, 2)(trx);
        // As SQLite does on a full disk or an I/O error: the transaction is gone.
        await ctx.execute(trx, raw('rollback'));
        throw new Error('disk full');
      }),
      ctx.transaction(bump(ctx, 3)),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      'disk full',
      'disk full',
      3,
    ]);
    expect(await read(ctx)).toEqual({ someValue: 13 });
    expect(control().slice(-2)).toEqual(['begin immediate', 'commit']);
  });

  it('one asked for just before the store closes is committed before the connection goes (flush)', async () => {
    const { ctx } = await watched();
    const asked = ctx.transaction(bump(ctx, 7));
    await ctx.flush();
    expect(await read(ctx)).toEqual({ someValue: 17 });
    await ctx.db.destroy();
    expect(await asked).toBe(7);
  });

  it('a commit that fails fails its whole group, and nothing of it is written', async () => {
    const { ctx } = await watched();
    await ctx.execute(ctx.db, raw('create table p (id integer primary key)'));
    await ctx.execute(
      ctx.db,
      raw(
        'create table c (id integer primary key, p_id integer references p (id) deferrable initially deferred)',
      ),
    );
    const outcomes = await Promise.allSettled([
      ctx.transaction(bump(ctx, 1)),
      // Checked only at the commit.
      ctx.transaction((trx) => ctx.execute(trx, raw('insert into c (p_id) values (42)'))),
      ctx.transaction(bump(ctx, 3)),
    ]);
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as { code?: string }).code)).toEqual([
      'SQLITE_CONSTRAINT_FOREIGNKEY',
      'SQLITE_CONSTRAINT_FOREIGNKEY',
      'SQLITE_CONSTRAINT_FOREIGNKEY',
    ]);
    expect(await read(ctx)).toEqual({ someValue: 1 });
    expect((await ctx.execute(ctx.db, raw('select count(*) as n from c'))).rows[0]).toEqual({ n: 0 });
  });
});
