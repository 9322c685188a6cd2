/** Shared domain types of companion-guard. Wire formats live in the gateway; these are the domain. */
import type { RequirementId } from './requirements.js';

export type { RequirementId };

/** A user-facing locale. Every user-facing text exists in both. */
export type Locale = 'zh' | 'en';

/** A text in every user-facing locale. */
export interface LocalizedText {
  readonly zh: string;
  readonly en: string;
}

/** Language of a piece of text, as a detector sees it. */
export type Lang = 'zh' | 'en';

/** Which side of the conversation a text comes from. */
export type TextSide = 'input' | 'output';

/** Names of the detectors, listed explicitly in `detect/registry.ts`. */
export type DetectorName =
  | 'crisis'
  | 'emotion'
  | 'dependence'
  | 'exit-intent'
  | 'prohibited'
  | 'manipulation'
  | 'age-signal'
  | 'relative-impersonation'
  | 'scam-signal'
  | 'unsafe-imitation'
  | 'human-claim';

/** The evasion routes the normalizer undoes; a finding lists those it needed. */
export type EvasionRoute =
  | 'width'
  | 'case'
  | 'number-form'
  | 'traditional'
  | 'homoglyph'
  | 'separator'
  | 'repeat'
  | 'pinyin'
  | 'pinyin-initials'
  | 'homophone';

/**
 * One thing a detector found. Bad content is a finding, never an exception.
 * A detector that crashes yields one finding with `status: 'error'` and the policy decides.
 */
export interface Finding {
  readonly detector: DetectorName;
  /** Stable rule id, e.g. `crisis.explicit-intent`. */
  readonly rule: string;
  /** Detector-specific category, e.g. `suicide`, `self-harm`, `concerned-other`, `guilt-at-farewell`. */
  readonly category: string;
  /** 0 informational, 1 elevated (crisis: distress / passive ideation), 2 severe (crisis: explicit intent, plan, attempt). */
  readonly tier: 0 | 1 | 2;
  /** UTF-16 offsets [start, end) into the original text. */
  readonly span: readonly [number, number];
  /** 0..1. */
  readonly confidence: number;
  readonly evasion: readonly EvasionRoute[];
  readonly status: 'ok' | 'error';
}

/** How a directive is shown by the client UI. */
export type DirectiveDisplay = 'popup' | 'banner' | 'inline';

/** Types of UI directives the gateway emits. */
export type DirectiveType =
  | 'ai-disclosure'
  | 'usage-reminder'
  | 'take-a-break'
  | 'session-ended'
  | 'exit-confirmed'
  | 'dependence-notice'
  | 'crisis-resources'
  | 'output-withheld'
  | 'input-blocked'
  | 'risk-warning'
  | 'human-takeover'
  // Minors and the elderly (MINOR-*, ELDER-*, CONTENT-6).
  | 'consent-required'
  | 'character-not-allowed'
  | 'minor-mode'
  | 'time-limit'
  | 'quiet-hours'
  | 'rest-reminder'
  | 'roleplay-refused'
  | 'emergency-contact-needed'
  // The compliance desk (COMPLAINT-1, NOTICE-1, ASSESS-3).
  /** A staff reply to the user's complaint, report or appeal (`data`: complaint id, kind, status). */
  | 'complaint-reply'
  /** A scheduled withdrawal of a character or function, the end of the service, or an outage (`data`: notice id, scope, effective date). */
  | 'service-notice'
  /** A character, a function or the whole service switched off by staff (`data`: switch scope and target). */
  | 'feature-off';

/** An instruction to the client UI, always tied to the requirement it fulfils. */
export interface Directive {
  readonly type: DirectiveType;
  /** The requirement it fulfils, e.g. `TIME-1`. */
  readonly requirement: RequirementId;
  readonly display: DirectiveDisplay;
  /** Text in the user's locale. */
  readonly text: string;
  /** Structured extras, e.g. hotlines for `crisis-resources`, minutes for `usage-reminder`. */
  readonly data?: Readonly<Record<string, unknown>>;
}
