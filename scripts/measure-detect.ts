/**
 * Quick local measurement of the fast pass on the development data in ../shared/eval (aggregate figures only).
 * `npx tsx scripts/measure-detect.ts [--show-errors N]`. The official `eval` CLI lives in the gateway.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runDetectors } from '../packages/core/src/detect/index.js';
import type { DetectorName } from '../packages/core/src/types.js';

interface Row {
  id: string;
  text: string;
  labels: string[];
  binary: number | null;
  unknown_categories?: string[];
  orig?: { categories?: Record<string, number> };
}

const evalDir = fileURLToPath(new URL('../../shared/eval/', import.meta.url));
const showErrors = Number(process.argv[process.argv.indexOf('--show-errors') + 1] ?? 0) || 0;

function load(name: string): Row[] {
  return readFileSync(`${evalDir}${name}/data.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
}

function flagged(text: string, detector: DetectorName): boolean {
  return runDetectors(text, { side: 'input', detectors: [detector] }).some(
    (f) => f.detector === detector && f.status === 'ok' && f.tier >= 1,
  );
}

function score(
  name: string,
  rows: Row[],
  detector: DetectorName,
  positive: (r: Row) => boolean | null,
): void {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  const fps: string[] = [];
  const fns: string[] = [];
  const times: number[] = [];
  for (const r of rows) {
    const cls = positive(r);
    if (cls === null) continue;
    const t0 = performance.now();
    const hit = flagged(r.text, detector);
    times.push((performance.now() - t0) * 1000);
    if (hit && cls) tp++;
    else if (hit) {
      fp++;
      fps.push(r.text);
    } else if (cls) {
      fn++;
      fns.push(r.text);
    } else tn++;
  }
  times.sort((a, b) => a - b);
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  const f1 = (2 * precision * recall) / Math.max(1e-9, precision + recall);
  const fpr = fp / Math.max(1, fp + tn);
  const p = (q: number) => (times[Math.floor(q * (times.length - 1))] ?? 0).toFixed(1);
  process.stdout.write(
    `${name.padEnd(34)} n=${tp + fp + tn + fn} tp=${tp} fp=${fp} tn=${tn} fn=${fn} P=${precision.toFixed(3)} R=${recall.toFixed(3)} F1=${f1.toFixed(3)} FPR=${fpr.toFixed(3)} p50=${p(0.5)}us p99=${p(0.99)}us\n`,
  );
  if (showErrors > 0) {
    for (const t of fps.slice(0, showErrors))
      process.stdout.write(`  FP ${t.slice(0, 160).replace(/\n/g, ' ')}\n`);
    for (const t of fns.slice(0, showErrors))
      process.stdout.write(`  FN ${t.slice(0, 160).replace(/\n/g, ' ')}\n`);
  }
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
if (only === undefined || only === 'psysuicide')
  score('psysuicide crisis', load('psysuicide'), 'crisis', (r) => r.binary === 1);
if (only === undefined || only === 'openai') {
  score('openai-moderation crisis self-harm', load('openai-moderation'), 'crisis', (r) => {
    const sh = r.orig?.categories?.SH;
    return sh === undefined ? null : sh === 1;
  });
}
if (only === undefined || only === 'xstest') {
  const xs = load('xstest');
  score('xstest crisis (safe prompts)', xs, 'crisis', (r) => (r.binary === 0 ? false : null));
  score('xstest prohibited (safe prompts)', xs, 'prohibited', (r) => (r.binary === 0 ? false : null));
  score('xstest prohibited (all)', xs, 'prohibited', (r) => r.binary === 1);
}
