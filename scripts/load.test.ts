import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { startHarness } from '../packages/gateway/test/e2e/helpers.js';

const script = fileURLToPath(new URL('./load.ts', import.meta.url));

it('npm run load drives a running gateway for 2 s and prints parseable figures with no errors', async () => {
  const h = await startHarness(); // the demo model, unpaced
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        script,
        '--url',
        h.server.url,
        '--connections',
        '4',
        '--duration',
        '2',
        '--stream',
        '0.5',
        '--users',
        '100',
      ],
      { timeout: 30_000 },
    );
    const turns = Number(/^turns: (\d+) · throughput ([\d.]+) turns\/s$/m.exec(stdout)?.[1]);
    const throughput = Number(/throughput ([\d.]+) turns\/s/.exec(stdout)?.[1]);
    const latency = /^latency ms: p50 ([\d.]+) · p90 ([\d.]+) · p99 ([\d.]+) · max ([\d.]+)$/m
      .exec(stdout)
      ?.slice(1)
      .map(Number);
    expect(turns).toBeGreaterThan(0);
    expect(throughput).toBeGreaterThan(0);
    expect(latency).toHaveLength(4);
    const [p50, p90, p99, max] = latency as number[];
    expect(p50).toBeLessThanOrEqual(p90 as number);
    expect(p90).toBeLessThanOrEqual(p99 as number);
    expect(p99).toBeLessThanOrEqual(max as number);
    expect(stdout).toMatch(/^errors: 0 \(non-2xx 0 · socket 0 · timeouts 0 · stream error events 0\)$/m);
    expect(stdout).toContain('4 connections · 100 users');
    expect(stdout).toContain('50% streamed');
  } finally {
    await h.stop();
  }
}, 40_000);
