/** Public API of the second opinions: the in-repo crisis model, the combiner and the opinion contract. */
export {
  askWithTimeout,
  type CombinedOpinion,
  combineOpinions,
  detectWithSecondOpinions,
  type OpinionTimers,
  type SecondOpinionOptions,
  type SecondOpinionResult,
} from './combine.js';
export {
  type CrisisDecision,
  type CrisisDecisionOptions,
  crisisModelFinding,
  runDetectorsWithModel,
  selectsCrisis,
} from './crisis-decision.js';
export {
  builtInCrisisModel,
  type CrisisLangModel,
  type CrisisLangModelData,
  type CrisisModel,
  type CrisisModelData,
  type CrisisThresholds,
  crisisLogit,
  crisisThresholdsFor,
  hasCjk,
  loadCrisisModel,
  scoreCrisis,
} from './crisis-model.js';
export {
  checkFeatureSpec,
  collectFeatures,
  type FeatureSpec,
  type FeatureSum,
  featureFingerprint,
  foldForModel,
  sumFeatureWeights,
} from './features.js';
export { createCrisisModelOpinion } from './model-opinion.js';
export type {
  AbortSignalLike,
  ClassifyOptions,
  Opinion,
  OpinionFailurePolicy,
  OpinionRecord,
  OpinionStatus,
  SecondOpinion,
} from './types.js';
