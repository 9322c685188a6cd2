/**
 * @module notify
 * Incident notifications: a durable outbox with retries, delivered by signed webhooks, SMTP e-mail and an
 * SMS interface.
 */
export { createSmtpEmailSender, type EmailSender, type SmtpSettings } from './email-sender.js';
export { createNotifier, type NotifierOptions } from './notifier.js';
export { createLogSmsSender, type SmsSender } from './sms-sender.js';
export { verifyWebhookSignature, type WebhookEndpoint } from './webhook-sender.js';
