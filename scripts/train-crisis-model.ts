/**
 * Trains the in-repo crisis (suicide / self-harm) model: hashed character n-gram + Latin word n-gram
 * logistic regression, Chinese and English, from the development split in `../shared/eval`.
 *
 *   npx tsx scripts/train-crisis-model.ts [--dir ../shared/eval] [--out FILE] [--validate-only]
 *
 * Reproducible: the validation split is a hash of each row id (no randomness), the optimiser is full-batch
 * Adam from zero weights (no randomness), and the output is a pure function of the input files.
 * Steps: (1) train on ~80% of the dev rows, pick thresholds on the other ~20% and print the validation
 * figures; (2) train the final model on all dev rows with the same settings and write the weights file.
 * Only weights and aggregate figures are written, never texts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDetectorsWithModel } from '../packages/core/src/detect/second-opinion/crisis-decision.js';
import type { CrisisModel } from '../packages/core/src/detect/second-opinion/crisis-model.js';
import {
  collectFeatures,
  featureFingerprint,
  foldForModel,
} from '../packages/core/src/detect/second-opinion/features.js';

const BITS = 18;
const ITERATIONS = 600;
const LEARNING_RATE = 0.05;
const L2 = 1e-5;
const VALIDATION_MOD = 5; // rows whose id hash % 5 === 0 are validation

/**
 * Hand-written by us (not from any dataset): idioms and hyperbole that share characters or words with crisis
 * language, as extra negatives, and a few plain disclosures as extra positives. They steer the model away from
 * the idiom traps the fast pass allow-lists (笑死, 累死了, 想死你了, "kill the process", "dying to see it").
 */
const OWN_NEGATIVES = [
  '笑死我了',
  '哈哈哈笑死',
  '笑死了这个视频',
  '今天累死了',
  '上班累死我了',
  '热死了，开空调吧',
  '饿死了，快点外卖',
  '冷死了今天',
  '困死了想睡觉',
  '想死你了，什么时候回来',
  '好想你啊，想死我了',
  '气死我了，又堵车',
  '吓死我了，你怎么突然出来',
  '急死了，快递还没到',
  '烦死了这个作业',
  '这个游戏难死了',
  '我要被这道题逼疯了',
  '我快被老板逼疯了哈哈',
  '尴尬死了',
  '羡慕死了',
  '美死了这个裙子',
  '我死也要吃到这家火锅',
  '手机快没电了，要死了',
  '这部电影的主角最后死了，好感人',
  '小说里的反派跳楼了',
  '杀死进程就好了',
  '把这个线程杀掉',
  '我们去爬山吧，天气很好',
  '今天考试考得还不错',
  '我妈做的饭太好吃了',
  '周末一起去看电影吗',
  '我家猫今天又把杯子打翻了',
  'I could kill myself laughing',
  'this joke is killing me',
  "I'm dying to see that movie",
  "I'm dying of laughter",
  'lol I literally died',
  'kill the process and restart it',
  'how do I kill a zombie process in linux',
  'the heat is killing me today',
  'my feet are killing me after that hike',
  "I'm dead tired after work",
  'this homework is going to be the death of me haha',
  'she killed it on stage last night',
  "I'd die for a good pizza right now",
  'we should hang out this weekend',
  'can you help me cut the onions',
  'how do I shoot a good photo at night',
  'the character dies at the end of the book',
  'what a great day at the beach',
];
const OWN_POSITIVES = [
  '我不想活了',
  '活着好累，不想再继续了',
  '我想结束自己的生命',
  '我已经买好了安眠药',
  '我又割了自己的手腕',
  '如果我消失了大家会更好吧',
  'I want to die',
  "I don't want to live anymore",
  "I'm going to end my life tonight",
  'I cut myself again last night',
  'everyone would be better off without me',
  "I have the pills ready and I'm done",
];
const OWN_WEIGHT = 3;

/** Sources scored on validation but never trained on. */
const VALIDATION_ONLY = new Set(['cold']);

interface Row {
  id: string;
  text: string;
  lang: string;
  labels: string[];
  binary: number | null;
  unknown_categories?: string[];
}

interface Example {
  id: string;
  dataset: string;
  y: 0 | 1;
  features: Int32Array;
  value: number;
  weight: number;
  /** Kept in memory only, for the combined (fast pass + model) validation figures. */
  text: string;
}

function readJsonl(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Row);
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Which rows of which dev sets are used, with which label. Returns undefined to skip a row. */
const sources: Record<string, (r: Row) => 0 | 1 | undefined> = {
  psysuicide: (r) => (r.binary === 1 ? 1 : r.binary === 0 ? 0 : undefined),
  'openai-moderation': (r) =>
    r.unknown_categories?.includes('self-harm') ? undefined : r.labels.includes('self-harm') ? 1 : 0,
  // User-level r/SuicideWatch posts: only ideation / behavior / attempt, as English positives.
  'cssrs-reddit': (r) => (r.binary === 1 ? 1 : undefined),
  // No row of COLD is about suicide or self-harm. Measured only: as training negatives it cost psysuicide
  // recall (5,323 rows of group talk outweigh the 1,595 counselling negatives) for no FPR gain.
  cold: () => 0,
  // XSTest safe prompts ("kill a Python process"): English hard negatives.
  xstest: (r) => (r.binary === 0 ? 0 : undefined),
};

function featurize(text: string): { features: Int32Array; value: number } {
  const buf: number[] = [];
  const n = collectFeatures(foldForModel(text), BITS, (b) => buf.push(b));
  return { features: Int32Array.from(buf), value: n > 0 ? 1 / Math.sqrt(n) : 0 };
}

function loadExamples(dir: string): Example[] {
  const out: Example[] = [];
  for (const [dataset, label] of Object.entries(sources)) {
    for (const r of readJsonl(join(dir, dataset, 'data.jsonl'))) {
      const y = label(r);
      if (y === undefined) continue;
      out.push({ id: r.id, dataset, y, weight: 1, text: r.text, ...featurize(r.text) });
    }
  }
  OWN_NEGATIVES.forEach((text, i) => {
    out.push({ id: `own:neg:${i}`, dataset: 'own', y: 0, weight: OWN_WEIGHT, text, ...featurize(text) });
  });
  OWN_POSITIVES.forEach((text, i) => {
    out.push({ id: `own:pos:${i}`, dataset: 'own', y: 1, weight: OWN_WEIGHT, text, ...featurize(text) });
  });
  return out;
}

interface Model {
  w: Float64Array;
  b: number;
}

function logit(m: Model, e: Example): number {
  let s = 0;
  for (const f of e.features) s += m.w[f] ?? 0;
  return m.b + s * e.value;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Full-batch Adam on class-weighted logistic loss with L2. Deterministic. */
function train(examples: readonly Example[]): Model {
  const size = 1 << BITS;
  const w = new Float64Array(size);
  let b = 0;
  let pos = 0;
  let neg = 0;
  for (const e of examples) {
    if (e.y === 1) pos += e.weight;
    else neg += e.weight;
  }
  const posWeight = neg / Math.max(1, pos);
  const totalWeight = pos * posWeight + neg;
  const g = new Float64Array(size);
  const m1 = new Float64Array(size);
  const m2 = new Float64Array(size);
  let bm1 = 0;
  let bm2 = 0;
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let t = 1; t <= ITERATIONS; t++) {
    g.fill(0);
    let gb = 0;
    for (const e of examples) {
      const p = sigmoid(logit({ w, b }, e));
      const weight = (e.y === 1 ? posWeight : 1) * e.weight;
      const d = (weight * (p - e.y)) / totalWeight;
      gb += d;
      const dv = d * e.value;
      for (const f of e.features) g[f] = (g[f] ?? 0) + dv;
    }
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let i = 0; i < size; i++) {
      const gi = (g[i] ?? 0) + L2 * (w[i] ?? 0);
      const a = beta1 * (m1[i] ?? 0) + (1 - beta1) * gi;
      const v = beta2 * (m2[i] ?? 0) + (1 - beta2) * gi * gi;
      m1[i] = a;
      m2[i] = v;
      w[i] = (w[i] ?? 0) - (LEARNING_RATE * (a / c1)) / (Math.sqrt(v / c2) + 1e-8);
    }
    bm1 = beta1 * bm1 + (1 - beta1) * gb;
    bm2 = beta2 * bm2 + (1 - beta2) * gb * gb;
    b -= (LEARNING_RATE * (bm1 / c1)) / (Math.sqrt(bm2 / c2) + 1e-8);
  }
  return { w, b };
}

interface Quantized {
  bytes: Int8Array;
  scale: number;
  bias: number;
}

function quantize(m: Model): Quantized {
  let max = 0;
  for (const v of m.w) max = Math.max(max, Math.abs(v));
  const scale = max / 127 || 1;
  const bytes = new Int8Array(m.w.length);
  for (let i = 0; i < m.w.length; i++) bytes[i] = Math.round((m.w[i] ?? 0) / scale);
  return { bytes, scale, bias: m.b };
}

/** Scores with the quantized weights, exactly as inference does. */
function scoreQuantized(q: Quantized, e: Example): number {
  let s = 0;
  for (const f of e.features) s += q.bytes[f] ?? 0;
  return sigmoid(q.bias + q.scale * s * e.value);
}

interface Figures {
  n: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  fpr: number;
}

function figures(pairs: readonly { y: 0 | 1; s: number }[], threshold: number): Figures {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const { y, s } of pairs) {
    const p = s >= threshold;
    if (p && y === 1) tp++;
    else if (p) fp++;
    else if (y === 1) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const fpr = fp + tn > 0 ? fp / (fp + tn) : 0;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: pairs.length,
    tp,
    fp,
    tn,
    fn,
    precision: r(precision),
    recall: r(recall),
    f1: r(f1),
    fpr: r(fpr),
  };
}

function byDataset(
  examples: readonly Example[],
  score: (e: Example) => number,
): Map<string, { y: 0 | 1; s: number }[]> {
  const m = new Map<string, { y: 0 | 1; s: number }[]>();
  for (const e of examples) {
    const list = m.get(e.dataset) ?? [];
    list.push({ y: e.y, s: score(e) });
    m.set(e.dataset, list);
  }
  return m;
}

interface LangThresholds {
  threshold: number;
  low: number;
  high: number;
}

/**
 * Picks a threshold on validation: the best F1 among thresholds that pass `ok` (Chinese, on psysuicide:
 * precision ≥ 0.80; English, on openai-moderation self-harm: false-positive rate ≤ 0.03, a margin under the
 * 0.05 target). The unsure band [low, threshold) is where a second opinion is asked; at or above `high` the
 * model alone is confident.
 */
function pickThreshold(
  pairs: readonly { y: 0 | 1; s: number }[],
  ok: (f: Figures) => boolean,
): LangThresholds {
  let best = 0.5;
  let bestF1 = -1;
  for (let i = 5; i < 99; i++) {
    const t = i / 100;
    const f = figures(pairs, t);
    if (ok(f) && f.f1 > bestF1) {
      bestF1 = f.f1;
      best = t;
    }
  }
  return {
    threshold: best,
    low: Math.round(Math.max(0.05, best / 2) * 100) / 100,
    high: Math.round(Math.min(0.98, (best + 1) / 2) * 100) / 100,
  };
}

function toBase64(bytes: Int8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: resolve(import.meta.dirname, '../../shared/eval') },
      out: {
        type: 'string',
        default: resolve(
          import.meta.dirname,
          '../packages/core/src/detect/second-opinion/crisis-model.generated.ts',
        ),
      },
      'validate-only': { type: 'boolean', default: false },
    },
  });
  const examples = loadExamples(values.dir);
  const isValidation = (e: Example) => e.dataset !== 'own' && fnv1a(e.id) % VALIDATION_MOD === 0;
  const trainable = examples.filter((e) => !VALIDATION_ONLY.has(e.dataset));
  const trainSet = trainable.filter((e) => !isValidation(e));
  const validSet = examples.filter(isValidation);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(
    `rows: ${examples.length} (trainable ${trainable.length}: train ${trainSet.length}; validation ${validSet.length})`,
  );

  const t0 = performance.now();
  const q1 = quantize(train(trainSet));
  out(`validation model trained in ${Math.round(performance.now() - t0)} ms`);
  const groups = byDataset(validSet, (e) => scoreQuantized(q1, e));
  // Thresholds are picked for the decision as shipped (fast pass OR model): a row the fast pass flags counts
  // as positive whatever the score, a row it cleared by context as negative, the rest by the model score.
  const fastCrisis = (e: Example): number => {
    const { findings } = runDetectorsWithModel(
      e.text,
      { side: 'input', detectors: ['crisis'] },
      { model: false },
    );
    const own = findings.filter((f) => f.detector === 'crisis' && f.status === 'ok');
    if (own.some((f) => f.tier >= 1)) return 1;
    return own.length > 0 ? 0 : scoreQuantized(q1, e);
  };
  const decisionGroups = byDataset(validSet, fastCrisis);
  const th = {
    zh: pickThreshold(decisionGroups.get('psysuicide') ?? [], (f) => f.precision >= 0.8),
    en: pickThreshold(decisionGroups.get('openai-moderation') ?? [], (f) => f.fpr <= 0.03),
  };
  const langOf: Record<string, 'zh' | 'en'> = {
    psysuicide: 'zh',
    cold: 'zh',
    'openai-moderation': 'en',
    'cssrs-reddit': 'en',
    xstest: 'en',
  };
  const validation: Record<string, Figures> = {};
  for (const [dataset, pairs] of groups) {
    validation[dataset] = figures(pairs, th[langOf[dataset] ?? 'en'].threshold);
  }
  out(`thresholds: ${JSON.stringify(th)}`);
  out('validation (model alone, held-out 20% of dev rows):');
  for (const [d, f] of Object.entries(validation)) out(`  ${d.padEnd(18)} ${JSON.stringify(f)}`);
  // The crisis decision as shipped: fast pass OR model (see runDetectorsWithModel), validation model.
  const validationModel: CrisisModel = {
    bits: BITS,
    bias: q1.bias,
    scale: q1.scale,
    weights: q1.bytes,
    thresholds: th,
  };
  const combinedGroups = byDataset(validSet, (e) => {
    const { findings } = runDetectorsWithModel(
      e.text,
      { side: 'input', detectors: ['crisis'] },
      { model: validationModel },
    );
    return findings.some((f) => f.detector === 'crisis' && f.status === 'ok' && f.tier >= 1) ? 1 : 0;
  });
  const combined: Record<string, Figures> = {};
  out('validation (fast pass + model, the crisis decision):');
  for (const [d, pairs] of combinedGroups) {
    combined[d] = figures(pairs, 0.5);
    out(`  ${d.padEnd(18)} ${JSON.stringify(combined[d])}`);
  }
  if (values['validate-only']) {
    for (const t of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]) {
      const a = figures(groups.get('psysuicide') ?? [], t);
      const c = figures(groups.get('openai-moderation') ?? [], t);
      out(`  t=${t} zh P=${a.precision} R=${a.recall} | en P=${c.precision} R=${c.recall} FPR=${c.fpr}`);
    }
    return;
  }

  const t1 = performance.now();
  const q = quantize(train(trainable));
  out(`final model trained on all ${trainable.length} rows in ${Math.round(performance.now() - t1)} ms`);
  const counts: Record<string, { pos: number; neg: number }> = {};
  for (const e of trainable) {
    const c = counts[e.dataset] ?? { pos: 0, neg: 0 };
    if (e.y === 1) c.pos++;
    else c.neg++;
    counts[e.dataset] = c;
  }
  const data = {
    version: 1,
    bits: BITS,
    fingerprint: featureFingerprint(BITS),
    bias: q.bias,
    scale: q.scale,
    thresholds: th,
    meta: {
      trainer: 'scripts/train-crisis-model.ts',
      features: 'char 1-3 grams + latin word 1-2 grams, hashed',
      iterations: ITERATIONS,
      learningRate: LEARNING_RATE,
      l2: L2,
      validationRule: `fnv1a(id) % ${VALIDATION_MOD} === 0`,
      rows: counts,
      validation,
      validationCombined: combined,
    },
    weights: toBase64(q.bytes),
  };
  const body = [
    '// Generated by scripts/train-crisis-model.ts: do not edit. Derived weights only, no texts.',
    "import type { CrisisModelData } from './crisis-model.js';",
    '',
    `export const crisisModelData: CrisisModelData = ${JSON.stringify(data, null, 1)};`,
    '',
  ].join('\n');
  writeFileSync(values.out, body);
  out(`wrote ${values.out} (${body.length} bytes)`);
}

main();
