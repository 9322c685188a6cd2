/**
 * The multi-pattern matcher: lexicon entries compiled into one Aho-Corasick automaton over normalized text,
 * plus a second automaton over pinyin syllables for homophones of `py` terms. Handles whole-word matching
 * for Latin script, gapped terms (`A…B`), allow-list phrases, and maps every hit back to the original text.
 */
import { type AhoCorasick, buildAhoCorasick, step } from './aho-corasick.js';
import { type LexiconEntry, termParts } from './lexicon.js';
import {
  isWordUnit,
  type NormalizedText,
  normalizeAndScanInto,
  normalizeTerm,
  normalizeText,
  originalSpan,
  originalSpanOf,
  prepareFusedScan,
  R_HOMOPHONE,
  R_INITIALS,
  R_PINYIN,
  routesIn,
  scanCandidateCount,
  scanCandidates,
  scratchCodes,
  scratchMap,
  scratchRoutes,
  scratchView,
} from './normalize.js';
import { initialsOf, pinyinOf, SYLLABLE_COUNT, SYLLABLE_OF, syllableIds } from './pinyin.js';

/** A lexicon entry with the group (detector) it belongs to. */
export interface MatcherEntry {
  readonly group: string;
  readonly entry: LexiconEntry;
}

/** One hit of an entry, in normalized offsets, before context rules. */
export interface MatchHit {
  /** Index into `Matcher.entries`. */
  readonly index: number;
  readonly group: string;
  readonly entry: LexiconEntry;
  /** Normalized [start, end). */
  readonly start: number;
  readonly end: number;
  /** Evasion route bits (see `normalize.ts`). */
  readonly routes: number;
}

/** A hit in original offsets, from `Matcher.findAll`. */
export interface FoundTerm {
  readonly group: string;
  readonly entry: LexiconEntry;
  /** Original UTF-16 [start, end). */
  readonly span: readonly [number, number];
  readonly routes: number;
}

interface InternalPattern {
  readonly entry: number;
  readonly part: number;
  readonly route: number;
  readonly length: number;
  readonly wordStart: boolean;
  readonly wordEnd: boolean;
}

/** A compiled matcher. */
export interface Matcher {
  readonly entries: readonly MatcherEntry[];
  /** The longest span, in normalized characters, any hit (including gapped and allow hits) can cover. */
  readonly maxPatternLength: number;
  /** The same, per group. */
  readonly maxLengthByGroup: ReadonlyMap<string, number>;
  /** Scans normalized text; hits are sorted by start, then end. */
  scan(n: NormalizedText): MatchHit[];
  /** Normalizes then scans. */
  match(text: string): { normalized: NormalizedText; hits: MatchHit[] };
  /**
   * Normalizes into scratch buffers, scans, and returns hits with original UTF-16 spans only — the fast path
   * for filtering text against a list (no normalized copy is kept).
   */
  findAll(text: string): FoundTerm[];
}

/** Options of `compileMatcher`. */
export interface MatcherOptions {
  /** Match homophones of `py` terms through the pinyin automaton (default true). */
  readonly homophones?: boolean;
}

const HAN_RE = /^[\u3400-\u9fff]+$/;
const LATIN_WORD_RE = /[a-z0-9]/;
const DEFAULT_GAP_HAN = 4;
const DEFAULT_GAP_LATIN = 16;
/** Virtual symbol fed to the automaton at the start of every Latin word (never occurs in normalized text). */
export const WORD_MARK = 0xffff;

/** Compiles entries into a matcher. */
export function compileMatcher(entries: readonly MatcherEntry[], options: MatcherOptions = {}): Matcher {
  const homophones = options.homophones ?? true;
  const textPatterns: Uint16Array[] = [];
  const textMeta: InternalPattern[] = [];
  const pyPatterns: number[][] = [];
  const pyMeta: InternalPattern[] = [];
  const partCount = new Int32Array(entries.length);
  const gapOf = new Int32Array(entries.length);
  const directTerm: (string | undefined)[] = [];
  let maxLen = 1;
  const byGroup = new Map<string, number>();
  const noteLength = (i: number, len: number) => {
    const g = (entries[i] as MatcherEntry).group;
    if (len > (byGroup.get(g) ?? 0)) byGroup.set(g, len);
    if (len > maxLen) maxLen = len;
  };

  const addText = (
    norm: string,
    meta: Omit<InternalPattern, 'length' | 'wordStart' | 'wordEnd'>,
    e: LexiconEntry,
    shareAs?: number[],
  ) => {
    if (norm === '') return;
    const first = norm.charAt(0);
    const last = norm.charAt(norm.length - 1);
    const wordStart = !e.sub && LATIN_WORD_RE.test(first);
    // The automaton sees a word-start mark before every Latin word of the text; patterns carry the same marks
    // (a substring pattern, `sub`, has none before its first word).
    const codes: number[] = [];
    for (let k = 0; k < norm.length; k++) {
      const u = norm.charCodeAt(k);
      if (isWordUnit(u) && (k === 0 ? wordStart : !isWordUnit(norm.charCodeAt(k - 1)))) codes.push(WORD_MARK);
      codes.push(u);
    }
    const wordEnd = !e.sub && !e.prefix && LATIN_WORD_RE.test(last);
    noteLength(meta.entry, norm.length);
    if (shareAs !== undefined) {
      // A part of a gapped term: one pattern per distinct spelling, shared by every term with that part (many
      // terms start with the same word, 想…死 / 想…自杀), so a text full of it yields one part hit per place.
      const key = `${wordStart ? 1 : 0}${wordEnd ? 1 : 0}${norm}`;
      const shared = sharedParts.get(key);
      if (shared !== undefined) {
        shareAs.push(shared);
        return;
      }
      sharedParts.set(key, textPatterns.length);
      shareAs.push(textPatterns.length);
    }
    textPatterns.push(Uint16Array.from(codes));
    textMeta.push({ ...meta, length: norm.length, wordStart, wordEnd });
  };
  /** Shared part patterns by spelling and word flags; the pattern ids of each part of each gapped term. */
  const sharedParts = new Map<string, number>();
  const partPids: number[][][] = [];

  for (let i = 0; i < entries.length; i++) {
    const e = (entries[i] as MatcherEntry).entry;
    const parts = termParts(e.term).map(normalizeTerm);
    partCount[i] = parts.length;
    const isHanTerm = parts.every((p) => HAN_RE.test(p));
    const gap = e.gap >= 0 ? e.gap : isHanTerm ? DEFAULT_GAP_HAN : DEFAULT_GAP_LATIN;
    gapOf[i] = gap;
    let span = 0;
    const pids: number[][] = [];
    for (let p = 0; p < parts.length; p++) {
      const norm = parts[p] ?? '';
      span += norm.length;
      const share = parts.length > 1 ? [] : undefined;
      addText(norm, { entry: i, part: p, route: 0 }, e, share);
      // Latin multi-word terms also match with the spaces squeezed out ("killmyself").
      if (norm.includes(' ') && /^[a-z0-9 ]+$/.test(norm)) {
        addText(norm.replace(/ /g, ''), { entry: i, part: p, route: 0 }, e, share);
      }
      if (share !== undefined) pids.push(share);
    }
    if (parts.length > 1) partPids[i] = pids;
    if (parts.length > 1) span += gap * (parts.length - 1);
    noteLength(i, span);
    directTerm.push(parts.length === 1 ? parts[0] : undefined);
    const only = parts[0];
    if (e.pinyin && parts.length === 1 && only !== undefined && HAN_RE.test(only)) {
      const py = pinyinOf(only);
      const ini = initialsOf(only);
      const latin: LexiconEntry = { ...e, sub: false, prefix: false };
      if (py !== undefined) {
        addText(py, { entry: i, part: 0, route: R_PINYIN }, latin);
        if (only.length >= 2) {
          const spaced = (syllableIds(only) ?? []).length > 1 ? pinyinSpaced(only) : undefined;
          if (spaced !== undefined) addText(spaced, { entry: i, part: 0, route: R_PINYIN }, latin);
        }
        // Mixed spellings, some characters written in pinyin: 自sha, zi杀 (terms of 2-4 characters).
        if (only.length >= 2 && only.length <= 4) {
          const syllables = [...only].map((ch) => pinyinOf(ch));
          for (let mask = 1; mask < (1 << only.length) - 1; mask++) {
            let mixed = '';
            let ok = true;
            for (let k = 0; k < only.length; k++) {
              const sy = syllables[k];
              if (mask & (1 << k)) {
                if (sy === undefined) ok = false;
                else mixed += sy;
              } else mixed += only.charAt(k);
            }
            if (ok) addText(mixed, { entry: i, part: 0, route: R_PINYIN }, latin);
          }
        }
      }
      if (ini !== undefined && only.length >= 2)
        addText(ini, { entry: i, part: 0, route: R_INITIALS }, latin);
      const ids = syllableIds(only);
      if (homophones && ids !== undefined && ids.length >= 2) {
        pyPatterns.push(ids);
        pyMeta.push({
          entry: i,
          part: 0,
          route: R_HOMOPHONE,
          length: ids.length,
          wordStart: false,
          wordEnd: false,
        });
      }
    }
  }

  const textAc = buildAhoCorasick(textPatterns, 65536);
  prepareFusedScan(textAc);
  const pyAc: AhoCorasick | undefined =
    pyPatterns.length > 0 ? buildAhoCorasick(pyPatterns, SYLLABLE_COUNT) : undefined;
  const hasGapped = partCount.some((c) => c > 1);
  const hasAllow = entries.some((e) => e.entry.allow);

  /** Pushes the outputs of dictionary chain starting at node `o`, ending at normalized `end`, into `raw`. */
  // Pattern length and word-boundary flags as typed arrays (the hot part of collecting outputs).
  const patLength = new Int32Array(textMeta.length);
  const patFlags = new Uint8Array(textMeta.length);
  // Group and entry per pattern, so a hit copies two references without visiting the pattern's objects.
  const patGroup: string[] = [];
  const patEntry: LexiconEntry[] = [];
  for (let p = 0; p < textMeta.length; p++) {
    const meta = textMeta[p] as InternalPattern;
    patLength[p] = meta.length;
    patFlags[p] = (meta.wordStart ? 1 : 0) | (meta.wordEnd ? 2 : 0);
    const me = entries[meta.entry] as MatcherEntry;
    patGroup.push(me.group);
    patEntry.push(me.entry);
  }

  /** Pushes the outputs of dictionary chain starting at node `o0`, ending at normalized `end`, into `raw`. */
  const collect = (codes: Uint16Array, o0: number, end: number, raw: number[]) => {
    const { dictNext, outStart, outIds } = textAc;
    const len = codes.length;
    const after = end < len ? (codes[end] ?? 0) : 0;
    const endOk = !isWordUnit(after);
    let o = o0;
    while (o !== 0) {
      const from = outStart[o] ?? 0;
      const to = outStart[o + 1] ?? 0;
      for (let k = from; k < to; k++) {
        const pid = outIds[k] ?? 0;
        const flags = patFlags[pid] ?? 0;
        if (flags & 2 && !endOk) continue;
        const start = end - (patLength[pid] ?? 0);
        if (flags & 1 && start > 0 && isWordUnit(codes[start - 1] ?? 0)) continue;
        raw.push(pid, start, end, 0);
      }
      o = dictNext[o] ?? 0;
    }
  };

  const scan = (n: NormalizedText): MatchHit[] => {
    const codes = n.codes;
    const len = codes.length;
    // Raw hits as parallel arrays: internal pattern index, end offset, source (0 text, 1 pinyin).
    const raw: number[] = [];
    let state = 0;
    const { outNode, rootNext, base, check, next, fail, symOf } = textAc;
    const markSym = symOf[WORD_MARK] ?? 0;
    for (let i = 0; i < len; i++) {
      const unit = codes[i] ?? 0;
      if (markSym !== 0 && isWordUnit(unit) && (i === 0 || !isWordUnit(codes[i - 1] ?? 0))) {
        state = step(textAc, state, WORD_MARK);
      }
      // Inlined `step`: follow failure links until an edge on `c` exists.
      const c = symOf[unit] ?? 0;
      if (c === 0) {
        state = 0;
        continue;
      }
      let s = state;
      let to = -1;
      while (s !== 0) {
        const pos = (base[s] ?? 0) + c;
        if (check[pos] === s) {
          to = next[pos] ?? 0;
          break;
        }
        s = fail[s] ?? 0;
      }
      state = to >= 0 ? to : (rootNext[c] ?? 0);
      const o = outNode[state] ?? 0;
      if (o !== 0) collect(codes, o, i + 1, raw);
    }
    return finish(n, raw);
  };

  /** Pinyin pass, gapped terms, dedupe and allow-list over the raw text hits. */
  const finish = (n: NormalizedText, raw: number[]): MatchHit[] => {
    const codes = n.codes;
    const len = codes.length;
    if (pyAc !== undefined) {
      let ps = 0;
      for (let i = 0; i < len; i++) {
        const sym = SYLLABLE_OF[codes[i] ?? 0] ?? 0;
        if (sym === 0) {
          ps = 0;
          continue;
        }
        ps = step(pyAc, ps, sym);
        let o = pyAc.outNode[ps] ?? 0;
        while (o !== 0) {
          const from = pyAc.outStart[o] ?? 0;
          const to = pyAc.outStart[o + 1] ?? 0;
          for (let k = from; k < to; k++) {
            const pid = pyAc.outIds[k] ?? 0;
            const meta = pyMeta[pid] as InternalPattern;
            const end = i + 1;
            const start = end - meta.length;
            // Same characters as the term: the direct pattern already found it.
            if (sameCodes(codes, start, end, directTerm[meta.entry])) continue;
            raw.push(pid, start, end, 1);
          }
          o = pyAc.dictNext[o] ?? 0;
        }
      }
    }
    if (raw.length === 0) return [];
    const hits: MatchHit[] = [];
    let partHits: Map<number, number[]> | undefined;
    for (let r = 0; r < raw.length; r += 4) {
      const pid = raw[r] ?? 0;
      const start = raw[r + 1] ?? 0;
      const end = raw[r + 2] ?? 0;
      const meta = (raw[r + 3] === 1 ? pyMeta[pid] : textMeta[pid]) as InternalPattern;
      const parts = partCount[meta.entry] ?? 1;
      if (parts > 1) {
        partHits ??= new Map();
        const list = partHits.get(pid);
        if (list === undefined) partHits.set(pid, [start, end]);
        else list.push(start, end);
        continue;
      }
      const me = entries[meta.entry] as MatcherEntry;
      hits.push({
        index: meta.entry,
        group: me.group,
        entry: me.entry,
        start,
        end,
        routes: routesIn(n, start, end) | meta.route,
      });
    }
    if (hasGapped && partHits !== undefined) combineGapped(n, partHits, hits);
    const sorted = hits.sort((a, b) => a.start - b.start || a.end - b.end);
    const deduped = dedupe(sorted);
    return hasAllow ? applyAllowList(deduped, maxLen) : deduped;
  };

  /** Gapped terms by the pattern ids of their first part: only terms whose first part was seen are tried. */
  const gappedByFirstPid = new Map<number, number[]>();
  for (let i = 0; i < entries.length; i++) {
    if ((partCount[i] ?? 1) <= 1) continue;
    for (const pid of partPids[i]?.[0] ?? []) {
      const list = gappedByFirstPid.get(pid);
      if (list === undefined) gappedByFirstPid.set(pid, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  }

  /** Part hits (by shared pattern id, in end order) combined into the hits of gapped terms. */
  const combineGapped = (n: NormalizedText, partHits: Map<number, number[]>, hits: MatchHit[]) => {
    const candidates: number[] = [];
    for (const pid of partHits.keys()) {
      const list = gappedByFirstPid.get(pid);
      if (list !== undefined) for (const i of list) candidates.push(i);
    }
    // In term order, each once, as when every gapped term was tried.
    candidates.sort((a, b) => a - b);
    for (let c = 0; c < candidates.length; c++) {
      const entryIndex = candidates[c] ?? 0;
      if (c > 0 && candidates[c - 1] === entryIndex) continue;
      const parts = partPids[entryIndex] ?? [];
      // Hit lists per part (one per spelling); a term with a part never seen is skipped at once.
      const lists: number[][][] = [];
      for (const pids of parts) {
        const found: number[][] = [];
        for (const pid of pids) {
          const list = partHits.get(pid);
          if (list !== undefined) found.push(list);
        }
        if (found.length === 0) break;
        lists.push(found);
      }
      if (lists.length < parts.length) continue;
      const gap = gapOf[entryIndex] ?? 0;
      for (const first of lists[0] ?? []) {
        for (let a = 0; a < first.length; a += 2) {
          const start = first[a] ?? 0;
          let end = first[a + 1] ?? 0;
          let ok = true;
          for (let p = 1; p < lists.length && ok; p++) {
            // Part hits come in end order, and a part that starts in [end, end + gap] ends by end + gap + the
            // longest pattern: only that slice of each list is read (found by binary search).
            let best = -1;
            const lastEnd = end + gap + maxLen;
            for (const list of lists[p] ?? []) {
              for (
                let b = firstEndAfter(list, end);
                b < list.length && (list[b + 1] ?? 0) <= lastEnd;
                b += 2
              ) {
                const s = list[b] ?? 0;
                const e = list[b + 1] ?? 0;
                if (s >= end && s - end <= gap && !hasBoundary(n, end, s) && (best < 0 || e < best)) best = e;
              }
            }
            if (best < 0) ok = false;
            else end = best;
          }
          if (!ok) continue;
          const me = entries[entryIndex] as MatcherEntry;
          hits.push({
            index: entryIndex,
            group: me.group,
            entry: me.entry,
            start,
            end,
            routes: routesIn(n, start, end),
          });
        }
      }
    }
  };

  return {
    entries,
    maxPatternLength: maxLen,
    maxLengthByGroup: byGroup,
    scan,
    match(text: string) {
      const normalized = normalizeText(text);
      return { normalized, hits: scan(normalized) };
    },
    findAll(text: string): FoundTerm[] {
      const len = normalizeAndScanInto(text, textAc);
      const count = scanCandidateCount;
      if (count === 0 && pyAc === undefined) return [];
      const cands = scanCandidates;
      if (pyAc === undefined && !hasGapped && !hasAllow) {
        // Simple lists: hits come out in end order; no pinyin, gapped or allow-list work to do. Read the scratch
        // buffers directly (no view, no intermediate list).
        const found: FoundTerm[] = [];
        const codes = scratchCodes;
        const map = scratchMap;
        const routes = scratchRoutes;
        const { dictNext, outStart, outIds } = textAc;
        for (let k = 0; k < count; k += 2) {
          const end = cands[k] ?? 0;
          const endOk = end >= len || !isWordUnit(codes[end] ?? 0);
          for (let o = cands[k + 1] ?? 0; o !== 0; o = dictNext[o] ?? 0) {
            const to = outStart[o + 1] ?? 0;
            for (let q = outStart[o] ?? 0; q < to; q++) {
              const pid = outIds[q] ?? 0;
              const flags = patFlags[pid] ?? 0;
              if (flags & 2 && !endOk) continue;
              const start = end - (patLength[pid] ?? 0);
              if (flags & 1 && start > 0 && isWordUnit(codes[start - 1] ?? 0)) continue;
              let mask = 0;
              for (let r = start; r < end; r++) mask |= routes[r] ?? 0;
              found.push({
                group: patGroup[pid] as string,
                entry: patEntry[pid] as LexiconEntry,
                span: originalSpanOf(text, map, len, start, end),
                routes: mask,
              });
            }
          }
        }
        return found;
      }
      const n = scratchView(text, len);
      const raw: number[] = [];
      for (let k = 0; k < count; k += 2) collect(n.codes, cands[k + 1] ?? 0, cands[k] ?? 0, raw);
      const hits = finish(n, raw);
      if (hits.length === 0) return [];
      return hits.map((h) => ({
        group: h.group,
        entry: h.entry,
        span: originalSpan(n, h.start, h.end),
        routes: h.routes,
      }));
    },
  };
}

function sameCodes(codes: Uint16Array, start: number, end: number, term: string | undefined): boolean {
  if (term === undefined || term.length !== end - start) return false;
  for (let k = 0; k < term.length; k++) if (codes[start + k] !== term.charCodeAt(k)) return false;
  return true;
}

function pinyinSpaced(term: string): string | undefined {
  const parts: string[] = [];
  for (const ch of term) {
    const p = pinyinOf(ch);
    if (p === undefined) return undefined;
    parts.push(p);
  }
  return parts.join(' ');
}

/** First index (even) of a `[start, end, …]` list sorted by end whose end is greater than `end`. */
function firstEndAfter(list: readonly number[], end: number): number {
  let lo = 0;
  let hi = list.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[2 * mid + 1] ?? 0) > end) hi = mid;
    else lo = mid + 1;
  }
  return 2 * lo;
}

/** True if normalized range [from, to) contains a sentence boundary. */
function hasBoundary(n: NormalizedText, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (n.codes[k] === 0x3002) return true;
  return false;
}

/** Removes repeated hits of the same entry on the same span (keeps the one with fewer routes). Input is sorted. */
function dedupe(hits: MatchHit[]): MatchHit[] {
  if (hits.length < 2) return hits;
  const out: MatchHit[] = [];
  for (const h of hits) {
    let dup = -1;
    for (let k = out.length - 1; k >= 0; k--) {
      const o = out[k] as MatchHit;
      if (o.start !== h.start || o.end !== h.end) break;
      if (o.index === h.index) {
        dup = k;
        break;
      }
    }
    if (dup < 0) out.push(h);
    else if (bitCount(h.routes) < bitCount((out[dup] as MatchHit).routes)) out[dup] = h;
  }
  return out;
}

function bitCount(x: number): number {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
}

/**
 * Drops non-allow hits covered by an allow hit of the same group (and category, unless `*`); drops allow hits.
 * Hits are sorted by start; an allow hit covering a hit starts at most `maxLen` before it, so each hit reads
 * only the allow hits in that reach (a sliding window), not all of them.
 */
function applyAllowList(hits: MatchHit[], maxLen: number): MatchHit[] {
  const allows = hits.filter((h) => h.entry.allow);
  if (allows.length === 0) return hits;
  let first = 0;
  return hits.filter((h) => {
    if (h.entry.allow) return false;
    while (first < allows.length && (allows[first] as MatchHit).start < h.start - maxLen) first++;
    for (let k = first; k < allows.length; k++) {
      const a = allows[k] as MatchHit;
      if (a.start > h.start) break;
      if (
        a.group === h.group &&
        a.end >= h.end &&
        (a.entry.category === '*' || a.entry.category === h.entry.category)
      ) {
        return false;
      }
    }
    return true;
  });
}
