import {
  createDetectionEngine,
  DEFAULT_MAX_SCAN_CHARS,
  type DetectorName,
  detectWithSecondOpinions,
  type ExtraLexicon,
  type Finding,
  getDefaultEngine,
  MINOR_WITHHOLDING_DETECTORS,
  type OpinionRecord,
  type OutputScanner,
  type Profile,
  runDetectorsWithModel,
  type ScanStep,
  type SecondOpinion,
  WITHHOLDING_DETECTORS,
} from '@companion-guard/core';
import type { Metrics } from './metrics.js';

/** Default `detection.maxOutputChars`: a model reply is cut after this many UTF-16 units (issue #11). */
export const DEFAULT_MAX_OUTPUT_CHARS = 16_384;

/** The detectors as the chat flow uses them (built by the composition root from core's registry). */
export interface Detection {
  /**
   * Input findings, and the second opinions asked (with status and failure policy) for the audit trail.
   * With `thirdParty: false` (no consent to provision to third parties, DATA-2) guards marked third-party
   * are not asked; their names come back in `skipped`.
   */
  inspectInput(
    text: string,
    options?: {
      readonly thirdParty?: boolean;
      /** SCOPE-2: the user's profile (its exit words and failure mode); default: the deployment's. */
      readonly profile?: Profile;
      /** Run only these detectors (default: every input detector). */
      readonly detectors?: readonly DetectorName[];
    },
  ): Promise<{ findings: Finding[]; consulted: readonly OpinionRecord[]; skipped: readonly string[] }>;
  /** True when some guard sends text to a third party (DATA-2), so a turn needs the user's consent state. */
  readonly hasThirdPartyGuards: boolean;
  /**
   * A streaming check of model output: holds back only what a pattern could still need. A minor's replies
   * are also checked for invitations to imitate unsafe behaviour (CONTENT-6).
   */
  createOutputScanner(forMinor?: boolean): OutputScanner;
  /** A model reply is cut after this many UTF-16 units (issue #11; only scanned text is ever shown). */
  readonly maxOutputChars: number;
  /** Input longer than this is scanned in its head and tail only (`detection.maxScanChars`). */
  readonly maxScanChars: number;
}

export interface DetectionOptions {
  /** Deployment lexicons (e.g. a ≥10,000-term content-safety list), read by config. */
  readonly lexicons?: readonly ExtraLexicon[];
  /** Second opinions (guard models) asked where the fast pass is unsure; `thirdParty` ones need consent. */
  readonly guards?: readonly (SecondOpinion & { readonly thirdParty?: boolean })[];
  readonly guardTimeoutMs?: number;
  /** Detectors to ask the guards about on every message the fast pass does not settle. */
  readonly alwaysAsk?: readonly DetectorName[];
  /** Counts the findings (`/metrics`). */
  readonly metrics?: Pick<Metrics, 'findings'>;
  /** Input scanned whole up to this length, else head and tail (default core's `DEFAULT_MAX_SCAN_CHARS`). */
  readonly maxScanChars?: number;
  /** Model replies are cut after this many UTF-16 units (default `DEFAULT_MAX_OUTPUT_CHARS`). */
  readonly maxOutputChars?: number;
}

/**
 * Builds the gateway's detection: the fast pass with the in-repo crisis model, deployment lexicons, and
 * guard models whose failure blocks or allows as the profile says (`failModes.secondOpinion`).
 */
export function createDetection(profile: Profile, options: DetectionOptions = {}): Detection {
  const maxScanChars = options.maxScanChars ?? DEFAULT_MAX_SCAN_CHARS;
  const inputCtx = (p: Profile) =>
    ({ side: 'input', exitKeywords: [...p.exit.keywords.zh, ...p.exit.keywords.en], maxScanChars }) as const;
  const engine = options.lexicons?.length
    ? createDetectionEngine({ extraLexicons: options.lexicons })
    : getDefaultEngine();
  const ctx = inputCtx(profile);
  /** Input contexts of the other profiles users have (SCOPE-2), by profile id. */
  const userCtx = new Map<string, ReturnType<typeof inputCtx>>([[profile.id, ctx]]);
  // Exactly the detectors whose findings withhold output, so a finding the scanner stops at is never a
  // reply cut short without a replacement.
  const outputCtx = { side: 'output', detectors: WITHHOLDING_DETECTORS } as const;
  const minorOutputCtx = { side: 'output', detectors: MINOR_WITHHOLDING_DETECTORS } as const;
  engine.createOutputScanner(outputCtx); // builds the scanner's prefix index now, not on the first reply
  const allGuards = options.guards ?? [];
  const ownGuards = allGuards.filter((g) => !g.thirdParty);
  const skippedNames = allGuards.filter((g) => g.thirdParty).map((g) => g.name);
  return {
    hasThirdPartyGuards: skippedNames.length > 0,
    maxOutputChars: options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS,
    maxScanChars,
    async inspectInput(text, inspect = {}) {
      const allowed = inspect.thirdParty ?? true;
      const policy = inspect.profile ?? profile;
      const profileCtx = userCtx.get(policy.id) ?? inputCtx(policy);
      userCtx.set(policy.id, profileCtx);
      const ctx = inspect.detectors ? { ...profileCtx, detectors: inspect.detectors } : profileCtx;
      const guards = allowed ? allGuards : ownGuards;
      const skipped = allowed ? [] : skippedNames;
      if (guards.length === 0) {
        const { findings } = runDetectorsWithModel(text, ctx, { engine });
        options.metrics?.findings('input', findings);
        return { findings, consulted: [], skipped };
      }
      const result = await detectWithSecondOpinions(text, ctx, {
        opinions: guards,
        engine,
        onFailure: policy.failModes.secondOpinion,
        ...(options.guardTimeoutMs === undefined ? {} : { timeoutMs: options.guardTimeoutMs }),
        ...(options.alwaysAsk ? { alwaysAsk: options.alwaysAsk } : {}),
      });
      options.metrics?.findings('input', result.findings);
      return { findings: result.findings, consulted: result.consulted, skipped };
    },
    createOutputScanner(forMinor = false) {
      const scanner = engine.createOutputScanner(forMinor ? minorOutputCtx : outputCtx);
      const metrics = options.metrics;
      if (!metrics) return scanner;
      const counted = (step: ScanStep) => {
        if (step.findings.length > 0) metrics.findings('output', step.findings);
        return step;
      };
      return { push: (chunk) => counted(scanner.push(chunk)), end: () => counted(scanner.end()) };
    },
  };
}
