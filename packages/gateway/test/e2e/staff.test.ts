import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve.js';
import { silentLogger } from '../../src/logger.js';
import { addStaffAccount } from '../../src/server/auth/staff-auth.js';
import { totpCode } from '../../src/server/auth/totp.js';
import { startHarness } from './helpers.js';

const character = (id: string) => ({ id, name: { zh: `角色${id}`, en: `Character ${id}` } });

describe('staff console over real HTTP', () => {
  it('an admin signs in with password and TOTP, uses the cookie and the CSRF token, and signs out', async () => {
    const h = await startHarness();
    try {
      const { totpUri } = await addStaffAccount(h.server.store, {
        email: 'root@example.com',
        role: 'admin',
        password: 'correct horse battery',
        now: Date.now(),
        by: 'test',
      });
      const secret = new URL(totpUri ?? '').searchParams.get('secret') ?? '';
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${h.server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
      const login = await post('/api/login', {
        email: 'root@example.com',
        password: 'correct horse battery',
        totp: totpCode(secret, Date.now()),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
      const me = await fetch(`${h.server.url}/api/me`, { headers: { cookie } });
      expect(await me.json()).toMatchObject({ email: 'root@example.com', role: 'admin', totp: true });
      const key = await post('/api/keys', { label: 'backend' }, { cookie, 'x-csrf-token': csrf });
      expect(key.status).toBe(201);
      expect((await post('/api/logout', {}, { cookie, 'x-csrf-token': csrf })).status).toBe(204);
      expect((await fetch(`${h.server.url}/api/me`, { headers: { cookie } })).status).toBe(401);
    } finally {
      await h.stop();
    }
  });
});

describe('characters at start-up', () => {
  it('only config characters that left the config are disabled; console characters stay as they are', async () => {
    const h = await startHarness({ config: { characters: [character('alpha'), character('beta')] } });
    try {
      await h.server.store.saveConsoleCharacter(
        {
          ...character('gamma'),
          description: { zh: '控制台', en: 'Console' },
          scope: 'companion',
          relation: 'friend',
          persona: '',
          model: null,
          enabled: true,
        },
        Date.now(),
        [],
      );
      await h.server.close();
      h.server = await startServer({
        port: 0,
        dataDir: h.dataDir,
        configFile: await writeConfig(h.dataDir, { demo: { paceMs: 0 }, characters: [character('alpha')] }),
        env: {},
        logger: silentLogger,
      });
      const state = Object.fromEntries(
        (await h.server.store.listCharacters()).map((c) => [c.id, [c.managedBy, c.enabled]]),
      );
      expect(state).toEqual({
        alpha: ['config', true],
        beta: ['config', false],
        gamma: ['console', true],
      });
    } finally {
      await h.stop();
    }
  });
});

async function writeConfig(dir: string, config: unknown): Promise<string> {
  const file = join(dir, 'config-2.json');
  await writeFile(file, JSON.stringify(config));
  return file;
}

describe('Host check on a listening gateway', () => {
  it('a rebound name reaching the loopback port is refused; the served name works', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-host-'));
    const server = await startServer({ port: 0, dataDir, env: {}, logger: silentLogger });
    const port = new URL(server.url).port;
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/v1/characters', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.once('error', reject);
        req.end();
      });
    try {
      expect(await get(`127.0.0.1:${port}`)).toBe(200);
      expect(await get(`localhost:${port}`)).toBe(200);
      expect(await get(`rebound.attacker.example:${port}`)).toBe(403);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
