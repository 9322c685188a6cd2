/** Public API of the detection engine. */
export { DEFAULT_MAX_SCAN_CHARS, type DetectContext, type Detector, type DetectorInput } from './context.js';
export {
  createDetectionEngine,
  createOutputScanner,
  type DetectionEngine,
  type DetectionEngineOptions,
  type ExtraLexicon,
  getDefaultEngine,
  type OutputScanner,
  runDetectors,
  SCAN_TRUNCATED,
  type ScanStep,
  scanCut,
} from './engine.js';
export { type Lexicon, type LexiconEntry, parseLexicon } from './lexicon.js';
export {
  compileMatcher,
  type Matcher,
  type MatcherEntry,
  type MatcherOptions,
  type MatchHit,
} from './matcher.js';
export { type NormalizedText, normalizeText, routeNames } from './normalize.js';
export {
  DETECTOR_NAMES,
  DETECTORS,
  type DetectorSpec,
  MINOR_WITHHOLDING_DETECTORS,
  WITHHOLDING_DETECTORS,
  type WithholdingDetector,
} from './registry.js';
export {
  PROHIBITED_CLASSES,
  PROHIBITED_TAXONOMY,
  type TaxonomyCategory,
  type TaxonomyClass,
} from './taxonomy.js';
