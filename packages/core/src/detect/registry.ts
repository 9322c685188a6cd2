/**
 * The explicit list of detectors: name, the sides it runs on by default, its built-in lexicon and its
 * reach (how many normalized characters past a lexicon term its context rules look ahead, which the
 * streaming output scanner must hold back). Nothing registers itself on import.
 */
import type { DetectorName, TextSide } from '../types.js';
import type { Detector } from './context.js';
import { detectAgeSignal } from './detectors/age-signal.js';
import { detectCrisis } from './detectors/crisis.js';
import { detectDependence } from './detectors/dependence.js';
import { detectEmotion } from './detectors/emotion.js';
import { detectExitIntent } from './detectors/exit-intent.js';
import { detectHumanClaim } from './detectors/human-claim.js';
import { detectManipulation } from './detectors/manipulation.js';
import { detectProhibited } from './detectors/prohibited.js';
import { detectRelativeImpersonation } from './detectors/relative-impersonation.js';
import { detectScamSignal } from './detectors/scam-signal.js';
import { detectUnsafeImitation } from './detectors/unsafe-imitation.js';
import { AGE_SIGNAL_LEXICON } from './lexicons/age-signal.js';
import { CRISIS_LEXICON } from './lexicons/crisis.js';
import { DEPENDENCE_LEXICON } from './lexicons/dependence.js';
import { EMOTION_LEXICON } from './lexicons/emotion.js';
import { EXIT_INTENT_LEXICON } from './lexicons/exit-intent.js';
import { HUMAN_CLAIM_LEXICON } from './lexicons/human-claim.js';
import { MANIPULATION_LEXICON } from './lexicons/manipulation.js';
import { PROHIBITED_LEXICON } from './lexicons/prohibited.js';
import { RELATIVE_IMPERSONATION_LEXICON } from './lexicons/relative-impersonation.js';
import { SCAM_SIGNAL_LEXICON } from './lexicons/scam-signal.js';
import { UNSAFE_IMITATION_LEXICON } from './lexicons/unsafe-imitation.js';

export interface DetectorSpec {
  readonly name: DetectorName;
  readonly sides: readonly TextSide[];
  readonly lexicon: string;
  /** Normalized characters after a term that context rules read (for the streaming hold-back). */
  readonly reach: number;
  /**
   * Categories whose hits the detector judges with their whole sentence (across commas, to `。！？`, `. ! ?` or
   * a newline): the streaming scanner holds such a hit until its sentence ends, not only its clause.
   */
  readonly sentenceScoped?: readonly string[];
  readonly detect: Detector;
}

export const DETECTORS: readonly DetectorSpec[] = [
  { name: 'crisis', sides: ['input'], lexicon: CRISIS_LEXICON, reach: 0, detect: detectCrisis },
  { name: 'emotion', sides: ['input'], lexicon: EMOTION_LEXICON, reach: 0, detect: detectEmotion },
  { name: 'dependence', sides: ['input'], lexicon: DEPENDENCE_LEXICON, reach: 0, detect: detectDependence },
  {
    name: 'exit-intent',
    sides: ['input'],
    lexicon: EXIT_INTENT_LEXICON,
    reach: 16,
    detect: detectExitIntent,
  },
  {
    name: 'prohibited',
    sides: ['input', 'output'],
    lexicon: PROHIBITED_LEXICON,
    reach: 0,
    detect: detectProhibited,
  },
  {
    name: 'manipulation',
    sides: ['output'],
    lexicon: MANIPULATION_LEXICON,
    reach: 0,
    sentenceScoped: [
      'personal-data',
      'request',
      'inducing-spending',
      'leave-if',
      'withdraw',
      'buy',
      'product',
    ],
    detect: detectManipulation,
  },
  // DISC-1: the model claiming to be a person.
  {
    name: 'human-claim',
    sides: ['output'],
    lexicon: HUMAN_CLAIM_LEXICON,
    reach: 0,
    detect: detectHumanClaim,
  },
  { name: 'age-signal', sides: ['input'], lexicon: AGE_SIGNAL_LEXICON, reach: 24, detect: detectAgeSignal },
  {
    name: 'relative-impersonation',
    sides: ['input'],
    lexicon: RELATIVE_IMPERSONATION_LEXICON,
    reach: 40,
    detect: detectRelativeImpersonation,
  },
  {
    name: 'scam-signal',
    sides: ['input', 'output'],
    lexicon: SCAM_SIGNAL_LEXICON,
    reach: 0,
    detect: detectScamSignal,
  },
  // CONTENT-6: not in the default output set; the gateway scans minors' replies with it.
  {
    name: 'unsafe-imitation',
    sides: [],
    lexicon: UNSAFE_IMITATION_LEXICON,
    reach: 0,
    detect: detectUnsafeImitation,
  },
];

export const DETECTOR_NAMES: readonly DetectorName[] = DETECTORS.map((d) => d.name);

/**
 * The output detectors whose findings withhold a model reply (`onAssistantOutput`). The gateway's streaming
 * output scanner runs exactly these, so a finding it stops at is never a reply cut short without a
 * replacement.
 */
export const WITHHOLDING_DETECTORS = [
  'manipulation',
  'human-claim',
  'prohibited',
] as const satisfies readonly DetectorName[];

export type WithholdingDetector = (typeof WITHHOLDING_DETECTORS)[number];

/** What a minor's replies are also withheld for (CONTENT-6); the gateway scans minors' replies with these. */
export const MINOR_WITHHOLDING_DETECTORS = [
  ...WITHHOLDING_DETECTORS,
  'unsafe-imitation',
] as const satisfies readonly DetectorName[];
