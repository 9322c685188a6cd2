import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileJsonSchema } from '@companion-guard/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

async function configFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-config-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('SCOPE-2: configuration and profile overrides', () => {
  it('defaults: cn-2026, loopback:8787, SQLite under ./data, the demo model', async () => {
    const c = await loadConfig({}, {});
    expect(c.profile.id).toBe('cn-2026');
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8787);
    expect(c.databaseUrl).toMatch(/^sqlite:.*data\/companion-guard\.sqlite$/);
    expect(c.upstream.kind).toBe('demo');
  });

  it('overrides any profile parameter from YAML and JSON', async () => {
    const yaml = await configFile(
      'c.yaml',
      'profile: us-ny-art47\npolicy:\n  disclosure:\n    repeatEveryMinutes: 120\n',
    );
    const c = await loadConfig({ configFile: yaml }, {});
    expect(c.profile.id).toBe('us-ny-art47');
    expect(c.profile.disclosure.repeatEveryMinutes).toBe(120);
    expect(c.profile.disclosure.minIntervalMinutes).toBe(1440);
    const json = await configFile(
      'c.json',
      JSON.stringify({ policy: { usageReminder: { everyMinutes: 60 } } }),
    );
    expect((await loadConfig({ configFile: json }, {})).profile.usageReminder?.everyMinutes).toBe(60);
  });

  it('refuses invalid files with a message naming the bad field', async () => {
    const bad = await configFile('bad.yaml', 'policy:\n  session:\n    idleGapMinutes: "soon"\n');
    await expect(loadConfig({ configFile: bad }, {})).rejects.toThrow(/session\.idleGapMinutes/);
    const typo = await configFile('typo.json', JSON.stringify({ upstream: { baseUrl: 'not a url' } }));
    await expect(loadConfig({ configFile: typo }, {})).rejects.toThrow(/upstream\.baseUrl/);
    const broken = await configFile('broken.json', '{ "profile": ');
    await expect(loadConfig({ configFile: broken }, {})).rejects.toMatchObject({ code: 'invalid-config' });
    await expect(loadConfig({}, { COMPANION_GUARD_PROFILE: 'xx' })).rejects.toMatchObject({
      code: 'invalid-profile',
    });
  });

  it('points at a real upstream with one setting', async () => {
    const c = await loadConfig({}, { COMPANION_GUARD_UPSTREAM_URL: 'http://127.0.0.1:11434/v1' });
    expect(c.upstream).toMatchObject({ kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1' });
  });

  it('the committed JSON Schema for editors matches the zod schema', async () => {
    const committed = JSON.parse(
      await readFile(new URL('../../../docs/profile.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(profileJsonSchema());
  });
});

describe('staff and host settings', () => {
  it('defaults: lockout 5 × 15 min, sessions 30 min idle / 12 h, on duty 90 s after a heartbeat, no extra hosts, no config file', async () => {
    const c = await loadConfig({}, {});
    expect(c.staff).toEqual({
      lockoutAttempts: 5,
      lockoutMinutes: 15,
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
      onDutyWindowSeconds: 90,
    });
    expect(c.allowedHosts).toEqual([]);
    expect(c.configFile).toBeNull();
  });

  it('reads staff.* (partly) and server.allowedHosts from the file', async () => {
    const path = await configFile(
      'staff.json',
      JSON.stringify({
        staff: { lockoutAttempts: 3, sessionIdleMinutes: 10, onDutyWindowSeconds: 120 },
        server: { allowedHosts: ['cg.lan:8787'] },
      }),
    );
    const c = await loadConfig({ configFile: path }, {});
    expect(c.staff).toEqual({
      lockoutAttempts: 3,
      lockoutMinutes: 15,
      sessionIdleMinutes: 10,
      sessionMaxHours: 12,
      onDutyWindowSeconds: 120,
    });
    expect(c.allowedHosts).toEqual(['cg.lan:8787']);
    expect(c.configFile).toBe(path);
  });

  it('bad values name the field', async () => {
    for (const [text, field] of [
      [{ staff: { lockoutAttempts: 0 } }, 'staff.lockoutAttempts'],
      [{ staff: { sessionMaxHours: -1 } }, 'staff.sessionMaxHours'],
      // Shorter than two console heartbeats (25 s apart): operators would flicker off duty.
      [{ staff: { onDutyWindowSeconds: 30 } }, 'staff.onDutyWindowSeconds'],
      [{ staff: { lockoutMinuts: 5 } }, 'staff'],
      [{ server: { allowedHosts: ['http://x/'] } }, 'server.allowedHosts.0'],
    ] as const) {
      const path = await configFile('bad.json', JSON.stringify(text));
      await expect(loadConfig({ configFile: path }, {})).rejects.toThrow(field);
    }
  });
});

describe('live events settings', () => {
  it('no Redis by default; redis.url from the file, REDIS_URL over it, COMPANION_GUARD_REDIS_URL over both', async () => {
    expect((await loadConfig({}, {})).redis).toEqual({ url: null, prefix: 'companion-guard:' });
    const path = await configFile(
      'redis.json',
      JSON.stringify({ redis: { url: 'redis://file:6379', prefix: 'cg-a:' } }),
    );
    expect((await loadConfig({ configFile: path }, {})).redis).toEqual({
      url: 'redis://file:6379',
      prefix: 'cg-a:',
    });
    const env = { REDIS_URL: 'redis://env:6379' };
    expect((await loadConfig({ configFile: path }, env)).redis.url).toBe('redis://env:6379');
    const both = { ...env, COMPANION_GUARD_REDIS_URL: 'rediss://cg:6380' };
    expect((await loadConfig({ configFile: path }, both)).redis.url).toBe('rediss://cg:6380');
  });

  it('a Redis URL of another scheme is refused, naming the setting', async () => {
    const path = await configFile('bad-redis.json', JSON.stringify({ redis: { url: 'http://x' } }));
    await expect(loadConfig({ configFile: path }, {})).rejects.toThrow('redis.url');
    await expect(loadConfig({}, { REDIS_URL: 'localhost:6379' })).rejects.toThrow('Redis URL');
  });
});

describe('notify settings (RISK-5)', () => {
  it('defaults: no channel, 6 attempts from 2 s, polled every second', async () => {
    const c = await loadConfig({}, {});
    expect(c.notify).toEqual({
      webhooks: [],
      smtp: null,
      sms: null,
      onCall: { emails: [], phones: [] },
      compliance: { emails: [] },
      retry: { maxAttempts: 6, baseDelayMs: 2000 },
      pollMs: 1000,
    });
  });

  it('reads webhooks, SMTP, the SMS stand-in and the on-call list', async () => {
    const yaml = await configFile(
      'n.yaml',
      [
        'notify:',
        '  webhooks:',
        '    - { url: "https://hooks.example.com/cg", secret: "0123456789abcdef0123", audience: on-call }',
        '  smtp: { host: smtp.example.com, port: 465, secure: true, user: cg, pass: pw, from: "safety@example.com" }',
        '  sms: { kind: log }',
        '  onCall: { emails: [oncall@example.com], phones: ["+86 138 0000 0000"] }',
        '  retry: { maxAttempts: 3 }',
      ].join('\n'),
    );
    const { notify } = await loadConfig({ configFile: yaml }, {});
    expect(notify.webhooks).toEqual([
      { url: 'https://hooks.example.com/cg', secret: '0123456789abcdef0123', audience: 'on-call' },
    ]);
    expect(notify.smtp).toMatchObject({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      from: 'safety@example.com',
    });
    expect(notify.sms).toEqual({ kind: 'log' });
    expect(notify.onCall).toEqual({ emails: ['oncall@example.com'], phones: ['+86 138 0000 0000'] });
    expect(notify.retry).toEqual({ maxAttempts: 3, baseDelayMs: 2000 });
  });

  it('bad fields are named', async () => {
    const bad = await configFile(
      'b.json',
      JSON.stringify({
        notify: {
          webhooks: [{ url: 'ftp://x.example.com', secret: 'short' }],
          sms: { kind: 'twilio' },
          onCall: { emails: ['not-an-address'] },
        },
      }),
    );
    const error = await loadConfig({ configFile: bad }, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-config' });
    const message = String((error as Error).message);
    for (const field of [
      'notify.webhooks.0.url',
      'notify.webhooks.0.secret',
      'notify.sms.kind',
      'notify.onCall.emails.0',
    ]) {
      expect(message).toContain(field);
    }
  });
});

describe('SCOPE-2: profiles per user region in the config file', () => {
  it('SCOPE-2: profiles.byRegion maps regions; profile and policy still set the default', async () => {
    const yaml = await configFile(
      'regions.yaml',
      [
        'profile: cn-2026',
        'policy: { usageReminder: { everyMinutes: 90 } }',
        'profiles:',
        '  byRegion: { US-CA: us-ca-sb243, US-NY: us-ny-art47, EU: eu-ai-act }',
        '  overrides: { us-ca-sb243: { disclosure: { repeatEveryMinutes: 120 } } }',
        '',
      ].join('\n'),
    );
    const c = await loadConfig({ configFile: yaml }, {});
    expect(c.profile).toBe(c.profiles.default);
    expect(c.profile.usageReminder?.everyMinutes).toBe(90);
    expect(c.profiles.forRegion('US-CA').disclosure.repeatEveryMinutes).toBe(120);
    expect(c.profiles.forRegion('NL').id).toBe('eu-ai-act');
    expect(c.profiles.forRegion('JP').id).toBe('cn-2026');
    const plain = await configFile(
      'env.yaml',
      'profiles: { default: cn-2026, byRegion: { US-CA: us-ca-sb243 } }\n',
    );
    const env = await loadConfig({ configFile: plain }, { COMPANION_GUARD_PROFILE: 'us-ny-art47' });
    expect(env.profile.id).toBe('us-ny-art47');
    expect(env.profiles.forRegion('JP').id).toBe('us-ny-art47');
  });

  it('SCOPE-2: a bad mapping stops the start with a message naming the field', async () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { profiles: { byRegion: { 'US-CA': 'california' } } },
        'invalid-profile',
        /profiles\.byRegion\.US-CA: unknown profile "california"/,
      ],
      [
        { profiles: { byRegion: { 'United States': 'us-ny-art47' } } },
        'invalid-profile',
        /profiles\.byRegion\.United States: must be a region code/,
      ],
      [{ profiles: { default: 'eu' } }, 'invalid-profile', /profiles\.default: unknown profile "eu"/],
      [{ profiles: { byRegion: { CN: 7 } } }, 'invalid-config', /profiles\.byRegion\.CN/],
      [{ profiles: { regions: {} } }, 'invalid-config', /regions/],
      [
        { profile: 'cn-2026', profiles: { default: 'us-ny-art47' } },
        'invalid-config',
        /profile and profiles\.default name different profiles/,
      ],
      [
        { policy: { usageReminder: { everyMinutes: 60 } }, profiles: { overrides: { 'cn-2026': {} } } },
        'invalid-config',
        /policy and profiles\.overrides\.cn-2026 both override cn-2026/,
      ],
      [
        {
          profiles: {
            byRegion: { EU: 'eu-ai-act' },
            overrides: { 'eu-ai-act': { retention: { auditDays: 30 } } },
          },
        },
        'invalid-profile',
        /"eu-ai-act": retention\.auditDays: LOG-1/,
      ],
    ];
    for (const [body, code, message] of cases) {
      const file = await configFile('bad-regions.json', JSON.stringify(body));
      const error = await loadConfig({ configFile: file }, {}).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(error?.code, JSON.stringify(body)).toBe(code);
      expect(error?.message, JSON.stringify(body)).toMatch(message);
    }
  });
});

describe('CONTENT-1: a bring-your-own-policy guard (gpt-oss-safeguard)', () => {
  it('reads each detector policy inline or from a file next to the config file', async () => {
    const file = await configFile(
      'policy.yaml',
      [
        'secondOpinions:',
        '  guards:',
        '    - kind: gpt-oss-safeguard',
        '      baseUrl: http://127.0.0.1:8000/v1',
        '      model: openai/gpt-oss-safeguard-20b',
        '      policies:',
        '        prohibited: { file: prohibited-policy.md }',
        '        crisis: "Label 1 if the user states an intent to end their life; else 0."',
      ].join('\n'),
    );
    await writeFile(
      join(file, '..', 'prohibited-policy.md'),
      '# Prohibited content\nAnswer {"violation":0|1}.',
    );
    const c = await loadConfig({ configFile: file }, {});
    expect(c.secondOpinions.guards).toEqual([
      expect.objectContaining({
        kind: 'gpt-oss-safeguard',
        policies: {
          prohibited: '# Prohibited content\nAnswer {"violation":0|1}.',
          crisis: 'Label 1 if the user states an intent to end their life; else 0.',
        },
      }),
    ]);
  });

  it('a missing policy file, an empty policy or an unknown detector stop the start, naming it', async () => {
    const guard = (policies: unknown) =>
      JSON.stringify({
        secondOpinions: {
          guards: [{ kind: 'gpt-oss-safeguard', baseUrl: 'http://127.0.0.1:8000/v1', model: 'm', policies }],
        },
      });
    const missing = await configFile('a.json', guard({ prohibited: { file: 'nope.md' } }));
    await expect(loadConfig({ configFile: missing }, {})).rejects.toThrow(/prohibited policy .*nope\.md/);
    const empty = await configFile('b.json', guard({ crisis: '  ' }));
    await expect(loadConfig({ configFile: empty }, {})).rejects.toMatchObject({ code: 'invalid-config' });
    const unknown = await configFile('c.json', guard({ weather: 'x' }));
    await expect(loadConfig({ configFile: unknown }, {})).rejects.toThrow(/policies/);
  });
});

describe('CONTENT-1: deployment lexicons', () => {
  it('reads a list that replaces named categories of the built-in one', async () => {
    const file = await configFile(
      'lex.yaml',
      'lexicons:\n  - { path: gambling.tsv, replaces: [gambling] }\n  - { path: extra.tsv }\n',
    );
    await writeFile(join(file, '..', 'gambling.tsv'), 'casino night\tgambling\t2\ten\n');
    await writeFile(join(file, '..', 'extra.tsv'), 'moon cheese\tfraud\t1\ten\n');
    const c = await loadConfig({ configFile: file }, {});
    expect(c.lexicons.map((l) => l.replaces ?? null)).toEqual([['gambling'], null]);
  });
});
