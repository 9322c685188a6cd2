/**
 * @module notify
 * Incident notifications: a durable outbox with retries, delivered by signed webhooks, SMTP e-mail and an
 * SMS interface.
 */
export { DeliveryError } from './delivery-error.js';
export { createSmtpEmailSender, type EmailSender, type SmtpSettings } from './email-sender.js';
export {
  createNotifier,
  type Notifier,
  type NotifierOptions,
  type NotifyIncident,
  retryDelayMs,
} from './notifier.js';
export { createLogSmsSender, type SmsSender } from './sms-sender.js';
export {
  postSignedWebhook,
  verifyWebhookSignature,
  type WebhookBody,
  type WebhookEndpoint,
} from './webhook-sender.js';
