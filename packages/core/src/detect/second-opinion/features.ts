/**
 * Hashed features of the in-repo crisis model. The training script (`scripts/train-crisis-model.ts`) and the
 * inference code both call `collectFeatures`, so the two can never drift apart.
 *
 * Features: character 1-, 2- and 3-grams over a folded view of the text (CJK runs kept together, other
 * separators collapsed to one space, so "我 不 想 活" and "我不想活" give the same grams), plus word uni- and
 * bigrams for Latin-script words. Each feature is hashed (murmur3 finalizer) into `2^bits` buckets.
 */

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

const SEED_CHAR = [0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f] as const;
const SEED_WORD1 = 0x165667b1;
const SEED_WORD2 = 0xd3a2646c;

/** Hash of a word (a run of the folded text), order-sensitive. */
function hashWord(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

/**
 * Calls `emit(bucket)` once per feature occurrence of the folded text and returns the number of
 * occurrences. Repeated features are emitted repeatedly (term counts).
 */
export function collectFeatures(folded: string, bits: number, emit: (bucket: number) => void): number {
  const mask = (1 << bits) - 1;
  let n = 0;
  // Character grams over code units with a boundary marker on both ends.
  const len = folded.length;
  let c3 = 0x02; // start marker
  let c2 = 0x02;
  let c1 = 0x02;
  for (let i = 0; i <= len; i++) {
    const c0 = i < len ? folded.charCodeAt(i) : 0x03; // end marker
    if (i < len) {
      emit(fmix32(mix(SEED_CHAR[1], c0)) & mask);
      n++;
    }
    emit(fmix32(mix(mix(SEED_CHAR[2], c1), c0)) & mask);
    n++;
    if (i > 0) {
      emit(fmix32(mix(mix(mix(SEED_CHAR[3], c2), c1), c0)) & mask);
      n++;
    }
    if (i > 1) {
      emit(fmix32(mix(mix(mix(mix(SEED_CHAR[0], c3), c2), c1), c0)) & mask);
      n++;
    }
    c3 = c2;
    c2 = c1;
    c1 = c0;
  }
  // Latin word uni- and bigrams.
  let prevWord = -1;
  let i = 0;
  while (i < len) {
    const code = folded.charCodeAt(i);
    if (isWordChar(code)) {
      let j = i + 1;
      while (j < len && isWordChar(folded.charCodeAt(j))) j++;
      const w = hashWord(folded, i, j);
      emit(fmix32(mix(SEED_WORD1, w)) & mask);
      n++;
      if (prevWord !== -1) {
        emit(fmix32(mix(mix(SEED_WORD2, prevWord), w)) & mask);
        n++;
      }
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
  bits: number,
  weights: Int8Array,
  into: FeatureSum = { sum: 0, n: 0 },
): FeatureSum {
  const mask = (1 << bits) - 1;
  const s0 = SEED_CHAR[0];
  const s1 = SEED_CHAR[1];
  const s2 = SEED_CHAR[2];
  const s3 = SEED_CHAR[3];
  const len = folded.length;
  let sum = 0;
  let n = 0;
  let c3 = 0x02;
  let c2 = 0x02;
  let c1 = 0x02;
  for (let i = 0; i <= len; i++) {
    const c0 = i < len ? folded.charCodeAt(i) : 0x03;
    if (i < len) {
      sum += weights[fmix32(mix(s1, c0)) & mask] ?? 0;
      n++;
    }
    sum += weights[fmix32(mix(mix(s2, c1), c0)) & mask] ?? 0;
    n++;
    if (i > 0) {
      sum += weights[fmix32(mix(mix(mix(s3, c2), c1), c0)) & mask] ?? 0;
      n++;
    }
    if (i > 1) {
      sum += weights[fmix32(mix(mix(mix(mix(s0, c3), c2), c1), c0)) & mask] ?? 0;
      n++;
    }
    c3 = c2;
    c2 = c1;
    c1 = c0;
  }
  let prevWord = -1;
  let i = 0;
  while (i < len) {
    const code = folded.charCodeAt(i);
    if (isWordChar(code)) {
      let j = i + 1;
      while (j < len && isWordChar(folded.charCodeAt(j))) j++;
      const w = hashWord(folded, i, j);
      sum += weights[fmix32(mix(SEED_WORD1, w)) & mask] ?? 0;
      n++;
      if (prevWord !== -1) {
        sum += weights[fmix32(mix(mix(SEED_WORD2, prevWord), w)) & mask] ?? 0;
        n++;
      }
      prevWord = w;
      i = j;
    } else {
      if (code !== 0x20) prevWord = -1;
      i++;
    }
  }
  into.sum = sum;
  into.n = n;
  return into;
}

const PROBE_TEXT = 'Probe 探针: I want 2 test 不想 the-features ①！';

/**
 * A fingerprint of the feature function: a hash of the buckets of a fixed probe text. The trainer stores it
 * with the weights and the loader checks it, so weights never run against a different featurizer.
 */
export function featureFingerprint(bits: number): number {
  let h = 0x811c9dc5;
  collectFeatures(foldForModel(PROBE_TEXT), bits, (b) => {
    h = mix(h, b);
  });
  return h;
}
