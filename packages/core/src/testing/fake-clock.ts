import type { Clock } from '../ports.js';

/** A clock that moves only when told. */
export interface FakeClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
  advanceMinutes(minutes: number): void;
}

/** Creates a fake clock starting at `start` (default 2026-07-15T00:00:00Z). */
export function createFakeClock(start = Date.UTC(2026, 6, 15)): FakeClock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
    advanceMinutes: (m) => {
      t += m * 60_000;
    },
  };
}
