import type { DetectorName, Finding } from '../../types.js';
import type { DetectContext } from '../context.js';
import type { DetectionEngine } from '../engine.js';
import { DETECTORS } from '../registry.js';
import { runDetectorsWithModel } from './crisis-decision.js';
import { builtInCrisisModel, type CrisisModel, crisisThresholdsFor } from './crisis-model.js';
import type {
  AbortSignalLike,
  Opinion,
  OpinionFailurePolicy,
  OpinionRecord,
  SecondOpinion,
} from './types.js';

/** Timers, injectable for tests; default the global `setTimeout` / `clearTimeout`. */
export interface OpinionTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface SecondOpinionOptions {
  /** Classifiers to ask; each backs the detectors it lists. Empty: the result is the fast pass (+ model). */
  readonly opinions: readonly SecondOpinion[];
  /** How long to wait for all opinions together (default 1500 ms). */
  readonly timeoutMs?: number;
  /** What a failed or timed-out opinion means: `block` = unsafe, `allow` = safe (default `allow`). */
  readonly onFailure?: OpinionFailurePolicy;
  /**
   * Crisis model scores in [low, threshold) make crisis unsure (default: the model's band for the text's
   * script). Scores at or above the threshold are already a `crisis.model` finding.
   */
  readonly unsureBand?: { readonly low: number; readonly high: number };
  /**
   * Detectors to ask about on every text the fast pass is not sure of, even with no hit and no pre-signal
   * (e.g. `prohibited`, whose lexicon has no cheap pre-signal): trades latency and cost for recall.
   */
  readonly alwaysAsk?: readonly DetectorName[];
  /** Fast-pass tier-1 findings with confidence below this are unsure (default 0.7). */
  readonly minConfidence?: number;
  readonly engine?: DetectionEngine;
  readonly model?: CrisisModel | false;
  readonly timers?: OpinionTimers;
}

/** Result of `detectWithSecondOpinions`. */
export interface SecondOpinionResult {
  /** Fast pass, model and second-opinion findings together. */
  readonly findings: Finding[];
  readonly modelScore: number | undefined;
  /** Detectors on which the fast pass was unsure (the ones opinions were asked about). */
  readonly unsure: readonly DetectorName[];
  /** Every opinion asked, with status, timing and (for failures) what the policy made of it. */
  readonly consulted: readonly OpinionRecord[];
  /** The failure policy in force, recorded for the audit trail. */
  readonly onFailure: OpinionFailurePolicy;
}

/** Verdict over several opinions on one detector. */
export interface CombinedOpinion {
  readonly label: 'unsafe' | 'safe';
  /** True when the label comes from the failure policy rather than from an answer. */
  readonly byFailurePolicy: boolean;
  readonly categories: readonly string[];
  readonly score: number;
}

/**
 * Combines opinions on one text: unsafe if any answered `unsafe`; otherwise, if any failed or timed out,
 * the failure policy decides (`block` → unsafe, `allow` → safe); otherwise safe. Empty input → safe.
 *
 * @example
 * combineOpinions([{ label: 'safe', categories: [], score: 0.1, status: 'ok' },
 *                  { label: 'safe', categories: [], score: 0, status: 'timeout' }], 'block')
 * // → { label: 'unsafe', byFailurePolicy: true, categories: [], score: 0.1 }
 */
export function combineOpinions(
  opinions: readonly Opinion[],
  onFailure: OpinionFailurePolicy,
): CombinedOpinion {
  const answered = opinions.filter((o) => o.status === 'ok');
  const unsafe = answered.filter((o) => o.label === 'unsafe');
  const score = answered.reduce((m, o) => Math.max(m, o.score), 0);
  if (unsafe.length > 0) {
    const categories = [...new Set(unsafe.flatMap((o) => o.categories))];
    return { label: 'unsafe', byFailurePolicy: false, categories, score };
  }
  const failed = opinions.length > answered.length;
  if (failed && onFailure === 'block')
    return { label: 'unsafe', byFailurePolicy: true, categories: [], score };
  return { label: 'safe', byFailurePolicy: false, categories: [], score };
}

function defaultTimers(): OpinionTimers {
  const g = globalThis as unknown as {
    setTimeout: (fn: () => void, ms: number) => unknown;
    clearTimeout: (h: unknown) => void;
    performance?: { now(): number };
  };
  return {
    setTimeout: (fn, ms) => g.setTimeout(fn, ms),
    clearTimeout: (h) => g.clearTimeout(h),
    now: () => (g.performance ? g.performance.now() : Date.now()),
  };
}

/** A minimal abortable signal (core has no `AbortController` typing); a real one would do as well. */
function createSignal(): { signal: AbortSignalLike; abort(): void } {
  const listeners = new Set<() => void>();
  const state = { aborted: false };
  const signal: AbortSignalLike = {
    get aborted() {
      return state.aborted;
    },
    addEventListener: (_type, fn) => {
      listeners.add(fn);
    },
    removeEventListener: (_type, fn) => {
      listeners.delete(fn);
    },
  };
  return {
    signal,
    abort() {
      if (state.aborted) return;
      state.aborted = true;
      for (const fn of listeners) fn();
    },
  };
}

/**
 * Asks one opinion with a deadline. Never rejects: a thrown error becomes `error`, a missed deadline
 * `timeout` (and the opinion's signal is aborted so it can drop its request).
 */
export async function askWithTimeout(
  opinion: SecondOpinion,
  text: string,
  options: {
    side: DetectContext['side'];
    detector?: DetectorName;
    timeoutMs: number;
    timers?: OpinionTimers;
  },
): Promise<{ opinion: Opinion; ms: number }> {
  const timers = options.timers ?? defaultTimers();
  const started = timers.now();
  const { signal, abort } = createSignal();
  let handle: unknown;
  const timeout = new Promise<Opinion>((resolve) => {
    handle = timers.setTimeout(() => {
      abort();
      resolve({ label: 'safe', categories: [], score: 0, status: 'timeout' });
    }, options.timeoutMs);
  });
  const request = {
    side: options.side,
    signal,
    ...(options.detector === undefined ? {} : { detector: options.detector }),
  };
  const answer = opinion.classify(text, request).then(
    (o) => o,
    (): Opinion => ({ label: 'safe', categories: [], score: 0, status: 'error' }),
  );
  try {
    const result = await Promise.race([answer, timeout]);
    return { opinion: result, ms: Math.round(timers.now() - started) };
  } finally {
    timers.clearTimeout(handle);
  }
}

function unsureDetectors(
  text: string,
  findings: readonly Finding[],
  modelScore: number | undefined,
  backed: ReadonlySet<DetectorName>,
  options: SecondOpinionOptions,
  model: CrisisModel | undefined,
): DetectorName[] {
  const minConfidence = options.minConfidence ?? 0.7;
  const unsure: DetectorName[] = [];
  for (const detector of backed) {
    const own = findings.filter((f) => f.detector === detector && f.status === 'ok');
    const strong = own.some((f) => f.tier === 2 || (f.tier === 1 && f.confidence >= minConfidence));
    if (strong) continue;
    // A weak hit, or a hit the context rules cleared (tier 0): unsure.
    if (own.length > 0) {
      unsure.push(detector);
      continue;
    }
    if (options.alwaysAsk?.includes(detector)) {
      unsure.push(detector);
      continue;
    }
    // No hit at all: for crisis, the model score is the cheap pre-signal.
    if (detector === 'crisis' && modelScore !== undefined && model !== undefined) {
      const band = options.unsureBand ?? crisisThresholdsFor(text, model);
      if (modelScore >= band.low) unsure.push(detector);
    }
  }
  return unsure;
}

/**
 * Runs the fast pass (and the in-repo crisis model), then asks the configured second opinions only about
 * the detectors where the fast pass is unsure: a weak (tier 1, low-confidence) or context-cleared (tier 0)
 * hit, or, for crisis, no hit but a model score in the unsure band. Opinions run in parallel under one
 * timeout. An `unsafe` answer adds a finding `<detector>.<opinion name>`; a failure adds, under
 * `onFailure: 'block'`, a finding `<detector>.<opinion name>.unavailable` (category
 * `second-opinion-unavailable`), and nothing under `allow`. Either way the failure is in `consulted`.
 * Such findings are tier 1 for `crisis` (support and resources, not a takeover on a guard's word alone)
 * and tier 2 for every other detector (the guard's verdict, or the block policy, is what blocks).
 *
 * @example
 * await detectWithSecondOpinions('I might just disappear', { side: 'input' },
 *   { opinions: [moderation], timeoutMs: 800, onFailure: 'allow' })
 * // → { findings: [...], unsure: ['crisis'], consulted: [{ name: 'openai-moderation', status: 'ok', ... }] }
 */
export async function detectWithSecondOpinions(
  text: string,
  ctx: DetectContext,
  options: SecondOpinionOptions,
): Promise<SecondOpinionResult> {
  const onFailure = options.onFailure ?? 'allow';
  const model = options.model === false ? undefined : (options.model ?? builtInCrisisModel());
  const decision = runDetectorsWithModel(text, ctx, {
    ...(options.engine ? { engine: options.engine } : {}),
    model: model ?? false,
  });
  const findings = decision.findings;
  const selected = new Set(
    ctx.detectors ?? DETECTORS.filter((d) => d.sides.includes(ctx.side)).map((d) => d.name),
  );
  const backed = new Set<DetectorName>();
  for (const o of options.opinions) for (const d of o.detectors) if (selected.has(d)) backed.add(d);
  const unsure = unsureDetectors(text, findings, decision.modelScore, backed, options, model);
  if (unsure.length === 0 || text.length === 0) {
    return { findings, modelScore: decision.modelScore, unsure: [], consulted: [], onFailure };
  }

  const asks: Promise<OpinionRecord>[] = [];
  for (const detector of unsure) {
    for (const o of options.opinions) {
      if (!o.detectors.includes(detector)) continue;
      asks.push(
        askWithTimeout(o, text, {
          side: ctx.side,
          detector,
          timeoutMs: options.timeoutMs ?? 1500,
          ...(options.timers ? { timers: options.timers } : {}),
        }).then(({ opinion, ms }) => ({
          name: o.name,
          detector,
          label: opinion.label,
          categories: opinion.categories,
          score: opinion.score,
          status: opinion.status,
          ms,
          ...(opinion.status === 'ok' ? {} : { failure: onFailure }),
        })),
      );
    }
  }
  const consulted = await Promise.all(asks);
  for (const r of consulted) {
    if (r.status === 'ok' && r.label === 'unsafe') {
      findings.push(
        opinionFinding(text, r.detector, `${r.detector}.${r.name}`, r.categories[0] ?? 'unsafe', r.score),
      );
    } else if (r.status !== 'ok' && onFailure === 'block') {
      findings.push(
        opinionFinding(
          text,
          r.detector,
          `${r.detector}.${r.name}.unavailable`,
          'second-opinion-unavailable',
          0,
        ),
      );
    }
  }
  return { findings, modelScore: decision.modelScore, unsure, consulted, onFailure };
}

function opinionFinding(
  text: string,
  detector: DetectorName,
  rule: string,
  category: string,
  score: number,
): Finding {
  return {
    detector,
    rule,
    category,
    tier: detector === 'crisis' ? 1 : 2,
    span: [0, text.length],
    confidence: Math.max(0, Math.min(1, score)),
    evasion: [],
    status: 'ok',
  };
}
