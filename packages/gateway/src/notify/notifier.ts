import { randomUUID } from 'node:crypto';
import type {
  AgeBand,
  AuditInput,
  ClaimedNotification,
  Clock,
  NewNotification,
  NotificationAttemptResult,
  NotificationAudience,
  NotificationChannel,
  NotificationKind,
  NotificationRecord,
  NotificationStore,
  Notifier,
  NotifyIncident,
  RequirementId,
} from '@companion-guard/core';
import { type Logger, silentLogger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { DeliveryError, toDeliveryError } from './delivery-error.js';
import type { EmailSender } from './email-sender.js';
import { alertEmail, alertSms, type Hotlines } from './notification-texts.js';
import type { SmsSender } from './sms-sender.js';
import { postSignedWebhook, type WebhookEndpoint } from './webhook-sender.js';

export interface NotifierOptions {
  readonly store: NotificationStore;
  readonly clock: Clock;
  readonly webhooks?: readonly WebhookEndpoint[] | undefined;
  readonly email?: EmailSender | undefined;
  readonly sms?: SmsSender | undefined;
  readonly onCall?: { readonly emails: readonly string[]; readonly phones: readonly string[] } | undefined;
  /** Default 6 attempts, 2 s before the second (doubling each time, plus up to 50 % jitter). */
  readonly retry?: { readonly maxAttempts: number; readonly baseDelayMs: number } | undefined;
  /** The profile's crisis hotlines, printed in contact alerts. */
  readonly hotlines?: Hotlines | undefined;
  /** Called once per contact alert the first time a channel accepted it (the incident store keeps the first). */
  readonly onContactNotified?: ((incidentId: string, at: number) => Promise<void> | void) | undefined;
  readonly logger?: Logger | undefined;
  /** In [0, 1); jitter source, injected by tests. */
  readonly random?: (() => number) | undefined;
  /** Notifications per `deliverDue`; default 20. */
  readonly batchSize?: number | undefined;
  /** How long a claim holds a notification; longer than any channel's timeout. Default 2 minutes. */
  readonly leaseMs?: number | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** Counts failed attempts (`/metrics`). */
  readonly metrics?: Pick<Metrics, 'notificationFailed'> | undefined;
}

/** Longest wait between two attempts. */
const maxDelayMs = 60 * 60_000;

/**
 * The wait after failed attempt `attempt` (1-based): `baseDelayMs · 2^(attempt-1)`, plus up to half of that
 * again at random so that many failures do not retry in step; at most one hour.
 *
 * @example retryDelayMs(3, 2000, () => 0) // 8000
 */
export function retryDelayMs(attempt: number, baseDelayMs: number, random: () => number): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.min(maxDelayMs, Math.round(exponential * (1 + random() / 2)));
}

/** The obligation a notification serves: on-call alerts start the human response (RISK-4); contact alerts RISK-5, ELDER-2 for elderly users. */
function requirementOf(audience: NotificationAudience, ageBand: AgeBand | undefined): RequirementId {
  if (audience === 'on-call') return 'RISK-4';
  return ageBand === 'elderly' ? 'ELDER-2' : 'RISK-5';
}

/**
 * Creates the notifier over a durable outbox. Nothing is sent by the incident calls; a delivery loop (the
 * composition root's interval) calls `deliverDue`.
 *
 * @example
 * const notifier = createNotifier({ store: store.notifications, clock, email: createSmtpEmailSender(smtp) });
 * await notifier.incidentOpened(incident); // queued
 * await notifier.deliverDue(Date.now());   // 1 (the e-mail to the emergency contact)
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { store, clock } = options;
  const webhooks = options.webhooks ?? [];
  const onCall = options.onCall ?? { emails: [], phones: [] };
  const retry = options.retry ?? { maxAttempts: 6, baseDelayMs: 2000 };
  const hotlines = options.hotlines ?? [];
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const leaseMs = options.leaseMs ?? 120_000;

  function enqueue(incident: NotifyIncident, kind: NotificationKind): Promise<void> {
    const now = clock.now();
    const rows: NewNotification[] = [];
    const add = (
      audience: NotificationAudience,
      channel: NotificationChannel,
      target: string,
      contactName: string | null,
    ) => {
      rows.push({
        id: randomUUID(),
        incidentId: incident.id,
        userId: incident.userId,
        kind,
        audience,
        channel,
        requirement: requirementOf(audience, incident.ageBand),
        facts: {
          target,
          contactName,
          externalUserId: incident.externalUserId,
          severity: incident.severity,
          reason: incident.reason,
          openedAt: incident.openedAt,
        },
        createdAt: now,
      });
    };
    if (kind === 'incident-opened') {
      const contacts = [
        ['guardian', incident.contacts.guardian],
        ['emergency-contact', incident.contacts.emergencyContact],
      ] as const;
      for (const [audience, contact] of contacts) {
        if (!contact) continue;
        if (contact.email && options.email) add(audience, 'email', contact.email, contact.name);
        if (contact.phone && options.sms) add(audience, 'sms', contact.phone, contact.name);
      }
      for (const w of webhooks) if (w.audience !== 'on-call') add('contact', 'webhook', w.url, null);
    } else {
      if (options.email) for (const email of onCall.emails) add('on-call', 'email', email, null);
      if (options.sms) for (const phone of onCall.phones) add('on-call', 'sms', phone, null);
    }
    for (const w of webhooks) if (w.audience !== 'contact') add('on-call', 'webhook', w.url, null);
    if (rows.length === 0) {
      logger.warn('no notification channel is configured for this incident', {
        incidentId: incident.id,
        kind,
      });
      return Promise.resolve();
    }
    return store
      .enqueue(rows, (queued) =>
        queued.map((n) => ({
          type: 'notification-queued',
          requirement: n.requirement,
          at: now,
          userId: n.userId,
          data: {
            notificationId: n.id,
            incidentId: n.incidentId,
            kind,
            channel: n.channel,
            audience: n.audience,
          },
        })),
      )
      .then(() => undefined);
  }

  async function send(n: ClaimedNotification, now: number): Promise<void> {
    if (n.channel === 'webhook') {
      const endpoint = webhooks.find((w) => w.url === n.facts.target);
      if (!endpoint) throw new DeliveryError('webhook-not-configured', { retryable: false });
      await postSignedWebhook(
        endpoint,
        {
          type: n.kind === 'incident-opened' ? 'incident.opened' : 'incident.escalated',
          incident_id: n.incidentId,
          user: n.facts.externalUserId,
          severity: n.facts.severity,
          reason: n.facts.reason,
          opened_at: new Date(n.facts.openedAt).toISOString(),
          audience: n.audience,
        },
        { idempotencyKey: n.idempotencyKey, nowMs: now, ...(options.fetch ? { fetch: options.fetch } : {}) },
      );
    } else if (n.channel === 'email') {
      if (!options.email) throw new DeliveryError('email-not-configured', { retryable: false });
      await options.email.send({ to: n.facts.target, ...alertEmail(n, hotlines) });
    } else {
      if (!options.sms) throw new DeliveryError('sms-not-configured', { retryable: false });
      await options.sms.send(n.facts.target, alertSms(n, hotlines));
    }
  }

  async function deliverOne(n: ClaimedNotification, now: number): Promise<void> {
    let result: NotificationAttemptResult;
    try {
      await send(n, now);
      result = { notificationId: n.id, attempt: n.attempt, at: now, outcome: 'sent', errorCode: null };
    } catch (error) {
      const failure = toDeliveryError(error);
      const again = failure.retryable && n.attempt < retry.maxAttempts;
      result = {
        notificationId: n.id,
        attempt: n.attempt,
        at: now,
        outcome: again ? 'retry' : 'failed',
        errorCode: failure.code,
        ...(again ? { nextAttemptAt: now + retryDelayMs(n.attempt, retry.baseDelayMs, random) } : {}),
      };
      options.metrics?.notificationFailed(n.channel, !again);
      logger.warn('notification attempt failed', {
        notificationId: n.id,
        incidentId: n.incidentId,
        channel: n.channel,
        attempt: n.attempt,
        errorCode: failure.code,
        retry: again,
      });
    }
    await store.recordAttempt(result, [attemptAudit(n, result)]);
    if (result.outcome === 'sent' && n.audience !== 'on-call' && options.onContactNotified) {
      try {
        await options.onContactNotified(n.incidentId, now);
      } catch (error) {
        logger.error('recording the contact notification time failed', {
          incidentId: n.incidentId,
          error: String(error),
        });
      }
    }
  }

  return {
    incidentOpened: (incident) => enqueue(incident, 'incident-opened'),
    incidentEscalated: (incident) => enqueue(incident, 'incident-escalated'),
    async deliverDue(now) {
      const claimed = await store.claimDue(now, { limit: options.batchSize ?? 20, leaseMs });
      await Promise.all(
        claimed.map((n) =>
          deliverOne(n, now).catch((error: unknown) => {
            // The store failed to record it: the lease runs out and the notification is tried again.
            logger.error('recording a notification attempt failed', {
              notificationId: n.id,
              error: String(error),
            });
          }),
        ),
      );
      return claimed.length;
    },
  };
}

/** `notification-sent`, or `notification-failed` (with `final: false` and the next time when it is retried). */
function attemptAudit(n: NotificationRecord, result: NotificationAttemptResult): AuditInput {
  return {
    type: result.outcome === 'sent' ? 'notification-sent' : 'notification-failed',
    requirement: n.requirement,
    at: result.at,
    userId: n.userId,
    data: {
      notificationId: n.id,
      incidentId: n.incidentId,
      kind: n.kind,
      channel: n.channel,
      audience: n.audience,
      attempt: result.attempt,
      ...(result.outcome === 'sent'
        ? {}
        : {
            errorCode: result.errorCode,
            final: result.outcome === 'failed',
            ...(result.nextAttemptAt === undefined ? {} : { nextAttemptAt: result.nextAttemptAt }),
          }),
    },
  };
}
