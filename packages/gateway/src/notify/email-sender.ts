import nodemailer from 'nodemailer';
import { DeliveryError } from './delivery-error.js';

/** SMTP settings (`notify.smtp`). */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string | undefined;
  readonly pass?: string | undefined;
  /** The sender address, e.g. `"Safety team" <safety@example.com>`. */
  readonly from: string;
  /** Connection, greeting and socket timeout; default 20 s. */
  readonly timeoutMs?: number | undefined;
}

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface EmailSender {
  /** Resolves with the message id once the server accepted the message; throws a `DeliveryError` otherwise. */
  send(message: EmailMessage): Promise<{ id: string }>;
  close(): void;
}

/** Sends e-mail over SMTP with nodemailer (pooled connections). */
export function createSmtpEmailSender(settings: SmtpSettings): EmailSender {
  const timeout = settings.timeoutMs ?? 20_000;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(settings.user === undefined ? {} : { auth: { user: settings.user, pass: settings.pass ?? '' } }),
  });
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({ from: settings.from, ...message });
        return { id: String(info.messageId) };
      } catch (error) {
        throw smtpError(error);
      }
    },
    close() {
      transport.close();
    },
  };
}

/** A rejection by the server (5xx) or bad credentials or addresses is permanent; the rest is retried. */
function smtpError(error: unknown): DeliveryError {
  const { responseCode, code } = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
  };
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 600) {
    return new DeliveryError(`smtp-${responseCode}`, { retryable: responseCode < 500, cause: error });
  }
  const name = typeof code === 'string' && /^E[A-Z]{1,20}$/.test(code) ? code.toLowerCase() : 'error';
  return new DeliveryError(`smtp-${name}`, {
    retryable: name !== 'eauth' && name !== 'eenvelope',
    cause: error,
  });
}
