/**
 * Matcher benchmark: the same generated 10,000-term lexicon and the same generated mixed Chinese/English
 * corpus (nothing copied from the eval sets), timed in one run for our matcher with normalization on,
 * mint-filter and obscenity; plus the full detector pass on 200-character messages.
 * Both engines run in this process on the same documents, after a warm-up, interleaved slice by slice within
 * every round (the order alternates); each figure is the median round in CPU time.
 * Run: `npx tsx bench/matcher.ts [--json]` (or `npm run bench`).
 */
import { Mint } from 'mint-filter';
import { englishRecommendedTransformers, parseRawPattern, RegExpMatcher } from 'obscenity';
import { runDetectors } from '../packages/core/src/detect/engine.js';
import { parseLexicon } from '../packages/core/src/detect/lexicon.js';
import { compileMatcher } from '../packages/core/src/detect/matcher.js';
import { createSeededRandom } from '../packages/core/src/testing/seeded-random.js';

export interface MatcherBenchResult {
  chars_per_s: { ours: number; 'mint-filter': number; obscenity: number };
  /** Ratios of the medians. */
  ratios: { 'ours/mint-filter': number; 'ours/obscenity': number };
  /** ours / mint-filter per round (the two engines timed back to back): lowest, median, highest. */
  round_ratios: { min: number; median: number; max: number };
  rounds: number;
  full_pass: { p50_us: number; p99_us: number };
  /** The same corpus split by script: its Chinese characters only, and its Latin text only. */
  by_script: {
    zh: { ours: number; 'mint-filter': number; ratio: number };
    en: { ours: number; 'mint-filter': number; ratio: number };
  };
  corpus_chars: number;
  terms: number;
  hits: { ours: number; 'mint-filter': number };
}

const rng = createSeededRandom;

const COMMON_HAN =
  '的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷域语';
const LATIN_VOCAB = [
  'the',
  'and',
  'you',
  'that',
  'have',
  'for',
  'not',
  'with',
  'this',
  'but',
  'from',
  'they',
  'say',
  'her',
  'she',
  'will',
  'one',
  'all',
  'would',
  'there',
  'their',
  'what',
  'about',
  'which',
  'when',
  'make',
  'can',
  'like',
  'time',
  'just',
  'know',
  'take',
  'people',
  'into',
  'year',
  'your',
  'good',
  'some',
  'could',
  'them',
  'see',
  'other',
  'than',
  'then',
  'now',
  'look',
  'only',
  'come',
  'over',
  'think',
  'also',
  'back',
  'after',
  'use',
  'work',
  'first',
  'well',
  'way',
  'even',
  'new',
  'want',
  'because',
  'any',
  'these',
  'give',
  'day',
  'most',
];

function latinWord(r: () => number): string {
  const len = 4 + Math.floor(r() * 6);
  let w = '';
  while (w.length < len) {
    const ch = String.fromCharCode(97 + Math.floor(r() * 26));
    // No doubled letters: the normalizer folds repeats, which would turn a random "tthh" into "th".
    if (ch !== w.charAt(w.length - 1)) w += ch;
  }
  return w;
}

/** A Han character with a Zipf-like skew: the common list is in rough frequency order; 15 % come from the rest of the CJK block. */
function hanChar(r: () => number): string {
  if (r() < 0.15) return String.fromCharCode(0x4e00 + Math.floor(r() * (0x9fa5 - 0x4e00)));
  const x = r();
  return COMMON_HAN.charAt(Math.floor(x * x * COMMON_HAN.length));
}

/** A lexicon word: 2-4 Han characters, uniform over the common list and the CJK block (lists name specific things). */
function hanWord(r: () => number): string {
  const len = 2 + Math.floor(r() * 3);
  let w = '';
  for (let i = 0; i < len; i++) {
    w +=
      r() < 0.5
        ? COMMON_HAN.charAt(Math.floor(r() * COMMON_HAN.length))
        : String.fromCharCode(0x4e00 + Math.floor(r() * (0x9fa5 - 0x4e00)));
  }
  return w;
}

/** 10,000 distinct terms, half Han (2-4 chars), half Latin (4-9 letters), deterministic. */
export function generateTerms(count = 10_000, seed = 20260601): string[] {
  const r = rng(seed);
  const set = new Set<string>();
  while (set.size < count) set.add(set.size % 2 === 0 ? hanWord(r) : latinWord(r));
  return [...set];
}

/** Mixed zh/en text with about one lexicon term per 150 characters, deterministic. */
export function generateCorpus(terms: readonly string[], chars = 1_000_000, seed = 7): string {
  const r = rng(seed);
  const parts: string[] = [];
  let len = 0;
  while (len < chars) {
    let s: string;
    const x = r();
    if (x < 0.45) {
      // A Chinese clause.
      const n = 6 + Math.floor(r() * 20);
      s = '';
      for (let i = 0; i < n; i++) s += hanChar(r);
      s += r() < 0.5 ? '，' : '。';
    } else if (x < 0.9) {
      // An English clause.
      const n = 4 + Math.floor(r() * 10);
      const words: string[] = [];
      for (let i = 0; i < n; i++) words.push(LATIN_VOCAB[Math.floor(r() * LATIN_VOCAB.length)] ?? 'the');
      s = `${words.join(' ')}${r() < 0.5 ? ', ' : '. '}`;
    } else {
      s = `${terms[Math.floor(r() * terms.length)] ?? ''} `;
    }
    parts.push(s);
    len += s.length;
  }
  return parts.join('');
}

function split(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** CPU milliseconds of this process (robust to other load on a shared machine, unlike wall time). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Timed rounds per engine (medians are reported). */
const ROUNDS = 9;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Documents per interleaving slice (about 100,000 characters). */
const CHUNK = 50;

/**
 * `ROUNDS` rounds of `a` and `b` over `docs`, interleaved slice by slice (see `runMatcherBench`): per round, each
 * engine's CPU ms summed over the slices, and each one's hit count.
 */
function interleaved(
  docs: readonly string[],
  a: (doc: string) => number,
  b: (doc: string) => number,
): { aMs: number[]; bMs: number[]; aHits: number; bHits: number } {
  const aMs: number[] = [];
  const bMs: number[] = [];
  let aHits = 0;
  let bHits = 0;
  let flip = false;
  for (let round = 0; round < ROUNDS; round++) {
    let ta = 0;
    let tb = 0;
    aHits = 0;
    bHits = 0;
    for (let k = 0; k < docs.length; k += CHUNK) {
      const slice = docs.slice(k, k + CHUNK);
      flip = !flip;
      if (flip) {
        const x = pass(slice, a);
        const y = pass(slice, b);
        ta += x.ms;
        tb += y.ms;
        aHits += x.hits;
        bHits += y.hits;
      } else {
        const y = pass(slice, b);
        const x = pass(slice, a);
        ta += x.ms;
        tb += y.ms;
        aHits += x.hits;
        bHits += y.hits;
      }
    }
    aMs.push(ta);
    bMs.push(tb);
  }
  return { aMs, bMs, aHits, bHits };
}

/** One pass over `docs`: CPU ms and hit count. */
function pass(docs: readonly string[], fn: (doc: string) => number): { ms: number; hits: number } {
  let hits = 0;
  const t0 = cpuMs();
  for (const d of docs) hits += fn(d);
  return { ms: cpuMs() - t0, hits };
}

const MESSAGE_TEMPLATES = [
  '今天上班好累，老板又让我加班到十点，回家路上还下雨了，真的不想动了。你今天过得怎么样？有没有什么开心的事情？',
  'I had a long day at work and my manager asked me to redo the whole report. Can we talk about something fun, like movies or travel plans?',
  '周末想去爬山，但是天气预报说会下雨。你觉得我应该改成去看展览吗？最近有个摄影展好像挺有意思的，朋友也推荐过。',
  'My cat knocked over a plant again this morning, so now there is soil everywhere. Anyway, what should I cook for dinner tonight?',
  '我最近在学吉他，手指好疼，但是能弹出一首完整的歌还是挺有成就感的。你喜欢什么类型的音乐呀？推荐几首给我吧。',
];

function messages(count: number, seed = 99): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let m = '';
    while (m.length < 200) m += MESSAGE_TEMPLATES[Math.floor(r() * MESSAGE_TEMPLATES.length)] ?? '';
    out.push(m.slice(0, 200));
  }
  return out;
}

export function runMatcherBench(options: { corpusChars?: number } = {}): MatcherBenchResult {
  const terms = generateTerms();
  const corpus = generateCorpus(terms, options.corpusChars ?? 1_000_000);
  // Flat strings, as request bodies parsed from JSON are (slices would be V8 sliced strings).
  const docs = split(corpus, 2000).map((d) => JSON.parse(JSON.stringify(d)) as string);

  const entries = parseLexicon(terms.map((t) => `${t}\tbench\t1\t*`).join('\n'), 'bench');
  const ours = compileMatcher(entries.map((entry) => ({ group: 'prohibited', entry })));
  const mint = new Mint(terms);
  const obscenity = new RegExpMatcher({
    blacklistedTerms: terms.map((t, id) => ({ id, pattern: parseRawPattern(t) })),
    ...englishRecommendedTransformers,
  });

  // Warm up every engine (past the optimizing compilers' thresholds; nothing is cached between calls).
  for (let w = 0; w < 2; w++) {
    for (const d of docs) {
      ours.findAll(d);
      mint.filter(d, { replace: false });
    }
  }
  for (const d of docs.slice(0, 10)) obscenity.getAllMatches(d);
  // Interleave the engines: every round walks the documents in slices of CHUNK documents, timing each engine on
  // the slice back to back (which one goes first alternates), and sums each engine's slices. Both engines thus
  // run through the same load periods of the shared machine; each figure is the median round.
  const chars = docs.reduce((n, d) => n + d.length, 0);
  const obscenityDocs = docs.slice(0, Math.max(1, Math.floor(docs.length / 50)));
  const obscenityChars = obscenityDocs.reduce((n, d) => n + d.length, 0);
  const oursFn = (d: string) => ours.findAll(d).length;
  const mintFn = (d: string) => mint.filter(d, { replace: false }).words.length;
  const main = interleaved(docs, oursFn, mintFn);
  const obscenityMs: number[] = [];
  for (let round = 0; round < 3; round++) {
    // obscenity compiles one regular expression per term: time it on a slice to keep the run short.
    obscenityMs.push(pass(obscenityDocs, (d) => obscenity.getAllMatches(d).length).ms);
  }
  const oursMs = main.aMs;
  const mintMs = main.bMs;
  const roundRatios = mintMs.map((m, k) => m / (oursMs[k] ?? m));
  const hitsOurs = main.aHits;
  const hitsMint = main.bHits;
  const a = { cps: chars / (median(oursMs) / 1000), hits: hitsOurs };
  const b = { cps: chars / (median(mintMs) / 1000), hits: hitsMint };
  const c = { cps: obscenityChars / (median(obscenityMs) / 1000) };

  const byScript = (text: string) => {
    const parts = split(text, 2000).map((d) => JSON.parse(JSON.stringify(d)) as string);
    const total = parts.reduce((n, d) => n + d.length, 0);
    const { aMs: o, bMs: m } = interleaved(parts, oursFn, mintFn);
    const oc = total / (median(o) / 1000);
    const mc = total / (median(m) / 1000);
    return { ours: Math.round(oc), 'mint-filter': Math.round(mc), ratio: round2(oc / mc) };
  };
  const zhOnly = corpus.replace(/[^\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g, '');
  const enOnly = corpus.replace(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g, ' ');
  const by_script = { zh: byScript(zhOnly), en: byScript(enOnly) };

  const msgs = messages(2000);
  for (const m of msgs.slice(0, 200)) runDetectors(m, { side: 'input' });
  const samples: number[] = [];
  for (const m of msgs) {
    const t0 = performance.now();
    runDetectors(m, { side: 'input' });
    samples.push((performance.now() - t0) * 1000);
  }
  // Wall-clock per call (microseconds are below CPU-clock resolution); p99 includes GC pauses and load.
  samples.sort((x, y) => x - y);
  const pct = (q: number) => Math.round((samples[Math.floor(q * (samples.length - 1))] ?? 0) * 10) / 10;

  return {
    chars_per_s: { ours: Math.round(a.cps), 'mint-filter': Math.round(b.cps), obscenity: Math.round(c.cps) },
    ratios: { 'ours/mint-filter': round2(a.cps / b.cps), 'ours/obscenity': round2(a.cps / c.cps) },
    round_ratios: {
      min: round2(Math.min(...roundRatios)),
      median: round2(median(roundRatios)),
      max: round2(Math.max(...roundRatios)),
    },
    rounds: ROUNDS,
    full_pass: { p50_us: pct(0.5), p99_us: pct(0.99) },
    by_script,
    corpus_chars: corpus.length,
    terms: terms.length,
    hits: { ours: a.hits, 'mint-filter': b.hits },
  };
}

function format(r: MatcherBenchResult): string {
  const m = (x: number) => `${(x / 1e6).toFixed(2)} M chars/s`;
  return [
    `matcher bench: ${r.terms} terms, ${r.corpus_chars} chars of generated zh/en text (CPU time, median of ${r.rounds} interleaved rounds)`,
    `  ours (normalization on)  ${m(r.chars_per_s.ours)}  (${r.hits.ours} hits)`,
    `  mint-filter              ${m(r.chars_per_s['mint-filter'])}  (${r.hits['mint-filter']} hits)`,
    `  obscenity                ${m(r.chars_per_s.obscenity)}`,
    `  ratio ours / mint-filter ${r.ratios['ours/mint-filter']}x  (per round: ${r.round_ratios.min}-${r.round_ratios.max}x, median ${r.round_ratios.median}x)`,
    `  ratio ours / obscenity   ${r.ratios['ours/obscenity']}x`,
    `  Chinese part only: ours ${m(r.by_script.zh.ours)}, mint-filter ${m(r.by_script.zh['mint-filter'])}, ratio ${r.by_script.zh.ratio}x`,
    `  Latin part only:   ours ${m(r.by_script.en.ours)}, mint-filter ${m(r.by_script.en['mint-filter'])}, ratio ${r.by_script.en.ratio}x`,
    `full detector pass, 200-char messages: p50 ${r.full_pass.p50_us} us, p99 ${r.full_pass.p99_us} us`,
  ].join('\n');
}

export function main(argv: readonly string[]): void {
  const result = runMatcherBench();
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${format(result)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
