/**
 * @module @companion-guard/gateway/in-process
 * companion-guard inside the app's own process, for apps that cannot add a network hop: the gateway's
 * chat runtime (store, detectors, session machine, incidents, audit) as a function API
 * (`createCompanionGuard`) and as an AI SDK language-model middleware (`companionGuardMiddleware`).
 * docs/in-process.md explains both.
 */
export type { ComplianceWire, DirectiveWire } from '../server/openai/wire.js';
export { companionGuardMiddleware, complianceOf, providerKey } from './ai-sdk.js';
export {
  type CompanionGuard,
  type CompanionGuardOptions,
  createCompanionGuard,
  type GuardMessage,
  type GuardParty,
  type GuardStream,
  type GuardTurnInput,
  type GuardTurnResult,
  type ModelFunction,
} from './guard.js';
