/**
 * Real receivers on loopback for the notifier's channels, keeping what arrives: an SMTP server and an
 * HTTP webhook receiver that verifies each call's HMAC signature.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '../src/notify/index.js';

export interface ReceivedMail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

/** A real SMTP server on loopback keeping each message's recipients, subject and text. */
export async function smtpSink(): Promise<{
  port: number;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream)
        .then((parsed) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          mails.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '' });
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Real I/O, not timed behaviour: waits (up to 10 s) until `mails` holds one for `to` after index `after`. */
export async function mailFor(mails: readonly ReceivedMail[], to: string, after = 0): Promise<ReceivedMail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mail = mails.slice(after).find((m) => m.to.includes(to));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no mail for ${to}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ReceivedCall {
  /** The HMAC signature checked out against the secret at `now()`. */
  readonly verified: boolean;
  readonly idempotencyKey: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface WebhookReceiverOptions {
  readonly secret: string;
  /** The time the signature is checked at (a fake clock's, or the wall clock). */
  readonly now?: () => number;
  /** Statuses to answer the first calls with, in order; every later call gets 200. */
  readonly statuses?: number[];
  /** The path of the URL handed out (`/hooks/cg`). */
  readonly path?: string;
}

/** A real HTTP receiver on loopback that verifies each webhook's signature. */
export async function webhookReceiver({
  secret,
  now = Date.now,
  statuses = [],
  path = '/hooks/cg',
}: WebhookReceiverOptions): Promise<{ url: string; calls: ReceivedCall[]; close: () => Promise<void> }> {
  const calls: ReceivedCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      calls.push({
        verified: verifyWebhookSignature(secret, req.headers, text, now()),
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        body: JSON.parse(text) as Record<string, unknown>,
      });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
