/**
 * Gateway overhead: the same upstream stub behind (a) a bare pass-through proxy and (b) the gateway with
 * everything on (detectors, session machine, persistence with encryption, audit chain). Prints latency
 * p50/p99 per non-streamed turn, streamed time-to-first-token and throughput, side by side with ratios: on
 * SQLite, and on PostgreSQL when `DATABASE_URL` names one (a fresh schema, dropped afterwards).
 * `npx tsx bench/gateway.ts [--json] [--requests N] [--seconds S]`; `CG_BENCH_CPU_PROF=DIR` writes a CPU profile of
 * the servers' process to DIR.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../packages/gateway/src/cli/serve.js';
import { silentLogger } from '../packages/gateway/src/logger.js';
import { createOpenAIUpstream } from '../packages/gateway/src/upstream/openai-upstream.js';
import { adminPool, createTestSchema } from '../packages/gateway/test/postgres.js';

const reply =
  '好的，我明白你的意思。今天过得怎么样？有什么开心或者烦心的事情都可以和我说说，我会认真听你讲。'.split(
    /(?<=[，。？])/,
  );

function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of req) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

/** An OpenAI-compatible upstream stub: answers at once, streamed or not. */
function upstreamStub() {
  return listen(async (req, res) => {
    const body = JSON.parse((await readBody(req)).toString()) as { stream?: boolean };
    const base = { id: 'x', created: 0, model: 'stub' };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [
            { index: 0, message: { role: 'assistant', content: reply.join('') }, finish_reason: 'stop' },
          ],
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const piece of reply) {
      res.write(
        `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`,
      );
    }
    res.end('data: [DONE]\n\n');
  });
}

/**
 * A bare pass-through proxy: forwards the body, pipes the response back. `GET /cpu` answers the servers'
 * process CPU time so far (µs), for the CPU a request costs, which a busy machine distorts far less than
 * wall time.
 */
function bareProxy(upstream: string) {
  return listen(async (req, res) => {
    if (req.method === 'GET' && req.url === '/cpu') {
      const { user, system } = process.cpuUsage();
      res.end(String(user + system));
      return;
    }
    const body = await readBody(req);
    const r = await fetch(`${upstream}${req.url?.replace(/^\/v1/, '')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
    if (r.body) for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
    res.end();
  });
}

interface Figures {
  /** The servers' CPU time per request of the sequential part (stub included), in ms. */
  cpu_ms: number;
  p50_ms: number;
  p99_ms: number;
  ttft_p50_ms: number;
  ttft_p99_ms: number;
  rps: number;
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

export function request(base: string, user: string, text: string, stream: boolean) {
  return fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'stub', user, stream, messages: [{ role: 'user', content: text }] }),
  });
}

export const messages = [
  '今天工作好累，想找人说说话。',
  'I watched a great movie tonight, want to hear about it?',
  '你喜欢什么样的音乐？',
  'What should I cook for dinner?',
];

async function measure(base: string, n: number, seconds: number, cpuUrl: string): Promise<Figures> {
  const cpu = async () => Number(await (await fetch(cpuUrl)).text());
  const cpuBefore = await cpu();
  const lat: number[] = [];
  const ttft: number[] = [];
  for (let i = 0; i < n; i++) {
    const user = `u${i % 50}`;
    const text = messages[i % messages.length] ?? '';
    const t0 = performance.now();
    const r = await request(base, user, text, false);
    await r.json();
    lat.push(performance.now() - t0);
    const t1 = performance.now();
    const s = await request(base, user, text, true);
    const reader = (s.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = '';
    let first = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
      if (!first && /"delta":\{"content":"[^"]/.test(seen)) first = performance.now() - t1;
    }
    ttft.push(first);
  }
  const cpuMs = (await cpu()) - cpuBefore;
  // Throughput: 16 concurrent clients for a fixed time.
  let count = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const r = await request(base, `t${w}-${i % 20}`, messages[i % messages.length] ?? '', false);
        await r.arrayBuffer();
        count++;
      }
    }),
  );
  return {
    cpu_ms: cpuMs / 1000 / (2 * n),
    p50_ms: pct(lat, 50),
    p99_ms: pct(lat, 99),
    ttft_p50_ms: pct(ttft, 50),
    ttft_p99_ms: pct(ttft, 99),
    rps: count / seconds,
  };
}

/**
 * The servers run in a child process so the client's work does not share their event loop. With
 * `postgres` the gateway stores in a fresh schema of `DATABASE_URL`'s database, dropped when the child ends.
 */
async function serveChild(postgres: boolean): Promise<void> {
  const stub = await upstreamStub();
  const proxy = await bareProxy(stub.url);
  const dataDir = await mkdtemp(join(tmpdir(), 'cg-bench-'));
  const admin = postgres ? adminPool() : undefined;
  const pgSchema = admin ? await createTestSchema(admin, 'cg_bench_gateway') : undefined;
  const gateway = await startServer({
    port: 0,
    dataDir,
    env: {},
    // Limits counted (their cost is part of a turn) but far above what the load clients send.
    inline: { limits: { turnsPerUserPerMinute: 1_000_000, turnsPerKeyPerMinute: 1_000_000 } },
    logger: silentLogger,
    upstream: createOpenAIUpstream({ baseUrl: stub.url, timeoutMs: 10_000 }),
    ...(pgSchema ? { databaseUrl: pgSchema.url } : {}),
  });
  process.stdout.write(`${JSON.stringify({ proxy: proxy.url, gateway: gateway.url })}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => {
    void gateway
      .close()
      .then(() => admin?.query(`drop schema ${pgSchema?.schema} cascade`))
      .then(() => admin?.end())
      .then(() => rm(dataDir, { recursive: true, force: true }))
      .finally(() => process.exit(0));
  });
}

/** The bench servers of the checkout `script` belongs to (this one by default), in a child process. */
export function startChild(
  postgres: boolean,
  script = fileURLToPath(import.meta.url),
): Promise<{ child: ChildProcess; proxy: string; gateway: string }> {
  const profile = process.env.CG_BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CG_BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', script, '--child', ...(postgres ? ['--postgres'] : [])],
    {
      cwd: dirname(dirname(script)),
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0)
        resolve({ child, ...(JSON.parse(out.slice(0, nl)) as { proxy: string; gateway: string }) });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
  });
}

export interface GatewayFigures {
  readonly bare: Figures;
  readonly gateway: Figures;
  readonly added_p50_ms: number;
  readonly added_p99_ms: number;
  readonly added_ttft_p50_ms: number;
  readonly throughput_ratio: number;
  /** Gateway CPU per request over the bare proxy's (the servers' process, stub included in both). */
  readonly cpu_ratio: number;
  /** Each round's pair (the bare proxy's round, then the gateway's), to show how much the machine swings. */
  readonly per_round: { readonly added_p50_ms: number[]; readonly throughput_ratio: number[] };
}

/**
 * 2,000 sequential turns of each kind (500 a round) so that p99 is read from enough samples (with 100 a round
 * it was the round's second slowest); 8 s of concurrent load (2 s a round).
 */
export const defaultGatewayRun = { requests: 2000, seconds: 8 } as const;

/** The gateway on SQLite and, when `DATABASE_URL` is set, on PostgreSQL (else `postgres` is null). */
export interface GatewayBenchResult extends GatewayFigures {
  readonly postgres: GatewayFigures | null;
}

/**
 * Latency and throughput of the bare proxy and the gateway, measured in alternating rounds, on SQLite and
 * (when `DATABASE_URL` names a server) on PostgreSQL.
 */
export async function runGatewayBench(options: {
  requests: number;
  seconds: number;
}): Promise<GatewayBenchResult> {
  const sqlite = await benchOneStore(options, false);
  return { ...sqlite, postgres: process.env.DATABASE_URL ? await benchOneStore(options, true) : null };
}

async function benchOneStore(
  options: { requests: number; seconds: number },
  postgres: boolean,
): Promise<GatewayFigures> {
  const servers = await startChild(postgres);
  const cpuUrl = `${servers.proxy}/cpu`;
  try {
    await measure(servers.proxy, 50, 0.5, cpuUrl); // warm-up
    await measure(servers.gateway, 50, 0.5, cpuUrl);
    const rounds = 4;
    const runs: { bare: Figures[]; gateway: Figures[] } = { bare: [], gateway: [] };
    for (let r = 0; r < rounds; r++) {
      runs.bare.push(
        await measure(servers.proxy, Math.ceil(options.requests / rounds), options.seconds / rounds, cpuUrl),
      );
      runs.gateway.push(
        await measure(
          servers.gateway,
          Math.ceil(options.requests / rounds),
          options.seconds / rounds,
          cpuUrl,
        ),
      );
    }
    const median = (xs: Figures[], k: keyof Figures) =>
      pct(
        xs.map((x) => x[k]),
        50,
      );
    const merge = (xs: Figures[]): Figures => ({
      cpu_ms: median(xs, 'cpu_ms'),
      p50_ms: median(xs, 'p50_ms'),
      p99_ms: median(xs, 'p99_ms'),
      ttft_p50_ms: median(xs, 'ttft_p50_ms'),
      ttft_p99_ms: median(xs, 'ttft_p99_ms'),
      rps: median(xs, 'rps'),
    });
    const bare = merge(runs.bare);
    const gateway = merge(runs.gateway);
    return {
      bare,
      gateway,
      added_p50_ms: gateway.p50_ms - bare.p50_ms,
      added_p99_ms: gateway.p99_ms - bare.p99_ms,
      added_ttft_p50_ms: gateway.ttft_p50_ms - bare.ttft_p50_ms,
      throughput_ratio: gateway.rps / bare.rps,
      cpu_ratio: gateway.cpu_ms / bare.cpu_ms,
      per_round: {
        added_p50_ms: runs.gateway.map((g, i) => g.p50_ms - (runs.bare[i]?.p50_ms ?? Number.NaN)),
        throughput_ratio: runs.gateway.map((g, i) => g.rps / (runs.bare[i]?.rps ?? Number.NaN)),
      },
    };
  } finally {
    servers.child.stdin?.end();
  }
}

export function formatGatewayBench(result: GatewayBenchResult): string {
  const pgPart = result.postgres
    ? formatFigures(result.postgres, 'PostgreSQL')
    : 'PostgreSQL: skipped (DATABASE_URL not set)';
  return `${formatFigures(result, 'SQLite')}\n\n${pgPart}`;
}

function formatFigures(result: GatewayFigures, store: string): string {
  const { bare, gateway } = result;
  const f = (x: number) => x.toFixed(2).padStart(9);
  const rows = [
    ['non-streamed p50 (ms)', bare.p50_ms, gateway.p50_ms],
    ['non-streamed p99 (ms)', bare.p99_ms, gateway.p99_ms],
    ['streamed TTFT p50 (ms)', bare.ttft_p50_ms, gateway.ttft_p50_ms],
    ['streamed TTFT p99 (ms)', bare.ttft_p99_ms, gateway.ttft_p99_ms],
    ['throughput (req/s, 16 clients)', bare.rps, gateway.rps],
    ['server CPU per request (ms)', bare.cpu_ms, gateway.cpu_ms],
  ] as const;
  const lines = [
    'gateway overhead vs a bare pass-through proxy to the same upstream stub (median of 4 alternating rounds;',
    `gateway with detectors, crisis model, ${store} persistence, encryption and audit chain on)`,
    `${'metric'.padEnd(32)}${'bare proxy'.padStart(11)}${'gateway'.padStart(11)}${'added / ratio'.padStart(15)}`,
  ];
  for (const [name, a, b] of rows) {
    const cmp = /^(throughput|server CPU)/.test(name)
      ? `${(b / a).toFixed(2)}x`
      : `${b - a >= 0 ? '+' : ''}${(b - a).toFixed(2)}`;
    lines.push(`${name.padEnd(32)}${f(a)}  ${f(b)}${cmp.padStart(15)}`);
  }
  const { added_p50_ms: added, throughput_ratio: ratio } = result.per_round;
  const span = (xs: number[], show: (x: number) => string) =>
    `${show(Math.min(...xs))} to ${show(Math.max(...xs))}`;
  lines.push(
    `per round: added p50 ${span(added, (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`)} ms, throughput ${span(ratio, (x) => `${x.toFixed(2)}x`)}`,
  );
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      requests: { type: 'string' },
      seconds: { type: 'string' },
      child: { type: 'boolean' },
      postgres: { type: 'boolean' },
    },
  });
  if (values.child) return serveChild(values.postgres === true);
  const result = await runGatewayBench({
    requests: Number(values.requests ?? defaultGatewayRun.requests),
    seconds: Number(values.seconds ?? defaultGatewayRun.seconds),
  });
  process.stdout.write(`${values.json ? JSON.stringify(result) : formatGatewayBench(result)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.slice(2));
}
