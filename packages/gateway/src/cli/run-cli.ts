import { parseArgs } from 'node:util';
import { CgError, profileJsonSchema, type StaffRole, type Store } from '@companion-guard/core';
import { verifyAuditTrail } from '../audit/audit-trail-verifier.js';
import type { ConfigOverrides, GatewayConfig } from '../config.js';
import { createApiKey, revokeApiKey } from '../server/auth/api-keys.js';
import { generatePassword } from '../server/auth/passwords.js';
import { addStaffAccount, disableStaffAccount } from '../server/auth/staff-auth.js';
import { masterKeyEnvVar, migrateStore, rotateMasterKeyFile } from '../storage/index.js';
import { previousMasterKeyEnvVar } from '../storage/master-key.js';
import { readVerifyingKey } from '../storage/signing-key.js';
import { resolveCliConfig } from './cli-config.js';
import {
  exportTrainingData,
  minorsPiReport,
  progressReporter,
  verifyReceiptFile,
} from './data-rights-commands.js';
import { evalCommand } from './eval.js';
import { probeCommand } from './probe-command.js';
import { reportCommand, reportUsage } from './report-commands.js';
import { openStore, startServer } from './serve.js';

/** Where the CLI reads and writes; injected so tests run commands in-process. */
export interface CliIo {
  /** Results (stdout). */
  readonly out: (line: string) => void;
  /** Diagnostics: which data dir and config were used (stderr). */
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** All of standard input (for `--password-stdin`). */
  readonly readStdin: () => Promise<string>;
  /** Raw writes to stderr when it is a terminal (progress bars); absent otherwise. */
  readonly tty?: ((chunk: string) => void) | undefined;
}

export const usage = `companion-guard — compliance runtime for AI companion services

Usage:
  companion-guard serve [--port N] [--host H] [--data DIR] [--config FILE]
  companion-guard migrate [--data DIR] [--config FILE]
  companion-guard keys create [--label NAME] | keys list | keys revoke ID
  companion-guard keys rotate-master [--resume]
  companion-guard staff add --email E --role operator|compliance|auditor|admin [--password-stdin] [--totp]
  companion-guard staff list | staff disable EMAIL
  companion-guard audit verify [--checkpoints FILE]... [--data DIR] [--config FILE]
  companion-guard eval --data FILE.jsonl --detector NAME [--label L] [--json]
  companion-guard eval --all [--dir ../shared/eval]
  companion-guard profile show [--config FILE] [--region CODE] | profile schema
  companion-guard export --purpose training --out DIR
  companion-guard receipt verify FILE [--public-key FILE.pem]
  companion-guard report minors-pi --year YYYY
  companion-guard probe --base-url URL [--key K] [--profile cn-2026] [--format text|json|html] [--out FILE]
  companion-guard report assessment --from YYYY-MM-DD --to YYYY-MM-DD [--format html|md|json] [--out FILE]
  companion-guard report annual --year YYYY [--format html|md|json] [--out FILE]
  companion-guard seed --users N --active M [--days 120] [--store URL]

Every command that uses the store takes --data DIR and --config FILE (or COMPANION_GUARD_DATA /
COMPANION_GUARD_CONFIG) like serve, and prints the data dir, config and database it used on stderr.
`;

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  config: { type: 'string' },
  label: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  totp: { type: 'boolean' },
  checkpoints: { type: 'string', multiple: true },
  resume: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  purpose: { type: 'string' },
  out: { type: 'string' },
  year: { type: 'string' },
  'public-key': { type: 'string' },
  // SCOPE-2: `profile show --region US-CA` prints the profile that region's users get.
  region: { type: 'string' },
  // report assessment | annual (ASSESS-2, ASSESS-5)
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  users: { type: 'string' },
  active: { type: 'string' },
  days: { type: 'string' },
  store: { type: 'string' },
} as const;

const staffRoles: readonly StaffRole[] = ['operator', 'compliance', 'auditor', 'admin'];
const at = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

/**
 * Runs one CLI command. Returns the exit code, or -1 for `serve` (which keeps running until a signal).
 *
 * @example await runCli(['staff', 'list', '--data', './data'], io) // 0, one line per staff member
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'eval') return evalCommand(rest, io.out);
  if (command === 'probe') return probeCommand(rest, io.out);
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  if (!command || values.help || command === 'help') {
    io.out(usage);
    return command ? 0 : 1;
  }
  if (command === 'profile' && positionals[0] === 'schema') {
    io.out(JSON.stringify(profileJsonSchema(), null, 2));
    return 0;
  }
  const dataRightsCommands = ['export', 'receipt', 'report'];
  if (
    !['serve', 'migrate', 'keys', 'staff', 'audit', 'profile', 'seed', ...dataRightsCommands].includes(
      command,
    )
  ) {
    io.out(`unknown command "${command}"\n\n${usage}`);
    return 1;
  }
  const overrides: ConfigOverrides = {
    port: values.port === undefined ? undefined : Number(values.port),
    host: values.host,
    dataDir: values.data,
    configFile: values.config,
  };
  const config = await resolveCliConfig(overrides, {
    mayCreateDataDir: command === 'serve' || command === 'migrate',
    env: io.env,
    report: io.err,
  });
  const withStore = async (work: (store: Store) => Promise<number>): Promise<number> => {
    const store = await openStore(config);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  const [action, arg] = positionals;
  if (command === 'report' && (action === 'assessment' || action === 'annual')) {
    return reportCommand(action, values, config, io, withStore);
  }
  if (dataRightsCommands.includes(command)) {
    return dataRightsCommand(command, action, arg, values, { config, io, withStore });
  }

  if (command === 'seed') return seedCommand(config, values, io);

  switch (command) {
    case 'serve': {
      const server = await startServer({ config, env: io.env });
      io.out(`companion-guard: ${server.url}  (profile ${server.config.profile.id})`);
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1;
    }
    case 'migrate': {
      const result = await migrateStore(config.databaseUrl);
      io.out(`migrated ${result.dialect}: ${result.applied.length} migration(s) applied`);
      return 0;
    }
    case 'profile':
      io.out(
        JSON.stringify(values.region ? config.profiles.forRegion(values.region) : config.profile, null, 2),
      );
      return 0;
    case 'audit':
      if (action !== 'verify') {
        io.out('usage: companion-guard audit verify');
        return 1;
      }
      return withStore(async (store) => {
        const publicKeyPem = await readVerifyingKey({
          dataDir: config.dataDir,
          file: config.audit.signingKeyFile,
          env: io.env,
          publicKeyFile: values['public-key'],
        });
        const report = await verifyAuditTrail({
          store,
          files: values.checkpoints ?? config.audit.checkpointFiles,
          publicKeyPem,
          now: Date.now(),
          auditRetentionMs: config.profile.retention.auditDays * 86_400_000,
          checkpointIntervalMs: config.audit.checkpointIntervalMs,
        });
        for (const line of report.lines) io.out(line);
        return report.ok ? 0 : 2;
      });
    case 'keys':
      if (action === 'rotate-master') return rotateMaster(config, values.resume === true, io);
      return withStore(async (store) => {
        if (action === 'create') {
          const { key, secret } = await createApiKey(store, {
            label: values.label ?? 'default',
            now: Date.now(),
            by: 'cli',
          });
          io.out(`created key ${key.id}. Secret (shown once): ${secret}`);
          return 0;
        }
        if (action === 'list') {
          for (const k of await store.listApiKeys()) {
            io.out(`${k.id}\t${k.label}\t${at(k.createdAt)}\t${k.revokedAt ? 'revoked' : 'active'}`);
          }
          return 0;
        }
        if (action === 'revoke' && arg) {
          await revokeApiKey(store, arg, Date.now(), 'cli');
          io.out(`revoked ${arg}`);
          return 0;
        }
        io.out(
          'usage: companion-guard keys create [--label NAME] | keys list | keys revoke ID | keys rotate-master [--resume]',
        );
        return 1;
      });
    default:
      return withStore((store) => staffCommand(store, action, arg, values, io));
  }
}

/**
 * DATA-1: a new master key (unless the key comes from the environment or `resume`), then every data key
 * and staff secret re-wrapped under it while gateways keep serving (they read the old key until then).
 */
async function rotateMaster(config: GatewayConfig, resume: boolean, io: CliIo): Promise<number> {
  const fromEnv = Boolean(io.env[masterKeyEnvVar]?.trim());
  if (!fromEnv && !resume) {
    await rotateMasterKeyFile(config.dataDir);
    io.out(
      'new master key written; the old one is kept as master.previous.key until every row is re-wrapped',
    );
  }
  const store = await openStore(config);
  try {
    const result = await store.rewrapDataKeys({ now: Date.now() });
    io.out(
      `re-wrapped ${result.dataKeys} data key(s) and ${result.secrets} staff secret(s) under master key ${result.masterKeyId}`,
    );
    if (result.unreadable.length > 0) {
      io.out(`${result.unreadable.length} data key(s) open under no held master key; left as they are`);
      return 2;
    }
    io.out(
      fromEnv
        ? `done. Retire the old key: remove ${previousMasterKeyEnvVar} from every instance.`
        : 'done. Retire the old key: once no backup you may restore needs it, delete master.previous.key.',
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** `export --purpose training`, `receipt verify`, `report minors-pi` (DATA-4, DATA-6, DATA-7, MINOR-6). */
function dataRightsCommand(
  command: string,
  action: string | undefined,
  arg: string | undefined,
  values: {
    purpose?: string | undefined;
    out?: string | undefined;
    year?: string | undefined;
    'public-key'?: string | undefined;
  },
  {
    config,
    io,
    withStore,
  }: {
    config: GatewayConfig;
    io: CliIo;
    withStore: (work: (store: Store) => Promise<number>) => Promise<number>;
  },
): Promise<number> {
  if (command === 'receipt' && action === 'verify' && arg) {
    return verifyReceiptFile(
      arg,
      {
        publicKeyFile: values['public-key'],
        dataDir: config.dataDir,
        file: config.audit.signingKeyFile,
        env: io.env,
      },
      io,
    );
  }
  if (command === 'export' && values.purpose === 'training' && values.out) {
    const out = values.out;
    return withStore((store) => exportTrainingData(store, config.profile, out, Date.now(), io));
  }
  if (command === 'report' && action === 'minors-pi' && values.year) {
    const year = Number(values.year);
    return withStore((store) => minorsPiReport(store, config.profile, year, io));
  }
  io.out(
    'usage: companion-guard export --purpose training --out DIR\n' +
      '       companion-guard receipt verify FILE [--public-key FILE.pem]\n' +
      '       companion-guard report minors-pi --year YYYY\n' +
      reportUsage,
  );
  return Promise.resolve(1);
}

async function staffCommand(
  store: Store,
  action: string | undefined,
  arg: string | undefined,
  values: {
    email?: string | undefined;
    role?: string | undefined;
    'password-stdin'?: boolean | undefined;
    totp?: boolean | undefined;
  },
  io: CliIo,
): Promise<number> {
  if (action === 'add' && values.email && staffRoles.includes(values.role as StaffRole)) {
    const generated = values['password-stdin'] ? null : generatePassword();
    const password = generated ?? (await io.readStdin()).replace(/\r?\n$/, '');
    const { staff, totpUri } = await addStaffAccount(store, {
      email: values.email,
      role: values.role as StaffRole,
      password,
      totp: values.totp,
      now: Date.now(),
      by: 'cli',
    });
    io.out(`added ${staff.role} ${staff.email} (id ${staff.id})`);
    if (generated) io.out(`password (shown once): ${generated}`);
    if (totpUri) io.out(`TOTP: add this to an authenticator app (shown once): ${totpUri}`);
    return 0;
  }
  if (action === 'list') {
    for (const s of await store.staff.listStaff()) {
      const state = s.disabled ? 'disabled' : 'active';
      io.out(
        `${s.id}\t${s.email}\t${s.role}\t${state}\t${s.totpSecret ? 'totp' : '-'}\t${at(s.lastLoginAt)}`,
      );
    }
    return 0;
  }
  if (action === 'disable' && arg) {
    const staff = await store.staff.findStaffByEmail(arg);
    if (!staff) throw new CgError('not-found', `No staff member with the email ${arg}.`);
    await disableStaffAccount(store, staff.id, Date.now(), 'cli');
    io.out(`disabled ${staff.email}; their sessions are ended`);
    return 0;
  }
  io.out(
    'usage: companion-guard staff add --email E --role operator|compliance|auditor|admin [--password-stdin] [--totp]\n' +
      '       companion-guard staff list | staff disable EMAIL',
  );
  return 1;
}

/**
 * ASSESS-2: `seed --users N --active M [--days D] [--store URL]`: synthetic users, activity and aggregates
 * (a progress bar on stderr), for benchmarks and demos. A store that holds users is refused
 * (`store-not-empty`): the users are fake.
 */
async function seedCommand(
  config: GatewayConfig,
  values: {
    users?: string | undefined;
    active?: string | undefined;
    days?: string | undefined;
    store?: string | undefined;
  },
  io: CliIo,
): Promise<number> {
  const count = (value: string | undefined, name: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new CgError('invalid-request', `--${name} must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
  const users = count(values.users, 'users', 1, 50_000_000);
  const active = count(values.active ?? '0', 'active', 0, users);
  const days = count(values.days ?? '120', 'days', 31, 730);
  const store = await openStore(values.store ? { ...config, databaseUrl: values.store } : config);
  try {
    const started = performance.now();
    const draw = progressReporter(users, 'users', io);
    const result = await store.seedSynthetic(
      { users, active, days, now: Date.now(), elderlyFrom: config.profile.elderly.ageFrom },
      draw,
    );
    const seconds = (performance.now() - started) / 1000;
    io.out(
      `seeded ${result.users} users (${result.monthlyActive} monthly active), ${result.userDays} active user-days, ${result.turns} turns, ${result.incidents} incidents in ${seconds.toFixed(1)} s`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
