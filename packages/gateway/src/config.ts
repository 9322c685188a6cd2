import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  CgError,
  type CharacterRecord,
  createProfileBook,
  DEFAULT_MAX_SCAN_CHARS,
  DETECTOR_NAMES,
  type DetectorName,
  defaultProfileId,
  type ExtraLexicon,
  type LocalizedText,
  type Profile,
  type ProfileBook,
} from '@companion-guard/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { demoCharacters } from './characters.js';
import { DEFAULT_MAX_OUTPUT_CHARS } from './detection.js';
import type { GuardSpec } from './guards/index.js';
import type { LogLevel } from './logger.js';
import type { SmtpSettings, WebhookEndpoint } from './notify/index.js';
import { defaultLimitSettings as limitDefaults } from './server/limits/rate-limits.js';

/**
 * The gateway's configuration. This module is the only one that reads the environment and config files;
 * `cli/` is its only caller.
 */
export interface GatewayConfig {
  /** The config file read, or null (defaults and environment only). */
  readonly configFile: string | null;
  readonly host: string;
  readonly port: number;
  /**
   * `server.allowedHosts`: extra `Host`/`Origin` names (`host` or `host:port`) besides the loopback names
   * on loopback; on other addresses, when set, the only names served.
   */
  readonly allowedHosts: readonly string[];
  readonly dataDir: string;
  /** Config `metrics.token` or `COMPANION_GUARD_METRICS_TOKEN`: the bearer token of `GET /metrics`, or null. */
  readonly metricsToken: string | null;
  /** `sqlite:…` (default, under dataDir) or `postgres://…`. */
  readonly databaseUrl: string;
  /**
   * SQLite durability. `normal` (default): WAL commits survive a crash of the process (nothing accepted is
   * lost) but the last commits may be lost on power failure or an OS crash; `full`: every commit is
   * fsynced (survives power loss, costs a disk flush per turn).
   */
  readonly sqliteSynchronous: 'normal' | 'full';
  /**
   * `redis.url` (or `COMPANION_GUARD_REDIS_URL` / `REDIS_URL`): live events between instances over Redis
   * pub/sub; null uses PostgreSQL `LISTEN/NOTIFY` on a PostgreSQL store, in-process events on SQLite.
   * `prefix` starts every channel name (deployments sharing a Redis keep apart).
   */
  readonly redis: { readonly url: string | null; readonly prefix: string };
  /** The default profile (`profiles.default`): deployment-wide settings. */
  readonly profile: Profile;
  /** SCOPE-2: the profile per user region (`profiles` in the file; `profile` + `policy` set the default). */
  readonly profiles: ProfileBook;
  readonly upstream:
    | { readonly kind: 'demo'; readonly paceMs: number }
    | {
        readonly kind: 'openai';
        readonly baseUrl: string;
        readonly apiKey?: string | undefined;
        /** Wait for the response headers. */
        readonly timeoutMs: number;
        /** Longest silence between two pieces of a streamed reply. */
        readonly idleTimeoutMs: number;
        /** The whole model call of one turn. */
        readonly turnTimeoutMs: number;
      };
  readonly characters: readonly CharacterRecord[];
  readonly defaultCharacterId: string;
  readonly maxBodyBytes: number;
  readonly logLevel: LogLevel;
  /** Deployment lexicons, read from the files the config lists. */
  readonly lexicons: readonly ExtraLexicon[];
  /**
   * Scan caps (issue #11): an input longer than `maxScanChars` is scanned in its first and last halves of it
   * (a `scan-truncated` finding marks the rest); a model reply is cut at `maxOutputChars` (finish reason
   * `length`; the user sees only the scanned part).
   */
  readonly detection: { readonly maxScanChars: number; readonly maxOutputChars: number };
  /** Guard models asked where the fast pass is unsure; their failure mode is the profile's. */
  readonly secondOpinions: {
    readonly guards: readonly GuardSpec[];
    readonly timeoutMs?: number | undefined;
    readonly alwaysAsk?: readonly DetectorName[] | undefined;
  };
  /**
   * Guardians (MINOR-2, MINOR-4): one-time codes and sessions; `publicUrl` is the address consent links
   * point at (default: the address the gateway listens on).
   */
  readonly guardians: {
    readonly publicUrl: string | null;
    readonly codeMinutes: number;
    readonly codeAttempts: number;
    readonly codesPerHour: number;
    readonly consentLinkHours: number;
    readonly consentResendHours: number;
    readonly sessionIdleMinutes: number;
    readonly sessionMaxHours: number;
  };
  /** Staff sign-in: lockout after failures, session lifetimes; how long a console heartbeat counts. */
  readonly staff: {
    readonly lockoutAttempts: number;
    readonly lockoutMinutes: number;
    readonly sessionIdleMinutes: number;
    readonly sessionMaxHours: number;
    /** RISK-4: an operator is on duty while their console's last heartbeat is this recent. */
    readonly onDutyWindowSeconds: number;
  };
  /** Incident notifications (RISK-4, RISK-5, ELDER-2): channels, the on-call list, retries. */
  readonly notify: NotifySettings;
  /** LOG-1: audit checkpoints (signed, kept outside the database) and the retention purge. */
  readonly audit: AuditSettings;
  /**
   * `controls:` service notices and switches (NOTICE-1, ASSESS-3): the functions staff may switch off
   * (`memory` the gateway enforces: no history goes to the model; the others the app, told by the directive),
   * how long the upstream must fail before the outage notice, and the fallback refresh of each instance's
   * snapshot (changes reach every instance at once through the live events).
   */
  readonly controls: {
    readonly functions: readonly { readonly id: string; readonly name: LocalizedText }[];
    readonly outageNoticeAfterMs: number;
    readonly refreshMs: number;
  };
  /**
   * `limits:` (issue #12): turns and new sessions per user and per API key, guardian sign-ins per contact;
   * past one, `429 rate-limited` with `Retry-After`. Counted in Redis when configured, else in PostgreSQL,
   * else in memory (SQLite: one instance). See docs/deploy.md.
   */
  readonly limits: {
    readonly turnsPerUserPerMinute: number;
    readonly turnsPerKeyPerMinute: number;
    readonly newSessionsPerUserPerHour: number;
    readonly newSessionsPerKeyPerHour: number;
    readonly guardianSignInsPerHour: number;
  };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** `notify:` in the config file. No channel configured means incidents notify nobody (a warning is logged). */
export interface NotifySettings {
  readonly webhooks: readonly WebhookEndpoint[];
  readonly smtp: SmtpSettings | null;
  /** `log`: no provider yet; an SMS is logged as not sent, never recorded as delivered. */
  readonly sms: { readonly kind: 'log' } | null;
  readonly onCall: { readonly emails: readonly string[]; readonly phones: readonly string[] };
  /** ASSESS-1: the compliance officer's addresses, told by e-mail when an assessment trigger fires. */
  readonly compliance: { readonly emails: readonly string[] };
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number };
  /** How often the delivery loop looks for due notifications. */
  readonly pollMs: number;
}

/** `audit:` in the config file (LOG-1). */
export interface AuditSettings {
  /** The checkpoint file (JSON lines), default `<dataDir>/audit-checkpoints.jsonl`. */
  readonly checkpointFile: string;
  /**
   * Every checkpoint file `audit verify` and `GET /api/audit/verification` read: `checkpointFile`, then
   * `peerCheckpointFiles` (the other instances' files, when each instance keeps its own).
   */
  readonly checkpointFiles: readonly string[];
  readonly checkpointIntervalMs: number;
  /** POST each checkpoint here to publish it; null: not published. */
  readonly publishUrl: string | null;
  /** The Ed25519 signing key file, default `<dataDir>/signing.key` (or `COMPANION_GUARD_SIGNING_KEY`). */
  readonly signingKeyFile: string | undefined;
  /** How often the retention purge runs (once per interval across instances). */
  readonly purgeIntervalMs: number;
}

const auditSchema = z
  .object({
    checkpointFile: z.string().min(1).optional(),
    peerCheckpointFiles: z.array(z.string().min(1)).default([]),
    checkpointIntervalMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(5),
    publishUrl: z.url({ protocol: /^https?$/ }).optional(),
    signingKeyFile: z.string().min(1).optional(),
    purgeIntervalMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(60),
  })
  .strict();

const localized = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

const characterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and - only'),
    name: localized,
    description: localized.default({ zh: '角色', en: 'Character' }),
    scope: z.enum(['companion', 'tool']).default('companion'),
    relation: z.enum(['friend', 'partner', 'kin', 'mentor', 'assistant', 'other']).default('other'),
    persona: z.string().default(''),
    model: z.string().min(1).nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .strict();

const detectorName = z.enum(DETECTOR_NAMES as unknown as [DetectorName, ...DetectorName[]]);
const guardCommon = {
  baseUrl: z.url(),
  apiKey: z.string().optional(),
  name: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
  thirdParty: z.boolean().optional(),
};
const guardSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('openai-moderation'),
      ...guardCommon,
      model: z.string().optional(),
      threshold: z.number().min(0).max(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('chat-guard'),
      ...guardCommon,
      model: z.string().min(1),
      format: z.enum(['qwen3guard', 'llama-guard', 'auto']).optional(),
      controversial: z.enum(['unsafe', 'safe']).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('gpt-oss-safeguard'),
      ...guardCommon,
      model: z.string().min(1),
      /** The written policy per detector: inline text, or `{ file }` (relative to the config file). */
      policies: z.partialRecord(
        detectorName,
        z.union([z.string().trim().min(1), z.object({ file: z.string().min(1) }).strict()]),
      ),
      reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
      maxTokens: z.number().int().positive().optional(),
    })
    .strict(),
]);

/** Reads the policy files a `gpt-oss-safeguard` guard names (paths relative to the config file). */
async function guardSpecs(
  guards: readonly z.infer<typeof guardSchema>[],
  configFile: string | undefined,
): Promise<GuardSpec[]> {
  const out: GuardSpec[] = [];
  for (const g of guards) {
    if (g.kind !== 'gpt-oss-safeguard') {
      out.push(g as GuardSpec);
      continue;
    }
    const policies: Partial<Record<DetectorName, string>> = {};
    for (const [detector, policy] of Object.entries(g.policies) as [
      DetectorName,
      string | { file: string },
    ][]) {
      if (typeof policy === 'string') {
        policies[detector] = policy;
        continue;
      }
      const path = configFile ? resolve(dirname(configFile), policy.file) : resolve(policy.file);
      try {
        policies[detector] = await readFile(path, 'utf8');
      } catch (cause) {
        throw new CgError('invalid-config', `secondOpinions: cannot read the ${detector} policy ${path}.`, {
          cause,
        });
      }
      if (policies[detector]?.trim() === '') {
        throw new CgError('invalid-config', `secondOpinions: the ${detector} policy ${path} is empty.`);
      }
    }
    out.push({ ...g, policies } as GuardSpec);
  }
  return out;
}

const notifySchema = z
  .object({
    webhooks: z
      .array(
        z
          .object({
            url: z.url({ protocol: /^https?$/ }),
            secret: z.string().min(16, 'at least 16 characters'),
            audience: z.enum(['contact', 'on-call', 'all']).default('all'),
            timeoutMs: z.number().int().positive().max(60_000).optional(),
          })
          .strict(),
      )
      .default([]),
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).default(587),
        secure: z.boolean().default(false),
        user: z.string().min(1).optional(),
        pass: z.string().optional(),
        from: z.string().min(3),
        timeoutMs: z.number().int().positive().max(120_000).optional(),
      })
      .strict()
      .optional(),
    sms: z
      .object({ kind: z.literal('log') })
      .strict()
      .optional(),
    onCall: z
      .object({
        emails: z.array(z.email()).default([]),
        phones: z.array(z.string().regex(/^\+?[0-9][0-9 ()-]{4,30}$/, 'a phone number')).default([]),
      })
      .strict()
      .prefault({}),
    compliance: z
      .object({ emails: z.array(z.email()).default([]) })
      .strict()
      .prefault({}),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(20).default(6),
        baseDelayMs: z.number().int().min(100).max(3_600_000).default(2000),
      })
      .strict()
      .prefault({}),
    pollMs: z.number().int().min(100).max(60_000).default(1000),
  })
  .strict();

const logLevels = ['debug', 'info', 'warn', 'error'] as const;

function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined;
  if (!(logLevels as readonly string[]).includes(value)) {
    throw new CgError('invalid-config', `COMPANION_GUARD_LOG_LEVEL must be one of ${logLevels.join(', ')}.`);
  }
  return value as LogLevel;
}

const fileSchema = z
  .object({
    profile: z.string().optional(),
    policy: z.record(z.string(), z.unknown()).optional(),
    // SCOPE-2: the profile per user region; `default` (or `profile`) for everybody else.
    profiles: z
      .object({
        default: z.string().optional(),
        byRegion: z.record(z.string(), z.string()).optional(),
        overrides: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
      })
      .strict()
      .optional(),
    server: z
      .object({
        host: z.string().optional(),
        port: z.number().int().min(0).max(65535).optional(),
        allowedHosts: z
          .array(
            z
              .string()
              .min(1)
              .regex(/^[^\s/]+$/, 'a host name, optionally with :port'),
          )
          .optional(),
      })
      .strict()
      .optional(),
    guardians: z
      .object({
        publicUrl: z.url().nullable().default(null),
        codeMinutes: z.number().positive().max(60).default(10),
        codeAttempts: z.number().int().min(1).max(20).default(5),
        codesPerHour: z.number().int().min(1).max(100).default(5),
        consentLinkHours: z
          .number()
          .positive()
          .max(24 * 30)
          .default(72),
        consentResendHours: z
          .number()
          .positive()
          .max(24 * 30)
          .default(6),
        sessionIdleMinutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(30),
        sessionMaxHours: z
          .number()
          .positive()
          .max(24 * 30)
          .default(12),
      })
      .strict()
      .prefault({}),
    staff: z
      .object({
        lockoutAttempts: z.number().int().min(1).max(100).default(5),
        lockoutMinutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(15),
        sessionIdleMinutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(30),
        sessionMaxHours: z
          .number()
          .positive()
          .max(24 * 7)
          .default(12),
        // The console beats every 25 s while the crisis queue is visible: at least two beats fit in.
        onDutyWindowSeconds: z.number().int().min(60).max(3600).default(90),
      })
      .strict()
      .prefault({}),
    database: z
      .object({ url: z.string().min(1).optional(), sqliteSynchronous: z.enum(['normal', 'full']).optional() })
      .strict()
      .optional(),
    redis: z
      .object({
        url: z
          .string()
          .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
          .optional(),
        prefix: z.string().min(1).max(100).optional(),
      })
      .strict()
      .optional(),
    upstream: z
      .object({
        baseUrl: z.url(),
        apiKey: z.string().optional(),
        timeoutMs: z.number().int().positive().default(30_000),
        idleTimeoutMs: z.number().int().positive().default(30_000),
        turnTimeoutMs: z.number().int().positive().default(180_000),
      })
      .strict()
      .optional(),
    demo: z
      .object({ paceMs: z.number().int().min(0) })
      .strict()
      .optional(),
    characters: z.array(characterSchema).min(1).optional(),
    defaultCharacter: z.string().optional(),
    maxBodyBytes: z.number().int().positive().optional(),
    logLevel: z.enum(logLevels).optional(),
    /** Deployment lexicon files in the documented TSV format, each feeding one detector (default prohibited). */
    lexicons: z
      .array(
        z
          .object({
            path: z.string().min(1),
            detector: detectorName.optional(),
            /** Categories whose built-in list this file replaces (`*`: all of that detector's). */
            replaces: z.array(z.string().min(1)).optional(),
          })
          .strict(),
      )
      .optional(),
    /** Scan caps (issue #11), in UTF-16 units. */
    detection: z
      .object({
        maxScanChars: z.number().int().min(256).optional(),
        maxOutputChars: z.number().int().min(256).optional(),
      })
      .strict()
      .optional(),
    secondOpinions: z
      .object({
        guards: z.array(guardSchema),
        timeoutMs: z.number().int().positive().optional(),
        alwaysAsk: z.array(detectorName).optional(),
      })
      .strict()
      .optional(),
    notify: notifySchema.prefault({}),
    audit: auditSchema.prefault({}),
    /** `GET /metrics`: with a token any peer presenting it may read; without, loopback peers only. */
    metrics: z
      .object({ token: z.string().min(16, 'at least 16 characters').optional() })
      .strict()
      .optional(),
    controls: z
      .object({
        functions: z
          .array(
            z
              .object({ id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a-z, 0-9 and -'), name: localized })
              .strict(),
          )
          .default([{ id: 'memory', name: { zh: '对话记忆', en: 'conversation memory' } }]),
        outageNoticeAfterMs: z
          .number()
          .int()
          .positive()
          .default(5 * 60_000),
        refreshMs: z.number().int().min(1000).default(30_000),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        turnsPerUserPerMinute: z.number().int().positive().default(limitDefaults.turnsPerUserPerMinute),
        turnsPerKeyPerMinute: z.number().int().positive().default(limitDefaults.turnsPerKeyPerMinute),
        newSessionsPerUserPerHour: z
          .number()
          .int()
          .positive()
          .default(limitDefaults.newSessionsPerUserPerHour),
        newSessionsPerKeyPerHour: z.number().int().positive().default(limitDefaults.newSessionsPerKeyPerHour),
        guardianSignInsPerHour: z.number().int().positive().default(limitDefaults.guardianSignInsPerHour),
      })
      .strict()
      .prefault({}),
  })
  .strict();

function invalid(where: string, error: z.ZodError): CgError {
  const fields = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return new CgError('invalid-config', `Invalid configuration in ${where}: ${fields.join('; ')}`);
}

async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CgError('invalid-config', `Cannot read config file ${path}.`, { cause });
  }
  try {
    return /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    throw new CgError(
      'invalid-config',
      `Config file ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}.`,
      { cause },
    );
  }
}

/** Command-line options that override the file and the environment. */
export interface ConfigOverrides {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly configFile?: string | undefined;
  // In-process mode (`@companion-guard/gateway/in-process`): the settings a config file holds, given as an
  // object instead of a file (a `configFile` wins), and the store and profile named by the caller, which
  // win over the environment like command-line options.
  /** The config file's content as an object (same schema), when there is no file. */
  readonly inline?: Readonly<Record<string, unknown>> | undefined;
  /** `sqlite:…` or `postgres://…`. */
  readonly databaseUrl?: string | undefined;
  readonly profile?: string | undefined;
}

/**
 * SCOPE-2: the profile book of the file. The default profile is `COMPANION_GUARD_PROFILE`, else
 * `profiles.default`, else `profile`, else cn-2026; `policy` overrides the default profile (like
 * `profiles.overrides.<default id>`, so giving both is an error).
 */
function profileBookOf(file: z.infer<typeof fileSchema>, envProfile: string | undefined): ProfileBook {
  if (file.profile && file.profiles?.default && file.profile !== file.profiles.default) {
    throw new CgError('invalid-config', 'profile and profiles.default name different profiles; keep one.');
  }
  const id = envProfile ?? file.profiles?.default ?? file.profile ?? defaultProfileId;
  const overrides: Record<string, unknown> = { ...(file.profiles?.overrides ?? {}) };
  if (file.policy) {
    if (overrides[id]) {
      throw new CgError(
        'invalid-config',
        `policy and profiles.overrides.${id} both override ${id}; keep one.`,
      );
    }
    overrides[id] = file.policy;
  }
  return createProfileBook({ default: id, byRegion: file.profiles?.byRegion ?? {}, overrides });
}

/**
 * Loads the configuration: defaults < config file < environment < command line.
 * Environment: `COMPANION_GUARD_CONFIG`, `_PORT`, `_HOST`, `_DATA`, `_DATABASE_URL`, `_PROFILE`,
 * `_UPSTREAM_URL`, `_UPSTREAM_KEY`, `_LOG_LEVEL`, `_REDIS_URL` (all prefixed `COMPANION_GUARD`; `REDIS_URL`
 * also works).
 * Throws `CgError('invalid-config' | 'invalid-profile')` naming the bad field.
 */
export async function loadConfig(
  overrides: ConfigOverrides = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<GatewayConfig> {
  const configFile = overrides.configFile ?? (overrides.inline ? undefined : env.COMPANION_GUARD_CONFIG);
  const raw = configFile ? await readConfigFile(configFile) : (overrides.inline ?? {});
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw invalid(configFile ?? (overrides.inline ? 'the options' : 'defaults'), parsed.error);
  const file = parsed.data;

  const dataDir = resolve(overrides.dataDir ?? env.COMPANION_GUARD_DATA ?? 'data');
  const portText = env.COMPANION_GUARD_PORT;
  const port = overrides.port ?? (portText ? Number(portText) : (file.server?.port ?? 8787));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CgError('invalid-config', 'The port must be an integer between 0 and 65535.');
  }
  const profiles = profileBookOf(file, overrides.profile ?? env.COMPANION_GUARD_PROFILE);
  const profile = profiles.default;
  const upstreamUrl = env.COMPANION_GUARD_UPSTREAM_URL ?? file.upstream?.baseUrl;
  if (upstreamUrl !== undefined && !z.url().safeParse(upstreamUrl).success) {
    throw new CgError('invalid-config', 'COMPANION_GUARD_UPSTREAM_URL must be a URL.');
  }
  const characters = (file.characters as CharacterRecord[] | undefined) ?? demoCharacters;
  const defaultCharacterId = file.defaultCharacter ?? characters[0]?.id ?? 'xiaonuan';
  if (!characters.some((c) => c.id === defaultCharacterId)) {
    throw new CgError('invalid-config', `defaultCharacter: no character with id "${defaultCharacterId}".`);
  }
  const dbUrl = overrides.databaseUrl ?? env.COMPANION_GUARD_DATABASE_URL ?? file.database?.url;
  const redisUrl = env.COMPANION_GUARD_REDIS_URL ?? env.REDIS_URL ?? file.redis?.url ?? null;
  if (redisUrl !== null && !/^rediss?:\/\/./.test(redisUrl)) {
    throw new CgError('invalid-config', 'The Redis URL must start with redis:// or rediss://.');
  }
  const lexicons: ExtraLexicon[] = [];
  for (const l of file.lexicons ?? []) {
    const path = configFile ? resolve(dirname(configFile), l.path) : resolve(l.path);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      throw new CgError('invalid-config', `lexicons: cannot read ${path}.`, { cause });
    }
    lexicons.push({
      name: path,
      text,
      ...(l.detector ? { detector: l.detector } : {}),
      ...(l.replaces ? { replaces: l.replaces } : {}),
    });
  }
  return {
    configFile: configFile ? resolve(configFile) : null,
    host: overrides.host ?? env.COMPANION_GUARD_HOST ?? file.server?.host ?? '127.0.0.1',
    port,
    allowedHosts: file.server?.allowedHosts ?? [],
    dataDir,
    metricsToken: metricsToken(env.COMPANION_GUARD_METRICS_TOKEN ?? file.metrics?.token),
    databaseUrl: dbUrl ?? `sqlite:${join(dataDir, 'companion-guard.sqlite')}`,
    sqliteSynchronous: file.database?.sqliteSynchronous ?? 'normal',
    redis: { url: redisUrl, prefix: file.redis?.prefix ?? 'companion-guard:' },
    profile,
    profiles,
    upstream: upstreamUrl
      ? {
          kind: 'openai',
          baseUrl: upstreamUrl,
          apiKey: env.COMPANION_GUARD_UPSTREAM_KEY ?? file.upstream?.apiKey,
          timeoutMs: file.upstream?.timeoutMs ?? 30_000,
          idleTimeoutMs: file.upstream?.idleTimeoutMs ?? 30_000,
          turnTimeoutMs: file.upstream?.turnTimeoutMs ?? 180_000,
        }
      : { kind: 'demo', paceMs: file.demo?.paceMs ?? 40 },
    characters,
    defaultCharacterId,
    maxBodyBytes: file.maxBodyBytes ?? 256 * 1024,
    logLevel: parseLogLevel(env.COMPANION_GUARD_LOG_LEVEL) ?? file.logLevel ?? 'info',
    lexicons,
    detection: {
      maxScanChars: file.detection?.maxScanChars ?? DEFAULT_MAX_SCAN_CHARS,
      maxOutputChars: file.detection?.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS,
    },
    secondOpinions: {
      guards: await guardSpecs(file.secondOpinions?.guards ?? [], configFile),
      timeoutMs: file.secondOpinions?.timeoutMs,
      alwaysAsk: file.secondOpinions?.alwaysAsk,
    },
    guardians: file.guardians,
    staff: file.staff,
    notify: { ...file.notify, smtp: file.notify.smtp ?? null, sms: file.notify.sms ?? null },
    audit: {
      ...auditCheckpointFiles(file.audit, dataDir),
      checkpointIntervalMs: file.audit.checkpointIntervalMinutes * 60_000,
      publishUrl: file.audit.publishUrl ?? null,
      signingKeyFile: file.audit.signingKeyFile ? resolve(file.audit.signingKeyFile) : undefined,
      purgeIntervalMs: file.audit.purgeIntervalMinutes * 60_000,
    },
    controls: file.controls,
    limits: file.limits,
    env,
  };
}

function metricsToken(token: string | undefined): string | null {
  if (token === undefined) return null;
  if (token.length < 16)
    throw new CgError('invalid-config', 'The metrics token must have at least 16 characters.');
  return token;
}

function auditCheckpointFiles(
  audit: { checkpointFile?: string | undefined; peerCheckpointFiles: readonly string[] },
  dataDir: string,
): Pick<AuditSettings, 'checkpointFile' | 'checkpointFiles'> {
  const own = audit.checkpointFile ? resolve(audit.checkpointFile) : join(dataDir, 'audit-checkpoints.jsonl');
  return { checkpointFile: own, checkpointFiles: [own, ...audit.peerCheckpointFiles.map((f) => resolve(f))] };
}
