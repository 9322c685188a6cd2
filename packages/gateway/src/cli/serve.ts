import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Clock, Notifier, Store } from '@companion-guard/core';
import { serve } from '@hono/node-server';
import { type ConfigOverrides, type GatewayConfig, loadConfig } from '../config.js';
import { createDetection } from '../detection.js';
import { createLiveEvents } from '../events/create-live-events.js';
import { createGuards } from '../guards/index.js';
import { createLogger, type Logger } from '../logger.js';
import {
  createLogSmsSender,
  createNotifier,
  createSmtpEmailSender,
  type NotifierOptions,
} from '../notify/index.js';
import { createApp } from '../server/app.js';
import { createAuthenticator } from '../server/auth/authenticator.js';
import { createStaffAuth } from '../server/auth/staff-auth.js';
import { createChatService } from '../server/chat/chat-service.js';
import { createIncidentService } from '../server/incidents/incident-service.js';
import { createIncidentSweeper, type IncidentSweeper } from '../server/incidents/incident-sweeper.js';
import { createStore, loadOrCreateMasterKey } from '../storage/index.js';
import { loadOrCreateSigningKey } from '../storage/signing-key.js';
import { createDemoModel } from '../upstream/demo-model.js';
import { createOpenAIUpstream } from '../upstream/openai-upstream.js';
import type { ChatUpstream } from '../upstream/upstream.js';

export interface StartServerOptions extends ConfigOverrides {
  /** Environment to read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Injected for tests: a fake clock and a fake upstream. */
  readonly clock?: Clock;
  readonly upstream?: ChatUpstream;
  /** Notifications to contacts and on-call operators; default none (logged only). */
  readonly notifier?: Notifier;
  /** How often the incident timers (escalation, cooldown) run; default 15 s. */
  readonly sweepIntervalMs?: number;
  readonly logger?: Logger;
  /** Injected for tests: called when a contact alert was first accepted by a channel. */
  readonly onContactNotified?: NotifierOptions['onContactNotified'];
  /** An already resolved configuration (the CLI's); otherwise it is loaded from the options and `env`. */
  readonly config?: GatewayConfig;
}

export interface RunningServer {
  readonly url: string;
  readonly config: GatewayConfig;
  readonly store: Store;
  /** The incident timers (tests run them on a fake clock). */
  readonly sweeper: IncidentSweeper;
  /** Incident notifications; its delivery loop runs while the server does. */
  readonly notifier: Notifier;
  close(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

export { hashApiKey } from '../server/auth/api-keys.js';

/** Opens the configured store with the master key (created on first start). */
export async function openStore(config: GatewayConfig, logger?: Logger): Promise<Store> {
  await mkdir(config.dataDir, { recursive: true });
  const master = await loadOrCreateMasterKey({ dataDir: config.dataDir, env: config.env });
  if (master.source === 'created') logger?.info('created a new master key', { path: master.path });
  for (const warning of master.warnings) logger?.warn(warning);
  return createStore({
    url: config.databaseUrl,
    masterKey: master.key,
    sqliteSynchronous: config.sqliteSynchronous,
  });
}

/** The console build beside the gateway package (`packages/console/dist`), if built. */
function consoleDir(): string | null {
  const dir = fileURLToPath(new URL('../../../console/dist/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : null;
}

/**
 * The composition root: loads config, opens the store, builds detectors, upstream and app, and listens.
 * With no API keys the server binds to loopback only.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = options.config ?? (await loadConfig(options, options.env ?? process.env));
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const store = await openStore(config, logger);
  for (const character of config.characters) await store.upsertCharacter(character);
  let host = config.host;
  const hasKeys = (await store.listApiKeys()).some((k) => k.revokedAt === null);
  if (!hasKeys && !loopback.has(host)) {
    logger.warn('no API keys configured: listening on loopback only', { requestedHost: host });
    host = '127.0.0.1';
  }
  // Config characters that left the configuration stay in the store (history refers to them) but are
  // disabled; characters managed in the console are not the config file's to remove.
  const configured = new Set(config.characters.map((c) => c.id));
  for (const c of await store.listCharacters()) {
    if (c.managedBy === 'config' && !configured.has(c.id) && c.enabled) {
      await store.upsertCharacter({ ...c, enabled: false });
    }
  }
  const upstream =
    options.upstream ??
    (config.upstream.kind === 'demo'
      ? createDemoModel({ paceMs: config.upstream.paceMs })
      : createOpenAIUpstream(config.upstream));
  const clock = options.clock ?? { now: () => Date.now() };
  const staff = createStaffAuth({ store, clock, settings: config.staff });
  const loopbackOnly = loopback.has(host);
  const auth = createAuthenticator({ store, staff, loopbackOnly });
  let boundPort = config.port;
  const { events, backend: eventsBackend } = await createLiveEvents(config, logger);
  // RISK-5: the first accepted alert to a contact is the incident's contact time (once across instances).
  const delivery = startNotifier(config, store, clock, logger, async (incidentId, at) => {
    await incidents.contactNotified(incidentId, at);
    await options.onContactNotified?.(incidentId, at);
  });
  const notifier = options.notifier ?? delivery.notifier;
  const incidents = createIncidentService({
    store,
    events,
    notifier,
    clock,
    profile: config.profile,
    logger,
    staffLiveness: {
      idleMs: config.staff.sessionIdleMinutes * 60_000,
      maxMs: config.staff.sessionMaxHours * 3_600_000,
    },
  });
  const chat = createChatService({
    incidents,
    store,
    profile: config.profile,
    clock,
    upstream,
    detection: createDetection(config.profile, {
      lexicons: config.lexicons,
      guards: createGuards(config.secondOpinions.guards),
      guardTimeoutMs: config.secondOpinions.timeoutMs,
      alwaysAsk: config.secondOpinions.alwaysAsk,
    }),
    logger,
    defaultCharacterId: config.defaultCharacterId,
    events,
  });
  // Data rights (DATA-4): deletion receipts are signed by the key kept apart from the database.
  const signingKey = await loadOrCreateSigningKey({ dataDir: config.dataDir, env: config.env });
  if (signingKey.source === 'created') logger.info('created a new signing key', { path: signingKey.path });
  const app = createApp({
    signingKey,
    store,
    events,
    incidents,
    notifier,
    clock,
    profile: config.profile,
    chat,
    auth,
    staff,
    hosts: { loopback: loopbackOnly, port: () => boundPort, allowedHosts: config.allowedHosts },
    logger,
    maxBodyBytes: config.maxBodyBytes,
    defaultCharacterId: config.defaultCharacterId,
    consoleDir: consoleDir(),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  boundPort = address.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  logger.info('companion-guard listening', {
    url,
    profile: config.profile.id,
    upstream: upstream.name,
    events: eventsBackend,
    auth: (await auth.keylessApp()) ? 'none (loopback only)' : 'api-keys',
  });
  const sweeper = createIncidentSweeper({
    store,
    clock,
    profile: config.profile,
    notifier,
    incidents,
    logger,
  });
  // Escalation and cooldown are compare-and-set in the store: every instance may sweep, each step happens once.
  const sweep = setInterval(() => {
    const now = clock.now();
    void sweeper.runDue(now).catch(() => undefined);
  }, options.sweepIntervalMs ?? 15_000);
  sweep.unref();
  return {
    url,
    config,
    store,
    sweeper,
    notifier,
    async close() {
      clearInterval(sweep);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await delivery.stop();
      await events.close();
      await store.close();
    },
  };
}

/**
 * Builds the notifier from `notify:` and starts its delivery loop: an unref'd interval that never overlaps
 * itself. Every instance runs one; claims in the store make each attempt happen once across instances.
 */
function startNotifier(
  config: GatewayConfig,
  store: Store,
  clock: Clock,
  logger: Logger,
  onContactNotified: NotifierOptions['onContactNotified'],
): { notifier: Notifier; stop(): Promise<void> } {
  const { notify } = config;
  const email = notify.smtp ? createSmtpEmailSender(notify.smtp) : undefined;
  const notifier = createNotifier({
    store: store.notifications,
    clock,
    webhooks: notify.webhooks,
    email,
    sms: notify.sms ? createLogSmsSender(logger) : undefined,
    onCall: notify.onCall,
    retry: notify.retry,
    hotlines: config.profile.crisis.hotlines,
    onContactNotified,
    logger,
  });
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = notifier
      .deliverDue(clock.now())
      .then(() => undefined)
      .catch((error: unknown) => logger.error('notification delivery failed', { error: String(error) }))
      .finally(() => {
        running = null;
      });
  }, notify.pollMs);
  timer.unref();
  return {
    notifier,
    async stop() {
      clearInterval(timer);
      await running;
      email?.close();
    },
  };
}
