/**
 * @module @companion-guard/client
 * The companion-guard wire contract and client helpers (see docs/integrate.md): the `compliance` extension
 * read from the official `openai` client, the AI SDK and LangChain; exit, new chat, user profiles,
 * complaints and the session events stream. No runtime dependencies; browsers and Node 18+.
 */

export { complianceExtractor, complianceFromMetadata, metadataKey } from './ai-sdk.js';
export { complianceOf, errorOf, GatewayError, type GatewayErrorInfo, mergeCompliance } from './compliance.js';
export { type SessionEventsOptions, sessionEvents } from './events.js';
export {
  createGatewayClient,
  type GatewayClient,
  type GatewayClientOptions,
  type SessionActionOptions,
} from './gateway-client.js';
export type {
  AiLabel,
  ApiErrorBody,
  Author,
  Character,
  CharacterList,
  Complaint,
  ComplaintKind,
  ComplaintProcess,
  ComplaintRequest,
  ComplaintStatus,
  Compliance,
  ContactInput,
  ContactWire,
  Directive,
  DirectiveDataMap,
  DirectiveDisplay,
  DirectiveOf,
  DirectiveType,
  ErrorCode,
  Hotline,
  MinorBand,
  ProfileUpdate,
  SessionEvent,
  SessionEventMessage,
  SessionEventType,
  SessionState,
  UserProfile,
  WithCompliance,
} from './wire.js';
