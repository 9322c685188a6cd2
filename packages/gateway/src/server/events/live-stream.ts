import type { LiveEvents } from '@companion-guard/core';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveEvent } from '../../events/channel-listeners.js';
import type { Logger } from '../../logger.js';
import type { AppEnv } from '../auth/authorization.js';

/** How often a live stream sends a `: ping` comment (keeps proxies from closing an idle stream). */
export const heartbeatMs = 15_000;

/** One message of a live stream. */
export interface SseMessage {
  readonly event?: string;
  readonly data: unknown;
}

/** Messages to send, and whether the stream ends after them. */
export interface Translated {
  readonly messages: readonly SseMessage[];
  readonly end?: boolean;
}

export interface LiveStreamOptions {
  readonly events: LiveEvents;
  readonly logger: Logger;
  readonly channel: string;
  /** More channels fed into the same stream (e.g. the user's, for replies to complaints). */
  readonly alsoChannels?: readonly string[];
  /**
   * What an event becomes on the stream (read from the store; the events carry ids only): messages to send,
   * and whether the stream ends after them.
   */
  readonly translate: (event: LiveEvent) => Promise<Translated>;
  /** Runs once the subscription is live (e.g. to send what is waiting); same result as `translate`. */
  readonly opened?: () => Promise<Translated>;
  /** Checked before every event and at every heartbeat; false ends the stream (credentials expired or revoked). */
  readonly stillAllowed?: () => Promise<boolean>;
}

/**
 * A Server-Sent Events response fed by a live channel. A `: ready` comment says the subscription is live;
 * events are translated and written one at a time, in order; a `: ping` comment every 15 s; the
 * subscription ends when the client goes away. Failures are logged by code, never with text.
 */
export function liveStream(c: Context<AppEnv>, options: LiveStreamOptions): Response {
  const { logger, channel } = options;
  return streamSSE(c, async (stream) => {
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let queue: Promise<void> = Promise.resolve();
    const write = async (messages: readonly SseMessage[]) => {
      for (const m of messages) {
        await stream.writeSSE({ ...(m.event ? { event: m.event } : {}), data: JSON.stringify(m.data) });
      }
    };
    /** Runs `step` after the ones before it; a failure is logged and ends nothing else. */
    const enqueue = (step: () => Promise<void>) => {
      queue = queue.then(step).catch((e: unknown) => {
        logger.error('live stream event failed', {
          channel,
          code: (e as { code?: string }).code ?? 'internal',
        });
      });
    };
    const send = (translated: () => Promise<Translated>) =>
      enqueue(async () => {
        if (stream.aborted || stream.closed) return;
        // Nothing more reaches a caller whose credentials ended (logout, disable, a revoked key).
        if (options.stillAllowed && !(await options.stillAllowed())) return finish();
        const { messages, end } = await translated();
        await write(messages);
        if (end) finish();
      });
    const subscriptions = [channel, ...(options.alsoChannels ?? [])].map((name) =>
      options.events.subscribe(name, (event) => send(() => options.translate(event))),
    );
    const heartbeat = setInterval(() => {
      enqueue(async () => {
        if (options.stillAllowed && !(await options.stillAllowed())) return finish();
        await stream.write(': ping\n\n');
      });
    }, heartbeatMs);
    stream.onAbort(finish);
    try {
      await Promise.all(subscriptions.map((s) => s.ready));
      await stream.write(': ready\n\n');
      if (options.opened) send(options.opened);
      await finished;
    } finally {
      clearInterval(heartbeat);
      for (const unsubscribe of subscriptions) unsubscribe();
    }
  });
}
