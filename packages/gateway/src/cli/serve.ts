import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Clock, GuardianAddress, Notifier, Store } from '@companion-guard/core';
import { serve } from '@hono/node-server';
import { type AuditCheckpointer, createAuditCheckpointer } from '../audit/audit-checkpointer.js';
import { createAuditTrailView } from '../audit/audit-trail-verifier.js';
import { createRetentionPurger } from '../audit/retention-purger.js';
import { type ConfigOverrides, type GatewayConfig, loadConfig } from '../config.js';
import { createDetection } from '../detection.js';
import { createLiveEvents } from '../events/create-live-events.js';
import { createGuards } from '../guards/index.js';
import { createLogger, type Logger } from '../logger.js';
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
import { createChatService } from '../server/chat/chat-service.js';
import { createGuardianConsent } from '../server/guardians/guardian-consent.js';
import type { GuardianMessage } from '../server/guardians/guardian-texts.js';
import { createIncidentService } from '../server/incidents/incident-service.js';
import { createIncidentSweeper, type IncidentSweeper } from '../server/incidents/incident-sweeper.js';
import { createStatsService, type StatsService } from '../server/stats/stats-service.js';
import {
  createStore,
  loadOrCreateMasterKey,
  type MasterKey,
  parseStoreUrl,
  type SqlStore,
} from '../storage/index.js';
import { ensurePrivateDir } from '../storage/private-files.js';
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
  /** How often the incident timers (escalation, cooldown) run; default 15 s. */
  /** ASSESS-1: how often the assessment thresholds are checked. Default one minute. */
  readonly statsIntervalMs?: number;
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
  // RISK-5: the first accepted alert to a contact is the incident's contact time (once across instances).
  const delivery = startNotifier(config, store, clock, logger, async (incidentId, at) => {
    await incidents.contactNotified(incidentId, at);
    await options.onContactNotified?.(incidentId, at);
  });
  let boundPort = config.port;
  const guardianAuth = createGuardianAuth({
    store,
    clock,
    settings: config.guardians,
    messenger: delivery.guardianMessenger,
    logger,
  });
  const auth = createAuthenticator({ store, staff, guardians: guardianAuth, loopbackOnly });
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
    },
  });
  const guardianConsent = createGuardianConsent({
    store,
    clock,
    profile: config.profile,
    messenger: delivery.guardianMessenger,
    settings: config.guardians,
    linkBase: () =>
      config.guardians.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    logger,
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
    guardianConsent,
  });
  // The signing key (kept apart from the database) signs audit checkpoints (LOG-1) and deletion receipts (DATA-4).
  const signingKey = await loadOrCreateSigningKey({
    dataDir: config.dataDir,
    file: config.audit.signingKeyFile,
    env: config.env,
  });
  if (signingKey.source === 'created') logger.info('created a new signing key', { path: signingKey.path });
  const auditTrailView = createAuditTrailView({
    store,
    files: config.audit.checkpointFiles,
    publicKeyPem: signingKey.publicKeyPem,
    auditRetentionMs: config.profile.retention.auditDays * 86_400_000,
    checkpointIntervalMs: config.audit.checkpointIntervalMs,
    clock,
  });
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
    guardianAuth,
    guardianConsent,
    hosts: { loopback: loopbackOnly, port: () => boundPort, allowedHosts: config.allowedHosts },
    logger,
    maxBodyBytes: config.maxBodyBytes,
    defaultCharacterId: config.defaultCharacterId,
    consoleDir: consoleDir(),
    auditTrail: auditTrailView,
    deployment: deploymentFacts(config),
    stats,
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
  const auditTrail = startAuditTrailJobs(config, store, signingKey, clock, logger);
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
    auditTrail,
    stats,
    async close() {
      clearInterval(sweep);
      clearInterval(statsTimer);
      await auditTrail.stop();
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
