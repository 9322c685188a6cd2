/**
 * Streaming output scanner benchmark: CPU time to scan a 600-character reply streamed in 2-character chunks,
 * the previous scanner (full pass over the whole accumulated text on every chunk, fixed hold-back; re-created
 * here from the engine's `run` as it was) against the incremental scanner (`createOutputScanner`). Also how
 * many characters each one holds back after a chunk, and how many chunks pass before the first release.
 * Replies are our own benign Chinese/English sentences. Run: `npx tsx bench/scanner.ts [--json]`.
 */
import type { DetectContext } from '../packages/core/src/detect/context.js';
import {
  type DetectionEngine,
  getDefaultEngine,
  type OutputScanner,
  type ScanStep,
} from '../packages/core/src/detect/engine.js';
import { normalizeText } from '../packages/core/src/detect/normalize.js';
import type { Finding } from '../packages/core/src/types.js';

const SENTENCES = [
  '今天天气不错，适合出去走走。',
  '你昨天说想学画画，现在开始了吗？',
  '我觉得这本书的第二章写得特别好。',
  '周末要不要试试做一顿简单的晚饭？',
  'That sounds like a really fun plan. ',
  'I would love to hear more about your trip. ',
  '音乐能让人放松下来，你平时喜欢听什么？',
  'Maybe we could pick a movie for tonight. ',
];

/** Worst case for the window: no clause break at all (the window grows to its cap). */
let unbroken = false;

function reply(length: number, offset: number): string {
  if (unbroken) {
    let out = '';
    for (let k = offset; out.length < length; k++) out += `word${k % 97} and more `;
    return out.slice(0, length);
  }
  let out = '';
  for (let k = offset; out.length < length; k++) out += SENTENCES[k % SENTENCES.length] ?? '';
  return out.slice(0, length);
}

/** The previous scanner, as it was: every push re-runs the full pass on a window of the whole text. */
function legacyScanner(engine: DetectionEngine, ctx: DetectContext): OutputScanner {
  const holdBack = engine.holdBackFor(ctx);
  let acc = '';
  let released = 0;
  let blockedAt = Number.POSITIVE_INFINITY;
  const reported = new Set<string>();
  const windowStart = (s: string, from0: number): number => {
    let from = from0 - 256;
    if (from <= 0) return 0;
    const limit = Math.max(0, from - 64);
    while (from > limit && !/[\s。！？，、；：.!?,;:]/.test(s.charAt(from - 1))) from--;
    return from > limit ? from : 0;
  };
  const step = (final: boolean): ScanStep => {
    const from = final ? 0 : windowStart(acc, released);
    const view = from === 0 ? acc : acc.slice(from);
    const fresh: Finding[] = [];
    for (const raw of engine.run(view, ctx)) {
      if (!final && raw.rule === 'manipulation.ignoring-exit') continue;
      const f: Finding = { ...raw, span: [raw.span[0] + from, raw.span[1] + from] };
      const key = `${f.rule}|${f.span[0]}|${f.span[1]}`;
      if (reported.has(key)) continue;
      reported.add(key);
      fresh.push(f);
      if (f.status === 'ok' && f.tier > 0) blockedAt = Math.min(blockedAt, Math.max(released, f.span[0]));
    }
    let safe = acc.length;
    if (!final) {
      const n = normalizeText(view);
      const cut = n.codes.length - holdBack;
      safe = cut > 0 ? (n.map[cut] ?? 0) + from : 0;
    }
    safe = Math.min(safe, blockedAt);
    let release = '';
    if (safe > released) {
      release = acc.slice(released, safe);
      released = safe;
    }
    return { release, findings: fresh };
  };
  return {
    push(chunk: string): ScanStep {
      acc += chunk;
      return step(false);
    },
    end: () => step(true),
  };
}

interface Run {
  cpu_ms: number;
  mean_held_chars: number;
  chunks_before_first_release: number;
}

function runOnce(make: () => OutputScanner, text: string, chunk: number): Run {
  const scanner = make();
  let released = 0;
  let held = 0;
  let pushes = 0;
  let first = -1;
  const t0 = process.cpuUsage();
  for (let i = 0; i < text.length; i += chunk) {
    released += scanner.push(text.slice(i, i + chunk)).release.length;
    pushes++;
    held += Math.min(text.length, i + chunk) - released;
    if (first < 0 && released > 0) first = pushes;
  }
  released += scanner.end().release.length;
  const t = process.cpuUsage(t0);
  if (released !== text.length) throw new Error('benchmark reply was not released in full');
  return {
    cpu_ms: (t.user + t.system) / 1000,
    mean_held_chars: held / pushes,
    chunks_before_first_release: first,
  };
}

function bench(make: () => OutputScanner, rounds: number): Run {
  let best: Run | undefined;
  let heldSum = 0;
  let firstSum = 0;
  for (let r = 0; r < rounds; r++) {
    const text = reply(600, r);
    const run = runOnce(make, text, 2);
    heldSum += run.mean_held_chars;
    firstSum += run.chunks_before_first_release;
    if (best === undefined || run.cpu_ms < best.cpu_ms) best = run;
  }
  return {
    cpu_ms: best?.cpu_ms ?? 0,
    mean_held_chars: heldSum / rounds,
    chunks_before_first_release: firstSum / rounds,
  };
}

const engine = getDefaultEngine();
const ctx: DetectContext = { side: 'output' };
// Warm up both (JIT, lazy tables).
bench(() => legacyScanner(engine, ctx), 5);
bench(() => engine.createOutputScanner(ctx), 5);
const before = bench(() => legacyScanner(engine, ctx), 30);
const after = bench(() => engine.createOutputScanner(ctx), 30);
unbroken = true;
const beforeUnbroken = bench(() => legacyScanner(engine, ctx), 30);
const afterUnbroken = bench(() => engine.createOutputScanner(ctx), 30);
// Issue #11: the growth law on the worst cases we know (no punctuation, one long word, dense exit words): µs per
// 1,000 characters at 10k, 40k and 160k, input pass (cap off) and streamed output (64-character chunks).
const WORST: Record<string, string> = {
  'repeated 再见': '再见',
  'one letter': 'a',
  'CJK/Latin': '我a你b他c',
};
function usPerKiloChar(run: (text: string) => void, unit: string, size: number): number {
  const text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  run(text);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const t0 = process.cpuUsage();
    run(text);
    const d = process.cpuUsage(t0);
    best = Math.min(best, d.user + d.system);
  }
  return best / (size / 1000);
}
const growth = Object.entries(WORST).map(([name, unit]) => {
  const sizes = [10_000, 40_000, 160_000];
  const input = sizes.map((n) =>
    usPerKiloChar((t) => engine.run(t, { side: 'input', maxScanChars: Number.POSITIVE_INFINITY }), unit, n),
  );
  const streamed = sizes.map((n) =>
    usPerKiloChar(
      (t) => {
        const s = engine.createOutputScanner(ctx);
        for (let i = 0; i < t.length; i += 64) s.push(t.slice(i, i + 64));
        s.end();
      },
      unit,
      n,
    ),
  );
  return { text: name, input_us_per_kchar: input, streamed_us_per_kchar: streamed };
});
const result = {
  growth,
  reply_chars: 600,
  chunk_chars: 2,
  before,
  after,
  speedup: before.cpu_ms / Math.max(after.cpu_ms, 1e-6),
  no_clause_breaks: {
    before: beforeUnbroken,
    after: afterUnbroken,
    speedup: beforeUnbroken.cpu_ms / Math.max(afterUnbroken.cpu_ms, 1e-6),
  },
};
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const line = (name: string, r: Run) =>
    `${name}: ${r.cpu_ms.toFixed(2)} ms CPU per reply (best of 30), ` +
    `${r.mean_held_chars.toFixed(1)} chars held on average, first release after ${r.chunks_before_first_release.toFixed(1)} chunks`;
  process.stdout.write(
    `600-character reply, 2-character chunks\n${line('before (full pass per chunk)', before)}\n${line('after (incremental)', after)}\nspeedup ${result.speedup.toFixed(1)}×\n` +
      `no clause break in 600 characters (worst case)\n${line('before', beforeUnbroken)}\n${line('after', afterUnbroken)}\n` +
      `speedup ${result.no_clause_breaks.speedup.toFixed(1)}×\n` +
      `growth (µs CPU per 1k chars at 10k / 40k / 160k; flat = linear)\n${growth
        .map(
          (g) =>
            `${g.text}: input ${g.input_us_per_kchar.map((x) => x.toFixed(0)).join(' / ')}, streamed ${g.streamed_us_per_kchar.map((x) => x.toFixed(0)).join(' / ')}`,
        )
        .join('\n')}\n`,
  );
}
