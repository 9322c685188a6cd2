/**
 * Hashed features of the in-repo crisis model. The training script (`scripts/train-crisis-model.ts`) and the
 * inference code both call these functions, so the two can never drift apart.
 *
 * Features, per a `FeatureSpec` (each language model has its own): character n-grams (`charMin`..`charMax`)
 * over a folded view of the text (CJK runs kept together, other separators collapsed to one space, so
 * "我 不 想 活" and "我不想活" give the same grams, with a start and an end marker), plus Latin word uni- (and
 * optionally bi-) grams. Each feature is hashed (murmur3 finalizer) into `2^bits` buckets.
 */

/** Which n-grams a model uses. */
export interface FeatureSpec {
  /** Shortest character n-gram (≥ 1). */
  readonly charMin: number;
  /** Longest character n-gram (≤ 8). */
  readonly charMax: number;
  /** Latin word n-grams: 0 none, 1 unigrams, 2 uni- and bigrams. */
  readonly wordMax: 0 | 1 | 2;
}

/** Folds width/case (NFKC + lower case) and removes separators inserted inside CJK runs. */
export function foldForModel(text: string): string {
  const nfkc = text.normalize('NFKC').toLowerCase();
  let out = '';
  let pendingSpace = false;
  // Kind of the last character written: 0 none, 1 CJK, 2 Latin word character.
  let prev = 0;
  for (const ch of nfkc) {
    const code = ch.codePointAt(0) ?? 0;
    const kind = isCjk(code) ? 1 : isWordChar(code) ? 2 : 0;
    if (kind === 0) {
      pendingSpace = true;
      continue;
    }
    // A separator between two CJK characters is an insertion, not a word boundary; a change of script is one.
    if (prev !== 0 && (prev !== kind || (pendingSpace && kind === 2))) out += ' ';
    out += ch;
    pendingSpace = false;
    prev = kind;
  }
  return out;
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x2ebef)
  );
}

function isWordChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z (already lower-cased)
    (code >= 0x30 && code <= 0x39) ||
    code === 0x27 || // apostrophe keeps "don't" whole
    (code >= 0xc0 && code <= 0x24f)
  );
}

function fmix32(h0: number): number {
  let h = h0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 0x01000193) >>> 0;
}

const SEED_CHAR = 0x9e3779b1;
const SEED_WORD1 = 0x165667b1;
const SEED_WORD2 = 0xd3a2646c;
const START = 0x02;
const END = 0x03;
const MAX_N = 8;

/** Hash of a word (a run of the folded text), order-sensitive. */
function hashWord(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

/** Checks a spec; throws on a range the featurizer does not support. */
export function checkFeatureSpec(spec: FeatureSpec): void {
  const { charMin, charMax, wordMax } = spec;
  if (!(Number.isInteger(charMin) && Number.isInteger(charMax) && charMin >= 1 && charMax <= MAX_N)) {
    throw new Error(`crisis model: unsupported char n-gram range ${charMin}-${charMax}`);
  }
  if (charMin > charMax || ![0, 1, 2].includes(wordMax)) {
    throw new Error('crisis model: unsupported feature spec');
  }
}

/** Scratch ring of the last code units (newest first), shared by both passes; single-threaded JS. */
const ring = new Int32Array(MAX_N);

/**
 * Calls `emit(bucket)` once per feature occurrence of the folded text and returns the number of
 * occurrences. Repeated features are emitted repeatedly (term counts). The padded text is
 * START + folded + END; every n-gram of length `charMin..charMax` within it is a feature, except the bare
 * markers (n = 1).
 */
export function collectFeatures(
  folded: string,
  spec: FeatureSpec,
  bits: number,
  emit: (bucket: number) => void,
): number {
  const mask = (1 << bits) - 1;
  const { charMin, charMax, wordMax } = spec;
  let n = 0;
  const len = folded.length;
  ring.fill(0);
  // p = index in the padded text; the gram of length k ending at p covers p-k+1..p.
  for (let p = 0; p <= len + 1; p++) {
    const c0 = p === 0 ? START : p <= len ? folded.charCodeAt(p - 1) : END;
    for (let k = MAX_N - 1; k > 0; k--) ring[k] = ring[k - 1] ?? 0;
    ring[0] = c0;
    const marker = p === 0 || p === len + 1;
    // The hash grows backwards from the newest unit: one mix per extra unit of length.
    let h = SEED_CHAR;
    const longest = Math.min(charMax, p + 1);
    for (let k = 1; k <= longest; k++) {
      h = mix(h, ring[k - 1] ?? 0);
      if (k >= charMin && !(k === 1 && marker)) {
        emit(fmix32(h) & mask);
        n++;
      }
    }
  }
  if (wordMax > 0) {
    const w = wordBuckets(folded, wordMax, mask);
    for (let i = 0; i < w; i++) emit(wordBuf[i] ?? 0);
    n += w;
  }
  return n;
}

/** Buckets of the Latin word grams of `folded`, written into the shared `wordBuf`; returns their count. */
const wordBuf: number[] = [];
function wordBuckets(folded: string, wordMax: number, mask: number): number {
  let n = 0;
  let prevWord = -1;
  let i = 0;
  const len = folded.length;
  while (i < len) {
    const code = folded.charCodeAt(i);
    if (isWordChar(code)) {
      let j = i + 1;
      while (j < len && isWordChar(folded.charCodeAt(j))) j++;
      const w = hashWord(folded, i, j);
      wordBuf[n++] = fmix32(mix(SEED_WORD1, w)) & mask;
      if (wordMax > 1 && prevWord !== -1) wordBuf[n++] = fmix32(mix(mix(SEED_WORD2, prevWord), w)) & mask;
      prevWord = w;
      i = j;
    } else {
      // CJK or space: a CJK character breaks the word chain, a space does not.
      if (code !== 0x20) prevWord = -1;
      i++;
    }
  }
  return n;
}

/** Sum of `weights` over the features and their count, as filled by `sumFeatureWeights`. */
export interface FeatureSum {
  sum: number;
  n: number;
}

/**
 * The same features as `collectFeatures`, summed over `weights` in one inlined pass (about three times faster
 * than the callback; inference uses this, training the callback). Writes into `into` and returns it.
 */
export function sumFeatureWeights(
  folded: string,
  spec: FeatureSpec,
  bits: number,
  weights: Int8Array,
  into: FeatureSum = { sum: 0, n: 0 },
): FeatureSum {
  const mask = (1 << bits) - 1;
  const { charMin, charMax, wordMax } = spec;
  const len = folded.length;
  let sum = 0;
  let n = 0;
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  let r4 = 0;
  let r5 = 0;
  let r6 = 0;
  let r7 = 0;
  for (let p = 0; p <= len + 1; p++) {
    r7 = r6;
    r6 = r5;
    r5 = r4;
    r4 = r3;
    r3 = r2;
    r2 = r1;
    r1 = r0;
    r0 = p === 0 ? START : p <= len ? folded.charCodeAt(p - 1) : END;
    const longest = Math.min(charMax, p + 1);
    let h = mix(SEED_CHAR, r0);
    if (charMin === 1 && p !== 0 && p !== len + 1) {
      sum += weights[fmix32(h) & mask] ?? 0;
      n++;
    }
    for (let k = 2; k <= longest; k++) {
      h = mix(
        h,
        k === 2 ? r1 : k === 3 ? r2 : k === 4 ? r3 : k === 5 ? r4 : k === 6 ? r5 : k === 7 ? r6 : r7,
      );
      if (k >= charMin) {
        sum += weights[fmix32(h) & mask] ?? 0;
        n++;
      }
    }
  }
  if (wordMax > 0) {
    const w = wordBuckets(folded, wordMax, mask);
    for (let i = 0; i < w; i++) sum += weights[wordBuf[i] ?? 0] ?? 0;
    n += w;
  }
  into.sum = sum;
  into.n = n;
  return into;
}

const PROBE_TEXT = 'Probe 探针: I want 2 test 不想 the-features ①！';

/**
 * A fingerprint of the feature function and spec: a hash of the buckets of a fixed probe text. The trainer
 * stores it with the weights and the loader checks it, so weights never run against a different featurizer.
 */
export function featureFingerprint(bits: number, spec: FeatureSpec): number {
  let h = 0x811c9dc5;
  collectFeatures(foldForModel(PROBE_TEXT), spec, bits, (b) => {
    h = mix(h, b);
  });
  return h;
}
