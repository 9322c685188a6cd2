import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LiveEvents,
  type Notifier,
  type Profile,
  type ProfileBook,
  resolveProfile,
  type Store,
  singleProfileBook,
} from '@companion-guard/core';
import { createFakeClock, type FakeClock } from '@companion-guard/core/testing';
import { createAuditTrailView } from '../../src/audit/audit-trail-verifier.js';
import { demoCharacters } from '../../src/characters.js';
import { createDetection } from '../../src/detection.js';
import { createInProcessEvents } from '../../src/events/in-process-events.js';
import { silentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { createApp } from '../../src/server/app.js';
import { createAuthenticator } from '../../src/server/auth/authenticator.js';
import type { Authenticator } from '../../src/server/auth/authorization.js';
import {
  createGuardianAuth,
  defaultGuardianSettings,
  type GuardianAuth,
  type GuardianSettings,
} from '../../src/server/auth/guardian-auth.js';
import type { HostCheckOptions } from '../../src/server/auth/host-check.js';
import {
  createStaffAuth,
  defaultStaffSettings,
  type StaffAuth,
  type StaffSettings,
} from '../../src/server/auth/staff-auth.js';
import { createChatService } from '../../src/server/chat/chat-service.js';
import { createServiceControls } from '../../src/server/controls/service-controls.js';
import { createGuardianConsent } from '../../src/server/guardians/guardian-consent.js';
import type { GuardianMessage } from '../../src/server/guardians/guardian-texts.js';
import { createIncidentService, noNotifier } from '../../src/server/incidents/incident-service.js';
import { createIncidentSweeper, type IncidentSweeper } from '../../src/server/incidents/incident-sweeper.js';
import {
  createMemoryLimitCounter,
  createRateLimits,
  defaultLimitSettings,
  type LimitSettings,
} from '../../src/server/limits/rate-limits.js';
import {
  createStatsService,
  type StatsService,
  type StatsServiceOptions,
} from '../../src/server/stats/stats-service.js';
import { createStore } from '../../src/storage/index.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../src/storage/signing-key.js';
import type { SqlStore } from '../../src/storage/sql/sql-store.js';
import { createDemoModel } from '../../src/upstream/demo-model.js';
import type { ChatUpstream, UpstreamRequest } from '../../src/upstream/upstream.js';

/** A message the gateway sent to a guardian (in-process tests record them instead of sending). */
export interface SentGuardianMessage extends GuardianMessage {
  readonly to: string;
}

/** The Host every in-process request names unless it sets its own (the app "listens" on it). */
export const testHost = '127.0.0.1:8787';

export interface TestApp {
  readonly app: ReturnType<typeof createApp>;
  /** The real SQLite store (in a temp dir) behind the app. */
  readonly store: SqlStore;
  readonly clock: FakeClock;
  /** The app's live events (in-process). */
  readonly events: LiveEvents;
  readonly auth: Authenticator;
  readonly staff: StaffAuth;
  /** The incident timers, to run on the fake clock. */
  readonly sweeper: IncidentSweeper;
  readonly guardianAuth: GuardianAuth;
  /** Messages to guardians, in order; `guardianMessagesSettled()` waits for those being sent. */
  readonly guardianMessages: SentGuardianMessage[];
  guardianMessagesSettled(): Promise<void>;
  readonly dir: string;
  /** The key that signs deletion receipts (in `dir`). */
  readonly signingKey: SigningKey;
  /** The store's master key (to show what an old copy of the database still yields). */
  readonly masterKey: Buffer;
  /** The SQLite file (unused when `storeUrl` named another database). */
  readonly dbFile: string;
  /** ASSESS-1/2: the app's stats service (thresholds checked when a test calls it). */
  readonly stats: StatsService;
  /** Sends a request in-process (no socket) with the served Host and, with a body, a JSON content type. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** `POST path` with a JSON body. */
  post(path: string, body: unknown, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The gateway app built in-process from real parts: `createApp` over a SQLite store in a temp dir (or the
 * store `storeUrl` names), the real authenticator, staff sign-in, detection and chat service, a fake clock,
 * and the demo model (no pacing) unless another upstream is given. Without API keys it is a keyless
 * loopback gateway. Requests go through `app.request()`, without sockets.
 */
export async function createTestApp(
  options: {
    upstream?: ChatUpstream;
    profile?: Profile;
    /** SCOPE-2: profiles per user region (its default replaces `profile`). */
    profiles?: ProfileBook;
    defaultCharacterId?: string;
    /** Another store than SQLite in the temp dir, e.g. a PostgreSQL schema of the test database. */
    storeUrl?: string;
    /** Wraps the store the chat service sees (e.g. to force a race); the app's own store stays real. */
    wrapStore?: (store: Store) => Store;
    staffSettings?: Partial<StaffSettings>;
    /** Live events (default: in-process). */
    events?: LiveEvents;
    hosts?: Partial<HostCheckOptions>;
    notifier?: Notifier;
    guardianSettings?: Partial<GuardianSettings>;
    /** ASSESS-1: the compliance contact told about assessment triggers. */
    compliance?: StatsServiceOptions['compliance'];
    /** Limits (issue #12), counted in memory on the fake clock; default the defaults. */
    limits?: Partial<LimitSettings>;
  } = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-app-'));
  const dbFile = join(dir, 'cg.sqlite');
  const masterKey = randomBytes(32);
  const profile = options.profiles?.default ?? options.profile ?? resolveProfile('cn-2026');
  const profiles = options.profiles ?? singleProfileBook(profile);
  // ASSESS-2: the stats count days in the deployment's time zone, as `serve` opens the store.
  const store = await createStore({
    url: options.storeUrl ?? dbFile,
    masterKey,
    timeZone: profile.session.defaultTimeZone,
  });
  for (const character of demoCharacters) await store.upsertCharacter(character);
  const clock = createFakeClock();
  const defaultCharacterId = options.defaultCharacterId ?? 'xiaonuan';
  const staffSettings = { ...defaultStaffSettings, ...options.staffSettings };
  const staff = createStaffAuth({ store, clock, settings: staffSettings });
  const events = options.events ?? createInProcessEvents();
  const notifier = options.notifier ?? noNotifier;
  const incidents = createIncidentService({
    store,
    events,
    notifier,
    clock,
    profile,
    logger: silentLogger,
    staffLiveness: {
      idleMs: staffSettings.sessionIdleMinutes * 60_000,
      maxMs: staffSettings.sessionMaxHours * 3_600_000,
      heartbeatMs: staffSettings.onDutyWindowSeconds * 1000,
    },
  });
  const sweeper = createIncidentSweeper({
    store,
    clock,
    profile,
    profiles,
    notifier,
    incidents,
    logger: silentLogger,
  });
  const hosts: HostCheckOptions = { loopback: true, port: () => 8787, allowedHosts: [], ...options.hosts };
  const guardianMessages: SentGuardianMessage[] = [];
  const sending: Promise<void>[] = [];
  const guardianSettings = { ...defaultGuardianSettings, ...options.guardianSettings };
  const messenger = Object.assign(
    async (address: { value: string }, message: GuardianMessage) => {
      guardianMessages.push({ to: address.value, ...message });
    },
    { channels: new Set(['email', 'phone'] as const) },
  );
  const limits = createRateLimits({
    counter: createMemoryLimitCounter(),
    settings: { ...defaultLimitSettings, ...options.limits },
    clock,
    logger: silentLogger,
  });
  const baseGuardianAuth = createGuardianAuth({
    store,
    clock,
    settings: guardianSettings,
    messenger,
    logger: silentLogger,
    limits,
  });
  const guardianAuth: GuardianAuth = {
    ...baseGuardianAuth,
    async requestCode(contact) {
      const request = await baseGuardianAuth.requestCode(contact);
      sending.push(request.delivered);
      return request;
    },
  };
  const guardianConsent = createGuardianConsent({
    store,
    clock,
    profile,
    messenger,
    settings: guardianSettings,
    linkBase: () => `http://${testHost}`,
    logger: silentLogger,
  });
  const auth = createAuthenticator({
    store,
    staff,
    guardians: guardianAuth,
    loopbackOnly: hosts.loopback,
    events,
    logger: silentLogger,
  });
  const controls = createServiceControls({
    store,
    events,
    clock,
    logger: silentLogger,
    functions: [{ id: 'memory', name: { zh: '对话记忆', en: 'conversation memory' } }],
    outageAfterMs: 5 * 60_000,
    refreshMs: 60_000,
  });
  await controls.start();
  const chat = createChatService({
    controls,
    incidents,
    store: options.wrapStore ? options.wrapStore(store) : store,
    profile,
    profiles,
    clock,
    upstream: options.upstream ?? createDemoModel({ paceMs: 0 }),
    detection: createDetection(profile),
    logger: silentLogger,
    defaultCharacterId,
    events,
    // The chat fires consent requests without awaiting them: `guardianMessagesSettled()` waits for them.
    guardianConsent: {
      outlook: guardianConsent.outlook,
      request(userId, now) {
        const request = guardianConsent.request(userId, now);
        sending.push(
          request.then(
            () => undefined,
            () => undefined,
          ),
        );
        return request;
      },
    },
  });
  const signingKey = await loadOrCreateSigningKey({ dataDir: dir, env: {} });
  const stats = createStatsService({
    store,
    profile,
    clock,
    ...(options.compliance ? { compliance: options.compliance } : {}),
  });
  const app = createApp({
    limits,
    controls,
    stats,
    signingKey,
    store,
    events,
    incidents,
    notifier,
    clock,
    profile,
    profiles,
    chat,
    auth,
    staff,
    guardianAuth,
    guardianConsent,
    hosts,
    logger: silentLogger,
    maxBodyBytes: 256 * 1024,
    defaultCharacterId,
    consoleDir: null,
    // LOG-1: the audit trail verified against checkpoints signed by a key in the temp dir.
    auditTrail: createAuditTrailView({
      store,
      files: [join(dir, 'audit-checkpoints.jsonl')],
      publicKeyPem: (await loadOrCreateSigningKey({ dataDir: dir, env: {} })).publicKeyPem,
      auditRetentionMs: profile.retention.auditDays * 86_400_000,
      checkpointIntervalMs: 5 * 60_000,
      clock,
    }),
    metrics: createMetrics(),
    metricsToken: null,
  });
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('host')) headers.set('host', testHost);
    if (init.body !== undefined && !headers.has('content-type'))
      headers.set('content-type', 'application/json');
    return app.request(path, { ...init, headers });
  };
  return {
    app,
    store,
    clock,
    events,
    auth,
    staff,
    sweeper,
    guardianAuth,
    guardianMessages,
    guardianMessagesSettled: async () => {
      await Promise.all(sending.splice(0));
    },
    dir,
    signingKey,
    masterKey,
    dbFile,
    stats,
    request,
    post: (path, body, init = {}) => request(path, { method: 'POST', body: JSON.stringify(body), ...init }),
    async close() {
      controls.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type Step = { readonly piece: string } | { readonly end: true } | { readonly error: unknown };

/**
 * An upstream the test drives piece by piece: `send` a piece, `end` the reply, or `fail` it. `demand()`
 * resolves once the gateway has taken everything sent so far and waits for more. Like `fetch`, a stream
 * whose signal aborts throws an `AbortError`.
 */
export function controlledUpstream() {
  const requests: UpstreamRequest[] = [];
  const queued: Step[] = [];
  let waiting: ((step: Step) => void) | null = null;
  let demanded: (() => void) | null = null;
  const arrivals: { count: number; resolve: () => void }[] = [];
  const push = (step: Step) => {
    const taker = waiting;
    waiting = null;
    if (taker) taker(step);
    else queued.push(step);
  };
  const take = (signal: AbortSignal): Promise<Step> => {
    const next = queued.shift();
    if (next) return Promise.resolve(next);
    demanded?.();
    return new Promise<Step>((resolve) => {
      waiting = resolve;
      signal.addEventListener(
        'abort',
        () => resolve({ error: new DOMException('This operation was aborted', 'AbortError') }),
        { once: true },
      );
    });
  };
  const upstream: ChatUpstream = {
    name: 'controlled',
    async *stream(request) {
      requests.push(request);
      for (const a of arrivals) if (a.count <= requests.length) a.resolve();
      for (;;) {
        const step = await take(request.signal);
        if ('error' in step) throw step.error;
        if ('end' in step) return;
        yield step.piece;
      }
    },
  };
  return {
    upstream,
    requests,
    /** Resolves when the `count`-th request (default the first) has reached the upstream. */
    called: (count = 1) =>
      new Promise<void>((resolve) => {
        if (requests.length >= count) resolve();
        else arrivals.push({ count, resolve });
      }),
    /** Resolves when the gateway has consumed every piece sent and asks for the next one. */
    demand: () =>
      new Promise<void>((resolve) => {
        if (waiting && queued.length === 0) resolve();
        else demanded = resolve;
      }),
    send: (piece: string) => push({ piece }),
    end: () => push({ end: true }),
    fail: (error: unknown) => push({ error }),
  };
}

/** Reads an SSE response body event by event (`data:` payloads, parsed; `[DONE]` as the string). */
export function sseReader(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let buffer = '';
  return {
    async next(): Promise<unknown> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.replace(/^data: /, '');
          return data === '[DONE]' ? data : JSON.parse(data);
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += value;
      }
    },
  };
}
