import { connect, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a shared service (PostgreSQL, Redis), so a fault test can take the service
 * away from ONE gateway without touching the real server that other test files use at the same time.
 * `cut()` destroys every open connection and resets each new one at once (what a client sees when the
 * server restarts or the network drops); `restore()` forwards again.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const open = new Set<Socket>();
  let down = false;
  let accepted = 0;
  const server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = connect(target.port, target.host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        open.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy port');
  return {
    port: address.port,
    /** Connections forwarded so far (a client reconnected when this grew after `restore`). */
    get accepted() {
      return accepted;
    },
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
