/**
 * The detection engine: the built-in lexicons (plus a deployment's own) compiled once into one matcher;
 * `run` normalizes and scans a text once and hands each detector the hits of its own lexicon group.
 * A detector that throws becomes one finding with `status: 'error'` (rule `<name>.error`).
 */
import { CgError } from '../errors.js';
import type { DetectorName, Finding } from '../types.js';
import type { DetectContext } from './context.js';
import { type LexiconEntry, parseLexicon } from './lexicon.js';
import { compileMatcher, type Matcher, type MatcherEntry, type MatchHit } from './matcher.js';
import { normalizeText } from './normalize.js';
import { DETECTORS, type DetectorSpec } from './registry.js';

/** A deployment lexicon: TSV text (see `lexicon.ts`) or parsed entries, for one detector (default `prohibited`). */
export interface ExtraLexicon {
  readonly name: string;
  readonly detector?: DetectorName;
  readonly text?: string;
  readonly entries?: readonly LexiconEntry[];
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
  /** A streaming scanner holding back only as many characters as the longest pattern needs. */
  createOutputScanner(ctx: DetectContext): OutputScanner;
  /** Longest span in normalized characters that a finding of any detector can need to be complete. */
  readonly holdBack: number;
  /** The same for the detectors `ctx` selects: what the output scanner holds back. */
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
  for (const spec of registry) {
    if (skip.has(spec.name)) continue;
    for (const entry of parseLexicon(spec.lexicon, spec.name)) entries.push({ group: spec.name, entry });
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

  const run = (text: string, ctx: DetectContext): Finding[] => {
    const specs = detectorsFor(ctx);
    if (specs.length === 0 || text.length === 0) return [];
    const normalized = normalizeText(text);
    const hits = matcher.scan(normalized);
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

  return {
    run,
    holdBack,
    holdBackFor,
    matcher,
    createOutputScanner(ctx: DetectContext): OutputScanner {
      return createScanner(run, holdBackFor(ctx), ctx);
    },
  };
}

/** Rules that judge the whole reply: reported by `end()` only. */
const WHOLE_REPLY_RULES = new Set(['manipulation.ignoring-exit']);
const WINDOW_BACK = 256;
const BREAK_RE = /[\s。！？，、；：.!?,;:]/;

/** Start of the streaming scan window: WINDOW_BACK before `released`, moved back to a word break. */
function windowStart(acc: string, released: number): number {
  let from = released - WINDOW_BACK;
  if (from <= 0) return 0;
  const limit = Math.max(0, from - 64);
  while (from > limit && !BREAK_RE.test(acc.charAt(from - 1))) from--;
  return from > limit ? from : 0;
}

function findingKey(f: Finding): string {
  return `${f.rule}|${f.category}|${f.span[0]}|${f.span[1]}`;
}

function createScanner(
  run: (text: string, ctx: DetectContext) => Finding[],
  holdBack: number,
  ctx: DetectContext,
): OutputScanner {
  let acc = '';
  let released = 0;
  let blockedAt = Number.POSITIVE_INFINITY;
  let ended = false;
  const reported = new Set<string>();

  const step = (final: boolean): ScanStep => {
    // While streaming, scan a window reaching well behind the unreleased text (context rules look back
    // within a sentence); `end()` rescans the whole reply, which is also when whole-reply rules fire.
    const from = final ? 0 : windowStart(acc, released);
    const view = from === 0 ? acc : acc.slice(from);
    const all = run(view, ctx);
    const fresh: Finding[] = [];
    for (const raw of all) {
      if (!final && WHOLE_REPLY_RULES.has(raw.rule)) continue;
      const f: Finding = from === 0 ? raw : { ...raw, span: [raw.span[0] + from, raw.span[1] + from] };
      const key = findingKey(f);
      if (reported.has(key)) continue;
      reported.add(key);
      fresh.push(f);
      if (f.status === 'ok' && f.tier > 0 && f.span[0] < blockedAt) blockedAt = Math.max(released, f.span[0]);
    }
    let safe: number;
    if (final) safe = acc.length;
    else {
      // Release up to the original offset of the normalized char `holdBack` from the end.
      const n = normalizeText(view);
      const cut = n.codes.length - holdBack;
      safe = cut > 0 ? (n.map[cut] ?? 0) + from : 0;
    }
    safe = Math.min(safe, blockedAt);
    let release = '';
    if (safe > released) {
      // Never split a surrogate pair.
      const last = acc.charCodeAt(safe - 1);
      if (last >= 0xd800 && last <= 0xdbff && !final) safe--;
      release = acc.slice(released, safe);
      released = safe;
    }
    return { release, findings: fresh };
  };

  return {
    push(chunk: string): ScanStep {
      if (ended) throw new CgError('internal', 'output scanner already ended');
      acc += chunk;
      return step(false);
    },
    end(): ScanStep {
      if (ended) return { release: '', findings: [] };
      ended = true;
      return step(true);
    },
  };
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
