import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffTestApp, type StaffTestApp } from '../../../test/staff-app.js';

async function status(t: StaffTestApp, headers: Record<string, string>, path = '/v1/characters') {
  const r = await t.request(path, { headers });
  const body = (await r.json()) as { code?: string; error?: { code?: string } };
  return [r.status, body.code ?? body.error?.code ?? null] as const;
}

describe('Host/Origin check on a loopback server (DNS rebinding, cross-site posts)', () => {
  let t: StaffTestApp;
  beforeAll(async () => {
    t = await createStaffTestApp({
      hosts: { loopback: true, port: () => 8787, allowedHosts: ['cg.internal', 'LAN.example:9000'] },
    });
  });
  afterAll(() => t.close());

  it('accepts the loopback names with the served port', async () => {
    for (const host of ['127.0.0.1:8787', 'localhost:8787', '[::1]:8787', 'LOCALHOST:8787']) {
      expect(await status(t, { host })).toEqual([200, null]);
    }
  });

  it('refuses other names, and loopback names with another port, with 403 forbidden-host', async () => {
    for (const host of [
      'attacker.example:8787',
      'attacker.example',
      '127.0.0.1:9999',
      'localhost',
      '127.0.0.2:8787',
    ]) {
      expect(await status(t, { host })).toEqual([403, 'forbidden-host']);
    }
    const r = await t.request('/api/me', { headers: { host: 'attacker.example:8787' } });
    expect(await r.json()).toEqual({
      code: 'forbidden-host',
      message: expect.stringContaining('server.allowedHosts'),
    });
  });

  it('accepts server.allowedHosts: a bare name on any port, a name:port on that port only', async () => {
    expect(await status(t, { host: 'cg.internal' })).toEqual([200, null]);
    expect(await status(t, { host: 'cg.internal:1234' })).toEqual([200, null]);
    expect(await status(t, { host: 'lan.example:9000' })).toEqual([200, null]);
    expect(await status(t, { host: 'lan.example:9001' })).toEqual([403, 'forbidden-host']);
  });

  it('a present Origin must be http(s):// one of the served names', async () => {
    const host = '127.0.0.1:8787';
    for (const origin of [
      'http://127.0.0.1:8787',
      'https://localhost:8787',
      'http://[::1]:8787',
      'https://cg.internal',
    ]) {
      expect(await status(t, { host, origin })).toEqual([200, null]);
    }
    for (const origin of [
      'http://attacker.example',
      'null',
      'file://',
      'ftp://127.0.0.1:8787',
      'http://127.0.0.1:1',
      'garbage',
    ]) {
      expect(await status(t, { host, origin })).toEqual([403, 'forbidden-host']);
    }
  });

  it('a cross-site login attempt is refused before it reaches the login', async () => {
    const member = await t.addStaff('operator');
    const r = await t.request('/api/login', {
      method: 'POST',
      headers: { origin: 'https://attacker.example' },
      body: JSON.stringify({ email: member.email, password: member.password }),
    });
    expect(r.status).toBe(403);
    expect(r.headers.get('set-cookie')).toBeNull();
  });
});

describe('Host check on other addresses', () => {
  it('without server.allowedHosts every Host is served', async () => {
    const t = await createStaffTestApp({ hosts: { loopback: false, allowedHosts: [] } });
    try {
      expect(
        await status(t, { host: 'anything.example', origin: 'https://elsewhere.example' }, '/healthz'),
      ).toEqual([200, null]);
    } finally {
      await t.close();
    }
  });

  it('with server.allowedHosts only those names are served', async () => {
    const t = await createStaffTestApp({ hosts: { loopback: false, allowedHosts: ['chat.example.com'] } });
    try {
      expect(await status(t, { host: 'chat.example.com' }, '/healthz')).toEqual([200, null]);
      expect(
        await status(t, { host: 'chat.example.com', origin: 'https://chat.example.com' }, '/healthz'),
      ).toEqual([200, null]);
      expect(await status(t, { host: '127.0.0.1:8787' }, '/healthz')).toEqual([403, 'forbidden-host']);
      expect(
        await status(t, { host: 'chat.example.com', origin: 'https://evil.example' }, '/healthz'),
      ).toEqual([403, 'forbidden-host']);
    } finally {
      await t.close();
    }
  });
});
