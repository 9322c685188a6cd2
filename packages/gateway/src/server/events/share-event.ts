import type { LiveEvents } from '@companion-guard/core';
import type { Logger } from '../../logger.js';

/**
 * Publishes `event` to every instance; a failure (Redis and PostgreSQL both unreachable) is logged as
 * "<what> not shared with the other instances" and never thrown: the change has already taken effect here,
 * and the other instances' caches expire on their own.
 */
export function shareEvent(
  events: LiveEvents,
  logger: Logger,
  what: string,
  channel: string,
  event: Readonly<Record<string, unknown>>,
  fields: Record<string, unknown> = {},
): Promise<void> {
  return events.publish(channel, event).catch((e: unknown) => {
    logger.error(`${what} not shared with the other instances`, {
      ...fields,
      code: (e as { code?: string }).code ?? 'internal',
    });
  });
}
