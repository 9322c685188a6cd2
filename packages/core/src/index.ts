/**
 * @module @companion-guard/core
 * Pure compliance core of companion-guard: policy profiles, detectors and the session state machine.
 * No I/O; usable in-process.
 */

export {
  complaintDeadlines,
  complaintKinds,
  complaintOverdue,
  complaintStatuses,
  complaintWords,
  minorModeRef,
} from './complaints/complaint-store.js';
export {
  emptyControls,
  noControls,
  noticeTooSoon,
  offTargets,
  turnControls,
} from './controls/service-controls.js';
export {
  canonicalJson,
  consentAudit,
  consentKinds,
  consentsAsMinor,
  heldConsent,
  receiptSigningText,
} from './data/data-rights.js';
export { namesGiven, type RedactionKind, redactPersonalData } from './data/redact.js';
export * from './detect/index.js';
export * from './detect/second-opinion/index.js';
export * from './errors.js';
export * from './incident/incident.js';
export * from './minors/minor-policy.js';
export { defaultGuardianControls, emptyMinorState } from './minors/minor-store.js';
export {
  decayedSuspicion,
  inSchoolHours,
  type SuspicionPoints,
  suspicionPoints,
} from './minors/suspected-minor.js';
export { guardianAddressesOf, normalizeGuardianAddress } from './people/guardian.js';
export { normalizeStaffEmail, staffRolesRequiringTotp } from './people/staff.js';
export * from './people/user-profile.js';
// SCOPE-2: the profile per user, from the registered region.
export {
  createProfileBook,
  euMemberStates,
  type ProfileBook,
  type ProfileMapping,
  singleProfileBook,
} from './policy/profile-book.js';
export { type Profile, profileJsonSchema, profileSchema } from './policy/profile-schema.js';
export { builtInProfiles, defaultProfileId } from './policy/profiles.js';
export { resolveProfile } from './policy/resolve-profile.js';
export { defaultTexts, fillText, hotlineText, type TextKey } from './policy/texts.js';
export type * from './ports.js';
export {
  type Requirement,
  type RequirementStatus,
  requirementCatalogue,
  requirementGroups,
} from './requirements.js';
export * from './risk/emotional-state.js';
export * from './session/session-machine.js';
export * from './stats/stats.js';
export { ageBands } from './stats/stats-report.js';
export { assessmentStatuses, checklistAreas } from './stats/stats-store.js';
export type * from './types.js';
