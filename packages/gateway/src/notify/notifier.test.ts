import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInProfiles, type NotifyIncident, type Store } from '@companion-guard/core';
import { createFakeClock, type FakeClock } from '@companion-guard/core/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  smtpSink as startSmtpSink,
  webhookReceiver as startWebhookReceiver,
} from '../../test/notify-capture.js';
import { adminPool, createTestSchema, describePostgres } from '../../test/postgres.js';
import { silentLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { createStore } from '../storage/index.js';
import { createSmtpEmailSender, type EmailSender } from './email-sender.js';
import { createNotifier, type NotifierOptions } from './notifier.js';
import { createLogSmsSender } from './sms-sender.js';
import type { WebhookEndpoint } from './webhook-sender.js';

const masterKey = randomBytes(32);
const t0 = Date.UTC(2026, 6, 15, 8, 0, 0);
const secret = 'whsec-test-0123456789abcdef';
const hotlines = builtInProfiles['cn-2026']?.crisis.hotlines ?? [];

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function sqliteFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-notify-'));
  dirs.push(dir);
  return join(dir, 'store.sqlite');
}

async function openStore(url: string): Promise<Store> {
  const store = await createStore({ url, masterKey });
  cleanups.push(() => store.close());
  return store;
}

/** The shared SMTP sink, closed after the test. */
async function smtpSink() {
  const sink = await startSmtpSink();
  cleanups.push(sink.close);
  return sink;
}

/** The shared webhook receiver checking signatures at the fake clock's time, closed after the test. */
async function webhookReceiver(clock: FakeClock, statuses: number[] = []) {
  const receiver = await startWebhookReceiver({ secret, now: () => clock.now(), statuses });
  cleanups.push(receiver.close);
  return receiver;
}

function smtpSender(port: number): EmailSender {
  const sender = createSmtpEmailSender({
    host: '127.0.0.1',
    port,
    secure: false,
    from: '"Safety team" <safety@companion-guard.test>',
    timeoutMs: 3000,
  });
  cleanups.push(async () => sender.close());
  return sender;
}

async function incidentFor(store: Store, patch: Partial<NotifyIncident> = {}): Promise<NotifyIncident> {
  const external = `app-user-${randomBytes(3).toString('hex')}`;
  const user = await store.ensureUser(external, t0);
  return {
    id: `inc-${randomBytes(4).toString('hex')}`,
    userId: user.id,
    externalUserId: external,
    severity: 'critical',
    reason: 'crisis',
    openedAt: t0,
    contacts: {
      guardian: { name: '王秀英', email: 'wang.guardian-1f2e@example.cn', phone: null },
      emergencyContact: {
        name: 'Ada Lovelace',
        email: 'ada.emergency-7c3d@example.org',
        phone: '+1 415 555 0100',
      },
    },
    ageBand: 'adult',
    ...patch,
  };
}

function notifierFor(store: Store, clock: FakeClock, options: Partial<NotifierOptions> = {}) {
  return createNotifier({
    store: store.notifications,
    clock,
    hotlines,
    logger: silentLogger,
    random: () => 0,
    retry: { maxAttempts: 6, baseDelayMs: 2000 },
    ...options,
  });
}

const endpoint = (url: string, audience: WebhookEndpoint['audience'] = 'all'): WebhookEndpoint => ({
  url,
  secret,
  audience,
  timeoutMs: 3000,
});

describe('notifications (RISK-4, RISK-5, ELDER-2)', () => {
  it('RISK-5: an opened incident e-mails both contacts over SMTP in zh and en and calls the signed webhook; once', async () => {
    const clock = createFakeClock(t0);
    const file = await sqliteFile();
    const store = await openStore(`sqlite://${file}`);
    const smtp = await smtpSink();
    const hook = await webhookReceiver(clock);
    const notified: [string, number][] = [];
    const notifier = notifierFor(store, clock, {
      email: smtpSender(smtp.port),
      sms: createLogSmsSender(silentLogger),
      webhooks: [endpoint(hook.url)],
      onContactNotified: (id, at) => {
        notified.push([id, at]);
      },
    });
    const incident = await incidentFor(store);
    await notifier.incidentOpened(incident);
    await notifier.incidentOpened(incident);

    // Two e-mails, one SMS (to the emergency contact's phone), the webhook for the contact and for on-call.
    expect(await notifier.deliverDue(t0)).toBe(5);
    expect(await notifier.deliverDue(t0 + 60_000)).toBe(0);

    expect(smtp.mails.map((m) => m.to).sort()).toEqual([
      ['ada.emergency-7c3d@example.org'],
      ['wang.guardian-1f2e@example.cn'],
    ]);
    const toGuardian = smtp.mails.find((m) => m.to[0] === 'wang.guardian-1f2e@example.cn');
    expect(toGuardian?.subject).toContain('安全提醒');
    expect(toGuardian?.subject).toContain('Safety alert');
    for (const part of [
      '王秀英，您好',
      '监护人',
      'guardian',
      incident.externalUserId,
      '2026-07-15 08:00 UTC',
      '可能伤害自己',
      'may harm themselves',
      '全国心理援助热线: 12356',
      'National psychological assistance hotline: 12356',
      '本邮件不包含任何对话内容',
      'contains no conversation content',
    ]) {
      expect(toGuardian?.text).toContain(part);
    }
    expect(smtp.mails.find((m) => m.to[0] === 'ada.emergency-7c3d@example.org')?.text).toContain(
      '紧急联系人',
    );

    expect(hook.calls).toHaveLength(2);
    expect(hook.calls.every((c) => c.verified)).toBe(true);
    expect(hook.calls.map((c) => c.body.audience).sort()).toEqual(['contact', 'on-call']);
    expect(hook.calls[0]?.body).toMatchObject({
      type: 'incident.opened',
      incident_id: incident.id,
      user: incident.externalUserId,
      severity: 'critical',
      reason: 'crisis',
      opened_at: '2026-07-15T08:00:00.000Z',
    });
    expect(JSON.stringify(hook.calls)).not.toContain('@');

    const rows = await store.notifications.listForIncident(incident.id);
    expect(rows).toHaveLength(5);
    const keys = new Set(hook.calls.map((c) => c.idempotencyKey));
    expect(
      rows
        .filter((r) => r.channel === 'webhook')
        .map((r) => r.idempotencyKey)
        .sort(),
    ).toEqual([...keys].sort());
    const sms = rows.find((r) => r.channel === 'sms');
    expect(sms).toMatchObject({ state: 'failed', audience: 'emergency-contact' });
    expect(sms?.history).toEqual([
      { attempt: 1, at: t0, outcome: 'failed', errorCode: 'sms-not-configured' },
    ]);
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(4);
    expect(notified).toEqual([
      [incident.id, t0],
      [incident.id, t0],
      [incident.id, t0],
    ]);

    const events = await store.listAudit();
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect([count('notification-queued'), count('notification-sent'), count('notification-failed')]).toEqual([
      5, 4, 1,
    ]);
    expect(events.find((e) => e.type === 'notification-failed')?.data).toMatchObject({
      channel: 'sms',
      errorCode: 'sms-not-configured',
      final: true,
    });
    expect(new Set(events.filter((e) => e.data?.audience !== 'on-call').map((e) => e.requirement))).toEqual(
      new Set(['RISK-5']),
    );
    expect(
      events.filter((e) => e.data?.audience === 'on-call').every((e) => e.requirement === 'RISK-4'),
    ).toBe(true);
    expect(await store.verifyAudit()).toMatchObject({ ok: true });

    // Contacts are sealed at rest: neither the database file nor the audit trail names them.
    const raw =
      (await readFile(file)).toString('latin1') + (await readFile(`${file}-wal`).catch(() => '')).toString();
    for (const secretText of ['wang.guardian-1f2e', 'ada.emergency-7c3d', '415 555 0100', 'Ada Lovelace']) {
      expect(raw).not.toContain(secretText);
      expect(JSON.stringify(events)).not.toContain(secretText);
    }
  });

  it('a receiver that fails twice then succeeds gets 3 attempts, backing off 2 s then 4 s, with one idempotency key', async () => {
    const clock = createFakeClock(t0);
    const store = await openStore(`sqlite://${await sqliteFile()}`);
    const hook = await webhookReceiver(clock, [503, 500]);
    const notifier = notifierFor(store, clock, { webhooks: [endpoint(hook.url, 'contact')] });
    const incident = await incidentFor(store);
    await notifier.incidentOpened(incident);

    expect(await notifier.deliverDue(t0)).toBe(1);
    clock.set(t0 + 1999);
    expect(await notifier.deliverDue(clock.now())).toBe(0);
    clock.set(t0 + 2000);
    expect(await notifier.deliverDue(clock.now())).toBe(1);
    clock.set(t0 + 5999);
    expect(await notifier.deliverDue(clock.now())).toBe(0);
    clock.set(t0 + 6000);
    expect(await notifier.deliverDue(clock.now())).toBe(1);

    const [row] = await store.notifications.listForIncident(incident.id);
    expect(row?.state).toBe('sent');
    expect(row?.history).toEqual([
      { attempt: 1, at: t0, outcome: 'retry', errorCode: 'http-503' },
      { attempt: 2, at: t0 + 2000, outcome: 'retry', errorCode: 'http-500' },
      { attempt: 3, at: t0 + 6000, outcome: 'sent', errorCode: null },
    ]);
    expect(hook.calls).toHaveLength(3);
    expect(hook.calls.every((c) => c.verified && c.idempotencyKey === row?.idempotencyKey)).toBe(true);
    const attempts = (await store.listAudit()).filter((e) => e.type !== 'notification-queued');
    expect(attempts.map((e) => [e.type, e.data?.attempt, e.data?.nextAttemptAt])).toEqual([
      ['notification-failed', 1, t0 + 2000],
      ['notification-failed', 2, t0 + 6000],
      ['notification-sent', 3, undefined],
    ]);
  });

  it('a 400 is not retried; a 503 stops at maxAttempts; jitter stays within half the delay; failures are counted', async () => {
    const clock = createFakeClock(t0);
    const store = await openStore(`sqlite://${await sqliteFile()}`);
    const refusing = await webhookReceiver(clock, [400]);
    const failing = await webhookReceiver(clock, [503, 503, 503]);
    const metrics = createMetrics();
    const notifier = notifierFor(store, clock, {
      webhooks: [endpoint(refusing.url, 'contact'), endpoint(failing.url, 'on-call')],
      retry: { maxAttempts: 2, baseDelayMs: 1000 },
      random: () => 0.999,
      metrics,
    });
    const incident = await incidentFor(store);
    await notifier.incidentOpened(incident);
    expect(await notifier.deliverDue(t0)).toBe(2);
    expect(await notifier.deliverDue(t0 + 1499)).toBe(0);
    expect(await notifier.deliverDue(t0 + 1500)).toBe(1);
    expect(await notifier.deliverDue(t0 + 3_600_000)).toBe(0);

    const rows = await store.notifications.listForIncident(incident.id);
    const byAudience = Object.fromEntries(rows.map((r) => [r.audience, r]));
    expect(byAudience.contact?.history).toEqual([
      { attempt: 1, at: t0, outcome: 'failed', errorCode: 'http-400' },
    ]);
    expect(byAudience['on-call']?.history).toEqual([
      { attempt: 1, at: t0, outcome: 'retry', errorCode: 'http-503' },
      { attempt: 2, at: t0 + 1500, outcome: 'failed', errorCode: 'http-503' },
    ]);
    expect(rows.map((r) => r.state)).toEqual(['failed', 'failed']);
    expect([refusing.calls.length, failing.calls.length]).toEqual([1, 2]);
    const { text } = await metrics.exposition();
    expect(text).toContain('cg_notification_failures_total{channel="webhook",final="true"} 2');
    expect(text).toContain('cg_notification_failures_total{channel="webhook",final="false"} 1');
  });

  it('SMTP down: the incident call returns, attempts are recorded as failed, nothing is thrown', async () => {
    const clock = createFakeClock(t0);
    const store = await openStore(`sqlite://${await sqliteFile()}`);
    const closed = await smtpSink();
    await cleanups.pop()?.();
    const notifier = notifierFor(store, clock, {
      email: smtpSender(closed.port),
      retry: { maxAttempts: 2, baseDelayMs: 1000 },
    });
    const incident = await incidentFor(store, {
      contacts: { guardian: { name: '李雷', email: 'li.lei@example.cn', phone: null } },
    });
    await expect(notifier.incidentOpened(incident)).resolves.toBeUndefined();
    expect(await notifier.deliverDue(t0)).toBe(1);
    expect(await notifier.deliverDue(t0 + 1000)).toBe(1);
    const [row] = await store.notifications.listForIncident(incident.id);
    expect(row?.state).toBe('failed');
    expect(row?.history.map((h) => h.outcome)).toEqual(['retry', 'failed']);
    expect(row?.history.every((h) => /^smtp-[a-z0-9-]+$/.test(h.errorCode ?? ''))).toBe(true);
    expect(closed.mails).toEqual([]);
  });

  it('RISK-4: escalation alerts the on-call list by e-mail and the on-call webhooks; ELDER-2 for an elderly user', async () => {
    const clock = createFakeClock(t0);
    const store = await openStore(`sqlite://${await sqliteFile()}`);
    const smtp = await smtpSink();
    const contactHook = await webhookReceiver(clock);
    const onCallHook = await webhookReceiver(clock);
    const notifier = notifierFor(store, clock, {
      email: smtpSender(smtp.port),
      webhooks: [endpoint(contactHook.url, 'contact'), endpoint(onCallHook.url, 'on-call')],
      onCall: { emails: ['oncall-a@companion-guard.test', 'oncall-b@companion-guard.test'], phones: [] },
    });
    const incident = await incidentFor(store, { ageBand: 'elderly', reason: 'scam', severity: 'high' });
    await notifier.incidentOpened(incident);
    clock.set(t0 + 5 * 60_000);
    await notifier.incidentEscalated(incident);
    await notifier.incidentEscalated(incident);
    expect(await notifier.deliverDue(clock.now())).toBe(7);

    expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual([
      'ada.emergency-7c3d@example.org',
      'oncall-a@companion-guard.test',
      'oncall-b@companion-guard.test',
      'wang.guardian-1f2e@example.cn',
    ]);
    const onCallMail = smtp.mails.find((m) => m.to[0] === 'oncall-a@companion-guard.test');
    expect(onCallMail?.subject).toContain(`unclaimed safety incident ${incident.id}`);
    expect(onCallMail?.text).toContain('至今无人认领');
    expect(onCallMail?.text).toContain('nobody has claimed it yet');
    expect(smtp.mails.find((m) => m.to[0] === 'wang.guardian-1f2e@example.cn')?.text).toContain('诈骗');
    expect(contactHook.calls.map((c) => c.body.type)).toEqual(['incident.opened']);
    expect(onCallHook.calls.map((c) => c.body.type).sort()).toEqual([
      'incident.escalated',
      'incident.opened',
    ]);

    const rows = await store.notifications.listForIncident(incident.id);
    expect(rows.map((r) => [r.kind, r.audience, r.channel, r.requirement]).sort()).toEqual(
      [
        ['incident-opened', 'guardian', 'email', 'ELDER-2'],
        ['incident-opened', 'emergency-contact', 'email', 'ELDER-2'],
        ['incident-opened', 'contact', 'webhook', 'ELDER-2'],
        ['incident-opened', 'on-call', 'webhook', 'RISK-4'],
        ['incident-escalated', 'on-call', 'email', 'RISK-4'],
        ['incident-escalated', 'on-call', 'email', 'RISK-4'],
        ['incident-escalated', 'on-call', 'webhook', 'RISK-4'],
      ].sort(),
    );
  });
});

/** Two notifiers (two instances' delivery loops) on one database, each claiming what is due at once. */
async function deliverOnceAcrossInstances(a: Store, b: Store): Promise<void> {
  const clock = createFakeClock(t0);
  const hook = await webhookReceiver(clock);
  const options = { webhooks: [endpoint(hook.url)], batchSize: 100 };
  const [first, second] = [notifierFor(a, clock, options), notifierFor(b, clock, options)];
  for (let i = 0; i < 10; i += 1) {
    const incident = await incidentFor(a);
    await Promise.all([first.incidentOpened(incident), second.incidentOpened(incident)]);
  }
  const counts = await Promise.all([first.deliverDue(t0), second.deliverDue(t0), first.deliverDue(t0)]);
  expect(counts.reduce((x, y) => x + y, 0)).toBe(20);
  expect(hook.calls).toHaveLength(20);
  expect(new Set(hook.calls.map((c) => c.idempotencyKey)).size).toBe(20);
  expect(await second.deliverDue(t0 + 10 ** 9)).toBe(0);
  const sent = (await a.listAudit({ limit: 10_000 })).filter((e) => e.type === 'notification-sent');
  expect(sent).toHaveLength(20);
  expect(await b.verifyAudit()).toMatchObject({ ok: true });
}

describe('once-only delivery across instances', () => {
  // SQLite serves one instance (one writer connection): its two notifiers share the store.
  it('SQLite: two notifiers on one database send each notification once', async () => {
    const store = await openStore(`sqlite://${await sqliteFile()}`);
    await deliverOnceAcrossInstances(store, store);
  });
});

describePostgres('once-only delivery across instances (PostgreSQL)', () => {
  it('two notifiers on one PostgreSQL schema send each notification once', async () => {
    const admin = adminPool();
    const { url } = await createTestSchema(admin, 'cg_notify');
    try {
      await deliverOnceAcrossInstances(await openStore(url), await openStore(url));
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    } finally {
      await admin.end();
    }
  });
});
