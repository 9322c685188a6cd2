/**
 * The normalizer: one pass from the original text to the text the matcher scans, with an offset map back.
 *
 * Folds, all table-driven (one packed `Uint32Array` lookup per UTF-16 unit): full width → ASCII, upper → lower case,
 * accents → base letters, traditional → simplified (table generated from opencc-js), Cyrillic / Greek
 * look-alikes → Latin, circled and financial number forms → digits / common numerals. Then, in the same
 * pass: separators (spaces, punctuation, symbols, emoji, zero-width characters) inserted inside a Chinese
 * word or a Latin word are dropped, spaced-out single letters ("k i l l") are joined, leet digits inside
 * Latin words become letters, and every run of one repeated letter or Han character collapses to one
 * (applied identically to patterns, so "killll" and "kill" both become "kil").
 *
 * Sentence punctuation becomes the boundary `。`; other gaps become one space.
 *
 * `normalizeAndScanInto` runs an Aho-Corasick automaton inside the same loop (the matcher's `findAll`
 * fast path), so normalization and matching cost one pass; hand-inlined automaton steps keep the hot loop
 * free of calls and closures.
 */
import type { EvasionRoute } from '../types.js';
import { type AhoCorasick, OUTPUT_FLAG, step } from './aho-corasick.js';

const STATE_MASK = OUTPUT_FLAG - 1;

import { T2S_PAIRS } from './tables.generated.js';

/** The normalized view of a text. */
export interface NormalizedText {
  readonly original: string;
  /** The text to match: lower-case ASCII letters, digits, Han characters, `' '` and `'。'` boundaries. */
  readonly text: string;
  /** The same as `text`, as UTF-16 code units. */
  readonly codes: Uint16Array;
  /** `map[i]` is the UTF-16 offset in `original` of normalized char `i`; `map[text.length]` is `original.length`. */
  readonly map: Int32Array;
  /** Bitmask of evasion routes (see `ROUTE_BITS`) undone to produce normalized char `i`. */
  readonly routes: Uint16Array;
}

/** Bit per evasion route, in the order of `ROUTE_NAMES`. */
export const ROUTE_NAMES: readonly EvasionRoute[] = [
  'width',
  'case',
  'number-form',
  'traditional',
  'homoglyph',
  'separator',
  'repeat',
  'pinyin',
  'pinyin-initials',
  'homophone',
];
export const R_WIDTH = 1;
export const R_CASE = 2;
export const R_NUMBER = 4;
export const R_TRAD = 8;
export const R_HOMOGLYPH = 16;
export const R_SEPARATOR = 32;
export const R_REPEAT = 64;
export const R_PINYIN = 128;
export const R_INITIALS = 256;
export const R_HOMOPHONE = 512;

/** Route names set in `mask`. */
export function routeNames(mask: number): EvasionRoute[] {
  const out: EvasionRoute[] = [];
  for (let b = 0; b < ROUTE_NAMES.length; b++) {
    const name = ROUTE_NAMES[b];
    if (name !== undefined && mask & (1 << b)) out.push(name);
  }
  return out;
}

// Character classes of folded code units.
const C_OTHER = 0;
const C_LETTER = 1;
const C_DIGIT = 2;
const C_HAN = 3;
const C_SEP = 4; // soft separator: space, ASCII punctuation, symbols, emoji, zero-width
const C_HARD = 5; // sentence boundary: CJK sentence punctuation, newline
const C_DROP = 6; // dropped without trace: combining marks, variation selectors, apostrophes

/** Folded code unit per code unit. */
const FOLD = new Uint16Array(65536);
/** Route bits of the fold per code unit. */
const FOLD_ROUTE = new Uint16Array(65536);
/** Class of the folded code unit, indexed by the original code unit. */
const CLASS = new Uint8Array(65536);
/** Whitespace or sentence punctuation marks inside a separator run. */
const IS_SPACE = new Uint8Array(65536);
const IS_SENTENCE = new Uint8Array(65536);

const HOMOGLYPHS: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ω: 'w',
};

const FINANCIAL_NUMERALS = '壹一贰二貳二叁三參三肆四伍五陆六陸六柒七捌八玖九拾十';

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || c === 0x3007;
}

function buildTables(): void {
  for (let c = 0; c < 65536; c++) {
    FOLD[c] = c;
    CLASS[c] = C_OTHER;
  }
  // Default: everything that is not a letter, digit or Han character is a soft separator.
  for (let c = 0; c < 65536; c++) {
    if (isHan(c)) CLASS[c] = C_HAN;
    else if (c >= 0x30 && c <= 0x39) CLASS[c] = C_DIGIT;
    else if (c >= 0x61 && c <= 0x7a) CLASS[c] = C_LETTER;
    else if (c < 0x80) CLASS[c] = C_SEP;
    else if (c >= 0x2000 && c <= 0x2bff)
      CLASS[c] = C_SEP; // punctuation, symbols, arrows, dingbats
    else if (c >= 0x3000 && c <= 0x303f)
      CLASS[c] = C_SEP; // CJK punctuation
    else if (c >= 0xd800 && c <= 0xdfff)
      CLASS[c] = C_SEP; // astral (emoji) handled in the loop
    else if (c >= 0xfe30 && c <= 0xfe4f) CLASS[c] = C_SEP;
    else if (c >= 0xff00 && c <= 0xff0f) CLASS[c] = C_SEP;
    else if (c >= 0x80 && c <= 0xbf) CLASS[c] = C_SEP;
    else if (c === 0xd7 || c === 0xf7) CLASS[c] = C_SEP;
    else if (c >= 0x3040 && c <= 0x30ff)
      CLASS[c] = C_HAN; // kana: treat like CJK script
    else if (c >= 0xac00 && c <= 0xd7af) CLASS[c] = C_HAN; // hangul syllables
  }
  for (const c of [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x27, 0x2019, 0x2018, 0x60, 0xb4]) {
    CLASS[c] = C_DROP;
  }
  for (let c = 0x0300; c <= 0x036f; c++) CLASS[c] = C_DROP;
  for (let c = 0xfe00; c <= 0xfe0f; c++) CLASS[c] = C_DROP;
  for (const c of [0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c, 0xa0, 0x3000, 0x2028, 0x2029]) IS_SPACE[c] = 1;
  for (let c = 0x2000; c <= 0x200a; c++) IS_SPACE[c] = 1;
  for (const ch of '.!?;\n。！？；…') IS_SENTENCE[ch.charCodeAt(0)] = 1;
  for (const ch of '\n。！？；') CLASS[ch.charCodeAt(0)] = C_HARD;
  for (const ch of '，、：,') IS_SENTENCE[ch.charCodeAt(0)] = 1;
  for (const ch of '，、：') CLASS[ch.charCodeAt(0)] = C_HARD;

  // Upper case -> lower case (ASCII).
  for (let c = 0x41; c <= 0x5a; c++) {
    FOLD[c] = c + 32;
    FOLD_ROUTE[c] = R_CASE;
    CLASS[c] = C_LETTER;
  }
  // Latin-1 and Latin Extended letters: strip accents, fold case.
  for (let c = 0xc0; c <= 0x24f; c++) {
    if (c === 0xd7 || c === 0xf7) continue;
    const base = String.fromCharCode(c).normalize('NFD').charAt(0).toLowerCase();
    const b = base.charCodeAt(0);
    if (b >= 0x61 && b <= 0x7a) {
      FOLD[c] = b;
      FOLD_ROUTE[c] = String.fromCharCode(c) === String.fromCharCode(c).toLowerCase() ? R_HOMOGLYPH : R_CASE;
      CLASS[c] = C_LETTER;
    }
  }
  // Full width ASCII -> ASCII.
  for (let c = 0xff01; c <= 0xff5e; c++) {
    const a = c - 0xfee0;
    const folded = a >= 0x41 && a <= 0x5a ? a + 32 : a;
    FOLD[c] = folded;
    FOLD_ROUTE[c] = R_WIDTH | (folded !== a ? R_CASE : 0);
    const cls = CLASS[folded] ?? C_SEP;
    // Full-width sentence punctuation stays a hard boundary.
    if (CLASS[c] !== C_HARD) CLASS[c] = cls;
    if (IS_SENTENCE[a]) IS_SENTENCE[c] = 1;
  }
  // Homoglyphs (lower and upper case forms).
  for (const [from, to] of Object.entries(HOMOGLYPHS)) {
    const t = to.charCodeAt(0);
    for (const f of [from, from.toUpperCase()]) {
      const c = f.charCodeAt(0);
      FOLD[c] = t;
      FOLD_ROUTE[c] = R_HOMOGLYPH;
      CLASS[c] = C_LETTER;
    }
  }
  // Number forms: circled, parenthesized, full-stop and dingbat digits 1..9.
  for (const start of [0x2460, 0x2474, 0x2488, 0x2776, 0x2780, 0x278a]) {
    for (let k = 0; k < 9; k++) {
      FOLD[start + k] = 0x31 + k;
      FOLD_ROUTE[start + k] = R_NUMBER;
      CLASS[start + k] = C_DIGIT;
    }
  }
  for (let i = 0; i + 1 < FINANCIAL_NUMERALS.length; i += 2) {
    const c = FINANCIAL_NUMERALS.charCodeAt(i);
    FOLD[c] = FINANCIAL_NUMERALS.charCodeAt(i + 1);
    FOLD_ROUTE[c] = R_NUMBER;
    CLASS[c] = C_HAN;
  }
  // Traditional -> simplified.
  for (let i = 0; i + 1 < T2S_PAIRS.length; i += 2) {
    const c = T2S_PAIRS.charCodeAt(i);
    if (FOLD_ROUTE[c]) continue; // financial numerals already folded
    FOLD[c] = T2S_PAIRS.charCodeAt(i + 1);
    FOLD_ROUTE[c] = R_TRAD;
  }
  // CJK compatibility ideographs.
  for (let c = 0xf900; c <= 0xfaff; c++) {
    const n = String.fromCharCode(c).normalize('NFKC');
    if (n.length === 1 && isHan(n.charCodeAt(0))) {
      FOLD[c] = n.charCodeAt(0);
      FOLD_ROUTE[c] = R_WIDTH;
      CLASS[c] = C_HAN;
    }
  }
}
buildTables();

/** Packed per-unit info for the hot loop: folded unit (bits 0-15), class (16-19), route bits (20-31). */
const INFO = new Uint32Array(65536);
for (let c = 0; c < 65536; c++) {
  INFO[c] = ((FOLD[c] ?? c) | ((CLASS[c] ?? 0) << 16) | ((FOLD_ROUTE[c] ?? 0) << 20)) >>> 0;
}

/** `C_HAN` in the class bits of an `INFO` entry. */
const HAN_CLASS_BITS = C_HAN << 16;
/** Bit `u - 0x4e00` set when Han unit `u` folds to itself with no route (`INFO[u]` is `u | HAN_CLASS_BITS`). */
const PLAIN_HAN = new Int32Array(0x5200 >>> 5);
for (let u = 0x4e00; u < 0x4e00 + 0x5200; u++) {
  const bit = u - 0x4e00;
  if (INFO[u] === (u | HAN_CLASS_BITS) >>> 0)
    PLAIN_HAN[bit >>> 5] = (PLAIN_HAN[bit >>> 5] ?? 0) | (1 << (bit & 31));
}

const LEET: Record<number, number> = {
  48: 0x6f, // 0 -> o
  49: 0x69, // 1 -> i
  51: 0x65, // 3 -> e
  52: 0x61, // 4 -> a
  53: 0x73, // 5 -> s
  55: 0x74, // 7 -> t
  56: 0x62, // 8 -> b
  64: 0x61, // @ -> a
  36: 0x73, // $ -> s
};
const LEET_TABLE = new Uint16Array(128);
for (const [k, v] of Object.entries(LEET)) LEET_TABLE[Number(k)] = v;

const SPACE = 0x20;
const BOUNDARY = 0x3002; // '。'

// Scratch outputs of `foldAstral` (avoids allocating per character).
let astralC = 0;
let astralCls = 0;
let astralRoute = 0;

/** Folds the astral code point at `i`: math letters by NFKC, CJK extensions as Han, others (emoji) as separators. */
function foldAstral(s: string, i: number): void {
  const cp = s.codePointAt(i) ?? 0;
  if (cp >= 0x1d400 && cp <= 0x1d7ff) {
    const n = String.fromCodePoint(cp).normalize('NFKC').toLowerCase().charCodeAt(0);
    astralC = n;
    astralCls = CLASS[n] ?? C_SEP;
    astralRoute = R_HOMOGLYPH;
  } else if (cp >= 0x20000 && cp <= 0x3ffff) {
    astralC = 0x3007;
    astralCls = C_HAN;
    astralRoute = 0;
  } else {
    astralC = SPACE;
    astralCls = C_SEP;
    astralRoute = 0;
  }
}

/** Class of the folded unit at `i`. */
function classAt(s: string, i: number): number {
  const u = s.charCodeAt(i);
  if (u >= 0xd800 && u <= 0xdbff && i + 1 < s.length) {
    foldAstral(s, i);
    return astralCls;
  }
  return CLASS[u] ?? C_SEP;
}

/** True for a unit of the normalized text that belongs to a Latin word (a-z, 0-9). */
export function isWordUnit(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/** Normalizes `original`. Pure; allocates only the output arrays. */
export function normalizeText(original: string): NormalizedText {
  const len = normalizeIntoScratch(original);
  return viewOf(
    original,
    scratchCodes.slice(0, len),
    scratchMap.slice(0, len + 1),
    scratchRoutes.slice(0, len),
  );
}

/**
 * Normalizes into shared scratch buffers and returns a view over them, valid only until the next call of
 * `normalizeTextScratch` or `normalizeText`. For hot paths that do not keep the normalized text.
 */
export function normalizeTextScratch(original: string): NormalizedText {
  const len = normalizeIntoScratch(original);
  return viewOf(
    original,
    scratchCodes.subarray(0, len),
    scratchMap.subarray(0, len + 1),
    scratchRoutes.subarray(0, len),
  );
}

function viewOf(original: string, codes: Uint16Array, map: Int32Array, routes: Uint16Array): NormalizedText {
  const len = codes.length;
  let text: string | undefined;
  return {
    original,
    get text(): string {
      if (text === undefined) {
        // Built on first use, in chunks to keep argument lists short.
        let s = '';
        for (let k = 0; k < len; k += 4096) {
          s += String.fromCharCode.apply(
            null,
            codes.subarray(k, Math.min(len, k + 4096)) as unknown as number[],
          );
        }
        text = s;
      }
      return text;
    },
    codes,
    map,
    routes,
  };
}

/**
 * Shared scratch buffers of the last scratch normalization (`normalizeAndScanInto` and friends); only the first
 * `len` units (and `len + 1` map entries) are meaningful, and only until the next scratch call.
 */
export let scratchCodes = new Uint16Array(1024);
export let scratchMap = new Int32Array(1026);
export let scratchRoutes = new Uint16Array(1024);

/** Candidate automaton outputs of the last fused scan: pairs (normalized end offset, node with output). */
export let scanCandidates = new Int32Array(256);
/** Number of ints used in `scanCandidates`. */
export let scanCandidateCount = 0;

const EMPTY = new Int32Array(1);
const wordFreeCache = new WeakMap<AhoCorasick, boolean>();

/** True if no pattern of `ac` starts with a Latin letter or digit at the root (cached per automaton). */
function isWordFree(ac: AhoCorasick): boolean {
  let free = wordFreeCache.get(ac);
  if (free === undefined) {
    free = true;
    for (let u = 0x30; u <= 0x7a && free; u++) {
      if (u > 0x39 && u < 0x61) continue;
      const sym = ac.symOf[u] ?? 0;
      if (sym !== 0 && ((ac.rootNextFlagged[sym] ?? 0) & STATE_MASK) !== 0) free = false;
    }
    wordFreeCache.set(ac, free);
  }
  return free;
}

/**
 * Automaton states at the start of a Latin word reached from the root: `one[a]` after the word-start mark and
 * letter `a`, `two[26 * a + b]` after the mark and letters `a`, `b`, `three[26 * (26 * a + b) + c]` after three
 * letters (-1 where a state passed on the way has output, which must be recorded on its own). Values carry `OUTPUT_FLAG` like `nextFlagged`. Cached per automaton.
 */
interface WordStartTables {
  readonly one: Int32Array;
  readonly two: Int32Array;
  readonly three: Int32Array;
}
const wordStartCache = new WeakMap<AhoCorasick, WordStartTables | undefined>();

function wordStartTables(ac: AhoCorasick): WordStartTables | undefined {
  if (wordStartCache.has(ac)) return wordStartCache.get(ac);
  const flagged = (st: number) => ((ac.outNode[st] ?? 0) !== 0 ? st | OUTPUT_FLAG : st);
  const mark = step(ac, 0, 0xffff);
  let tables: WordStartTables | undefined;
  if (mark !== 0 && (ac.outNode[mark] ?? 0) === 0) {
    const one = new Int32Array(26);
    const two = new Int32Array(26 * 26);
    const three = new Int32Array(26 * 26 * 26);
    for (let a = 0; a < 26; a++) {
      const s1 = step(ac, mark, 0x61 + a);
      one[a] = flagged(s1);
      for (let b = 0; b < 26; b++) {
        const ab = 26 * a + b;
        const s2 = step(ac, s1, 0x61 + b);
        const through1 = (ac.outNode[s1] ?? 0) === 0;
        two[ab] = through1 ? flagged(s2) : -1;
        const through2 = through1 && (ac.outNode[s2] ?? 0) === 0;
        for (let c = 0; c < 26; c++) three[26 * ab + c] = through2 ? flagged(step(ac, s2, 0x61 + c)) : -1;
      }
    }
    tables = { one, two, three };
  }
  wordStartCache.set(ac, tables);
  return tables;
}

/**
 * Normalizes into the scratch buffers while stepping `ac` over every emitted unit (one pass), recording
 * candidate outputs in `scanCandidates`, and returns the normalized length, without building a view: for
 * callers that read `scratchCodes` / `scratchMap` / `scratchRoutes` directly (or `scratchView`).
 */
export function normalizeAndScanInto(original: string, ac: AhoCorasick): number {
  return normalizeIntoScratch(original, ac);
}

/** A view over the first `len` units of the scratch buffers (after `normalizeAndScanInto`). */
export function scratchView(original: string, len: number): NormalizedText {
  return viewOf(
    original,
    scratchCodes.subarray(0, len),
    scratchMap.subarray(0, len + 1),
    scratchRoutes.subarray(0, len),
  );
}

/**
 * Builds the per-automaton tables of the fused loop now (they are otherwise built on the first scan of `ac`),
 * so that the first request does not pay for them.
 */
export function prepareFusedScan(ac: AhoCorasick): void {
  isWordFree(ac);
  if ((ac.symOf[0xffff] ?? 0) !== 0) wordStartTables(ac);
}

/** Normalizes `original` into the scratch buffers (stepping `ac` if given); returns the normalized length. */
function normalizeIntoScratch(original: string, ac?: AhoCorasick): number {
  const n = original.length;
  if (scratchCodes.length < n + 1) {
    let size = scratchCodes.length;
    while (size < n + 1) size *= 2;
    scratchCodes = new Uint16Array(size);
    scratchMap = new Int32Array(size + 2);
    scratchRoutes = new Uint16Array(size);
  } else scratchRoutes.fill(0, 0, n + 1);
  const out = scratchCodes;
  const map = scratchMap;
  const routes = scratchRoutes;
  let len = 0;
  // Fused automaton state (only used when `ac` is given).
  scanCandidateCount = 0;
  let state = 0;
  const symOf = ac?.symOf;
  const acBF = ac?.nodeBF ?? EMPTY;
  const acCheck = ac?.check ?? EMPTY;
  const acNextF = ac?.nextFlagged ?? EMPTY;
  const acOut = ac?.outNode ?? EMPTY;
  const acRootF = ac?.rootNextFlagged ?? EMPTY;
  const markSym = symOf !== undefined ? (symOf[0xffff] ?? 0) : 0;
  // If no pattern starts with a Latin letter at the root (whole-word Latin patterns sit behind the word-start
  // mark), the rest of a word whose match died can skip the automaton.
  const wordFree = ac !== undefined && isWordFree(ac);
  const starts = ac !== undefined && markSym !== 0 ? wordStartTables(ac) : undefined;
  const wordStart1 = starts?.one ?? EMPTY;
  const wordStart2 = starts?.two ?? EMPTY;
  const wordStart3 = starts?.three ?? EMPTY;
  let deadWord = false;
  let lastCls = -1; // class of the last emitted unit (C_SEP for boundaries)
  let lastChar = -1;
  let runCount = 0; // length of the current repeat run of lastChar
  let tokenLen = 0; // letters in the current Latin token
  let joinedSingles = false; // current token was made by joining spaced single letters
  // Pending separator run.
  let sepStart = -1;
  let sepLen = 0;
  let sepSpace = false;
  let sepSentence = false;
  let sepHard = false;
  let sepDropOnly = true; // run made only of silently dropped units (apostrophes)
  // Leet decision for the current Latin token.
  let leetState = 0; // 0 undecided, 1 leet, 2 not leet
  let tokenStart = 0;

  let i = 0;
  while (i < n) {
    // Fast path: a run of Han characters, or of letters continuing a Latin word, with nothing pending.
    if (sepStart < 0 && (lastCls === C_HAN || lastCls === C_LETTER || len === 0)) {
      while (i < n) {
        if (deadWord) {
          // The rest of a Latin word no pattern can match any more: plain lower-case ASCII letters fold to
          // themselves with no route, so they are copied without table reads or automaton steps.
          let j = i;
          let prev = lastChar;
          while (j < n) {
            const x = original.charCodeAt(j);
            if (x < 0x61 || x > 0x7a || x === prev) break;
            out[len] = x;
            map[len] = j;
            len++;
            j++;
            prev = x;
          }
          if (j > i) {
            tokenLen += j - i;
            joinedSingles = false;
            lastChar = prev;
            runCount = 1;
            i = j;
            if (i >= n) break;
          }
        }
        const u = original.charCodeAt(i);
        // A plain Han character (no fold, no route) is known from a 2.6 KB bitmap, sparing a read of the large
        // table (whose Han part does not stay in cache).
        const hanBit = u - 0x4e00;
        const info =
          hanBit >= 0 && hanBit < 0x5200 && ((PLAIN_HAN[hanBit >>> 5] ?? 0) >>> hanBit) & 1
            ? u | HAN_CLASS_BITS
            : (INFO[u] ?? 0);
        const k = (info >>> 16) & 0xf;
        const c = info & 0xffff;
        if (u === 0x20 && lastCls === C_LETTER && tokenLen > 1 && !joinedSingles && i + 2 < n) {
          // One space between two Latin words (the common case): emit the boundary and the next word's
          // first letter here, exactly as the general path below would.
          const info2 = INFO[original.charCodeAt(i + 1)] ?? 0;
          const c2 = info2 & 0xffff;
          const info3 = INFO[original.charCodeAt(i + 2)] ?? 0;
          if (((info2 >>> 16) & 0xf) !== C_LETTER || ((info3 >>> 16) & 0xf) !== C_LETTER) break;
          out[len] = SPACE;
          map[len] = i;
          len++;
          if (symOf !== undefined) {
            const sym = symOf[SPACE] ?? 0;
            if (sym === 0) state = 0;
            else {
              let s = state;
              let to = -1;
              while (s !== 0) {
                const pos = (acBF[2 * s] ?? 0) + sym;
                if (acCheck[pos] === s) {
                  to = acNextF[pos] ?? 0;
                  break;
                }
                s = acBF[2 * s + 1] ?? 0;
              }
              const v = to >= 0 ? to : (acRootF[sym] ?? 0);
              state = v & STATE_MASK;
              if (v & OUTPUT_FLAG) {
                const o = acOut[state] ?? 0;
                if (scanCandidateCount + 2 > scanCandidates.length) {
                  const bigger = new Int32Array(scanCandidates.length * 2);
                  bigger.set(scanCandidates);
                  scanCandidates = bigger;
                }
                scanCandidates[scanCandidateCount++] = len;
                scanCandidates[scanCandidateCount++] = o;
              }
            }
          }
          if (state === 0 && wordStart1 !== EMPTY && c2 - 0x61 < 26 && c2 >= 0x61) {
            // Word start from the root (the common case): the word-start mark and the first letter, or the
            // first two letters, in one table read instead of two or three automaton steps.
            const c3 = info3 & 0xffff;
            const pairAt = (c2 - 0x61) * 26 + (c3 - 0x61);
            const pair = c3 !== c2 && c3 >= 0x61 && c3 - 0x61 < 26 ? (wordStart2[pairAt] ?? -1) : -1;
            // And the third letter too, when it is there.
            let triple = -1;
            let info4 = 0;
            if (pair >= 0 && i + 3 < n) {
              info4 = INFO[original.charCodeAt(i + 3)] ?? 0;
              const c4 = info4 & 0xffff;
              if (((info4 >>> 16) & 0xf) === C_LETTER && c4 !== c3 && c4 >= 0x61 && c4 - 0x61 < 26) {
                triple = wordStart3[pairAt * 26 + (c4 - 0x61)] ?? -1;
              }
            }
            i++;
            deadWord = false;
            tokenStart = i;
            leetState = 0;
            out[len] = c2;
            map[len] = i;
            const r2 = info2 >>> 20;
            if (r2 !== 0) routes[len] = r2;
            len++;
            i++;
            joinedSingles = false;
            lastCls = C_LETTER;
            runCount = 1;
            let v: number;
            if (pair >= 0) {
              out[len] = c3;
              map[len] = i;
              const r3 = info3 >>> 20;
              if (r3 !== 0) routes[len] = r3;
              len++;
              i++;
              tokenLen = 2;
              lastChar = c3;
              v = pair;
              if (triple >= 0) {
                const c4 = info4 & 0xffff;
                out[len] = c4;
                map[len] = i;
                const r4 = info4 >>> 20;
                if (r4 !== 0) routes[len] = r4;
                len++;
                i++;
                tokenLen = 3;
                lastChar = c4;
                v = triple;
              }
            } else {
              tokenLen = 1;
              lastChar = c2;
              v = wordStart1[c2 - 0x61] ?? 0;
            }
            state = v & STATE_MASK;
            if (v & OUTPUT_FLAG) {
              const o = acOut[state] ?? 0;
              if (scanCandidateCount + 2 > scanCandidates.length) {
                const bigger = new Int32Array(scanCandidates.length * 2);
                bigger.set(scanCandidates);
                scanCandidates = bigger;
              }
              scanCandidates[scanCandidateCount++] = len;
              scanCandidates[scanCandidateCount++] = o;
            }
            if (state === 0 && pair >= 0) deadWord = wordFree;
            continue;
          }
          if (symOf !== undefined && markSym !== 0) {
            let s = state;
            let to = -1;
            while (s !== 0) {
              const pos = (acBF[2 * s] ?? 0) + markSym;
              if (acCheck[pos] === s) {
                to = acNextF[pos] ?? 0;
                break;
              }
              s = acBF[2 * s + 1] ?? 0;
            }
            state = (to >= 0 ? to : (acRootF[markSym] ?? 0)) & STATE_MASK;
          }
          i++;
          deadWord = false;
          tokenStart = i;
          leetState = 0;
          out[len] = c2;
          map[len] = i;
          const r2 = info2 >>> 20;
          if (r2 !== 0) routes[len] = r2;
          len++;
          i++;
          tokenLen = 1;
          joinedSingles = false;
          lastCls = C_LETTER;
          lastChar = c2;
          runCount = 1;
          if (symOf !== undefined) {
            const sym = symOf[c2] ?? 0;
            if (sym === 0) state = 0;
            else {
              let s = state;
              let to = -1;
              while (s !== 0) {
                const pos = (acBF[2 * s] ?? 0) + sym;
                if (acCheck[pos] === s) {
                  to = acNextF[pos] ?? 0;
                  break;
                }
                s = acBF[2 * s + 1] ?? 0;
              }
              const v = to >= 0 ? to : (acRootF[sym] ?? 0);
              state = v & STATE_MASK;
              if (v & OUTPUT_FLAG) {
                const o = acOut[state] ?? 0;
                if (scanCandidateCount + 2 > scanCandidates.length) {
                  const bigger = new Int32Array(scanCandidates.length * 2);
                  bigger.set(scanCandidates);
                  scanCandidates = bigger;
                }
                scanCandidates[scanCandidateCount++] = len;
                scanCandidates[scanCandidateCount++] = o;
              }
            }
          }
          continue;
        }
        if (c === lastChar) break;
        if (k === C_HAN) {
          tokenLen = 0;
        } else if (k === C_LETTER && lastCls === C_LETTER) {
          tokenLen++;
          joinedSingles = false;
        } else break;
        out[len] = c;
        map[len] = i;
        const r = info >>> 20;
        if (r !== 0) routes[len] = r;
        len++;
        i++;
        lastCls = k;
        lastChar = c;
        runCount = 1;
        if (k === C_HAN) deadWord = false;
        else if (deadWord) continue;
        if (symOf !== undefined) {
          const sym = symOf[c] ?? 0;
          if (sym === 0) state = 0;
          else {
            let s = state;
            let to = -1;
            while (s !== 0) {
              const pos = (acBF[2 * s] ?? 0) + sym;
              if (acCheck[pos] === s) {
                to = acNextF[pos] ?? 0;
                break;
              }
              s = acBF[2 * s + 1] ?? 0;
            }
            const v = to >= 0 ? to : (acRootF[sym] ?? 0);
            state = v & STATE_MASK;
            if (v & OUTPUT_FLAG) {
              const o = acOut[state] ?? 0;
              if (scanCandidateCount + 2 > scanCandidates.length) {
                const bigger = new Int32Array(scanCandidates.length * 2);
                bigger.set(scanCandidates);
                scanCandidates = bigger;
              }
              scanCandidates[scanCandidateCount++] = len;
              scanCandidates[scanCandidateCount++] = o;
            }
          }
        }
        if (state === 0 && k === C_LETTER) deadWord = wordFree;
      }
      if (i >= n) break;
    }
    const at = i;
    const u0 = original.charCodeAt(i);
    let c: number;
    let cls: number;
    let route: number;
    if (u0 >= 0xd800 && u0 <= 0xdbff && i + 1 < n) {
      foldAstral(original, i);
      c = astralC;
      cls = astralCls;
      route = astralRoute;
      i += 2;
    } else {
      const info = INFO[u0] ?? 0;
      c = info & 0xffff;
      cls = (info >>> 16) & 0xf;
      route = info >>> 20;
      i += 1;
    }
    if (cls === C_OTHER) cls = C_SEP;
    if (cls === C_DROP) {
      if (sepStart < 0) {
        sepStart = at;
        sepLen = 0;
        sepSpace = false;
        sepSentence = false;
        sepHard = false;
        sepDropOnly = true;
      }
      continue;
    }
    if (cls === C_SEP || cls === C_HARD) {
      // '@' and '$' inside a Latin word are leet letters, not separators.
      if ((c === 0x40 || c === 0x24) && lastCls === C_LETTER && i < n) {
        if (classAt(original, i) === C_LETTER) {
          c = LEET_TABLE[c] ?? c;
          cls = C_LETTER;
          route = R_HOMOGLYPH;
        }
      }
    }
    if (cls === C_SEP || cls === C_HARD) {
      if (sepStart < 0) {
        sepStart = at;
        sepLen = 0;
        sepSpace = false;
        sepSentence = false;
        sepHard = false;
        sepDropOnly = true;
      }
      sepLen++;
      sepDropOnly = false;
      const u = original.charCodeAt(at);
      if (IS_SPACE[u]) sepSpace = true;
      if (IS_SENTENCE[u]) sepSentence = true;
      if (cls === C_HARD) sepHard = true;
      continue;
    }
    // A content unit (letter, digit, Han). First settle the pending separator run.
    let pendingRoute = 0;
    if (sepStart >= 0) {
      let emit = 0; // 0 drop, SPACE or BOUNDARY
      if (len === 0) emit = 0;
      else if (sepDropOnly) emit = 0;
      else if (lastCls === C_HAN && cls === C_HAN) {
        if (sepHard || sepLen > 3) emit = BOUNDARY;
        else pendingRoute = R_SEPARATOR;
      } else if (lastCls === C_LETTER && cls === C_LETTER) {
        if (sepHard || (sepSentence && sepSpace)) emit = BOUNDARY;
        else if (sepSpace) {
          // "k i l l": join single spaced letters.
          if ((tokenLen === 1 || joinedSingles) && isSingleLetterAhead(original, at, n, i)) {
            pendingRoute = R_SEPARATOR;
            joinedSingles = true;
          } else emit = SPACE;
        } else if (sepLen <= 3) pendingRoute = R_SEPARATOR;
        else emit = SPACE;
      } else emit = sepHard || sepSentence ? BOUNDARY : SPACE;
      if (emit !== 0) {
        out[len] = emit;
        map[len] = sepStart;
        routes[len] = 0;
        len++;
        if (symOf !== undefined) {
          // Fused automaton step on the unit just emitted (same as the matcher's scan loop).
          const sym = symOf[emit] ?? 0;
          if (sym === 0) state = 0;
          else {
            let s = state;
            let to = -1;
            while (s !== 0) {
              const pos = (acBF[2 * s] ?? 0) + sym;
              if (acCheck[pos] === s) {
                to = acNextF[pos] ?? 0;
                break;
              }
              s = acBF[2 * s + 1] ?? 0;
            }
            const v = to >= 0 ? to : (acRootF[sym] ?? 0);
            state = v & STATE_MASK;
            if (v & OUTPUT_FLAG) {
              const o = acOut[state] ?? 0;
              if (scanCandidateCount + 2 > scanCandidates.length) {
                const bigger = new Int32Array(scanCandidates.length * 2);
                bigger.set(scanCandidates);
                scanCandidates = bigger;
              }
              scanCandidates[scanCandidateCount++] = len;
              scanCandidates[scanCandidateCount++] = o;
            }
          }
        }
        lastCls = C_SEP;
        lastChar = emit;
        runCount = 1;
        tokenLen = 0;
        joinedSingles = false;
        leetState = 0;
      }
      sepStart = -1;
    }
    if (cls === C_DIGIT || cls === C_LETTER) {
      if (lastCls !== C_LETTER && lastCls !== C_DIGIT) {
        tokenStart = at;
        leetState = 0;
        if (cls === C_DIGIT) tokenLen = 0;
      }
      if (cls === C_DIGIT) {
        if (leetState === 0) leetState = decideLeet(original, tokenStart, n) ? 1 : 2;
        if (leetState === 1 && c < 128 && (LEET_TABLE[c] ?? 0) !== 0) {
          c = LEET_TABLE[c] ?? c;
          cls = C_LETTER;
          route |= R_HOMOGLYPH;
        }
      }
    }
    // Repeat collapse for letters and Han characters.
    if (c === lastChar && (cls === C_LETTER || cls === C_HAN)) {
      runCount++;
      if (runCount >= 3) routes[len - 1] = (routes[len - 1] ?? 0) | R_REPEAT;
      routes[len - 1] = (routes[len - 1] ?? 0) | route | pendingRoute;
      continue;
    }
    let fromTable = -1; // automaton value after the mark and `c`, read from the word-start table
    if (symOf !== undefined && markSym !== 0 && (cls === C_LETTER || cls === C_DIGIT)) {
      const prev = len > 0 ? (out[len - 1] ?? 0) : 0;
      if (!isWordUnit(prev) && state === 0 && wordStart1 !== EMPTY && c >= 0x61 && c <= 0x7a) {
        // Word start from the root: mark and first letter in one table read (as in the fast path).
        deadWord = false;
        fromTable = wordStart1[c - 0x61] ?? 0;
      } else if (!isWordUnit(prev)) {
        // Word start: step the automaton on the virtual word-start mark (see matcher.ts).
        deadWord = false;
        let s = state;
        let to = -1;
        while (s !== 0) {
          const pos = (acBF[2 * s] ?? 0) + markSym;
          if (acCheck[pos] === s) {
            to = acNextF[pos] ?? 0;
            break;
          }
          s = acBF[2 * s + 1] ?? 0;
        }
        state = (to >= 0 ? to : (acRootF[markSym] ?? 0)) & STATE_MASK;
      }
    }
    deadWord = false;
    out[len] = c;
    map[len] = at;
    if ((route | pendingRoute) !== 0) routes[len] = route | pendingRoute;
    len++;
    if (fromTable >= 0) {
      state = fromTable & STATE_MASK;
      if (fromTable & OUTPUT_FLAG) {
        const o = acOut[state] ?? 0;
        if (scanCandidateCount + 2 > scanCandidates.length) {
          const bigger = new Int32Array(scanCandidates.length * 2);
          bigger.set(scanCandidates);
          scanCandidates = bigger;
        }
        scanCandidates[scanCandidateCount++] = len;
        scanCandidates[scanCandidateCount++] = o;
      }
    } else if (symOf !== undefined) {
      // Fused automaton step on the unit just emitted (same as the matcher's scan loop).
      const sym = symOf[c] ?? 0;
      if (sym === 0) state = 0;
      else {
        let s = state;
        let to = -1;
        while (s !== 0) {
          const pos = (acBF[2 * s] ?? 0) + sym;
          if (acCheck[pos] === s) {
            to = acNextF[pos] ?? 0;
            break;
          }
          s = acBF[2 * s + 1] ?? 0;
        }
        const v = to >= 0 ? to : (acRootF[sym] ?? 0);
        state = v & STATE_MASK;
        if (v & OUTPUT_FLAG) {
          const o = acOut[state] ?? 0;
          if (scanCandidateCount + 2 > scanCandidates.length) {
            const bigger = new Int32Array(scanCandidates.length * 2);
            bigger.set(scanCandidates);
            scanCandidates = bigger;
          }
          scanCandidates[scanCandidateCount++] = len;
          scanCandidates[scanCandidateCount++] = o;
        }
      }
    }
    if (cls === C_LETTER) {
      if (lastCls === C_LETTER || lastCls === C_DIGIT) {
        if (pendingRoute === 0) joinedSingles = false;
        tokenLen++;
      } else {
        tokenLen = 1;
        joinedSingles = false;
      }
    } else tokenLen = 0;
    lastCls = cls;
    lastChar = c;
    runCount = 1;
  }
  map[len] = n;
  return len;
}

/** After a space at `at`, is the next token one letter long (followed by a separator or the end)? */
function isSingleLetterAhead(s: string, _at: number, n: number, nextIndex: number): boolean {
  if (nextIndex >= n) return true;
  const cls = classAt(s, nextIndex);
  return cls !== C_LETTER && cls !== C_DIGIT;
}

/** Should digits of the Latin token starting at `start` be read as leet letters? */
function decideLeet(s: string, start: number, n: number): boolean {
  let letters = 0;
  let digits = 0;
  let interior = false;
  let prevLetter = false;
  let j = start;
  while (j < n && j - start < 40) {
    const cls = classAt(s, j);
    if (cls === C_LETTER) {
      letters++;
      prevLetter = true;
    } else if (cls === C_DIGIT) {
      digits++;
      if (prevLetter && j + 1 < n && classAt(s, j + 1) === C_LETTER) interior = true;
      prevLetter = false;
    } else break;
    j += 1;
  }
  if (digits === 0 || letters === 0) return false;
  return interior || (letters >= 3 && letters > 2 * digits);
}

/** Route bits needed anywhere in normalized range [start, end). */
export function routesIn(n: NormalizedText, start: number, end: number): number {
  let mask = 0;
  for (let k = start; k < end; k++) mask |= n.routes[k] ?? 0;
  return mask;
}

/** Original span of normalized range [start, end). */
export function originalSpan(n: NormalizedText, start: number, end: number): [number, number] {
  return originalSpanOf(n.original, n.map, n.codes.length, start, end);
}

/** `originalSpan` over raw arrays: `map` of a normalized text of `len` units of `original`. */
export function originalSpanOf(
  original: string,
  map: Int32Array,
  len: number,
  start: number,
  end: number,
): [number, number] {
  const s = map[start] ?? 0;
  let e = original.length;
  if (end < len) {
    // End at the start of the next normalized unit, minus trailing separators that were not part of it.
    e = map[end] ?? e;
    // Trim back over separators/space in the original between the last matched unit and the next one.
    const lastStart = map[end - 1] ?? s;
    let k = e;
    while (k > lastStart + 1) {
      const u = original.charCodeAt(k - 1);
      const cls = CLASS[u] ?? C_SEP;
      if (cls === C_SEP || cls === C_HARD || cls === C_DROP) k--;
      else break;
    }
    e = k;
  }
  return [s, e];
}

/** Normalizes a lexicon term the same way as text (patterns and text must agree). */
export function normalizeTerm(term: string): string {
  return normalizeText(term).text.trim();
}

/**
 * Adapts a regular expression written in plain words to normalized text, where runs of one repeated letter
 * or Han character are collapsed ("goodbye" → "godbye", "妈妈" → "妈"). Escapes are left alone.
 */
export function normalizedPattern(re: RegExp): RegExp {
  return new RegExp(re.source.replace(/(?<!\\)([a-z\u4e00-\u9fff])\1+/g, '$1'), re.flags);
}
