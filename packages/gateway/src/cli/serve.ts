import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Clock, GuardianAddress, LiveEvents, Notifier, Store } from '@companion-guard/core';
import { serve } from '@hono/node-server';
import { type AuditCheckpointer, createAuditCheckpointer } from '../audit/audit-checkpointer.js';
import { createAuditTrailView } from '../audit/audit-trail-verifier.js';
import { createRetentionPurger } from '../audit/retention-purger.js';
import { type ConfigOverrides, type GatewayConfig, loadConfig } from '../config.js';
import { createDetection } from '../detection.js';
import { createLiveEvents } from '../events/create-live-events.js';
import { createGuards } from '../guards/index.js';
import { createLogger, type Logger } from '../logger.js';
import { createMetrics, type Metrics } from '../metrics.js';
import {
  createLogSmsSender,
  createNotifier,
  createSmtpEmailSender,
  type EmailSender,
  type NotifierOptions,
  type SmsSender,
} from '../notify/index.js';
import { deploymentFacts } from '../reports/assessment-report.js';
import { createApp } from '../server/app.js';
import { createAuthenticator } from '../server/auth/authenticator.js';
import { createGuardianAuth, type GuardianMessenger } from '../server/auth/guardian-auth.js';
import { createStaffAuth } from '../server/auth/staff-auth.js';
import { type ChatService, createChatService } from '../server/chat/chat-service.js';
import { createServiceControls, type ServiceControls } from '../server/controls/service-controls.js';
import { createGuardianConsent, type GuardianConsentService } from '../server/guardians/guardian-consent.js';
import type { GuardianMessage } from '../server/guardians/guardian-texts.js';
import { createIncidentService, type IncidentService } from '../server/incidents/incident-service.js';
import { createIncidentSweeper, type IncidentSweeper } from '../server/incidents/incident-sweeper.js';
import {
  createMemoryLimitCounter,
  createRateLimits,
  type LimitCounter,
  withFallbackCounter,
} from '../server/limits/rate-limits.js';
import { createStatsService, type StatsService } from '../server/stats/stats-service.js';
import {
  createStore,
  loadOrCreateMasterKey,
  type MasterKey,
  parseStoreUrl,
  type SqlStore,
} from '../storage/index.js';
import { ensurePrivateDir } from '../storage/private-files.js';
import { createRedisLimitCounter } from '../storage/redis-limit-counter.js';
import { loadOrCreateSigningKey, type SigningKey } from '../storage/signing-key.js';
import { sqlitePrivateFiles } from '../storage/sql/sql-dialect.js';
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
  /** ASSESS-1: how often the assessment thresholds are checked. Default one minute. */
  readonly statsIntervalMs?: number;
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
  /** LOG-1: the audit checkpoints and the retention purge (tests run them on a fake clock). */
  readonly auditTrail: AuditTrailJobs;
  /** NOTICE-1, ASSESS-3: this instance's snapshot of notices and switches. */
  readonly controls: ServiceControls;
  /** ASSESS-1/2: figures and triggers (its threshold check runs every minute; tests call it). */
  readonly stats: StatsService;
  close(): Promise<void>;
}

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);

export { hashApiKey } from '../server/auth/api-keys.js';

/**
 * Opens the configured store with the master key (created on first start) and, during a rotation, the
 * previous one (DATA-1). The data directory is made private (0700, its SQLite files 0600; LOG-1).
 */
export async function openStore(config: GatewayConfig, logger?: Logger): Promise<SqlStore> {
  const warnings = ensurePrivateDir(config.dataDir);
  const location = parseStoreUrl(config.databaseUrl);
  if (location.dialect === 'sqlite' && location.filename !== ':memory:') {
    warnings.push(...sqlitePrivateFiles(location.filename));
  }
  const keyOptions = { dataDir: config.dataDir, env: config.env };
  const master = await loadOrCreateMasterKey(keyOptions);
  if (master.source === 'created') logger?.info('created a new master key', { path: master.path });
  for (const warning of [...warnings, ...master.warnings]) logger?.warn(warning);
  const ring = (m: MasterKey) => ({ current: m.key, previous: m.previous ? [m.previous] : [] });
  return createStore({
    url: config.databaseUrl,
    masterKey: master.key,
    previousMasterKeys: ring(master).previous,
    reloadMasterKeys: async () => ring(await loadOrCreateMasterKey(keyOptions)),
    sqliteSynchronous: config.sqliteSynchronous,
    timeZone: config.profile.session.defaultTimeZone,
  });
}

/** The console build beside the gateway package (`packages/console/dist`), if built. */
function consoleDir(): string | null {
  const dir = fileURLToPath(new URL('../../../console/dist/', import.meta.url));
  return existsSync(`${dir}index.html`) ? dir : null;
}

/** What `composeRuntime` takes besides the configuration. */
export interface RuntimeOptions {
  /** Injected for tests: a fake clock and a fake upstream. */
  readonly clock?: Clock | undefined;
  readonly upstream?: ChatUpstream | undefined;
  /** Notifications to contacts and on-call operators; default the one built from `notify:`. */
  readonly notifier?: Notifier | undefined;
  /** How often the incident timers (escalation, cooldown) run; default 15 s. */
  readonly sweepIntervalMs?: number | undefined;
  /** ASSESS-1: how often the assessment thresholds are checked. Default one minute. */
  readonly statsIntervalMs?: number | undefined;
  readonly onContactNotified?: NotifierOptions['onContactNotified'] | undefined;
  /** The base URL guardian consent links point at (MINOR-2); null: no consent requests are sent. */
  readonly linkBase: (() => string) | null;
}

/**
 * The chat runtime both the HTTP server and the in-process API (`in-process/`) run: the store, live
 * events, notifications, incidents, guardian consent, the chat service, the incident sweeper and the audit
 * trail jobs — one composition, so both deliver the same decisions.
 */
export interface Runtime {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly store: SqlStore;
  readonly clock: Clock;
  readonly upstream: ChatUpstream;
  readonly events: LiveEvents;
  readonly eventsBackend: string;
  readonly notifier: Notifier;
  readonly guardianMessenger: GuardianMessenger | null;
  readonly incidents: IncidentService;
  readonly guardianConsent: GuardianConsentService | undefined;
  readonly chat: ChatService;
  /** NOTICE-1, ASSESS-3: service notices and switches (the chat service shares them). */
  readonly controls: ServiceControls;
  /** ASSESS-1/2: figures and triggers (its threshold check runs every minute; tests call it). */
  readonly stats: StatsService;
  /** Prometheus metrics (`GET /metrics`); the detectors and the notifier count into it. */
  readonly metrics: Metrics;
  readonly signingKey: SigningKey;
  /** The incident timers (tests run them on a fake clock). */
  readonly sweeper: IncidentSweeper;
  /** LOG-1: the audit checkpoints and the retention purge (tests run them on a fake clock). */
  readonly auditTrail: AuditTrailJobs;
  /** Stops the timers (signing a last checkpoint), the delivery loop and the events, and closes the store. */
  close(): Promise<void>;
}

/** Composes the runtime from a resolved configuration and starts its timers. */
export async function composeRuntime(
  config: GatewayConfig,
  logger: Logger,
  options: RuntimeOptions,
): Promise<Runtime> {
  const store = await openStore(config, logger);
  for (const character of config.characters) await store.upsertCharacter(character);
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
  // RISK-5: the first accepted alert to a contact is the incident's contact time (once across instances).
  const metrics = createMetrics();
  const delivery = startNotifier(config, store, clock, logger, metrics, async (incidentId, at) => {
    await incidents.contactNotified(incidentId, at);
    await options.onContactNotified?.(incidentId, at);
  });
  const { events, backend: eventsBackend } = await createLiveEvents(config, logger);
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
      heartbeatMs: config.staff.onDutyWindowSeconds * 1000,
    },
  });
  const linkBase = options.linkBase;
  const guardianConsent = linkBase
    ? createGuardianConsent({
        store,
        clock,
        profile: config.profile,
        messenger: delivery.guardianMessenger,
        settings: config.guardians,
        linkBase,
        logger,
      })
    : undefined;
  // NOTICE-1, ASSESS-3: notices and switches in memory, reloaded on every instance when one changes them.
  const controls = createServiceControls({
    store,
    events,
    clock,
    logger,
    functions: config.controls.functions,
    outageAfterMs: config.controls.outageNoticeAfterMs,
    refreshMs: config.controls.refreshMs,
  });
  await controls.start();
  const chat = createChatService({
    controls,
    incidents,
    store,
    profile: config.profile,
    profiles: config.profiles,
    clock,
    upstream,
    detection: createDetection(config.profile, {
      lexicons: config.lexicons,
      guards: createGuards(config.secondOpinions.guards),
      guardTimeoutMs: config.secondOpinions.timeoutMs,
      alwaysAsk: config.secondOpinions.alwaysAsk,
      metrics,
      maxScanChars: config.detection.maxScanChars,
      maxOutputChars: config.detection.maxOutputChars,
    }),
    logger,
    defaultCharacterId: config.defaultCharacterId,
    events,
    guardianConsent,
  });
  // The signing key (kept apart from the database) signs audit checkpoints (LOG-1) and deletion receipts (DATA-4).
  const signingKey = await loadOrCreateSigningKey({
    dataDir: config.dataDir,
    file: config.audit.signingKeyFile,
    env: config.env,
  });
  if (signingKey.source === 'created') logger.info('created a new signing key', { path: signingKey.path });
  // ASSESS-1: thresholds checked every minute (and at start); each trigger is recorded once across instances.
  const stats = createStatsService({
    store,
    profile: config.profile,
    clock,
    compliance: { emails: config.notify.compliance.emails, email: delivery.email },
    logger,
  });
  const checkStats = () =>
    void stats
      .checkThresholds(clock.now())
      .catch((error: unknown) => logger.error('assessment check failed', { error: String(error) }));
  checkStats();
  const statsTimer = setInterval(checkStats, options.statsIntervalMs ?? 60_000);
  statsTimer.unref();
  const sweeper = createIncidentSweeper({
    store,
    clock,
    profile: config.profile,
    profiles: config.profiles,
    notifier,
    incidents,
    logger,
  });
  const auditTrail = startAuditTrailJobs(config, store, signingKey, clock, logger);
  // Escalation and cooldown are compare-and-set in the store: every instance may sweep, each step happens once.
  const sweep = setInterval(() => {
    const now = clock.now();
    void sweeper.runDue(now).catch(() => undefined);
  }, options.sweepIntervalMs ?? 15_000);
  sweep.unref();
  return {
    config,
    logger,
    store,
    clock,
    upstream,
    metrics,
    controls,
    stats,
    events,
    eventsBackend,
    notifier,
    guardianMessenger: delivery.guardianMessenger,
    incidents,
    guardianConsent,
    chat,
    signingKey,
    sweeper,
    auditTrail,
    async close() {
      clearInterval(sweep);
      clearInterval(statsTimer);
      controls.stop();
      await auditTrail.stop();
      await delivery.stop();
      await events.close();
      await store.close();
    },
  };
}

/**
 * The in-process API's runtime (`in-process/`): the configuration from the caller's options, then the same
 * composition as the server's. Consent links for minors need a running gateway's guardian pages, so they
 * are sent only when `guardians.publicUrl` names one.
 */
export async function startInProcessRuntime(
  overrides: ConfigOverrides,
  env: Readonly<Record<string, string | undefined>>,
  options: Pick<RuntimeOptions, 'clock' | 'notifier'> & { readonly logger?: Logger | undefined },
): Promise<Runtime> {
  const config = await loadConfig(overrides, env);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const publicUrl = config.guardians.publicUrl;
  return composeRuntime(config, logger, { ...options, linkBase: publicUrl ? () => publicUrl : null });
}

/**
 * The composition root: loads config, composes the runtime (`composeRuntime`), builds the HTTP app on it,
 * and listens. With no API keys the server binds to loopback only.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = options.config ?? (await loadConfig(options, options.env ?? process.env));
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  let host = config.host;
  let boundPort = config.port;
  const runtime = await composeRuntime(config, logger, {
    ...options,
    linkBase: () =>
      config.guardians.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
  });
  const { store, clock, events, eventsBackend, notifier, incidents, guardianConsent, chat, signingKey } =
    runtime;
  const hasKeys = (await store.listApiKeys()).some((k) => k.revokedAt === null);
  if (!hasKeys && !loopback.has(host)) {
    logger.warn('no API keys configured: listening on loopback only', { requestedHost: host });
    host = '127.0.0.1';
  }
  const staff = createStaffAuth({ store, clock, settings: config.staff });
  const loopbackOnly = loopback.has(host);
  const limitCounter = createLimitCounter(config, store, logger);
  const limits = createRateLimits({ counter: limitCounter.counter, settings: config.limits, clock, logger });
  const guardianAuth = createGuardianAuth({
    store,
    clock,
    settings: config.guardians,
    messenger: runtime.guardianMessenger,
    logger,
    limits,
  });
  const auth = createAuthenticator({ store, staff, guardians: guardianAuth, loopbackOnly, events, logger });
  const auditTrailView = createAuditTrailView({
    store,
    files: config.audit.checkpointFiles,
    publicKeyPem: signingKey.publicKeyPem,
    auditRetentionMs: config.profile.retention.auditDays * 86_400_000,
    checkpointIntervalMs: config.audit.checkpointIntervalMs,
    clock,
  });
  const app = createApp({
    signingKey,
    store,
    events,
    incidents,
    notifier,
    clock,
    profile: config.profile,
    profiles: config.profiles,
    chat,
    auth,
    staff,
    guardianAuth,
    guardianConsent,
    hosts: { loopback: loopbackOnly, port: () => boundPort, allowedHosts: config.allowedHosts },
    logger,
    maxBodyBytes: config.maxBodyBytes,
    defaultCharacterId: config.defaultCharacterId,
    consoleDir: consoleDir(),
    auditTrail: auditTrailView,
    metrics: runtime.metrics,
    metricsToken: config.metricsToken,
    controls: runtime.controls,
    stats: runtime.stats,
    deployment: deploymentFacts(config),
    limits,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  }).catch(async (error: unknown) => {
    // Nothing listens (e.g. the port is taken): the runtime's store, events and timers must not keep the process.
    await limitCounter.close();
    await runtime.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  boundPort = address.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  logger.info('companion-guard listening', {
    url,
    profile: config.profile.id,
    upstream: runtime.upstream.name,
    events: eventsBackend,
    limits: limits.backend,
    auth: (await auth.keylessApp()) ? 'none (loopback only)' : 'api-keys',
  });
  return {
    url,
    config,
    store,
    sweeper: runtime.sweeper,
    notifier,
    auditTrail: runtime.auditTrail,
    controls: runtime.controls,
    stats: runtime.stats,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await limitCounter.close();
      await runtime.close();
    },
  };
}

/**
 * Where the limits count: Redis when configured (shared; while it is unreachable, the fallback below with a
 * warning), else the database on PostgreSQL (shared, one upsert per request), else memory (SQLite is one
 * instance, and its hot path gets no extra write).
 */
function createLimitCounter(
  config: GatewayConfig,
  store: SqlStore,
  logger: Logger,
): { counter: LimitCounter; close(): Promise<void> } {
  const shared = parseStoreUrl(config.databaseUrl).dialect === 'postgres';
  const local: LimitCounter = shared ? store.rateLimits : createMemoryLimitCounter();
  if (config.redis.url === null) return { counter: local, close: async () => undefined };
  const redis = createRedisLimitCounter({ url: config.redis.url, prefix: config.redis.prefix });
  return { counter: withFallbackCounter(redis, local, logger), close: () => redis.close() };
}

/** LOG-1: the signed audit checkpoints and the retention purge of one instance. */
export interface AuditTrailJobs {
  readonly checkpointer: AuditCheckpointer;
  readonly purger: ReturnType<typeof createRetentionPurger>;
  /** Stops the timers and signs a last checkpoint of the head. */
  stop(): Promise<void>;
}

/**
 * Starts two unref'd timers: a checkpoint of
 * the chain head every `audit.checkpointIntervalMinutes`, and the retention purge. Failures are logged;
 * neither timer overlaps itself or touches a chat turn.
 */
function startAuditTrailJobs(
  config: GatewayConfig,
  store: Store,
  signingKey: SigningKey,
  clock: Clock,
  logger: Logger,
): AuditTrailJobs {
  const checkpointer = createAuditCheckpointer({
    store,
    signingKey,
    file: config.audit.checkpointFile,
    publishUrl: config.audit.publishUrl,
    clock,
    logger,
  });
  const purger = createRetentionPurger({
    store,
    clock,
    retention: config.profile.retention,
    intervalMs: config.audit.purgeIntervalMs,
  });
  const every = (ms: number, what: string, job: () => Promise<unknown>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      job()
        .catch((error: unknown) => logger.error(`${what} failed`, { error: String(error) }))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(config.audit.checkpointIntervalMs, 'audit checkpoint', () => checkpointer.checkpoint()),
    every(config.audit.purgeIntervalMs, 'retention purge', () => purger.runDue()),
  ];
  return {
    checkpointer,
    purger,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await checkpointer
        .checkpoint()
        .catch((error: unknown) => logger.error('audit checkpoint failed', { error: String(error) }));
      await checkpointer.drain();
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
  metrics: Metrics,
  onContactNotified: NotifierOptions['onContactNotified'],
): {
  notifier: Notifier;
  guardianMessenger: GuardianMessenger | null;
  email: EmailSender | undefined;
  stop(): Promise<void>;
} {
  const { notify } = config;
  const email = notify.smtp ? createSmtpEmailSender(notify.smtp) : undefined;
  const sms = notify.sms ? createLogSmsSender(logger) : undefined;
  const notifier = createNotifier({
    store: store.notifications,
    clock,
    webhooks: notify.webhooks,
    email,
    sms,
    onCall: notify.onCall,
    retry: notify.retry,
    hotlines: config.profile.crisis.hotlines,
    onContactNotified,
    logger,
    metrics,
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
    guardianMessenger: createGuardianMessenger(email, sms),
    email,
    async stop() {
      clearInterval(timer);
      await running;
      email?.close();
    },
  };
}

/** Guardians' codes and consent requests go straight to the notifier's channels (short-lived, not queued). */
function createGuardianMessenger(
  email: EmailSender | undefined,
  sms: SmsSender | undefined,
): GuardianMessenger | null {
  if (!email && !sms) return null;
  const send = async (address: GuardianAddress, message: GuardianMessage) => {
    if (address.channel === 'email') {
      if (!email) throw new Error('no SMTP server is configured for guardian e-mail');
      await email.send({ to: address.value, subject: message.subject, text: message.text });
    } else {
      if (!sms) throw new Error('no SMS provider is configured for guardian text messages');
      await sms.send(address.value, message.text);
    }
  };
  const channels = new Set<GuardianAddress['channel']>([
    ...(email ? (['email'] as const) : []),
    ...(sms ? (['phone'] as const) : []),
  ]);
  return Object.assign(send, { channels });
}
