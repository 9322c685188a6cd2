/**
 * React components and a hook for companion-guard: `<ComplianceDirectives>` shows every compliance
 * directive the gateway sends (in Chinese or English chrome), `useCompanionChat` streams a chat through
 * the gateway with them. Styles: `import '@companion-guard/react/styles.css'` (themable by CSS variables).
 * See docs/integrate.md.
 */

/** The error of every failed call, with its stable `code` (re-exported from `@companion-guard/client`). */
export { GatewayError } from '@companion-guard/client';
export {
  type AppealAction,
  acknowledgeLabel,
  appealOf,
  type DirectiveLike,
  type Hotline,
  hotlinesOf,
  mustAcknowledge,
  offersEndChat,
  type Placement,
  placementOf,
  roleOf,
  telHref,
  titleOf,
} from './directive-logic.js';
export {
  ComplianceDirectives,
  type ComplianceDirectivesProps,
  DirectiveBanner,
  type DirectiveBannerProps,
  type DirectiveEntry,
  DirectiveModal,
  type DirectiveModalProps,
  DirectiveNote,
  SessionEndedCard,
  type SessionEndedCardProps,
} from './directive-views.js';
export type { GatewayOptions } from './gateway.js';
export { type KitLocale, type KitTextKey, kitText, kitTexts } from './texts.js';
export {
  type ChatMessage,
  type ChatSession,
  type CompanionChat,
  type UseCompanionChatOptions,
  useCompanionChat,
} from './use-companion-chat.js';
