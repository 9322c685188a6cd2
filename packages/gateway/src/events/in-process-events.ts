import type { LiveEvents } from '@companion-guard/core';
import { type Logger, silentLogger } from '../logger.js';
import { ChannelListeners, encodeEvent } from './channel-listeners.js';

/** Live events within one process (the embedded SQLite deployment: one instance). */
export function createInProcessEvents(logger: Logger = silentLogger): LiveEvents {
  const listeners = new ChannelListeners(logger);
  return {
    async publish(channel, event) {
      // The same limit and the same copy semantics as the shared backends.
      listeners.dispatch(channel, JSON.parse(encodeEvent(event)));
    },
    subscribe(channel, listener) {
      return listeners.subscribe(
        channel,
        listener,
        async () => {},
        () => {},
      );
    },
    async close() {
      listeners.clear();
    },
  };
}
