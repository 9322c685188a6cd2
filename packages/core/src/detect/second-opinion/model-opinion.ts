import { builtInCrisisModel, type CrisisModel, crisisThresholdsFor, scoreCrisis } from './crisis-model.js';
import type { Opinion, SecondOpinion } from './types.js';

/**
 * The in-repo crisis model as a `SecondOpinion` (name `model`), for callers that want it in the same list
 * as remote guards. It answers synchronously, so it never times out. `runDetectorsWithModel` already uses
 * the model directly; do not configure both.
 */
export function createCrisisModelOpinion(model: CrisisModel = builtInCrisisModel()): SecondOpinion {
  return {
    name: 'model',
    detectors: ['crisis'],
    classify(text, options): Promise<Opinion> {
      const score = scoreCrisis(text, model, options.lang);
      const unsafe = score >= crisisThresholdsFor(text, model, options.lang).threshold;
      return Promise.resolve({
        label: unsafe ? 'unsafe' : 'safe',
        categories: unsafe ? ['self-harm'] : [],
        score,
        status: 'ok',
      });
    },
  };
}
