/**
 * What the examples report when run by hand: through the project's logger (JSON lines on stderr), the
 * compliance facts only — directive types and requirement IDs, the session state — never a message's text.
 */
import type { Compliance } from '@companion-guard/client';
import { createLogger } from '@companion-guard/gateway';

const logger = createLogger();

/** One envelope as log fields: the session, its state, and each directive's type and requirement. */
export function logCompliance(msg: string, c: Compliance | null, fields: Record<string, unknown> = {}): void {
  logger.info(msg, {
    ...fields,
    session: c?.session.id ?? null,
    state: c?.session.state ?? null,
    directives: (c?.directives ?? []).map((d) => `${d.type}/${d.requirement}`),
  });
}
