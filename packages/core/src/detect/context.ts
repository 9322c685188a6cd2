/**
 * Shared pieces of the detectors: the detector contract, finding construction and context rules
 * (sentence windows, negation, fiction / quoting, third-person subjects, informational questions).
 * All windows work on the normalized text, where sentence punctuation is the boundary `。`.
 */
import type { DetectorName, EvasionRoute, Finding, TextSide } from '../types.js';
import type { MatchHit } from './matcher.js';
import { type NormalizedText, normalizedPattern, originalSpan, routeNames } from './normalize.js';

/** What a caller tells the detectors about the text. */
export interface DetectContext {
  /** Which side of the conversation the text comes from; picks the default detector set. */
  readonly side: TextSide;
  /** Extra exit keywords from the policy profile (e.g. `退出`, `结束对话`, `bye for now`). */
  readonly exitKeywords?: readonly string[];
  /** Run only these detectors (default: the registry's set for `side`). */
  readonly detectors?: readonly DetectorName[];
  /** Output side: the user asked to leave in the turn being answered (EXIT-3: ignoring an exit). */
  readonly exitRequested?: boolean;
  /**
   * Input side: the longest text scanned whole (default `DEFAULT_MAX_SCAN_CHARS`). A longer one is scanned
   * in its first and last `maxScanChars / 2` characters and gets a `<detector>.scan-truncated` finding.
   */
  readonly maxScanChars?: number;
}

/** Default `DetectContext.maxScanChars`. */
export const DEFAULT_MAX_SCAN_CHARS = 8192;

/** What one detector receives: the text, its normalized view and the matcher hits of its own lexicon group. */
export interface DetectorInput {
  readonly text: string;
  readonly normalized: NormalizedText;
  readonly hits: readonly MatchHit[];
  readonly ctx: DetectContext;
}

/** A detector: a pure function from input to findings. */
export type Detector = (input: DetectorInput) => Finding[];

/** Builds a finding from a normalized range. */
export function findingAt(
  n: NormalizedText,
  detector: DetectorName,
  rule: string,
  category: string,
  tier: 0 | 1 | 2,
  start: number,
  end: number,
  confidence: number,
  routes: number,
): Finding {
  const evasion: EvasionRoute[] = routeNames(routes);
  return {
    detector,
    rule,
    category,
    tier,
    span: originalSpan(n, start, end),
    confidence: Math.max(0, Math.min(1, confidence)),
    evasion,
    status: 'ok',
  };
}

/** Builds a finding from a matcher hit with the entry's category and tier. */
export function findingFromHit(
  n: NormalizedText,
  detector: DetectorName,
  hit: MatchHit,
  overrides: { rule?: string; category?: string; tier?: 0 | 1 | 2; confidence?: number } = {},
): Finding {
  const category = overrides.category ?? hit.entry.category;
  return findingAt(
    n,
    detector,
    overrides.rule ?? `${detector}.${category}`,
    category,
    overrides.tier ?? hit.entry.tier,
    hit.start,
    hit.end,
    overrides.confidence ?? hit.entry.confidence * routePenalty(hit.routes),
    hit.routes,
  );
}

/** Confidence factor for evasion: initials are weak evidence, other routes barely change it. */
function routePenalty(routes: number): number {
  if (routes & 256) return 0.6; // pinyin initials
  if (routes & 512) return 0.8; // homophone
  return 1;
}

const BOUNDARY = 0x3002;
/**
 * How far (normalized characters) a context rule reads on each side of a hit for its sentence. A sentence with
 * no punctuation can be as long as the message; without this bound every hit would read all of it and the
 * cost of a message would grow with the square of its length.
 */
const SENTENCE_REACH = 200;

/** Per-text lookups built once per text, so each hit costs a binary search instead of a walk. */
interface TextIndex {
  /** Normalized offsets of the sentence boundaries, ascending. */
  readonly boundaries: Int32Array;
  /** Matches `[start, end, …]` of cue expressions over the whole normalized text, by expression. */
  readonly cues: Map<RegExp, Int32Array>;
}

const textIndexes = new WeakMap<NormalizedText, TextIndex>();

function textIndexOf(n: NormalizedText): TextIndex {
  let index = textIndexes.get(n);
  if (index === undefined) {
    const codes = n.codes;
    let count = 0;
    for (let k = 0; k < codes.length; k++) if (codes[k] === BOUNDARY) count++;
    const boundaries = new Int32Array(count);
    for (let k = 0, b = 0; k < codes.length; k++) if (codes[k] === BOUNDARY) boundaries[b++] = k;
    index = { boundaries, cues: new Map() };
    textIndexes.set(n, index);
  }
  return index;
}

/** First index of sorted `values` whose value is at least `x`. */
function lowerBound(values: Int32Array, x: number, stride = 1): number {
  let lo = 0;
  let hi = values.length / stride;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid * stride] ?? 0) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Normalized [start, end) of the sentence containing [from, to), at most `SENTENCE_REACH` on each side. */
export function sentenceOf(n: NormalizedText, from: number, to: number): [number, number] {
  const { boundaries } = textIndexOf(n);
  const after = lowerBound(boundaries, to);
  const e = after < boundaries.length ? (boundaries[after] ?? 0) : n.codes.length;
  const before = lowerBound(boundaries, from) - 1;
  const s = before >= 0 ? (boundaries[before] ?? 0) + 1 : 0;
  return [Math.max(s, from - SENTENCE_REACH), Math.min(e, to + SENTENCE_REACH)];
}

/**
 * Does a match of `re` (a global expression) lie inside normalized [s, e)? The matches over the whole text
 * are found once per text and expression; for cue words (no look-around) this is the same as testing the
 * slice.
 */
function hasCue(n: NormalizedText, re: RegExp, s: number, e: number): boolean {
  const index = textIndexOf(n);
  let matches = index.cues.get(re);
  if (matches === undefined) {
    const found: number[] = [];
    for (const m of n.text.matchAll(re)) found.push(m.index, m.index + m[0].length);
    matches = Int32Array.from(found);
    index.cues.set(re, matches);
  }
  // Matches do not overlap, so the first one starting at or after `s` also ends first.
  const k = lowerBound(matches, s, 2);
  return k < matches.length / 2 && (matches[2 * k + 1] ?? 0) <= e;
}

/** The global form of a cue expression (for `hasCue`). */
function globalCue(re: RegExp): RegExp {
  return new RegExp(re.source, `${re.flags.replace('g', '')}g`);
}

const SENTENCE_STOP = /[.!?\n。！？…]/;

/**
 * Is normalized index `k` a boundary that ends a sentence (`。！？`, a newline, `. ! ?` or `…`), rather than
 * only a clause (`，、：；`, a comma)? Decided from the separator run in the original text.
 */
export function isSentenceStop(n: NormalizedText, k: number): boolean {
  if (n.codes[k] !== BOUNDARY) return false;
  const from = n.map[k] ?? 0;
  const to = k + 1 < n.codes.length ? (n.map[k + 1] ?? from + 1) : n.original.length;
  return SENTENCE_STOP.test(n.original.slice(from, Math.max(from + 1, to)));
}

/** Normalized [start, end) of the whole sentence containing [from, to): across clause commas, to `。！？`. */
export function wholeSentenceOf(n: NormalizedText, from: number, to: number): [number, number] {
  let s = from;
  while (s > 0 && !isSentenceStop(n, s - 1)) s--;
  let e = to;
  while (e < n.codes.length && !isSentenceStop(n, e)) e++;
  return [s, e];
}

/** Up to `max` normalized characters before `start`, within the sentence. */
export function textBefore(n: NormalizedText, start: number, max: number): string {
  let s = start;
  while (s > 0 && start - s < max && n.codes[s - 1] !== BOUNDARY) s--;
  return n.text.slice(s, start);
}

/** Up to `max` normalized characters after `end`, within the sentence. */
export function textAfter(n: NormalizedText, end: number, max: number): string {
  let e = end;
  while (e < n.codes.length && e - end < max && n.codes[e] !== BOUNDARY) e++;
  return n.text.slice(end, e);
}

/** True if the hit's term is Latin script. */
export function isLatinHit(hit: MatchHit): boolean {
  return hit.entry.lang === 'en' || /^[a-z0-9 ]/i.test(hit.entry.term);
}

const NEG_ZH = normalizedPattern(
  /(?:(?:没有|没|不是|并不|不会|从没|从来没|从未|不再|别|不要|不用|无需|未曾|不想|不至于|绝不|才不|哪有)[^。]{0,2}|不)$/,
);
/** Question forms that contain a negator but do not negate: 是不是, 有没有, 会不会… */
const NOT_NEG_ZH = /(是不是|有没有|会不会|能不能|要不要|可不可以|想不想|不知道)/g;
const NEG_EN = normalizedPattern(
  /\b(not|never|dont|didnt|doesnt|wont|wouldnt|isnt|arent|wasnt|no longer|nobody|cant|couldnt|shouldnt)( [a-z]+){0,2} ?$/,
);

/** Is the hit negated by a cue shortly before it (same sentence)? Terms flagged `neg` never are. */
export function isNegated(n: NormalizedText, hit: MatchHit): boolean {
  if (hit.entry.neg) return false;
  if (isLatinHit(hit)) return NEG_EN.test(textBefore(n, hit.start, 28));
  return NEG_ZH.test(textBefore(n, hit.start, 8).replace(NOT_NEG_ZH, '，'));
}

const FICTION_ZH = normalizedPattern(
  /(小说|电影|电视剧|剧情|剧里|故事|角色|游戏|歌词|动漫|漫画|剧本|主角|反派|新闻|台词|书里|写作)/,
);
const FICTION_EN = normalizedPattern(
  /\b(novel|movie|film|story|stories|character|characters|game|games|song|lyrics|book|show|episode|fiction|fictional|scene|plot|anime|poem|villain|protagonist|roleplay|essay)\b/,
);

const FICTION_ZH_G = globalCue(FICTION_ZH);
const FICTION_EN_G = globalCue(FICTION_EN);

/** Does the sentence around the hit talk about fiction (novel, film, game, lyrics…)? */
export function isFiction(n: NormalizedText, hit: MatchHit): boolean {
  const [s, e] = sentenceOf(n, hit.start, hit.end);
  return hasCue(n, FICTION_ZH_G, s, e) || hasCue(n, FICTION_EN_G, s, e);
}

const NARRATIVE = normalizedPattern(
  /(小说|电影|电视剧|剧里|故事|书里|歌词|台词|动漫|漫画|新闻|\b(?:novel|movie|film|story|book|song|lyrics|show|episode|fiction|anime|news)\b)/,
);

const NARRATIVE_G = globalCue(NARRATIVE);

/**
 * Does the sentence around the hit tell of a book, film, song or the news? Narrower than `isFiction`: games
 * and role-play are left out, since the companion itself plays those.
 */
export function isNarrative(n: NormalizedText, hit: MatchHit): boolean {
  const [s, e] = sentenceOf(n, hit.start, hit.end);
  return hasCue(n, NARRATIVE_G, s, e);
}

/** Per original offset: 1 when an opening quote before it on the same line is not yet closed. */
const quoteStates = new WeakMap<NormalizedText, Uint8Array>();

function quoteStateOf(n: NormalizedText): Uint8Array {
  let state = quoteStates.get(n);
  if (state !== undefined) return state;
  const s = n.original;
  state = new Uint8Array(s.length + 1);
  let straight = 0;
  let open = 0;
  for (let i = 0; i < s.length; i++) {
    state[i] = straight % 2 === 1 || open > 0 ? 1 : 0;
    const ch = s.charCodeAt(i);
    if (ch === 0x0a) {
      straight = 0;
      open = 0;
    } else if (ch === 0x22) straight++;
    else if (ch === 0x201c || ch === 0x300c || ch === 0x300e) open++;
    else if (ch === 0x201d || ch === 0x300d || ch === 0x300f) open--;
  }
  state[s.length] = straight % 2 === 1 || open > 0 ? 1 : 0;
  quoteStates.set(n, state);
  return state;
}

/**
 * Is the hit inside a quotation (an opening quote before it on the same line, not yet closed)? The quote state
 * of the whole text is computed once per text, so each hit costs one read.
 */
export function isQuoted(n: NormalizedText, hit: MatchHit): boolean {
  const [spanStart] = originalSpan(n, hit.start, hit.end);
  return quoteStateOf(n)[spanStart] === 1;
}

const THIRD_ZH = normalizedPattern(
  /(朋友|同学|室友|闺蜜|舍友|男友|女友|老公|老婆|妈妈|爸爸|我妈|我爸|母亲|父亲|妹妹|弟弟|哥哥|姐姐|孩子|儿子|女儿|同事|学生|来访者|他|她|有人|网友|别人)([^我。]{0,8})$/,
);
const THIRD_EN = normalizedPattern(
  /\b(my (best )?(friend|friends|brother|sister|mom|mother|dad|father|son|daughter|wife|husband|boyfriend|girlfriend|partner|roommate|classmate|cousin|kid|child|student|coworker)|a friend|he|she|hes|shes|someone|somebody|a classmate)\b((?! (i|me|my|im|ive|myself)\b)[a-z ]){0,40}$/,
);

/** Is the subject right before the hit a third person (a friend, he, she…), with no first person in between? */
export function isThirdPerson(n: NormalizedText, hit: MatchHit): boolean {
  if (isLatinHit(hit) && /\b(my|myself|i|im)\b/.test(hit.entry.term.toLowerCase())) return false;
  return isThirdPersonAt(n, hit.start, isLatinHit(hit));
}

/** `isThirdPerson` for a rule's match starting at normalized `start` (Latin or Han context). */
export function isThirdPersonAt(n: NormalizedText, start: number, latin: boolean): boolean {
  return latin ? THIRD_EN.test(textBefore(n, start, 48)) : THIRD_ZH.test(textBefore(n, start, 12));
}

const INFO_EN = normalizedPattern(
  /^ ?(what|whats|why|how many|how common|how often|when|where|who|which|is it true|are there|can you explain|explain|define|tell me about|describe|list|statistics)\b/,
);
const FIRST_PERSON_EN = normalizedPattern(/\b(i|me|my|myself|im|ive|id|ill|mine)\b/);
const INFO_ZH = normalizedPattern(/^(什么是|何为|请解释|解释一下|.{0,8}的定义|.{0,8}的历史)/);

/** Is the sentence an impersonal, informational question ("What is suicide?") rather than a disclosure? */
export function isInformational(n: NormalizedText, hit: MatchHit): boolean {
  const [s, e] = sentenceOf(n, hit.start, hit.end);
  const sentence = n.text.slice(s, e);
  if (isLatinHit(hit)) return INFO_EN.test(sentence) && !FIRST_PERSON_EN.test(sentence);
  return INFO_ZH.test(sentence) && !sentence.includes('我');
}

/**
 * Removes findings whose span lies inside another finding of the same detector with at least the same tier
 * (of two equal spans the earlier one stays). One sort and one sweep: O(f log f) for f findings.
 */
export function dropContained(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  // Start ascending, end descending, then original order: every finding that can contain one comes before it.
  const order = findings.map((_, i) => i);
  order.sort((a, b) => {
    const fa = findings[a] as Finding;
    const fb = findings[b] as Finding;
    return fa.span[0] - fb.span[0] || fb.span[1] - fa.span[1] || a - b;
  });
  // Largest end seen so far per tier (0, 1, 2).
  const maxEnd = [-1, -1, -1];
  const keep = new Uint8Array(findings.length);
  for (const i of order) {
    const f = findings[i] as Finding;
    let covered = false;
    for (let t = f.tier; t <= 2 && !covered; t++) covered = (maxEnd[t] ?? -1) >= f.span[1];
    if (!covered) keep[i] = 1;
    if (f.span[1] > (maxEnd[f.tier] ?? -1)) maxEnd[f.tier] = f.span[1];
  }
  return findings.filter((_, i) => keep[i] === 1);
}
