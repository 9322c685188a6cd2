/**
 * `npm run bench [-- --json]`: the matcher against mint-filter and obscenity (same lexicon, same corpus),
 * the full detector pass, and the gateway against a bare pass-through proxy, in one run.
 * `--json` prints one object: the matcher figures (`chars_per_s` per engine, `p50_us` / `p99_us` of the full
 * pass) and `gateway` (latency, time to first token and throughput side by side, on SQLite; its `postgres`
 * the same on PostgreSQL when `DATABASE_URL` is set, else null).
 */
import { defaultGatewayRun, formatGatewayBench, runGatewayBench } from './gateway.js';
import { main as matcherMain, runMatcherBench } from './matcher.js';

const argv = process.argv.slice(2);
if (argv[0] === 'assessment') {
  // ASSESS-1/2: seed 1M users / 100k monthly actives and time the stats (bench/assessment.ts).
  const { main } = await import('./assessment.js');
  await main(argv.slice(1));
} else if (argv.includes('--json')) {
  const matcher = runMatcherBench();
  const gateway = await runGatewayBench(defaultGatewayRun);
  process.stdout.write(
    `${JSON.stringify({ ...matcher, p50_us: matcher.full_pass.p50_us, p99_us: matcher.full_pass.p99_us, gateway })}\n`,
  );
} else {
  matcherMain([]);
  process.stdout.write(`\n${formatGatewayBench(await runGatewayBench(defaultGatewayRun))}\n`);
}
