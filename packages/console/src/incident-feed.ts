import { type IncidentEvent, parseIncidentEvent } from './staff-api.js';

/** `EventSource.CLOSED`, spelled out so this module also loads where there is no `EventSource`. */
const closed = 2;

export type IncidentFeedStatus = 'connecting' | 'live' | 'reconnecting';

export interface IncidentFeedOptions {
  /** The feed's URL (`StaffApiClient.incidentEventsUrl`); the session cookie goes with the request. */
  readonly url: string;
  readonly onEvent: (event: IncidentEvent) => void;
  /** Called on every (re)connection, so the caller reloads what it may have missed while disconnected. */
  readonly onOpen: () => void;
  readonly onStatus: (status: IncidentFeedStatus) => void;
  /** Default: the browser's `EventSource`. */
  readonly createEventSource?: (url: string) => EventSource;
  /** Wait before the first new attempt after the gateway refused the feed; doubles up to `maxRetryMs`. */
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
}

/**
 * Follows the live incident feed (`GET /api/incidents/events`, SSE with `event: incident`) until the
 * returned function is called. After a network error the browser reconnects by itself; after an HTTP
 * error (the gateway restarting, a 5xx) it gives up, so this starts a new connection with backoff.
 * Malformed events are skipped.
 */
export function watchIncidents(options: IncidentFeedOptions): () => void {
  const create = options.createEventSource ?? ((url: string) => new EventSource(url));
  const minRetryMs = options.minRetryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  let retryMs = minRetryMs;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  function connect(): void {
    const current = create(options.url);
    source = current;
    current.addEventListener('open', () => {
      retryMs = minRetryMs;
      options.onStatus('live');
      options.onOpen();
    });
    current.addEventListener('incident', (message) => {
      const event = parseIncidentEvent(String((message as MessageEvent).data));
      if (event) options.onEvent(event);
    });
    current.addEventListener('error', () => {
      if (stopped || current !== source) return;
      options.onStatus('reconnecting');
      if (current.readyState !== closed) return;
      current.close();
      timer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    });
  }

  options.onStatus('connecting');
  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
