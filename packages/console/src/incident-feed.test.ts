import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type IncidentFeedStatus, watchIncidents } from './incident-feed.js';
import type { IncidentEvent } from './staff-api.js';

/** Stands in for the browser's EventSource: the test plays the gateway's side of the connection. */
class TestEventSource extends EventTarget {
  readyState = 0;
  closedByClient = false;
  constructor(readonly url: string) {
    super();
  }
  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  send(data: string): void {
    this.dispatchEvent(new MessageEvent('incident', { data }));
  }
  /** A network error: the browser keeps the source and reconnects it itself. */
  drop(): void {
    this.readyState = 0;
    this.dispatchEvent(new Event('error'));
  }
  /** An HTTP error answer: the browser gives the source up. */
  refuse(): void {
    this.readyState = 2;
    this.dispatchEvent(new Event('error'));
  }
  close(): void {
    this.readyState = 2;
    this.closedByClient = true;
  }
}

describe('watchIncidents', () => {
  let sources: TestEventSource[];
  let events: IncidentEvent[];
  let statuses: IncidentFeedStatus[];
  let opens: number;
  let stop: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    sources = [];
    events = [];
    statuses = [];
    opens = 0;
    stop = watchIncidents({
      url: '/api/incidents/events',
      onEvent: (event) => events.push(event),
      onOpen: () => opens++,
      onStatus: (status) => statuses.push(status),
      createEventSource: (url) => {
        const source = new TestEventSource(url);
        sources.push(source);
        return source as unknown as EventSource;
      },
      minRetryMs: 1000,
      maxRetryMs: 4000,
    });
  });

  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  const opened = JSON.stringify({
    type: 'incident-opened',
    incident: { id: 'inc_1', user: 'u', opened_at: 1 },
  });

  it('passes on incident events and skips malformed ones', () => {
    sources[0]?.open();
    sources[0]?.send(opened);
    sources[0]?.send('{"type":"incident-opened"}');
    expect(events.map((e) => [e.type, e.incidentId])).toEqual([['incident-opened', 'inc_1']]);
    expect(statuses).toEqual(['connecting', 'live']);
    expect(sources[0]?.url).toBe('/api/incidents/events');
  });

  it('leaves a dropped connection to the browser, and asks for a reload when it is back', () => {
    sources[0]?.open();
    sources[0]?.drop();
    vi.advanceTimersByTime(60_000);
    expect(sources).toHaveLength(1);
    sources[0]?.open();
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(opens).toBe(2);
  });

  it('opens a new connection after a refusal, waiting longer each time up to the maximum', () => {
    const waits: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const before = Date.now();
      sources.at(-1)?.refuse();
      const count = sources.length;
      while (sources.length === count) vi.advanceTimersByTime(100);
      waits.push(Date.now() - before);
      expect(sources.at(-2)?.closedByClient).toBe(true);
    }
    expect(waits).toEqual([1000, 2000, 4000, 4000]);
    // A successful connection starts the waits over.
    sources.at(-1)?.open();
    const before = Date.now();
    sources.at(-1)?.refuse();
    vi.advanceTimersByTime(999);
    expect(sources).toHaveLength(5);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(6);
    expect(Date.now() - before).toBe(1000);
  });

  it('stops for good when told to', () => {
    sources[0]?.refuse();
    stop();
    vi.advanceTimersByTime(60_000);
    expect(sources).toHaveLength(1);
    expect(sources[0]?.closedByClient).toBe(true);
  });
});
