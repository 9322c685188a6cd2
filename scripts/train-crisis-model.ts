/**
 * Trains the in-repo crisis (suicide / self-harm) models: one hashed n-gram logistic regression for Chinese
 * (CJK) text and one for English, from the training part of `../shared/eval` (see
 * `packages/gateway/src/cli/eval-split.ts`: the frozen validation part, ~20 % of the near-duplicate groups,
 * is never trained on and chooses nothing).
 *
 *   npm run train:crisis                     # = npx tsx scripts/train-crisis-model.ts
 *   npx tsx scripts/train-crisis-model.ts [--dir ../shared/eval] [--out FILE] [--oof FILE] [--quick]
 *
 * Per language: (1) grouped 5-fold cross-validation on the training part for every candidate setting (feature
 * spec × L2); the setting with the best out-of-fold average precision wins; (2) Platt scaling fitted on the
 * winner's out-of-fold logits; (3) decision thresholds chosen on the out-of-fold calibrated scores for the
 * decision as shipped (fast pass OR model); (4) the final model is trained on the whole training part.
 * Writes the weights (`crisis-model.generated.ts`) and the out-of-fold scores keyed by row id
 * (`scripts/crisis-model.oof.generated.json`, read by `npm run eval` for the cross-validated figures). Deterministic:
 * no randomness anywhere, so two runs write byte-identical files. Never writes texts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDetectorsWithModel } from '../packages/core/src/detect/second-opinion/crisis-decision.js';
import type {
  CrisisLangModelData,
  CrisisModelData,
  CrisisThresholds,
} from '../packages/core/src/detect/second-opinion/crisis-model.js';
import { hasCjk } from '../packages/core/src/detect/second-opinion/crisis-model.js';
import {
  collectFeatures,
  type FeatureSpec,
  featureFingerprint,
  foldForModel,
} from '../packages/core/src/detect/second-opinion/features.js';
import { FOLDS, splitOf } from '../packages/gateway/src/cli/eval-split.js';

type Lang = 'zh' | 'en';

const BITS = 17;
const ITERATIONS = 200;
const LEARNING_RATE = 0.1;

/** Candidate settings per language; grouped CV picks one. */
const GRID: Record<Lang, { specs: FeatureSpec[]; l2: number[] }> = {
  zh: {
    specs: [
      { charMin: 1, charMax: 3, wordMax: 2 },
      { charMin: 1, charMax: 4, wordMax: 2 },
    ],
    l2: [1e-5, 1e-4],
  },
  en: {
    specs: [
      { charMin: 3, charMax: 5, wordMax: 2 },
      { charMin: 2, charMax: 4, wordMax: 2 },
    ],
    l2: [1e-5, 1e-4],
  },
};

/**
 * Hand-written by us (not from any dataset): idioms and hyperbole that share characters or words with crisis
 * language, as extra negatives, and a few plain disclosures as extra positives. They steer the model away from
 * the idiom traps the fast pass allow-lists (笑死, 累死了, 想死你了, "kill the process", "dying to see it").
 * Always in the training set of every fold; never scored.
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
  '这个bug要把我折磨死了',
  '今天加班到十点，人都麻了',
  '心情不太好，想出去走走',
  '最近压力有点大，睡不太好',
  '和男朋友吵架了，好难过',
  '工作好累，但周末可以休息了',
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
  "I'm so stressed about my exams next week",
  'had a rough day at work, need a nap',
  'my grandmother passed away last year and I still miss her',
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

interface Row {
  id: string;
  text: string;
  labels: string[];
  binary: number | null;
  unknown_categories?: string[];
}

/**
 * Which dev sets are read, and each row's training label: 1 / 0, or undefined = scored out of fold (so eval
 * can report it) but not trained on.
 */
const SOURCES: Record<string, (r: Row) => 0 | 1 | undefined> = {
  psysuicide: (r) => (r.binary === 1 ? 1 : r.binary === 0 ? 0 : undefined),
  'openai-moderation': (r) =>
    r.unknown_categories?.includes('self-harm') ? undefined : r.labels.includes('self-harm') ? 1 : 0,
  // User-level r/SuicideWatch posts: ideation / behavior / attempt as English positives. The other users
  // (supportive, indicator) also write about suicide on that forum: scored, not trained on.
  'cssrs-reddit': (r) => (r.binary === 1 ? 1 : undefined),
  // No COLD row is about suicide or self-harm: Chinese negatives of everyday group talk.
  cold: () => 0,
  // XSTest safe prompts ("kill a Python process"): English hard negatives. Unsafe contrast prompts: scored only.
  xstest: (r) => (r.binary === 0 ? 0 : undefined),
};

interface Example {
  id: string;
  dataset: string;
  lang: Lang;
  /** Undefined: scored, not trained on. */
  y: 0 | 1 | undefined;
  /** -1 own example (always trained on, never scored), else the CV fold. */
  fold: number;
  frozen: boolean;
  weight: number;
  /** The fast pass alone on this row: 1 crisis hit, 0 a crisis term cleared by context, -1 nothing. */
  fast: 1 | 0 | -1;
}

interface Sparse {
  idx: Int32Array;
  val: Float64Array;
}

function readJsonl(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Row);
}

function fastPass(text: string): 1 | 0 | -1 {
  const { findings } = runDetectorsWithModel(
    text,
    { side: 'input', detectors: ['crisis'] },
    { model: false },
  );
  const own = findings.filter((f) => f.detector === 'crisis' && f.status === 'ok');
  if (own.some((f) => f.tier >= 1)) return 1;
  return own.length > 0 ? 0 : -1;
}

function loadExamples(dir: string): { examples: Example[]; texts: string[] } {
  const examples: Example[] = [];
  const texts: string[] = [];
  const add = (e: Omit<Example, 'lang' | 'fast'>, text: string) => {
    examples.push({ ...e, lang: hasCjk(text) ? 'zh' : 'en', fast: fastPass(text) });
    texts.push(text);
  };
  for (const [dataset, label] of Object.entries(SOURCES)) {
    for (const r of readJsonl(join(dir, dataset, 'data.jsonl'))) {
      const part = splitOf(r.id, r.text);
      const base = { id: r.id, dataset, y: label(r), weight: 1 };
      add(
        part.frozen ? { ...base, fold: -2, frozen: true } : { ...base, fold: part.fold, frozen: false },
        r.text,
      );
    }
  }
  const own = (list: string[], y: 0 | 1, tag: string) =>
    list.forEach((text, i) => {
      add({ id: `own:${tag}:${i}`, dataset: 'own', y, fold: -1, frozen: false, weight: OWN_WEIGHT }, text);
    });
  own(OWN_NEGATIVES, 0, 'neg');
  own(OWN_POSITIVES, 1, 'pos');
  return { examples, texts };
}

/** Sparse feature vector: unique buckets with count / sqrt(number of features). */
function featurize(text: string, spec: FeatureSpec): Sparse {
  const counts = new Map<number, number>();
  const n = collectFeatures(foldForModel(text), spec, BITS, (b) => counts.set(b, (counts.get(b) ?? 0) + 1));
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const scale = n > 0 ? 1 / Math.sqrt(n) : 0;
  return { idx: Int32Array.from(keys), val: Float64Array.from(keys, (k) => (counts.get(k) ?? 0) * scale) };
}

interface Model {
  w: Float64Array;
  b: number;
}

function dot(w: Float64Array, b: number, x: Sparse): number {
  let s = b;
  for (let j = 0; j < x.idx.length; j++) s += (w[x.idx[j] ?? 0] ?? 0) * (x.val[j] ?? 0);
  return s;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Full-batch Adam on class-balanced logistic loss with L2, from zero weights. Deterministic. Only buckets that
 * occur in the training rows are updated (the others have zero gradient and stay zero under L2).
 */
function train(xs: readonly Sparse[], ys: readonly (0 | 1)[], ws: readonly number[], l2: number): Model {
  const size = 1 << BITS;
  const w = new Float64Array(size);
  let b = 0;
  let pos = 0;
  let neg = 0;
  ys.forEach((y, i) => {
    if (y === 1) pos += ws[i] ?? 1;
    else neg += ws[i] ?? 1;
  });
  const posWeight = neg / Math.max(1, pos);
  const total = pos * posWeight + neg;
  const seen = new Uint8Array(size);
  for (const x of xs) for (const f of x.idx) seen[f] = 1;
  const active: number[] = [];
  seen.forEach((v, i) => {
    if (v) active.push(i);
  });
  const g = new Float64Array(size);
  const m1 = new Float64Array(size);
  const m2 = new Float64Array(size);
  let bm1 = 0;
  let bm2 = 0;
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let t = 1; t <= ITERATIONS; t++) {
    let gb = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as Sparse;
      const y = ys[i] ?? 0;
      const d = ((y === 1 ? posWeight : 1) * (ws[i] ?? 1) * (sigmoid(dot(w, b, x)) - y)) / total;
      gb += d;
      for (let j = 0; j < x.idx.length; j++) {
        const f = x.idx[j] ?? 0;
        g[f] = (g[f] ?? 0) + d * (x.val[j] ?? 0);
      }
    }
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (const i of active) {
      const gi = (g[i] ?? 0) + l2 * (w[i] ?? 0);
      g[i] = 0;
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

/** int8 weights as inference uses them. */
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

/** Logit with the quantized weights, exactly as inference computes it (before calibration). */
function quantizedLogit(q: Quantized, x: Sparse): number {
  let s = 0;
  for (let j = 0; j < x.idx.length; j++) s += (q.bytes[x.idx[j] ?? 0] ?? 0) * (x.val[j] ?? 0);
  return q.bias + q.scale * s;
}

/** Average precision (area under the precision-recall curve, step-wise) of scores against labels. */
function averagePrecision(pairs: readonly { y: 0 | 1; s: number }[]): number {
  const sorted = [...pairs].sort((a, b) => b.s - a.s);
  const positives = sorted.filter((p) => p.y === 1).length;
  let tp = 0;
  let ap = 0;
  sorted.forEach((p, i) => {
    if (p.y === 1) {
      tp++;
      ap += tp / (i + 1);
    }
  });
  return positives > 0 ? ap / positives : 0;
}

/** Platt scaling: p = sigmoid(a * z + c), fitted by Newton's method on unweighted log loss. */
function fitPlatt(pairs: readonly { y: 0 | 1; z: number }[]): { a: number; c: number } {
  let a = 1;
  let c = 0;
  for (let it = 0; it < 50; it++) {
    let ga = 0;
    let gc = 0;
    let haa = 1e-9;
    let hac = 0;
    let hcc = 1e-9;
    for (const { y, z } of pairs) {
      const p = sigmoid(a * z + c);
      const r = p - y;
      const s = p * (1 - p);
      ga += r * z;
      gc += r;
      haa += s * z * z;
      hac += s * z;
      hcc += s;
    }
    const det = haa * hcc - hac * hac;
    if (Math.abs(det) < 1e-12) break;
    const da = (hcc * ga - hac * gc) / det;
    const dc = (haa * gc - hac * ga) / det;
    a -= da;
    c -= dc;
    if (Math.abs(da) + Math.abs(dc) < 1e-10) break;
  }
  return { a, c };
}

/** Brier score and expected calibration error (10 equal-width bins) of probabilities. */
function calibration(pairs: readonly { y: 0 | 1; s: number }[]): { n: number; brier: number; ece: number } {
  let brier = 0;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  for (const { y, s } of pairs) {
    brier += (s - y) ** 2;
    const bin = bins[Math.min(9, Math.floor(s * 10))];
    if (bin) {
      bin.n++;
      bin.p += s;
      bin.y += y;
    }
  }
  const n = pairs.length;
  const ece = bins.reduce((acc, bin) => acc + (bin.n > 0 ? Math.abs(bin.p - bin.y) / n : 0), 0);
  return { n, brier: r4(brier / Math.max(1, n)), ece: r4(ece) };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const r4 = (x: number) => Math.round(x * 10000) / 10000;

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

function figures(pairs: readonly { y: 0 | 1; flagged: boolean }[]): Figures {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const { y, flagged } of pairs) {
    if (flagged && y === 1) tp++;
    else if (flagged) fp++;
    else if (y === 1) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    n: pairs.length,
    tp,
    fp,
    tn,
    fn,
    precision: r3(precision),
    recall: r3(recall),
    f1: r3(f1),
    fpr: r3(fp + tn > 0 ? fp / (fp + tn) : 0),
  };
}

/** The shipped decision for a row: the fast pass decides when it has a crisis finding, else the model. */
const decide = (e: Example, p: number, threshold: number) => (e.fast === -1 ? p >= threshold : e.fast === 1);

/**
 * Threshold choice on out-of-fold calibrated scores, per language, for the shipped decision (targets in
 * docs/eval.md). The model only adds flags to the fast pass, so the fast pass's own false alarms bound the
 * precision. zh (PsySUICIDE): the highest recall with precision ≥ 0.88. en: the highest openai-moderation
 * self-harm recall with
 * false-positive rate ≤ 0.03 there and ≤ 0.02 on the XSTest safe prompts. Ties: the highest threshold (the
 * fewest false alarms). Nothing passing: the best F1 on the main set.
 */
function pickThreshold(lang: Lang, rows: readonly Example[], p: Map<string, number>): number {
  const main = rows.filter(
    (e) => e.y !== undefined && e.dataset === (lang === 'zh' ? 'psysuicide' : 'openai-moderation'),
  );
  const xs = rows.filter((e) => e.dataset === 'xstest' && e.y === 0);
  const at = (set: readonly Example[], t: number) =>
    figures(set.map((e) => ({ y: e.y as 0 | 1, flagged: decide(e, p.get(e.id) ?? 0, t) })));
  const curve = Array.from({ length: 99 }, (_, i) => {
    const t = (i + 1) / 100;
    return { t, f: at(main, t), xs: lang === 'en' ? at(xs, t).fpr : 0 };
  });
  // Lexicographic: the later entry wins when its key is at least as good (so higher thresholds win ties).
  const best = (ok: (c: (typeof curve)[number]) => boolean, key: (c: (typeof curve)[number]) => number) =>
    curve
      .filter(ok)
      .reduce<(typeof curve)[number] | undefined>((a, c) => (a && key(a) > key(c) ? a : c), undefined);
  for (const c of curve.filter((c) => c.t >= 0.3 && Math.round(c.t * 100) % 10 === 0)) {
    out(`  ${lang} t=${c.t}: ${JSON.stringify(c.f)}${lang === 'en' ? ` xstest safe flagged ${c.xs}` : ''}`);
  }
  const choice =
    lang === 'zh'
      ? best(
          (c) => c.f.precision >= 0.88,
          (c) => c.f.recall,
        )
      : best(
          (c) => c.f.fpr <= 0.03 && c.xs <= 0.02,
          (c) => c.f.recall,
        );
  return (
    choice ??
    best(
      () => true,
      (c) => c.f.f1,
    ) ?? { t: 0.5 }
  ).t;
}

/**
 * The unsure band below the threshold, where a second opinion is asked: from a calibrated crisis probability
 * of 0.2 (or half the threshold, if lower). At or above `high` the model alone is confident.
 */
function bands(threshold: number): CrisisThresholds {
  return {
    threshold,
    low: Math.round(Math.min(0.2, threshold / 2) * 1000) / 1000,
    high: Math.round(((threshold + 1) / 2) * 1000) / 1000,
  };
}

function toBase64(bytes: Int8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const out = (s: string) => process.stdout.write(`${s}\n`);

interface LangResult {
  data: CrisisLangModelData;
  /** Calibrated out-of-fold probability per training-part row id. */
  oof: Map<string, number>;
  meta: Record<string, unknown>;
}

function trainLanguage(
  lang: Lang,
  all: readonly Example[],
  texts: readonly string[],
  quick: boolean,
): LangResult {
  const rows = all.map((e, i) => ({ e, text: texts[i] ?? '' })).filter(({ e }) => e.lang === lang);
  const trainable = rows.filter(({ e }) => !e.frozen && e.y !== undefined);
  const scored = rows.filter(({ e }) => !e.frozen && e.fold >= 0);
  const mainSets = lang === 'zh' ? ['psysuicide'] : ['openai-moderation', 'cssrs-reddit', 'xstest'];
  const specs = quick ? GRID[lang].specs.slice(0, 1) : GRID[lang].specs;
  const l2s = quick ? [1e-5] : GRID[lang].l2;
  type Cv = { spec: FeatureSpec; l2: number; ap: number; logits: Map<string, number> };
  const results: Cv[] = [];
  for (const spec of specs) {
    const xs = new Map(rows.map(({ e, text }) => [e.id, featurize(text, spec)]));
    for (const l2 of l2s) {
      const t0 = performance.now();
      const logits = new Map<string, number>();
      for (let k = 0; k < FOLDS; k++) {
        const set = trainable.filter(({ e }) => e.fold !== k);
        const q = quantize(
          train(
            set.map(({ e }) => xs.get(e.id) as Sparse),
            set.map(({ e }) => e.y as 0 | 1),
            set.map(({ e }) => e.weight),
            l2,
          ),
        );
        for (const { e } of scored)
          if (e.fold === k) logits.set(e.id, quantizedLogit(q, xs.get(e.id) as Sparse));
      }
      const ap = averagePrecision(
        scored
          .filter(({ e }) => e.y !== undefined && mainSets.includes(e.dataset))
          .map(({ e }) => ({ y: e.y as 0 | 1, s: logits.get(e.id) ?? 0 })),
      );
      results.push({ spec, l2, ap: r4(ap), logits });
      out(
        `  ${lang} chars ${spec.charMin}-${spec.charMax} words ≤${spec.wordMax} L2 ${l2}: out-of-fold AP ${r4(ap)} (${Math.round(performance.now() - t0)} ms)`,
      );
    }
  }
  const best = results.reduce((a, b) => (b.ap > a.ap ? b : a));
  const labelled = scored.filter(({ e }) => e.y !== undefined);
  const platt = fitPlatt(labelled.map(({ e }) => ({ y: e.y as 0 | 1, z: best.logits.get(e.id) ?? 0 })));
  const oof = new Map<string, number>();
  for (const { e } of scored) oof.set(e.id, sigmoid(platt.a * (best.logits.get(e.id) ?? 0) + platt.c));
  const threshold = pickThreshold(
    lang,
    scored.map(({ e }) => e),
    oof,
  );

  // Final model on the whole training part.
  const xs = new Map(rows.map(({ e, text }) => [e.id, featurize(text, best.spec)]));
  const q = quantize(
    train(
      trainable.map(({ e }) => xs.get(e.id) as Sparse),
      trainable.map(({ e }) => e.y as 0 | 1),
      trainable.map(({ e }) => e.weight),
      best.l2,
    ),
  );
  const bias = platt.a * q.bias + platt.c;
  const scale = platt.a * q.scale;

  // Aggregate facts: CV (out-of-fold) and frozen figures per dataset, calibration. Nothing chosen from frozen.
  const datasets = [...new Set(rows.map(({ e }) => e.dataset))].filter((d) => d !== 'own');
  const perDataset: Record<string, unknown> = {};
  for (const d of datasets) {
    const cv = scored.filter(({ e }) => e.dataset === d && e.y !== undefined);
    const fr = rows.filter(({ e }) => e.frozen && e.dataset === d && e.y !== undefined);
    const frozenP = (x: Sparse) => sigmoid(platt.a * quantizedLogit(q, x) + platt.c);
    const frP = fr.map(({ e }) => ({ e, p: frozenP(xs.get(e.id) as Sparse) }));
    const fast = (set: typeof cv) =>
      figures(set.map(({ e }) => ({ y: e.y as 0 | 1, flagged: e.fast === 1 })));
    perDataset[d] = {
      fastPassAlone: { cv: fast(cv), frozen: fast(fr) },
      cv: {
        decision: figures(
          cv.map(({ e }) => ({ y: e.y as 0 | 1, flagged: decide(e, oof.get(e.id) ?? 0, threshold) })),
        ),
        calibration: calibration(cv.map(({ e }) => ({ y: e.y as 0 | 1, s: oof.get(e.id) ?? 0 }))),
      },
      frozen: {
        decision: figures(frP.map(({ e, p }) => ({ y: e.y as 0 | 1, flagged: decide(e, p, threshold) }))),
        calibration: calibration(frP.map(({ e, p }) => ({ y: e.y as 0 | 1, s: p }))),
      },
    };
    out(`  ${lang} ${d}: ${JSON.stringify(perDataset[d])}`);
  }
  const counts: Record<string, { pos: number; neg: number }> = {};
  for (const { e } of trainable) {
    const c = counts[e.dataset] ?? { pos: 0, neg: 0 };
    if (e.y === 1) c.pos++;
    else c.neg++;
    counts[e.dataset] = c;
  }
  out(
    `  ${lang}: chose chars ${best.spec.charMin}-${best.spec.charMax}, L2 ${best.l2}; Platt a ${r4(platt.a)} c ${r4(platt.c)}; threshold ${threshold}`,
  );
  return {
    data: {
      bits: BITS,
      bias,
      scale,
      weights: toBase64(q.bytes),
      features: best.spec,
      fingerprint: featureFingerprint(BITS, best.spec),
      thresholds: bands(threshold),
    },
    oof,
    meta: {
      trainedRows: counts,
      grid: results.map(({ spec, l2, ap }) => ({ ...spec, l2, oofAveragePrecision: ap })),
      platt: { a: r4(platt.a), c: r4(platt.c) },
      figures: perDataset,
    },
  };
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
      oof: { type: 'string', default: resolve(import.meta.dirname, 'crisis-model.oof.generated.json') },
      quick: { type: 'boolean', default: false },
    },
  });
  const t0 = performance.now();
  const { examples, texts } = loadExamples(values.dir);
  const frozen = examples.filter((e) => e.frozen).length;
  out(`rows: ${examples.length} (frozen validation ${frozen}, never trained on)`);
  const zh = trainLanguage('zh', examples, texts, values.quick);
  const en = trainLanguage('en', examples, texts, values.quick);
  const data: CrisisModelData = {
    version: 2,
    zh: zh.data,
    en: en.data,
    meta: {
      trainer: 'scripts/train-crisis-model.ts',
      split: 'packages/gateway/src/cli/eval-split.ts (grouped; frozen part never trained on)',
      iterations: ITERATIONS,
      learningRate: LEARNING_RATE,
      zh: zh.meta,
      en: en.meta,
    },
  };
  const body = [
    '// Generated by scripts/train-crisis-model.ts: do not edit. Derived weights only, no texts.',
    "import type { CrisisModelData } from './crisis-model.js';",
    '',
    `export const crisisModelData: CrisisModelData = ${JSON.stringify(data, null, 1)};`,
    '',
  ].join('\n');
  writeFileSync(values.out, body);
  const scores: Record<string, number> = {};
  for (const [id, p] of [...zh.oof, ...en.oof].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    scores[id] = r4(p);
  writeFileSync(
    values.oof,
    `${JSON.stringify({
      note: 'Out-of-fold calibrated crisis model scores of the training part by row id (scripts/train-crisis-model.ts); no texts. model = the biases of the weights they belong to.',
      model: { zh: zh.data.bias, en: en.data.bias },
      scores,
    })}\n`,
  );
  out(
    `wrote ${values.out} (${body.length} bytes) and ${values.oof} in ${Math.round((performance.now() - t0) / 1000)} s`,
  );
}

main();
