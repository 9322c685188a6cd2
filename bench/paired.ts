/**
 * Two checkouts' gateways side by side, to tell a change's effect from the machine's swings:
 * `npx tsx bench/paired.ts <checkout A> <checkout B> [--requests N] [--slices S] [--postgres]`. Each
 * checkout's bench servers (stub, bare proxy, gateway on SQLite, or with `--postgres` on PostgreSQL in a fresh
 * schema of `DATABASE_URL`; see `gateway.ts`) run in a child process of their own.
 * Sequential non-streamed turns go round the four servers one by one (N each), then throughput slices of
 * 0.5 s with 16 clients go round them too (the order reversed every other slice), so a swing of the machine
 * falls on all four alike. Prints, per checkout, the added p50 and the median of its slices' throughput
 * ratios (each slice over its own bare proxy's slice next to it). A checkout needs its own `node_modules`
 * (a symbolic link to this one's will do).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { messages, pct, request, startChild } from './gateway.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { requests: { type: 'string' }, slices: { type: 'string' }, postgres: { type: 'boolean' } },
});
if (positionals.length !== 2) throw new Error('usage: bench/paired.ts <checkout A> <checkout B>');
const requests = Number(values.requests ?? 1000);
const slices = Number(values.slices ?? 30);

const servers: ({ checkout: string } & Awaited<ReturnType<typeof startChild>>)[] = [];
try {
  for (const checkout of positionals)
    servers.push({
      checkout,
      ...(await startChild(values.postgres === true, resolve(checkout, 'bench/gateway.ts'))),
    });
  const targets = servers.flatMap((s) => [
    { url: s.proxy, latency: [] as number[], rps: [] as number[] },
    { url: s.gateway, latency: [] as number[], rps: [] as number[] },
  ]);
  for (let i = 0; i < requests + 100; i++) {
    for (const target of targets) {
      const t0 = performance.now();
      await (
        await request(target.url, `u${i % 50}`, messages[i % messages.length] ?? '', false)
      ).arrayBuffer();
      if (i >= 100) target.latency.push(performance.now() - t0); // the first 100 warm up
    }
  }
  for (let s = 0; s < slices; s++) {
    for (const target of s % 2 ? [...targets].reverse() : targets) {
      let count = 0;
      const end = performance.now() + 500;
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let i = 0; performance.now() < end; i++) {
            const text = messages[i % messages.length] ?? '';
            await (await request(target.url, `t${w}-${i % 20}`, text, false)).arrayBuffer();
            count++;
          }
        }),
      );
      target.rps.push(count * 2);
    }
  }
  servers.forEach((server, k) => {
    const bare = targets[2 * k];
    const gateway = targets[2 * k + 1];
    if (!bare || !gateway) return;
    const ratios = gateway.rps.map((x, i) => x / (bare.rps[i] ?? Number.NaN));
    process.stdout.write(
      `${server.checkout}: added p50 ${(pct(gateway.latency, 50) - pct(bare.latency, 50)).toFixed(2)} ms, ` +
        `throughput ratio ${pct(ratios, 50).toFixed(3)}x (median of ${slices} slices; ` +
        `gateway ${pct(gateway.rps, 50)} req/s, bare proxy ${pct(bare.rps, 50)} req/s)\n`,
    );
  });
} finally {
  for (const server of servers) server.child.stdin?.end();
}
