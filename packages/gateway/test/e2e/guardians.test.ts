import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailFor, smtpSink } from '../notify-capture.js';
import { type Harness, startHarness } from './helpers.js';

/** The fields these tests read from the gateway's JSON answers. */
interface Wire {
  readonly status?: string;
  readonly csrf_token?: string;
  readonly data?: { readonly id: string; readonly user: string }[];
  readonly consent?: unknown;
  readonly allow?: boolean;
  readonly reason?: string;
}

describe('guardians over a listening gateway and real SMTP (MINOR-2, MINOR-4)', () => {
  let h: Harness;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  beforeAll(async () => {
    sink = await smtpSink();
    h = await startHarness({
      config: {
        notify: { smtp: { host: '127.0.0.1', port: sink.port, secure: false, from: 'cg@example.com' } },
      },
    });
  });
  afterAll(async () => {
    await h.stop();
    await sink.close();
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${h.server.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      headers: response.headers,
      json: (await response.json().catch(() => ({}))) as Wire,
    };
  };

  it('MINOR-2: the consent request reaches the guardian by SMTP with a link and no sign-in code; a code asked for on the console signs in and consent is recorded', async () => {
    const reg = await call('PUT', '/v1/users/kid-12', {
      age: 12,
      guardian: { name: 'Mum', email: 'mum@example.com' },
    });
    expect(reg.status).toBe(200);
    const before = sink.mails.length;
    expect((await call('POST', '/v1/users/kid-12/guardian-consent')).json).toEqual({ status: 'sent' });
    const mail = await mailFor(sink.mails, 'mum@example.com', before);
    expect(mail.subject).toContain('consent as guardian');
    expect(mail.text).toContain('/guardian?consent=');
    expect(mail.text).not.toMatch(/\b\d{6}\b/);
    const asked = sink.mails.length;
    expect((await call('POST', '/api/guardian/code', { contact: 'mum@example.com' })).status).toBe(202);
    const code = /code: (\d{6})/.exec((await mailFor(sink.mails, 'mum@example.com', asked)).text)?.[1];
    expect(code).toMatch(/^\d{6}$/);

    const login = await call('POST', '/api/guardian/login', { contact: 'mum@example.com', code });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = { cookie, 'x-csrf-token': login.json.csrf_token ?? '' };
    const minors = await call('GET', '/api/guardian/minors', undefined, session);
    expect(minors.json.data?.map((m) => m.user)).toEqual(['kid-12']);
    const id = minors.json.data?.[0]?.id ?? '';
    const consent = await call('POST', `/api/guardian/minors/${id}/consent`, undefined, session);
    expect(consent.json.consent).toMatchObject({ method: 'email-code', revoked_at: null });

    // MINOR-4: the spending check denies once the guardian turned spending off.
    const check = async () =>
      (await call('POST', '/v1/spending/check', { user: 'kid-12', amount: 30, currency: 'CNY' })).json;
    await call('PUT', `/api/guardian/minors/${id}/controls`, { spending: true }, session);
    expect(await check()).toEqual({ allow: true, reason: 'guardian-allowed' });
    await call('PUT', `/api/guardian/minors/${id}/controls`, { spending: false }, session);
    expect(await check()).toEqual({ allow: false, reason: 'guardian-disallowed' });

    const types = (await h.server.store.listAudit()).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'guardian-consent-requested',
        'guardian-login',
        'guardian-consent-recorded',
        'guardian-action',
        'spending-checked',
      ]),
    );
  });

  it('MINOR-4: a sign-in code asked for on the console arrives by SMTP only for a registered contact', async () => {
    const before = sink.mails.length;
    expect((await call('POST', '/api/guardian/code', { contact: 'nobody@example.com' })).status).toBe(202);
    expect((await call('POST', '/api/guardian/code', { contact: 'MUM@example.com' })).status).toBe(202);
    const mail = await mailFor(sink.mails, 'mum@example.com', before);
    expect(mail.text).toMatch(/\d{6}/);
    expect(sink.mails.slice(before).flatMap((m) => m.to)).not.toContain('nobody@example.com');
  });
});
