import type { Finding } from '../../types.js';
import type { DetectContext } from '../context.js';
import { type DetectionEngine, getDefaultEngine, SCAN_TRUNCATED, scanCut } from '../engine.js';
import { DETECTORS } from '../registry.js';
import { builtInCrisisModel, type CrisisModel, crisisThresholdsFor, scoreCrisis } from './crisis-model.js';

export interface CrisisDecisionOptions {
  /** The fast-pass engine; default the built-in one. */
  readonly engine?: DetectionEngine;
  /** The model; default the committed one. `false` turns the model off (fast pass only). */
  readonly model?: CrisisModel | false;
}

/** The fast pass plus the model score, so callers can decide whether a slower opinion is worth asking. */
export interface CrisisDecision {
  readonly findings: Finding[];
  /** The model's score, or `undefined` when crisis was not run (not selected) or the model is off. */
  readonly modelScore: number | undefined;
}

/** Does `ctx` select the crisis detector? */
export function selectsCrisis(ctx: DetectContext): boolean {
  if (ctx.detectors !== undefined) return ctx.detectors.includes('crisis');
  return DETECTORS.some((d) => d.name === 'crisis' && d.sides.includes(ctx.side));
}

/**
 * The finding the model adds: tier 1, rule `crisis.model`, category `model`, over the whole text (the model
 * has no span). Confidence is the score.
 */
export function crisisModelFinding(text: string, score: number): Finding {
  return {
    detector: 'crisis',
    rule: 'crisis.model',
    category: 'model',
    tier: 1,
    span: [0, text.length],
    confidence: Math.round(score * 1000) / 1000,
    evasion: [],
    status: 'ok',
  };
}

/**
 * The full fast detector pass plus the in-repo crisis model (when `crisis` is selected by `ctx`).
 *
 * The model adds a tier-1 `crisis.model` finding when its score reaches the threshold for the text's script
 * and the fast pass has no crisis finding at all. When the fast pass cleared a crisis term by context
 * (negation, fiction, quotation, informational question: a tier-0 finding), the model does not override it:
 * it sees character n-grams, not context ("我没有想自杀" scores as high as "我想自杀"). The trainer picks the
 * thresholds for exactly this decision. A cleared hit is "unsure" for `detectWithSecondOpinions`, so a
 * remote guard can still be asked.
 *
 * @example
 * runDetectorsWithModel('最近总觉得活着没什么意思，撑不下去了', { side: 'input' }).findings
 * // → [..., { detector: 'crisis', rule: 'crisis.model', tier: 1, ... }] when the fast pass has no hit
 */
export function runDetectorsWithModel(
  text: string,
  ctx: DetectContext,
  options: CrisisDecisionOptions = {},
): CrisisDecision {
  const engine = options.engine ?? getDefaultEngine();
  const findings = engine.run(text, ctx);
  if (options.model === false || !selectsCrisis(ctx) || text.length === 0) {
    return { findings, modelScore: undefined };
  }
  const model = options.model ?? builtInCrisisModel();
  // A long input is scored on the same head and tail the fast pass scanned.
  const cut = scanCut(text, ctx.maxScanChars);
  const scored = cut ? `${text.slice(0, cut.headEnd)}\n${text.slice(cut.tailStart)}` : text;
  const score = scoreCrisis(scored, model);
  const th = crisisThresholdsFor(scored, model);
  let fastHit = false;
  let cleared = false;
  for (const f of findings) {
    if (f.detector !== 'crisis' || f.status !== 'ok' || f.category === SCAN_TRUNCATED) continue;
    if (f.tier >= 1) fastHit = true;
    else cleared = true;
  }
  if (!fastHit && !cleared && score >= th.threshold) findings.push(crisisModelFinding(text, score));
  return { findings, modelScore: score };
}
