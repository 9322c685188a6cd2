/**
 * `npm run load -- --url http://127.0.0.1:8787 [--key K] [--connections 16] [--duration 10] [--stream 0.5]
 * [--users 1000]` drives a RUNNING gateway with chat turns (autocannon) and prints throughput, latency
 * percentiles and errors. Turn n comes from end user n mod `--users` (fresh users each run), so each user
 * chats turn after turn in one session; `--stream` is the share of streamed turns. A turn counts as an error when its status is not 2xx, the socket fails or
 * times out, or a streamed reply ends in an error event (e.g. `upstream-timeout`). Messages are fixed
 * generated small talk; the figures are the deployment's, model included (use the demo model with
 * `demo.paceMs: 0` to measure the gateway alone).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    connections: { type: 'string', default: '16' },
    duration: { type: 'string', default: '10' },
    stream: { type: 'string', default: '0.5' },
    users: { type: 'string', default: '1000' },
    model: { type: 'string', default: 'demo' },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`load: ${message}\n`);
  process.exit(2);
};
const number = (name: string, text: string | undefined, min: number, max: number): number => {
  const n = Number(text);
  return Number.isFinite(n) && n >= min && n <= max
    ? n
    : fail(`--${name} must be a number in [${min}, ${max}]`);
};
if (!values.url || !/^https?:\/\/./.test(values.url)) fail('--url of the running gateway is required');
const base = (values.url ?? '').replace(/\/+$/, '');
const connections = Math.round(number('connections', values.connections, 1, 10_000));
const duration = number('duration', values.duration, 0.5, 86_400);
const streamShare = number('stream', values.stream, 0, 1);
const users = Math.round(number('users', values.users, 1, 10_000_000));

const texts = [
  'hello, how was your day?',
  'tell me something nice',
  'what should I cook tonight?',
  '今天天气不错',
];
const run = randomBytes(3).toString('hex');
let turns = 0;
let streamErrors = 0;

const result = await autocannon({
  url: `${base}/v1/chat/completions`,
  connections,
  duration,
  timeout: 30,
  headers: {
    'content-type': 'application/json',
    ...(values.key ? { authorization: `Bearer ${values.key}` } : {}),
  },
  requests: [
    {
      method: 'POST',
      setupRequest: (request) => {
        const n = turns++;
        // Spread streamed turns evenly: turn n is streamed when the running share falls behind.
        const stream = Math.floor((n + 1) * streamShare) > Math.floor(n * streamShare);
        return {
          ...request,
          body: JSON.stringify({
            model: values.model,
            user: `load-${run}-${n % users}`,
            stream,
            messages: [{ role: 'user', content: texts[n % texts.length] }],
          }),
        };
      },
      onResponse: (status, body) => {
        if (status < 300 && /^data: \{"error":/m.test(body)) streamErrors++;
      },
    },
  ],
});

const errors = result.non2xx + result.errors + result.timeouts + streamErrors;
const lines = [
  `load: ${base} · ${connections} connections · ${users} users · ${result.duration.toFixed(1)} s · ${Math.round(streamShare * 100)}% streamed`,
  `turns: ${result.requests.total} · throughput ${result.requests.average.toFixed(1)} turns/s`,
  `latency ms: p50 ${result.latency.p50} · p90 ${result.latency.p90} · p99 ${result.latency.p99} · max ${result.latency.max}`,
  `errors: ${errors} (non-2xx ${result.non2xx} · socket ${result.errors} · timeouts ${result.timeouts} · stream error events ${streamErrors})`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = errors > 0 ? 1 : 0;
