import type { DetectorName, Lang, TextSide } from '../../types.js';

/**
 * The part of `AbortSignal` a second opinion needs. Core has no DOM or Node typings; a real `AbortSignal`
 * satisfies this structurally.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** `ok`: the classifier answered. `error`: it failed (HTTP error, bad answer). `timeout`: too slow. */
export type OpinionStatus = 'ok' | 'error' | 'timeout';

/** What a second opinion says about one text. Never contains the text. */
export interface Opinion {
  readonly label: 'unsafe' | 'safe';
  /** The classifier's own category names that fired (e.g. `self-harm`, `S11`, `Suicide & Self-Harm`). */
  readonly categories: readonly string[];
  /** 0..1: the classifier's confidence that the text is unsafe (1 or 0 when it gives no score). */
  readonly score: number;
  readonly status: OpinionStatus;
}

export interface ClassifyOptions {
  readonly side: TextSide;
  /**
   * The detector the answer is for: a multi-category classifier answers `unsafe` only for its categories
   * that back this detector (a moderation API's `sexual` says nothing about `crisis`). Absent: any category.
   */
  readonly detector?: DetectorName;
  readonly lang?: Lang;
  /** Aborted when the caller stops waiting (timeout); the classifier should give up its request. */
  readonly signal?: AbortSignalLike;
}

/**
 * A slower classifier asked only where the fast pass is unsure: the in-repo model, a moderation API, a chat
 * guard model. `classify` must not throw for bad content or a failing backend: it resolves with
 * `status: 'error'` or `'timeout'` (the combiner still treats a rejection as `error`).
 */
export interface SecondOpinion {
  /** Short stable name, used in rule ids (`crisis.openai-moderation`) and audit records. */
  readonly name: string;
  /** The detectors whose decisions this classifier can back. */
  readonly detectors: readonly DetectorName[];
  classify(text: string, options: ClassifyOptions): Promise<Opinion>;
}

/** A failing opinion leaves the decision to the policy: `block` treats it as unsafe, `allow` as safe. */
export type OpinionFailurePolicy = 'block' | 'allow';

/** One consulted opinion, as recorded on the result (for the audit trail: no text). */
export interface OpinionRecord {
  readonly name: string;
  readonly detector: DetectorName;
  readonly label: 'unsafe' | 'safe';
  readonly categories: readonly string[];
  readonly score: number;
  readonly status: OpinionStatus;
  /** Milliseconds until it answered or was given up. */
  readonly ms: number;
  /** For a failed opinion: what the failure policy made of it. */
  readonly failure?: OpinionFailurePolicy;
}
