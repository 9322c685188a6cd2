import type { LiveEvents } from '@companion-guard/core';

/** Live events within one process (the embedded SQLite deployment: one instance). */
export function createInProcessEvents(): LiveEvents {
  const listeners = new Map<string, Set<(event: Readonly<Record<string, unknown>>) => void>>();
  return {
    async publish(channel, event) {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(event);
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set.add(listener));
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(channel);
      };
    },
    async close() {
      listeners.clear();
    },
  };
}
