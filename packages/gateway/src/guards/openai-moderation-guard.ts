import type { DetectorName, Opinion, SecondOpinion } from '@companion-guard/core';
import { type GuardHttpOptions, isRecord, postGuardJson } from './guard-http.js';

export interface OpenAiModerationGuardOptions extends GuardHttpOptions {
  /** Default `omni-moderation-latest`. */
  readonly model?: string;
  /** Name in rule ids and audit records (default `openai-moderation`). */
  readonly name?: string;
  /** Which moderation category backs which detector (default: `self-harm*` → crisis, the rest → prohibited). */
  readonly categoryDetector?: (category: string) => DetectorName;
  /** Use `category_scores >= threshold` instead of the API's own `categories` flags. */
  readonly threshold?: number;
}

/** Default mapping: the self-harm family backs `crisis`, every other category `prohibited`. */
export function moderationCategoryDetector(category: string): DetectorName {
  return category.startsWith('self-harm') || category.startsWith('self_harm') ? 'crisis' : 'prohibited';
}

const FAILED: Opinion = { label: 'safe', categories: [], score: 0, status: 'error' };

/**
 * A second opinion from an OpenAI-moderation-style API: `POST {baseUrl}/moderations` with `{ input, model }`,
 * reading `results[0].flagged`, `.categories` and `.category_scores`. For a given detector it answers
 * `unsafe` when a category backing that detector is flagged; without a detector, when `flagged` is true.
 *
 * @example
 * const guard = createOpenAiModerationGuard({ baseUrl: 'https://api.openai.com/v1', apiKey });
 * await guard.classify('…', { side: 'input', detector: 'crisis' })
 * // → { label: 'unsafe', categories: ['self-harm', 'self-harm/intent'], score: 0.97, status: 'ok' }
 */
export function createOpenAiModerationGuard(options: OpenAiModerationGuardOptions): SecondOpinion {
  const toDetector = options.categoryDetector ?? moderationCategoryDetector;
  return {
    name: options.name ?? 'openai-moderation',
    detectors: ['crisis', 'prohibited'],
    async classify(text, request): Promise<Opinion> {
      const res = await postGuardJson(
        options,
        'moderations',
        { input: text, model: options.model ?? 'omni-moderation-latest' },
        request.signal,
      );
      if (!res.ok) return { ...FAILED, status: res.status };
      const result = isRecord(res.body) && Array.isArray(res.body.results) ? res.body.results[0] : undefined;
      if (!isRecord(result) || typeof result.flagged !== 'boolean') return FAILED;
      const flags = isRecord(result.categories) ? result.categories : {};
      const scores = isRecord(result.category_scores) ? result.category_scores : {};
      const names = new Set([...Object.keys(flags), ...Object.keys(scores)]);
      const fired: string[] = [];
      let score = 0;
      for (const name of names) {
        if (request.detector !== undefined && toDetector(name) !== request.detector) continue;
        const s = typeof scores[name] === 'number' ? scores[name] : flags[name] === true ? 1 : 0;
        score = Math.max(score, s);
        const on = options.threshold === undefined ? flags[name] === true : s >= options.threshold;
        if (on) fired.push(name);
      }
      const unsafe =
        request.detector === undefined && options.threshold === undefined ? result.flagged : fired.length > 0;
      return { label: unsafe ? 'unsafe' : 'safe', categories: fired, score, status: 'ok' };
    },
  };
}
