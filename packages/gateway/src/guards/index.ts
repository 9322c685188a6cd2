/** Adapters for guard models served elsewhere, as core `SecondOpinion`s. */
export {
  type ChatGuardFormat,
  type ChatGuardOptions,
  chatGuardCategoryDetector,
  createChatGuard,
  type GuardVerdict,
  parseGuardReply,
} from './chat-guard.js';
export { createGuards, type GuardSpec } from './create-guards.js';
export {
  type FetchLike,
  type GuardHttpOptions,
  type GuardHttpResult,
  joinUrl,
  postGuardJson,
} from './guard-http.js';
export {
  createOpenAiModerationGuard,
  moderationCategoryDetector,
  type OpenAiModerationGuardOptions,
} from './openai-moderation-guard.js';
