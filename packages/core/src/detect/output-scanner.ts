/**
 * The streaming output scanner: checks model output as it arrives and releases everything that no match can
 * still cover.
 *
 * After each chunk it re-runs the fast pass on a bounded window only — from the start of the clause that
 * holds the first unreleased character (clauses end at the normalizer's boundary `。`: CJK `。！？；，、：`,
 * newlines, `. ! ? , ; …` after a Latin word and before a space; at most `WINDOW_BACK` back) to the end of
 * the text — and releases up to the earliest of:
 *
 * - the **pending partial match**: the longest suffix of the (stable part of the) normalized text that is a
 *   prefix of some pattern of the selected detectors — every normalized spelling (terms, squeezed Latin
 *   phrases, pinyin, mixed Han/pinyin, initials), pinyin-syllable prefixes for homophones, and the first part
 *   of a gapped term `A…B` while its gap is still open;
 * - the **normalizer's look-ahead**: the last Latin token (leet digits, spaced-out letters, word-end checks
 *   can still change with the next characters) and separators after the last Han character (they may be
 *   dropped to join it with the next one); only text before them is judged;
 * - an **unsettled hit**: a lexicon hit whose clause has not ended yet (context rules read the whole clause:
 *   fiction and informational cues for `prohibited`, a request for `manipulation` personal data, allow
 *   phrases, whole-word ends);
 * - the first tier ≥ 1 finding of a settled hit, after which nothing more is released (later chunks are only
 *   collected; `end()` reports the rest).
 *
 * In a long clause, a short window (`SHORT_BACK` before the first unreleased character) is tried first: if it
 * holds no hit starting at or after that character, the clause context is not needed. Whole-reply rules
 * (`manipulation.ignoring-exit`) and the final word come from one full pass at `end()`.
 */
import { CgError } from '../errors.js';
import type { Finding } from '../types.js';
import { type DetectContext, isSentenceStop } from './context.js';
import type { OutputScanner, ScanStep } from './engine.js';
import { termParts } from './lexicon.js';
import type { Matcher, MatchHit } from './matcher.js';
import { type NormalizedText, normalizeTerm, normalizeTextScratch } from './normalize.js';
import { initialsOf, pinyinOf, SYLLABLE_OF, syllableIds } from './pinyin.js';

/** What the scanner needs from the engine. */
export interface ScannerEngine {
  readonly matcher: Matcher;
  /** The full fast pass (used once, at `end()`). */
  run(text: string, ctx: DetectContext): Finding[];
  /** The selected detectors on an already normalized and scanned text. */
  detect(text: string, normalized: NormalizedText, hits: readonly MatchHit[], ctx: DetectContext): Finding[];
  /** Names of the detectors `ctx` selects. */
  groupsFor(ctx: DetectContext): readonly string[];
  /** Is the hit judged with its whole sentence (`DetectorSpec.sentenceScoped`)? Then it settles at the sentence end. */
  sentenceScoped(hit: MatchHit): boolean;
}

/** Rules that judge the whole reply: reported by `end()` only. */
const WHOLE_REPLY_RULES = new Set(['manipulation.ignoring-exit']);
/** Longest look-back (UTF-16 units) for the start of the clause the window begins with. */
const WINDOW_BACK = 512;
/** A hit whose clause has not ended after this many normalized characters is judged as it stands. */
const SETTLE_CAP = 256;
/**
 * Left context (UTF-16 units) of the fast path's short window. Hits that matter start at or after `released`,
 * so this only has to cover the normalizer's local context (separator runs, spaced-out letters, repeats) for
 * normalization from `released` on to be the same as in the clause window.
 */
const SHORT_BACK = 64;
/** Held text (UTF-16 units) above which steps are spaced out (see `push`). */
const LAZY_HOLD = 512;
/** How far back from the end of the text the normalizer's look-ahead can reach (see `stableEnd`). */
const STABLE_REACH = 256;
const BOUNDARY = 0x3002;

/** A trie of unit sequences: node 0 is the root; `trie[node]` maps a unit to the child node. */
export type PrefixTrie = Map<number, number>[];

/** The first part of a gapped term and how many normalized characters the rest can still span. */
export interface GappedStart {
  readonly first: string;
  readonly rest: number;
}

/** Prefixes of every normalized spelling of the patterns of some detector groups. */
export interface PrefixIndex {
  /** Every text spelling, as a trie over normalized UTF-16 units. */
  readonly trie: PrefixTrie;
  readonly maxLength: number;
  /** 1 for every UTF-16 unit a text spelling starts with. */
  readonly firstUnits: Uint8Array;
  /** The pinyin syllable ids of `py` terms (homophones), as a trie. */
  readonly syllableTrie: PrefixTrie;
  readonly maxSyllables: number;
  /** Gapped terms by the first unit of their first part. */
  readonly gapped: ReadonlyMap<number, readonly GappedStart[]>;
  readonly maxGappedSpan: number;
}

function addToTrie(trie: PrefixTrie, seq: ArrayLike<number>): void {
  let node = 0;
  for (let k = 0; k < seq.length; k++) {
    const unit = seq[k] ?? 0;
    const children = trie[node] ?? new Map<number, number>();
    trie[node] = children;
    let next = children.get(unit);
    if (next === undefined) {
      next = trie.length;
      trie.push(new Map());
      children.set(unit, next);
    }
    node = next;
  }
}

const HAN_TERM = /^[\u3400-\u9fff]+$/;
const DEFAULT_GAP_HAN = 4;
const DEFAULT_GAP_LATIN = 16;

/** Derives the prefix index from the matcher's entries of `groups` (the same spellings the matcher compiles). */
export function buildPrefixIndex(matcher: Matcher, groups: readonly string[]): PrefixIndex {
  const wanted = new Set(groups);
  const trie: PrefixTrie = [new Map()];
  const syllableTrie: PrefixTrie = [new Map()];
  const gapped = new Map<number, GappedStart[]>();
  let maxLength = 0;
  let maxSyllables = 0;
  let maxGappedSpan = 0;
  const firstUnits = new Uint8Array(65536);
  const add = (form: string) => {
    firstUnits[form.charCodeAt(0)] = 1;
    const units: number[] = [];
    for (let k = 0; k < form.length; k++) units.push(form.charCodeAt(k));
    addToTrie(trie, units);
    if (form.length > maxLength) maxLength = form.length;
  };
  for (const { group, entry } of matcher.entries) {
    if (!wanted.has(group)) continue;
    const parts = termParts(entry.term).map(normalizeTerm);
    const first = parts[0];
    if (first === undefined || first === '') continue;
    add(first);
    if (/^[a-z0-9 ]+$/.test(first) && first.includes(' ')) add(first.replace(/ /g, ''));
    if (parts.length > 1) {
      const han = parts.every((p) => HAN_TERM.test(p));
      const gap = entry.gap >= 0 ? entry.gap : han ? DEFAULT_GAP_HAN : DEFAULT_GAP_LATIN;
      let rest = 0;
      for (let p = 1; p < parts.length; p++) rest += gap + (parts[p] ?? '').length;
      const unit = first.charCodeAt(0);
      gapped.set(unit, [...(gapped.get(unit) ?? []), { first, rest }]);
      maxGappedSpan = Math.max(maxGappedSpan, first.length + rest);
      continue;
    }
    if (!entry.pinyin || !HAN_TERM.test(first)) continue;
    const py = pinyinOf(first);
    if (py !== undefined) add(py);
    const syllables = [...first].map((ch) => pinyinOf(ch));
    if (syllables.every((s) => s !== undefined)) add(syllables.join(' '));
    if (first.length >= 2 && first.length <= 4) {
      for (let mask = 1; mask < (1 << first.length) - 1; mask++) {
        let mixed = '';
        let ok = true;
        for (let k = 0; k < first.length; k++) {
          const sy = syllables[k];
          if (!(mask & (1 << k))) mixed += first.charAt(k);
          else if (sy === undefined) ok = false;
          else mixed += sy;
        }
        if (ok) add(mixed);
      }
    }
    const ini = initialsOf(first);
    if (ini !== undefined) add(ini);
    const ids = syllableIds(first);
    if (ids !== undefined) {
      addToTrie(syllableTrie, ids);
      if (ids.length > maxSyllables) maxSyllables = ids.length;
    }
  }
  return { trie, maxLength, firstUnits, syllableTrie, maxSyllables, gapped, maxGappedSpan };
}

/** Does the trie hold the unit sequence `codes[from, to)` (as a prefix of some spelling)? */
function inTrie(trie: PrefixTrie, codes: Uint16Array | readonly number[], from: number, to: number): boolean {
  let node = 0;
  for (let k = from; k < to; k++) {
    const next = trie[node]?.get(codes[k] ?? 0);
    if (next === undefined) return false;
    node = next;
  }
  return true;
}

/**
 * Start (normalized index) of the longest suffix of `codes[0, q)` that may still grow into a match, or `q` if
 * none: a prefix of a spelling, a homophone syllable prefix, or an open gapped term.
 */
export function pendingStart(codes: Uint16Array, q: number, index: PrefixIndex): number {
  let start = q;
  for (let s = Math.max(0, q - index.maxLength); s < q; s++) {
    if (index.firstUnits[codes[s] ?? 0] === 1 && inTrie(index.trie, codes, s, q)) {
      start = s;
      break;
    }
  }
  if (index.maxSyllables > 0) {
    const ids: number[] = [];
    for (let s = Math.max(0, q - index.maxSyllables); s < Math.min(start, q); s++) {
      ids.length = 0;
      let ok = true;
      for (let k = s; k < q && ok; k++) {
        const id = SYLLABLE_OF[codes[k] ?? 0] ?? 0;
        if (id === 0) ok = false;
        else ids.push(id);
      }
      if (ok && inTrie(index.syllableTrie, ids, 0, ids.length)) {
        start = s;
        break;
      }
    }
  }
  if (index.gapped.size > 0) {
    for (let p = Math.max(0, q - index.maxGappedSpan); p < Math.min(start, q); p++) {
      const list = index.gapped.get(codes[p] ?? 0);
      if (list === undefined) continue;
      if (list.some((g) => gapOpen(codes, p, q, g))) {
        start = p;
        break;
      }
    }
  }
  return start;
}

/** Does gapped term `g` start at `p` with its gap still open at `q`? */
function gapOpen(codes: Uint16Array, p: number, q: number, g: GappedStart): boolean {
  const len = g.first.length;
  if (p + len > q || q - p > len + g.rest) return false;
  for (let k = 0; k < len; k++) if (codes[p + k] !== g.first.charCodeAt(k)) return false;
  for (let k = p + len; k < q; k++) if (codes[k] === BOUNDARY) return false;
  return true;
}

const HAN_CHAR = /\p{Script=Han}/u;
const HARD_STOP = /[\s。！？；，、：]/;
const CLAUSE_STOP = /[。！？；，、：\n]/;

function isSoft(ch: string): boolean {
  return !HAN_CHAR.test(ch) && !/[\p{L}\p{N}]/u.test(ch);
}

/**
 * Where the stable part of `s` ends: before the last Latin token (extended over spaced-out single letters
 * before it) or after the last Han character. Text from there on may still normalize differently.
 */
export function stableEnd(s: string, lo0: number): number {
  // Bounded look-back: the normalizer decides a token within its first 40 units and no whole-word match is
  // longer than a pattern, so text more than STABLE_REACH before the end normalizes the same whatever follows
  // (a possible match there is still held as pending). Without the bound a run of letters or symbols with no
  // space would be walked again on every chunk.
  const lo = Math.max(lo0, s.length - STABLE_REACH);
  let i = s.length;
  while (i > lo && isSoft(s.charAt(i - 1))) i--;
  if (i === lo) return lo;
  if (HAN_CHAR.test(s.charAt(i - 1))) {
    // A CJK clause stop after the last Han character is a boundary whatever follows.
    for (let k = s.length - 1; k >= i; k--) if (CLAUSE_STOP.test(s.charAt(k))) return k + 1;
    return i;
  }
  let t = i;
  while (t > lo && !HARD_STOP.test(s.charAt(t - 1)) && !HAN_CHAR.test(s.charAt(t - 1))) t--;
  // "k i l" / "k. i. l": one-letter tokens separated by spaces may be joined into one word.
  while (t > lo && letterCount(s, t, i) <= 1) {
    let g = t;
    while (g > lo && t - g < 3 && /\s/.test(s.charAt(g - 1))) g--;
    if (g === t || g === lo) break;
    let p = g;
    while (p > lo && g - p < 3 && !/\s/.test(s.charAt(p - 1)) && !HAN_CHAR.test(s.charAt(p - 1))) p--;
    if (p === g || letterCount(s, p, g) !== 1 || (p > lo && !/\s/.test(s.charAt(p - 1)))) break;
    i = g;
    t = p;
  }
  return t;
}

function letterCount(s: string, from: number, to: number): number {
  let c = 0;
  for (let k = from; k < to; k++) if (/[\p{L}\p{N}]/u.test(s.charAt(k))) c++;
  return c;
}

/**
 * Is `s[k]` certainly a clause break (the normalizer's boundary)? CJK clause punctuation and newlines always
 * are; ASCII `. ! ? , ;` and `…` after a Latin letter or digit are when a space follows (needs `s[k + 1]`).
 */
function isClauseBreak(s: string, k: number): boolean {
  const ch = s.charAt(k);
  if ('。！？；，、：\n'.includes(ch)) return true;
  return '.!?,;…'.includes(ch) && /\s/.test(s.charAt(k + 1)) && /[a-z0-9]/i.test(s.charAt(k - 1));
}

/** Cuts a window start that lies more than WINDOW_BACK before `pos` at a space (no word is split). */
function capWindow(s: string, start: number, pos: number): number {
  const limit = pos - WINDOW_BACK;
  if (start >= limit) return start;
  // A space within the next 32 units, else the limit itself (a word longer than that is cut).
  for (let k = limit; k < pos && k < limit + 32; k++) if (/\s/.test(s.charAt(k))) return k;
  return limit;
}

/**
 * Hits whose tier depends on the whole reply: a tier 0 `scam-signal` term becomes tier 2 when another scam
 * sign appears anywhere in the reply (only deployment lists have tier 0 scam terms). Held until `end()`.
 */
function judgedOnWholeReply(h: MatchHit): boolean {
  return h.group === 'scam-signal' && h.entry.tier === 0;
}

function findingKey(f: Finding): string {
  return `${f.rule}|${f.category}|${f.tier}|${f.span[0]}|${f.span[1]}`;
}

/** Creates the streaming scanner (see the file header). */
export function createStreamingScanner(
  engine: ScannerEngine,
  index: PrefixIndex,
  ctx: DetectContext,
): OutputScanner {
  // The reply so far, as its chunks (joined once, at `end()`), and the window the steps read: the text from
  // absolute offset `base` on. Appending to one growing string would make every read copy all of it.
  const chunks: string[] = [];
  let total = 0;
  let win = '';
  let base = 0;
  let released = 0;
  let blocked = false;
  let ended = false;
  const reported = new Set<string>();
  const groupSet = new Set(engine.groupsFor(ctx));
  // Start of the clause holding the first unreleased character, advanced incrementally.
  let clauseFrom = 0;
  let clauseScanned = 0;
  // Length the text must reach before the next step (see `push`).
  let nextStepAt = 0;

  const report = (f: Finding, fresh: Finding[]) => {
    const key = findingKey(f);
    if (reported.has(key)) return;
    reported.add(key);
    fresh.push(f);
  };

  const releaseTo = (target: number): string => {
    let safe = target;
    if (safe <= released) return '';
    const last = win.charCodeAt(safe - 1 - base);
    if (last >= 0xd800 && last <= 0xdbff && safe < total) safe--;
    if (safe <= released) return '';
    const out = win.slice(released - base, safe - base);
    released = safe;
    return out;
  };

  /**
   * The detectors on a window. A whole-reply finding (`ignoring-exit`, spanning the window) would swallow the
   * smaller manipulation findings inside it (`dropContained`), so then the window is judged again without
   * the exit request and both results are merged (the higher tier wins per span).
   */
  const detectWindow = (view: string, n: NormalizedText, hits: readonly MatchHit[]): Finding[] => {
    const first = engine.detect(view, n, hits, ctx);
    if (!first.some((f) => WHOLE_REPLY_RULES.has(f.rule))) return first;
    const best = new Map<string, Finding>();
    for (const f of [...first, ...engine.detect(view, n, hits, { ...ctx, exitRequested: false })]) {
      if (WHOLE_REPLY_RULES.has(f.rule)) continue;
      const place = `${f.detector}|${f.category}|${f.span[0]}|${f.span[1]}`;
      const seen = best.get(place);
      if (seen === undefined || f.tier > seen.tier) best.set(place, f);
    }
    return [...best.values()];
  };

  /** Normalized characters of `n` judged now: those mapped before the stable end of `view`. */
  const judged = (n: NormalizedText, view: string, from: number): { q: number; stable: number } => {
    const stable = stableEnd(view, Math.max(0, released - from));
    let q = n.codes.length;
    while (q > 0 && (n.map[q - 1] ?? 0) >= stable) q--;
    return { q, stable };
  };

  /** Where the pending partial match (or the normalizer's look-ahead) starts, in original offsets. */
  const pendingHold = (n: NormalizedText, from: number, q: number, stable: number): number => {
    const pend = pendingStart(n.codes, q, index);
    return pend < q ? from + (n.map[pend] ?? 0) : from + stable;
  };

  /**
   * Fast path for a long clause: every hit that matters starts at or after `released` (unsettled hits and
   * pending matches are never released), so when a short window before `released` shows no such hit, only the
   * pending part needs holding and the clause context is not needed.
   */
  const shortStep = (clauseStart: number): ScanStep | undefined => {
    let from = released - SHORT_BACK;
    if (from <= clauseStart) return undefined;
    const limit = Math.max(clauseStart, from - 32);
    while (from > limit && !/\s/.test(win.charAt(from - 1 - base))) from--;
    const view = win.slice(from - base);
    const n = normalizeTextScratch(view);
    for (const h of engine.matcher.scan(n)) {
      if (groupSet.has(h.group) && from + (n.map[h.start] ?? 0) >= released) return undefined;
    }
    const { q, stable } = judged(n, view, from);
    return { release: releaseTo(pendingHold(n, from, q, stable)), findings: [] };
  };

  const step = (): ScanStep => {
    const upTo = Math.min(released, total - 1);
    for (; clauseScanned < upTo; clauseScanned++)
      if (isClauseBreak(win, clauseScanned - base)) clauseFrom = clauseScanned + 1;
    const from = base + capWindow(win, Math.max(clauseFrom, base) - base, released - base);
    const quick = shortStep(from);
    if (quick !== undefined) return quick;
    const view = win.slice(from - base);
    // Scratch buffers: valid until the next normalization, and nothing here keeps `n` beyond this step.
    const n = normalizeTextScratch(view);
    const { q, stable } = judged(n, view, from);
    let hold = pendingHold(n, from, q, stable);
    // Hits settle once their clause has ended inside the judged text (or it ran on too long).
    let lastBoundary = -1;
    for (let k = q - 1; k >= 0; k--) {
      if (n.codes[k] === BOUNDARY) {
        lastBoundary = k;
        break;
      }
    }
    let settleLimit = lastBoundary >= 0 ? (n.map[lastBoundary] ?? 0) : -1;
    // Sentence-scoped hits (a data request split by a comma) settle only once their sentence has ended.
    let sentenceLimit = -1;
    for (let k = lastBoundary; k >= 0; k--) {
      if (isSentenceStop(n, k)) {
        sentenceLimit = n.map[k] ?? 0;
        break;
      }
    }
    if (q > SETTLE_CAP) {
      settleLimit = Math.max(settleLimit, n.map[q - SETTLE_CAP] ?? 0);
      sentenceLimit = Math.max(sentenceLimit, n.map[q - SETTLE_CAP] ?? 0);
    }
    // Hits before `released` were judged by an earlier step (an unsettled hit holds the release at its start),
    // so only the rest are judged again: each step costs the window and its new hits, not every hit so far.
    const groups = groupSet;
    const hits = engine.matcher
      .scan(n)
      .filter((h) => groups.has(h.group) && from + (n.map[h.start] ?? 0) >= released);
    for (const h of hits) {
      const end = n.map[h.end] ?? view.length;
      const limit = engine.sentenceScoped(h) ? sentenceLimit : settleLimit;
      if (end > limit || h.end > q || judgedOnWholeReply(h)) {
        hold = Math.min(hold, from + (n.map[h.start] ?? 0));
      }
    }
    const fresh: Finding[] = [];
    let blockAt = Number.POSITIVE_INFINITY;
    if (hits.length > 0) {
      for (const raw of detectWindow(view, n, hits)) {
        if (WHOLE_REPLY_RULES.has(raw.rule) || raw.span[1] > settleLimit) continue;
        const f: Finding = from === 0 ? raw : { ...raw, span: [raw.span[0] + from, raw.span[1] + from] };
        report(f, fresh);
        if (f.status === 'ok' && f.tier > 0) blockAt = Math.min(blockAt, f.span[0]);
      }
    }
    if (blockAt !== Number.POSITIVE_INFINITY) {
      blocked = true;
      hold = Math.min(hold, Math.max(released, blockAt));
    }
    return { release: releaseTo(hold), findings: fresh };
  };

  return {
    push(chunk: string): ScanStep {
      if (ended) throw new CgError('internal', 'output scanner already ended');
      chunks.push(chunk);
      total += chunk.length;
      if (blocked || chunk === '') return { release: '', findings: [] };
      win += chunk;
      if (total < nextStepAt) return { release: '', findings: [] };
      const result = step();
      // Keep only what later steps can read: the look-back before `released` and the unscanned clause start.
      const keepFrom = Math.min(clauseScanned - 1, released - WINDOW_BACK - SHORT_BACK);
      if (keepFrom - base > 1024) {
        win = win.slice(keepFrom - base);
        base = keepFrom;
      }
      // A step costs the held text; while much is held (a long unbroken run that may still grow into a match),
      // the next step waits until the text has grown by half of it, so the total stays linear.
      const held = total - released;
      nextStepAt = held > LAZY_HOLD ? total + (held >> 1) : 0;
      return result;
    },
    end(): ScanStep {
      if (ended) return { release: '', findings: [] };
      ended = true;
      const fresh: Finding[] = [];
      const reply = chunks.join('');
      win = reply;
      base = 0;
      let blockAt = blocked ? released : total;
      for (const f of engine.run(reply, ctx)) {
        report(f, fresh);
        if (f.status === 'ok' && f.tier > 0) blockAt = Math.min(blockAt, Math.max(released, f.span[0]));
      }
      return { release: releaseTo(blockAt), findings: fresh };
    },
  };
}
