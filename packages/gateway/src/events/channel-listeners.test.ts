import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import { ChannelListeners } from './channel-listeners.js';

/** Listeners whose attach and detach are recorded per channel. */
function recorded(linger?: { ms: number; max: number }) {
  const listeners = new ChannelListeners(silentLogger, linger);
  const log: string[] = [];
  const subscribe = (channel: string) =>
    listeners.subscribe(
      channel,
      () => undefined,
      async () => void log.push(`attach ${channel}`),
      () => void log.push(`detach ${channel}`),
    );
  return { listeners, log, subscribe };
}

describe('channel listeners: lingering channels', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('without linger, a channel detaches as soon as its last listener leaves', () => {
    const { log, subscribe } = recorded();
    subscribe('a')();
    subscribe('a')();
    expect(log).toEqual(['attach a', 'detach a', 'attach a', 'detach a']);
  });

  it('a channel left by its last listener stays attached for the next subscription within the linger time', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const { listeners, log, subscribe } = recorded({ ms: 60_000, max: 10 });
    const got: unknown[] = [];
    subscribe('a')();
    const again = listeners.subscribe(
      'a',
      (event) => void got.push(event),
      async () => void log.push('attach a again'),
      () => void log.push('detach a again'),
    );
    listeners.dispatch('a', { type: 'x' });
    expect(got).toEqual([{ type: 'x' }]);
    again();
    expect(log).toEqual(['attach a']);
    // Past the linger time, the next subscription (to any channel) detaches it.
    vi.setSystemTime(60_000);
    subscribe('b')();
    expect(log).toEqual(['attach a', 'detach a', 'attach b']);
  });

  it('a channel whose attach failed does not linger: the next subscription attaches again', async () => {
    const listeners = new ChannelListeners(silentLogger, { ms: 60_000, max: 10 });
    const log: string[] = [];
    const subscribe = (ok: boolean) =>
      listeners.subscribe(
        'a',
        () => undefined,
        async () => {
          log.push('attach');
          return ok;
        },
        () => void log.push('detach'),
      );
    const first = subscribe(false);
    await first.ready;
    first();
    const second = subscribe(true);
    await second.ready;
    second();
    subscribe(true)();
    expect(log).toEqual(['attach', 'detach', 'attach']);
  });

  it('past the linger count, the channels idle longest detach first', () => {
    const { log, subscribe } = recorded({ ms: 60_000, max: 2 });
    subscribe('a')();
    subscribe('b')();
    // `a` is used again, so `b` is now the one idle longest.
    subscribe('a')();
    subscribe('c')();
    expect(log).toEqual(['attach a', 'attach b', 'attach c', 'detach b']);
  });
});
