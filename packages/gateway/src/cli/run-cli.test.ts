import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCgError } from '@companion-guard/core';
import { createFakeClock } from '@companion-guard/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createStaffAuth, defaultStaffSettings } from '../server/auth/staff-auth.js';
import { totpCode } from '../server/auth/totp.js';
import { type CliIo, runCli } from './run-cli.js';
import { openStore } from './serve.js';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cg-cli-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function cli(
  argv: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const run: Run = { code: 0, out: [], err: [] };
  const io: CliIo = {
    out: (line) => run.out.push(line),
    err: (line) => run.err.push(line),
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? '',
  };
  run.code = await runCli(argv, io);
  return run;
}

async function withDataDir(): Promise<string> {
  const data = join(root, 'data');
  expect((await cli(['migrate', '--data', data])).code).toBe(0);
  return data;
}

describe('CLI: which data dir and config every command uses', () => {
  it('prints the data dir, config and database on stderr (flags, as serve reads them)', async () => {
    const data = await withDataDir();
    const configFile = join(root, 'cg.json');
    await writeFile(configFile, JSON.stringify({ staff: { lockoutAttempts: 3 } }));
    const run = await cli(['keys', 'list', '--data', data, '--config', configFile]);
    expect(run.code).toBe(0);
    expect(run.err).toEqual([`data dir: ${data} · config: ${configFile} · database: sqlite`]);
  });

  it('reads COMPANION_GUARD_DATA and COMPANION_GUARD_CONFIG like serve', async () => {
    const data = await withDataDir();
    const run = await cli(['staff', 'list'], { env: { COMPANION_GUARD_DATA: data } });
    expect(run.err).toEqual([`data dir: ${data} · config: none (defaults) · database: sqlite`]);
    const config = await loadConfig({}, { COMPANION_GUARD_DATA: data });
    expect(config.dataDir).toBe(data);
  });

  it('a command other than serve/migrate refuses a data dir that does not exist, naming it and --data', async () => {
    const missing = join(root, 'no-such-data');
    for (const argv of [
      ['keys', 'create', '--data', missing],
      ['staff', 'list', '--data', missing],
      ['audit', 'verify', '--data', missing],
    ]) {
      const error = await cli(argv).catch((e: unknown) => e);
      expect(isCgError(error, 'invalid-config')).toBe(true);
      expect((error as Error).message).toContain(missing);
      expect((error as Error).message).toContain('--data');
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('migrate may create a new data dir', async () => {
    const data = join(root, 'fresh');
    const run = await cli(['migrate', '--data', data]);
    expect(run.code).toBe(0);
    expect(run.err[0]).toContain(`data dir: ${data}`);
  });
});

describe('CLI: staff add / list / disable', () => {
  it('adds an admin with a password from stdin; the otpauth URI is printed once and the admin can sign in', async () => {
    const data = await withDataDir();
    const run = await cli(
      ['staff', 'add', '--email', 'Root@Example.com', '--role', 'admin', '--password-stdin', '--data', data],
      { stdin: 'a strong admin password\n' },
    );
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^added admin root@example\.com \(id [0-9a-f-]{36}\)$/);
    const uri =
      run.out
        .find((l) => l.includes('otpauth://'))
        ?.split(': ')
        .at(-1) ?? '';
    expect(uri).toMatch(
      /^otpauth:\/\/totp\/companion-guard:root@example\.com\?secret=[A-Z2-7]{32}&issuer=companion-guard$/,
    );
    expect(run.out.join('\n')).not.toContain('a strong admin password');

    const config = await loadConfig({ dataDir: data }, {});
    const store = await openStore(config);
    try {
      const clock = createFakeClock(Date.now());
      const auth = createStaffAuth({ store, clock, settings: defaultStaffSettings });
      const secret = new URL(uri).searchParams.get('secret') ?? '';
      const login = await auth.login({
        email: 'root@example.com',
        password: 'a strong admin password',
        totp: totpCode(secret, clock.now()),
      });
      expect(login.principal.role).toBe('admin');
      expect((await store.listAudit()).find((e) => e.type === 'staff-added')?.data).toMatchObject({
        role: 'admin',
        totp: true,
        by: 'cli',
      });
    } finally {
      await store.close();
    }
  });

  it('without --password-stdin generates a strong password and prints it once; --totp enrols TOTP for others', async () => {
    const data = await withDataDir();
    const run = await cli([
      'staff',
      'add',
      '--email',
      'op@example.com',
      '--role',
      'operator',
      '--data',
      data,
    ]);
    const password = run.out.find((l) => l.startsWith('password (shown once): '))?.slice(23) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(run.out.some((l) => l.includes('otpauth://'))).toBe(false);
    const withTotp = await cli([
      'staff',
      'add',
      '--email',
      'aud@example.com',
      '--role',
      'auditor',
      '--totp',
      '--data',
      data,
    ]);
    expect(withTotp.out.some((l) => l.includes('otpauth://totp/companion-guard:aud@example.com'))).toBe(true);

    const store = await openStore(await loadConfig({ dataDir: data }, {}));
    try {
      const auth = createStaffAuth({ store, clock: createFakeClock(), settings: defaultStaffSettings });
      expect((await auth.login({ email: 'op@example.com', password })).principal.role).toBe('operator');
    } finally {
      await store.close();
    }
  });

  it('lists staff and disables one by email; a duplicate, a bad role or a short password is refused', async () => {
    const data = await withDataDir();
    await cli(['staff', 'add', '--email', 'a@example.com', '--role', 'compliance', '--data', data]);
    await cli(['staff', 'add', '--email', 'b@example.com', '--role', 'auditor', '--data', data]);
    const duplicate = await cli([
      'staff',
      'add',
      '--email',
      'A@example.com',
      '--role',
      'auditor',
      '--data',
      data,
    ]).catch((e: unknown) => e);
    expect(isCgError(duplicate, 'staff-exists')).toBe(true);
    const short = await cli(
      ['staff', 'add', '--email', 'c@example.com', '--role', 'auditor', '--password-stdin', '--data', data],
      { stdin: 'short\n' },
    ).catch((e: unknown) => e);
    expect(isCgError(short, 'invalid-request')).toBe(true);
    expect(
      (await cli(['staff', 'add', '--email', 'd@example.com', '--role', 'root', '--data', data])).code,
    ).toBe(1);

    const disabled = await cli(['staff', 'disable', 'B@EXAMPLE.COM', '--data', data]);
    expect(disabled.out).toEqual(['disabled b@example.com; their sessions are ended']);
    const list = await cli(['staff', 'list', '--data', data]);
    expect(list.out.map((l) => l.split('\t').slice(1, 5))).toEqual([
      ['a@example.com', 'compliance', 'active', '-'],
      ['b@example.com', 'auditor', 'disabled', '-'],
    ]);
    const unknown = await cli(['staff', 'disable', 'nobody@example.com', '--data', data]).catch(
      (e: unknown) => e,
    );
    expect(isCgError(unknown, 'not-found')).toBe(true);
  });

  it('keys create is audited (api-key-created by cli) and its secret printed once', async () => {
    const data = await withDataDir();
    const run = await cli(['keys', 'create', '--label', 'backend', '--data', data]);
    expect(run.out[0]).toMatch(/^created key [0-9a-f-]{36}\. Secret \(shown once\): cg_/);
    const store = await openStore(await loadConfig({ dataDir: data }, {}));
    try {
      expect((await store.listAudit()).map((e) => [e.type, e.data?.by])).toEqual([
        ['api-key-created', 'cli'],
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('SCOPE-2: profile show --region', () => {
  it('SCOPE-2: prints the profile a region’s users get, the default without --region', async () => {
    const config = join(root, 'regions.json');
    await writeFile(
      config,
      JSON.stringify({ profiles: { default: 'cn-2026', byRegion: { EU: 'eu-ai-act' } } }),
    );
    const de = await cli(['profile', 'show', '--config', config, '--region', 'DE', '--data', root]);
    expect(de.code).toBe(0);
    expect(JSON.parse(de.out.join('\n'))).toMatchObject({
      id: 'eu-ai-act',
      disclosure: { machineReadableMark: true },
    });
    const plain = await cli(['profile', 'show', '--config', config, '--data', root]);
    expect(JSON.parse(plain.out.join('\n')).id).toBe('cn-2026');
  });
});
