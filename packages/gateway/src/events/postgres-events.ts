import { createHash } from 'node:crypto';
import type { LiveEvents } from '@companion-guard/core';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { ChannelListeners, encodeEvent, sharedLinger } from './channel-listeners.js';

export interface PostgresEventsOptions {
  /** The store's `postgres://…` URL (its `search_path` option names the schema). */
  readonly url: string;
  readonly logger: Logger;
  /** Reconnect backoff: first and longest delay in ms (default 200 and 5000). */
  readonly retryMs?: { readonly first: number; readonly max: number };
  /** The connection's `application_name` (default `companion-guard-events`). */
  readonly name?: string;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Live events over PostgreSQL `LISTEN/NOTIFY`: one dedicated connection per instance carries both (so one
 * instance's events keep their order). Channel names are hashed with the schema into valid identifiers, so
 * deployments in other schemas of the same database never hear each other. When the connection drops the
 * backend logs it, delivers its own events locally meanwhile, reconnects with backoff and listens again.
 */
export async function createPostgresEvents(options: PostgresEventsOptions): Promise<LiveEvents> {
  const { logger } = options;
  const retry = options.retryMs ?? { first: 200, max: 5000 };
  const listeners = new ChannelListeners(logger, sharedLinger);
  /** Hashed PostgreSQL channel name → channel. */
  const names = new Map<string, string>();
  let namespace = '';
  let client: pg.Client | null = null;
  let reconnecting: Promise<pg.Client> | null = null;
  let closed = false;
  /** Queries run one at a time, in the order asked (NOTIFY order is the publishers' order). */
  let tail: Promise<unknown> = Promise.resolve();
  const query = (c: pg.Client, text: string, values?: unknown[]) => {
    const run = tail.then(() => c.query(text, values));
    tail = run.catch(() => undefined);
    return run;
  };

  const pgName = (channel: string) =>
    `cg_${createHash('sha256').update(`${namespace}\n${channel}`).digest('hex').slice(0, 40)}`;

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({
      connectionString: options.url,
      application_name: options.name ?? 'companion-guard-events',
    });
    c.on('error', (e) => lost(c, e));
    c.on('end', () => lost(c));
    c.on('notification', (n) => {
      const channel = names.get(n.channel);
      if (channel === undefined || n.payload === undefined) return;
      try {
        listeners.dispatch(channel, JSON.parse(n.payload));
      } catch {
        logger.warn('live events: unreadable notification dropped', { backend: 'postgres' });
      }
    });
    try {
      await c.connect();
      if (!namespace) {
        const r = await c.query<{ ns: string }>("select current_database() || '.' || current_schema() as ns");
        namespace = r.rows[0]?.ns ?? '';
      }
      for (const name of names.keys()) await query(c, `listen "${name}"`);
    } catch (e) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
      throw e;
    }
    return c;
  }

  function lost(c: pg.Client, e?: Error): void {
    if (c !== client || closed) return;
    client = null;
    logger.error('live events: PostgreSQL connection lost; events stay on this instance until it is back', {
      backend: 'postgres',
      error: e?.message,
    });
    void c.end().catch(() => undefined);
    void connection().catch(() => undefined);
  }

  /** The live connection, or the reconnection in progress (retried with backoff until it succeeds). */
  function connection(): Promise<pg.Client> {
    if (client) return Promise.resolve(client);
    reconnecting ??= (async () => {
      let delay = retry.first;
      for (;;) {
        await wait(delay);
        if (closed) throw new Error('live events closed');
        try {
          const c = await connect();
          if (closed) {
            await c.end().catch(() => undefined);
            throw new Error('live events closed');
          }
          client = c;
          logger.info('live events: PostgreSQL connection restored', { backend: 'postgres' });
          return client;
        } catch (e) {
          if (closed) throw e;
          logger.warn('live events: PostgreSQL reconnect failed', {
            backend: 'postgres',
            error: (e as Error).message,
            retryMs: delay,
          });
          delay = Math.min(delay * 2, retry.max);
        }
      }
    })().finally(() => {
      reconnecting = null;
    });
    return reconnecting;
  }

  /** LISTENs on `name`; when the connection is down, the reconnection listens to every channel. */
  async function listen(name: string): Promise<void> {
    try {
      await query(await connection(), `listen "${name}"`);
    } catch {
      if (!closed) await connection().catch(() => undefined);
    }
  }

  client = await connect();
  return {
    async publish(channel, event) {
      const payload = encodeEvent(event);
      const c = client;
      if (c) {
        try {
          await query(c, 'select pg_notify($1, $2)', [pgName(channel), payload]);
          return;
        } catch (e) {
          if (closed) return;
          logger.error('live events: NOTIFY failed', { backend: 'postgres', error: (e as Error).message });
        }
      }
      if (closed) return;
      logger.warn('live events: delivered on this instance only (PostgreSQL is unreachable)', {
        backend: 'postgres',
      });
      listeners.dispatch(channel, JSON.parse(payload));
    },
    subscribe(channel, listener) {
      const name = pgName(channel);
      return listeners.subscribe(
        channel,
        listener,
        () => {
          names.set(name, channel);
          return listen(name);
        },
        () => {
          names.delete(name);
          if (client) query(client, `unlisten "${name}"`).catch(() => undefined);
        },
      );
    },
    async close() {
      closed = true;
      listeners.clear();
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
