/**
 * The detection engine: the built-in lexicons (plus a deployment's own) compiled once into one matcher;
 * `run` normalizes and scans a text once and hands each detector the hits of its own lexicon group.
 * A detector that throws becomes one finding with `status: 'error'` (rule `<name>.error`).
 */
import { CgError } from '../errors.js';
import type { DetectorName, Finding } from '../types.js';
import { DEFAULT_MAX_SCAN_CHARS, type DetectContext } from './context.js';
import { type LexiconEntry, parseLexicon } from './lexicon.js';
import { compileMatcher, type Matcher, type MatcherEntry, type MatchHit } from './matcher.js';
import { type NormalizedText, normalizeText } from './normalize.js';
import {
  buildPrefixIndex,
  createStreamingScanner,
  type PrefixIndex,
  type ScannerEngine,
} from './output-scanner.js';
import { DETECTORS, type DetectorSpec } from './registry.js';

/**
 * A deployment lexicon: TSV text (see `lexicon.ts`) or parsed entries, for one detector (default `prohibited`).
 * By default it extends the built-in list; `replaces` names the categories whose built-in entries it
 * replaces (`*`: every category of that detector, the `*` allow phrases too).
 */
export interface ExtraLexicon {
  readonly name: string;
  readonly detector?: DetectorName;
  readonly text?: string;
  readonly entries?: readonly LexiconEntry[];
  readonly replaces?: readonly string[];
}

export interface DetectionEngineOptions {
  readonly extraLexicons?: readonly ExtraLexicon[];
  /** Leave out the built-in lexicon of these detectors (their detectors still run on extra lexicons). */
  readonly withoutBuiltIn?: readonly DetectorName[];
  /** Replace the registry (tests, or a deployment wrapping detectors); default `DETECTORS`. */
  readonly registry?: readonly DetectorSpec[];
}

/** Result of one streaming step. */
export interface ScanStep {
  /** Text that is safe to show now (never contains a character of a finding, nor of a possible match). */
  readonly release: string;
  /** Findings not reported by earlier steps. */
  readonly findings: Finding[];
}

/** A streaming scanner for model output. */
export interface OutputScanner {
  push(chunk: string): ScanStep;
  end(): ScanStep;
}

export interface DetectionEngine {
  /** The full fast pass over one text. */
  run(text: string, ctx: DetectContext): Finding[];
  /**
   * A streaming scanner (see `output-scanner.ts`): releases everything except a pending partial match, the
   * normalizer's look-ahead and lexicon hits whose clause has not ended; stops at the first tier ≥ 1 finding.
   */
  createOutputScanner(ctx: DetectContext): OutputScanner;
  /** Longest span in normalized characters that a finding of any detector can need to be complete. */
  readonly holdBack: number;
  /**
   * The same for the detectors `ctx` selects: an upper bound of a pending partial match (the output scanner
   * holds back only the actual pending part, usually far less).
   */
  holdBackFor(ctx: DetectContext): number;
  readonly matcher: Matcher;
}

function selectDetectors(registry: readonly DetectorSpec[], ctx: DetectContext): readonly DetectorSpec[] {
  if (ctx.detectors !== undefined) {
    const wanted = new Set(ctx.detectors);
    return registry.filter((d) => wanted.has(d.name));
  }
  return registry.filter((d) => d.sides.includes(ctx.side));
}

/** Builds an engine. Throws `CgError('invalid-lexicon')` if a lexicon is invalid. */
export function createDetectionEngine(options: DetectionEngineOptions = {}): DetectionEngine {
  const registry = options.registry ?? DETECTORS;
  const detectorsFor = (ctx: DetectContext) => selectDetectors(registry, ctx);
  const entries: MatcherEntry[] = [];
  const skip = new Set(options.withoutBuiltIn ?? []);
  const replaced = new Map<string, Set<string>>();
  for (const extra of options.extraLexicons ?? []) {
    const group = extra.detector ?? 'prohibited';
    const set = replaced.get(group) ?? new Set<string>();
    for (const category of extra.replaces ?? []) set.add(category);
    replaced.set(group, set);
  }
  for (const spec of registry) {
    if (skip.has(spec.name)) continue;
    const gone = replaced.get(spec.name);
    if (gone?.has('*')) continue;
    for (const entry of parseLexicon(spec.lexicon, spec.name)) {
      if (!gone?.has(entry.category)) entries.push({ group: spec.name, entry });
    }
  }
  for (const extra of options.extraLexicons ?? []) {
    const group = extra.detector ?? 'prohibited';
    if (!registry.some((d) => d.name === group)) {
      throw new CgError('invalid-lexicon', `${extra.name}: unknown detector`);
    }
    const parsed = extra.entries ?? parseLexicon(extra.text ?? '', extra.name);
    for (const entry of parsed) entries.push({ group, entry });
  }
  const matcher = compileMatcher(entries);
  const maxReach = registry.reduce((m, d) => Math.max(m, d.reach), 0);
  const holdBack = matcher.maxPatternLength + maxReach + 2;
  const holdBackFor = (ctx: DetectContext): number => {
    let h = 0;
    for (const spec of detectorsFor(ctx)) {
      h = Math.max(h, (matcher.maxLengthByGroup.get(spec.name) ?? 0) + spec.reach);
    }
    return h + 2;
  };

  const detect = (
    text: string,
    normalized: NormalizedText,
    hits: readonly MatchHit[],
    ctx: DetectContext,
  ): Finding[] => {
    const specs = detectorsFor(ctx);
    const byGroup = new Map<string, MatchHit[]>();
    for (const h of hits) {
      const list = byGroup.get(h.group);
      if (list === undefined) byGroup.set(h.group, [h]);
      else list.push(h);
    }
    const findings: Finding[] = [];
    for (const spec of specs) {
      const own = byGroup.get(spec.name) ?? [];
      try {
        for (const f of spec.detect({ text, normalized, hits: own, ctx })) findings.push(f);
      } catch {
        findings.push({
          detector: spec.name,
          rule: `${spec.name}.error`,
          category: 'error',
          tier: 0,
          span: [0, 0],
          confidence: 0,
          evasion: [],
          status: 'error',
        });
      }
    }
    return findings;
  };

  const runWhole = (text: string, ctx: DetectContext): Finding[] => {
    const normalized = normalizeText(text);
    return detect(text, normalized, matcher.scan(normalized), ctx);
  };
  const run = (text: string, ctx: DetectContext): Finding[] => {
    const specs = detectorsFor(ctx);
    if (specs.length === 0 || text.length === 0) return [];
    const cut = ctx.side === 'input' ? scanCut(text, ctx.maxScanChars) : undefined;
    if (cut === undefined) return runWhole(text, ctx);
    // Head and tail scanned apart (a term across the cut is not seen); tail spans moved to the whole text.
    const findings = runWhole(text.slice(0, cut.headEnd), ctx);
    for (const f of runWhole(text.slice(cut.tailStart), ctx)) {
      findings.push({ ...f, span: [f.span[0] + cut.tailStart, f.span[1] + cut.tailStart] });
    }
    const detector = specs.some((d) => d.name === 'crisis') ? 'crisis' : (specs[0] as DetectorSpec).name;
    findings.push({
      detector,
      rule: `${detector}.${SCAN_TRUNCATED}`,
      category: SCAN_TRUNCATED,
      tier: 0,
      span: [cut.headEnd, cut.tailStart],
      confidence: 1,
      evasion: [],
      status: 'ok',
    });
    return findings;
  };

  const groupsFor = (ctx: DetectContext): readonly string[] => detectorsFor(ctx).map((d) => d.name);
  const sentenceScopedSet = new Set(
    registry.flatMap((d) => (d.sentenceScoped ?? []).map((category) => `${d.name}\t${category}`)),
  );
  const sentenceScoped = (hit: MatchHit) => sentenceScopedSet.has(`${hit.group}\t${hit.entry.category}`);
  const scannerEngine: ScannerEngine = { matcher, run, detect, groupsFor, sentenceScoped };
  const prefixIndexes = new Map<string, PrefixIndex>();
  const prefixIndexFor = (groups: readonly string[]): PrefixIndex => {
    const key = groups.join('|');
    let index = prefixIndexes.get(key);
    if (index === undefined) {
      index = buildPrefixIndex(matcher, groups);
      prefixIndexes.set(key, index);
    }
    return index;
  };
  // Built now for the default output set (about 10 ms), so the first streamed reply does not pay for it.
  prefixIndexFor(groupsFor({ side: 'output' }));

  return {
    run,
    holdBack,
    holdBackFor,
    matcher,
    createOutputScanner(ctx: DetectContext): OutputScanner {
      const index = prefixIndexFor(groupsFor(ctx));
      return createStreamingScanner(scannerEngine, index, ctx);
    },
  };
}

/** Category of the tier-0 finding that marks an input scanned in head and tail only (its span: the unscanned part). */
export const SCAN_TRUNCATED = 'scan-truncated';

/**
 * Where an input longer than `maxScanChars` (default `DEFAULT_MAX_SCAN_CHARS`) is cut for scanning: its first
 * and last `maxScanChars / 2` UTF-16 units are scanned (crisis statements usually open or close a long
 * message), the middle is not. `undefined` when the text is scanned whole. No surrogate pair is split.
 */
export function scanCut(
  text: string,
  maxScanChars: number = DEFAULT_MAX_SCAN_CHARS,
): { headEnd: number; tailStart: number } | undefined {
  if (text.length <= maxScanChars) return undefined;
  const half = Math.max(1, Math.floor(maxScanChars / 2));
  let headEnd = half;
  if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd--;
  let tailStart = text.length - half;
  if (isHighSurrogate(text.charCodeAt(tailStart - 1))) tailStart++;
  return { headEnd, tailStart };
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

let defaultEngine: DetectionEngine | undefined;

/** The engine with the built-in lexicons only, built on first use. */
export function getDefaultEngine(): DetectionEngine {
  defaultEngine ??= createDetectionEngine();
  return defaultEngine;
}

/** The full fast pass over `text` with the built-in lexicons. */
export function runDetectors(text: string, ctx: DetectContext): Finding[] {
  return getDefaultEngine().run(text, ctx);
}

/** A streaming output scanner on the default engine. */
export function createOutputScanner(ctx: DetectContext): OutputScanner {
  return getDefaultEngine().createOutputScanner(ctx);
}
