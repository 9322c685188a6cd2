import type { OffTarget, TurnControls, TurnNotice } from '../controls/service-controls.js';
import { MINOR_WITHHOLDING_DETECTORS, WITHHOLDING_DETECTORS } from '../detect/registry.js';
import {
  type Incident,
  type IncidentReason,
  type IncidentSeverity,
  type IncidentSignal,
  isTakeover,
} from '../incident/incident.js';
import {
  type ConsentRequestOutcome,
  characterRefusal,
  consentRequired,
  dailyLimitMinutes,
  inQuietHours,
  localDay,
  localMinuteOfDay,
  type MinorTurnFacts,
  quietHoursOf,
} from '../minors/minor-policy.js';
import { isMinorBand } from '../people/user-profile.js';
import type { Profile } from '../policy/profile-schema.js';
import { fillText, hotlineText, type TextKey } from '../policy/texts.js';
import type { AgeBand, CharacterRecord } from '../ports.js';
import type {
  DetectorName,
  Directive,
  DirectiveDisplay,
  DirectiveType,
  Finding,
  Locale,
  RequirementId,
} from '../types.js';

/**
 * The state of one session, as stored (no conversation text). Every field is derived from events; the
 * machine never reads a clock itself.
 */
export interface SessionState {
  /** `human-takeover`: an incident is open for the user and a person, not the model, answers (RISK-4). */
  readonly status: 'active' | 'ended' | 'human-takeover';
  readonly profileId: string;
  readonly startedAt: number;
  /** Time of the last user message (or of the start). */
  readonly lastActivityAt: number;
  /** Start of the current stretch of continuous use (TIME-1). */
  readonly continuousSince: number;
  /** Usage reminders shown in the current stretch. */
  readonly remindersShown: number;
  /** DISC-6 repeated notices shown in the current stretch. */
  readonly disclosureRepeats: number;
  readonly lastDisclosureAt: number | null;
  readonly dependenceNoticeAt: number | null;
  readonly endedAt: number | null;
  readonly endReason: ExitVia | null;
  readonly turns: number;
  /**
   * Directives held back until a response reaches the user (see `holdDirectives`), with the audit events
   * that record them as shown. Absent when nothing is held (and in states stored before it existed).
   */
  readonly pendingDirectives?: PendingDirectives | undefined;
  /** MINOR-1: rest and reality reminders shown in the current stretch of continuous use (absent: none). */
  readonly minorReminders?: { readonly rest: number; readonly reality: number } | undefined;
  /** MINOR-1: `since` of the minor mode the user was last told about (the `minor-mode` directive). */
  readonly minorNoticeSince?: number | undefined;
  /**
   * NOTICE-1, ASSESS-3: ids of the service notices and function switch-offs shown in this session (each is
   * shown once per session; a new session shows them again). Absent: none.
   */
  readonly controlsShown?: readonly string[] | undefined;
}

/** Directives decided but not delivered yet, and the `*-shown` audit events to append once they are. */
export interface PendingDirectives {
  readonly directives: readonly Directive[];
  readonly audit: readonly AuditDraft[];
}

export type ExitVia = 'button' | 'keyword' | 'voice';

/** Facts about the user and deployment the machine needs besides the state. */
export interface SessionContext {
  readonly profile: Profile;
  readonly locale: Locale;
  readonly ageBand: AgeBand;
  /**
   * ELDER-1: an elderly user has no emergency contact yet (checked when a session starts; absent = not
   * known, no guidance shown).
   */
  readonly emergencyContactMissing?: boolean;
  /** Minor mode is on without a registered minor age (e.g. suspected, MINOR-5): minors' protections apply. */
  readonly minorMode?: boolean;
  /** The character of the turn (MINOR-3, ELDER-3 check its relation); absent where no turn is decided. */
  readonly character?: Pick<CharacterRecord, 'id' | 'relation' | 'scope'> | undefined;
  /** The minor mode's facts for users in minor mode (MINOR-1..3); absent or null for everybody else. */
  readonly minor?: MinorTurnFacts | null | undefined;
  /** RISK-1: the user's dependence score before this message, decayed to now (absent: 0). */
  readonly dependenceScore?: number;
  /** NOTICE-1, ASSESS-3: the switches and notices that concern this turn; absent: none. */
  readonly controls?: TurnControls | undefined;
}

/**
 * SCOPE-1: the companion rules apply (usage reminders TIME-1, the US repeated notices and break prompts DISC-6,
 * the over-reliance notice DISC-3): the character is a companion, or no character is known.
 */
export function isCompanion(ctx: SessionContext): boolean {
  return ctx.character?.scope !== 'tool';
}

/**
 * SCOPE-2: a session continues under another profile (the user's region changed): the state names the new
 * one, its own reminder counts start again (the next reminder follows the new cadence), and the switch is
 * audited. Unchanged state when the profile is the session's.
 */
export function switchProfile(state: SessionState, ctx: SessionContext): Transition {
  if (state.profileId === ctx.profile.id) return { state, directives: [], audit: [] };
  return {
    state: { ...state, profileId: ctx.profile.id, remindersShown: 0, disclosureRepeats: 0 },
    directives: [],
    audit: [
      {
        type: 'profile-switched',
        requirement: 'SCOPE-2',
        data: { from: state.profileId, to: ctx.profile.id },
      },
    ],
  };
}

/** True when minors' protections apply: a minor's age band, or minor mode on (MINOR-3, CONTENT-6). */
export function protectsMinor(ctx: SessionContext): boolean {
  return isMinorBand(ctx.ageBand) || ctx.minorMode === true;
}

/** An audit event the caller appends (it adds user and session ids). */
export interface AuditDraft {
  readonly type: string;
  readonly requirement: RequirementId;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Why the gateway answers itself instead of calling the model. */
export type ReplyReason =
  | 'exit'
  | 'session-ended'
  | 'crisis'
  | 'distress'
  | 'concerned-other'
  | 'input-blocked'
  | 'relative-refused'
  | 'takeover'
  // The minor mode's gates (MINOR-1..3) and the elderly's characters (ELDER-3).
  | 'character-not-allowed'
  | 'consent-required'
  | 'quiet-hours'
  | 'time-limit'
  // ASSESS-3: the character or the whole service is switched off.
  | 'feature-off';

/**
 * What the machine needs to know about the user's incident (RISK-4..6). The incident store is the source of
 * truth: it follows the user across sessions, characters, devices and restarts (RISK-6).
 */
export interface CrisisFacts {
  /** The user's active incident, or null. */
  readonly incident: Pick<Incident, 'state' | 'severity' | 'claimedBy' | 'escalatedAt'> | null;
  /** Operators on duty now: a person is promised only when there is one. */
  readonly operatorsOnDuty: number;
  /**
   * For a claimed incident: whether the operator holding it is still signed in. False (they signed out, were
   * disabled, or their session expired) means nobody is with the user: help lines, and no such claim.
   */
  readonly holderPresent?: boolean;
}

/** True when a person holds the user's incident and is still there. */
function personWithUser(facts: CrisisFacts): boolean {
  return facts.incident?.state === 'claimed' && facts.holderPresent !== false;
}

/** No incident and nobody on duty. */
export const noCrisis: CrisisFacts = { incident: null, operatorsOnDuty: 0 };

/** An incident the caller opens (or joins to the user's active one) with the turn. */
export interface IncidentRequest {
  readonly reason: IncidentReason;
  readonly severity: IncidentSeverity;
  readonly signals: readonly IncidentSignal[];
}

/** What to do with the turn: call the model, or answer with a fixed text and never call it. */
export type TurnAction =
  | { readonly kind: 'call-model' }
  | { readonly kind: 'reply'; readonly reason: ReplyReason; readonly text: string };

/** The result of every transition. `action` is present for user messages. */
export interface Transition {
  readonly state: SessionState;
  readonly directives: Directive[];
  readonly audit: AuditDraft[];
  readonly action?: TurnAction;
  /** An incident to open with the turn (RISK-4, RISK-5, ELDER-2). */
  readonly incident?: IncidentRequest;
}

const MINUTE = 60_000;

/** The `consent-required` text by what asking the guardian did (MINOR-2): each says only what happened. */
const consentTexts: Record<ConsentRequestOutcome, TextKey> = {
  sent: 'consentRequired',
  'rate-limited': 'consentRequiredAsked',
  'no-guardian': 'consentRequiredNoGuardian',
  'no-channel': 'consentRequiredNoChannel',
};

function applies(to: 'all' | 'minors', ctx: SessionContext): boolean {
  return to === 'all' || isMinorBand(ctx.ageBand);
}

function text(ctx: SessionContext, key: TextKey, values: Record<string, string | number> = {}): string {
  return fillText(ctx.profile.texts[key][ctx.locale], {
    hotlines: hotlineText(ctx.profile.crisis.hotlines, ctx.locale),
    ...values,
  });
}

/**
 * The crisis reply (RISK-3/4): the help lines in its own text, and a person promised only when one will come:
 * an operator is on duty and the profile takes over (or an operator already holds the incident).
 */
export function crisisReplyText(ctx: SessionContext, facts: CrisisFacts): string {
  const held = personWithUser(facts);
  // Once an incident escalated, the user was told nobody could be reached: no promise until one claims it.
  const escalated = facts.incident?.escalatedAt != null;
  const personComes = held || (!escalated && facts.operatorsOnDuty > 0 && ctx.profile.crisis.humanTakeover);
  return text(ctx, personComes ? 'crisisReplyOperator' : 'crisisReplyNoOperator');
}

/** A preset text of the profile in the context's locale, help lines filled in. */
export function presetText(ctx: SessionContext, key: TextKey): string {
  return text(ctx, key);
}

function directive(
  type: DirectiveType,
  requirement: RequirementId,
  display: DirectiveDisplay,
  body: string,
  data?: Record<string, unknown>,
): Directive {
  return data ? { type, requirement, display, text: body, data } : { type, requirement, display, text: body };
}

function hotlines(ctx: SessionContext): { name: string; number: string }[] {
  return ctx.profile.crisis.hotlines.map((h) => ({ name: h.name[ctx.locale], number: h.number }));
}

function crisisDirective(ctx: SessionContext, requirement: RequirementId): Directive {
  return directive('crisis-resources', requirement, 'banner', text(ctx, 'crisisResources'), {
    hotlines: hotlines(ctx),
  });
}

/**
 * True when a message at `at` should open a new session rather than continue `state`: the user returns
 * after the configured absence (a new login, DISC-2).
 */
export function isNewLogin(state: SessionState, at: number, profile: Profile): boolean {
  return at - state.lastActivityAt >= profile.session.newSessionAfterAbsenceMinutes * MINUTE;
}

/**
 * Starts a session. `previous` is the user's latest session with any character, if any: it decides whether
 * the NY once-a-day notice is due. `takeover`: the user's incident holds the chat (RISK-6), so the session
 * starts in `human-takeover` with the help lines.
 *
 * @example
 * startSession({ at: 0, ctx, reason: 'first-use' }).directives[0]?.type // 'ai-disclosure'
 */
export function startSession(input: {
  at: number;
  ctx: SessionContext;
  reason: 'first-use' | 'new-login' | 'new-chat';
  previous?: SessionState | undefined;
  takeover?: boolean;
}): Transition {
  const { at, ctx, previous, reason } = input;
  const takeover = input.takeover === true;
  const { disclosure } = ctx.profile;
  const requirement = reason === 'first-use' ? 'DISC-1' : 'DISC-2';
  const sinceLast =
    previous?.lastDisclosureAt == null ? Number.POSITIVE_INFINITY : at - previous.lastDisclosureAt;
  // Directives the user never received follow them into the new session; a held notice is not doubled.
  const carried = previous?.pendingDirectives;
  const showNotice =
    !carried?.directives.some((d) => d.type === 'ai-disclosure') &&
    disclosure.atSessionStart &&
    (disclosure.startNoticeForAll || applies(disclosure.appliesTo, ctx)) &&
    sinceLast >= disclosure.minIntervalMinutes * MINUTE;
  // TIME-1 counts continuous use of the service: a new chat or another character does not reset it.
  const continuing =
    previous !== undefined && at - previous.lastActivityAt < ctx.profile.session.idleGapMinutes * MINUTE;
  const state: SessionState = {
    status: takeover ? 'human-takeover' : 'active',
    profileId: ctx.profile.id,
    startedAt: at,
    lastActivityAt: at,
    continuousSince: continuing ? previous.continuousSince : at,
    remindersShown: continuing ? previous.remindersShown : 0,
    disclosureRepeats: continuing ? previous.disclosureRepeats : 0,
    lastDisclosureAt: showNotice ? at : (previous?.lastDisclosureAt ?? null),
    dependenceNoticeAt: null,
    endedAt: null,
    endReason: null,
    turns: 0,
    ...(carried ? { pendingDirectives: carried } : {}),
    ...(continuing && previous.minorReminders ? { minorReminders: previous.minorReminders } : {}),
    ...(previous?.minorNoticeSince !== undefined ? { minorNoticeSince: previous.minorNoticeSince } : {}),
  };
  const directives: Directive[] = [];
  const audit: AuditDraft[] = [
    { type: 'session-start', requirement, data: { reason, profile: ctx.profile.id } },
  ];
  if (showNotice) {
    directives.push(directive('ai-disclosure', requirement, 'popup', text(ctx, 'aiDisclosure')));
    audit.push({ type: 'disclosure-shown', requirement });
  }
  if (ctx.ageBand === 'elderly' && ctx.emergencyContactMissing === true) {
    directives.push(
      directive('emergency-contact-needed', 'ELDER-1', 'banner', text(ctx, 'emergencyContactNeeded')),
    );
    audit.push({
      type: 'directive-shown',
      requirement: 'ELDER-1',
      data: { directive: 'emergency-contact-needed' },
    });
  }
  if (takeover) {
    directives.push(crisisDirective(ctx, 'RISK-6'));
    audit.push({ type: 'crisis-carried', requirement: 'RISK-6' });
  }
  return { state, directives, audit };
}

const shownEvents: ReadonlySet<string> = new Set(['disclosure-shown', 'reminder-shown', 'directive-shown']);

/**
 * Holds a transition's directives back until a response reaches the user: they move into the state's
 * `pendingDirectives` with their `*-shown` audit events, so nothing is recorded as shown that the user did not
 * get. The other events stay (they record decisions, not delivery). For a turn whose response can still
 * fail after the turn is stored: a non-streamed model reply.
 *
 * @example
 * holdDirectives(startSession({ at: 0, ctx, reason: 'first-use' })).directives // [] (the notice is pending)
 */
export function holdDirectives<T extends Transition>(t: T): T {
  const shown = t.audit.filter((a) => shownEvents.has(a.type));
  if (t.directives.length === 0 && shown.length === 0) return t;
  const held = t.state.pendingDirectives;
  return {
    ...t,
    state: {
      ...t.state,
      pendingDirectives: {
        directives: [...(held?.directives ?? []), ...t.directives],
        audit: [...(held?.audit ?? []), ...shown],
      },
    },
    directives: [],
    audit: t.audit.filter((a) => !shownEvents.has(a.type)),
  };
}

/**
 * Delivers a transition in a response that reaches the user: the held directives come first, then its own,
 * and their `*-shown` audit events are appended now. Returns `t` itself when nothing is held.
 */
export function releaseDirectives<T extends Transition>(t: T): T {
  const held = t.state.pendingDirectives;
  if (!held) return t;
  const { pendingDirectives: _, ...state } = t.state;
  return {
    ...t,
    state,
    directives: [...held.directives, ...t.directives],
    audit: [...t.audit, ...held.audit],
  };
}

/**
 * Applies the passage of time up to `at`: continuity (TIME-1), usage reminders and DISC-6 repeated notices.
 * Used by every event and by timers (`tick`).
 */
export function advanceTime(state: SessionState, at: number, ctx: SessionContext): Transition {
  const { profile } = ctx;
  let s = state;
  const directives: Directive[] = [];
  const audit: AuditDraft[] = [];
  if (s.status === 'ended') return { state: s, directives, audit };
  if (at - s.lastActivityAt >= profile.session.idleGapMinutes * MINUTE) {
    s = { ...s, continuousSince: at, remindersShown: 0, disclosureRepeats: 0, minorReminders: undefined };
  }
  const elapsed = at - s.continuousSince;
  // SCOPE-1: usage reminders and the US repeated notices are companion rules; a tool character has none.
  const companion = isCompanion(ctx);
  const reminder = profile.usageReminder;
  if (companion && reminder && applies(reminder.appliesTo, ctx)) {
    const due = Math.floor(elapsed / (reminder.everyMinutes * MINUTE));
    if (due > s.remindersShown && (reminder.repeat || s.remindersShown === 0)) {
      const minutes = due * reminder.everyMinutes;
      const key = reminder.directive === 'take-a-break' ? 'takeABreak' : 'usageReminder';
      directives.push(
        directive(
          reminder.directive,
          reminder.requirement,
          'popup',
          // One decimal: a profile may remind every 20 minutes ("0.3 hours", not "0.3333333333333333").
          text(ctx, key, { minutes, hours: Math.round(minutes / 6) / 10 }),
          {
            minutes,
          },
        ),
      );
      audit.push({ type: 'reminder-shown', requirement: reminder.requirement, data: { minutes } });
      s = { ...s, remindersShown: due };
    }
  }
  const every = profile.disclosure.repeatEveryMinutes;
  if (companion && every !== null && applies(profile.disclosure.appliesTo, ctx)) {
    const due = Math.floor(elapsed / (every * MINUTE));
    if (due > s.disclosureRepeats) {
      directives.push(directive('ai-disclosure', 'DISC-6', 'popup', text(ctx, 'aiDisclosureRepeat')));
      audit.push({ type: 'disclosure-shown', requirement: 'DISC-6', data: { minutes: due * every } });
      s = { ...s, disclosureRepeats: due, lastDisclosureAt: at };
    }
  }
  return { state: s, directives, audit };
}

/** Ends the session at once (EXIT-1/2/3). Further messages get `session-ended` without a model call. */
export function endSession(state: SessionState, at: number, via: ExitVia, ctx: SessionContext): Transition {
  if (state.status === 'ended') {
    return { state, directives: [sessionEndedDirective(ctx)], audit: [] };
  }
  const requirement = via === 'button' ? 'EXIT-1' : 'EXIT-2';
  return {
    state: { ...state, status: 'ended', endedAt: at, endReason: via },
    directives: [
      directive('exit-confirmed', requirement, 'inline', text(ctx, 'exitConfirmed')),
      sessionEndedDirective(ctx),
    ],
    audit: [{ type: 'session-exit', requirement, data: { via } }],
  };
}

function sessionEndedDirective(ctx: SessionContext): Directive {
  return directive('session-ended', 'EXIT-3', 'inline', text(ctx, 'sessionEnded'));
}

function reply(reason: ReplyReason, body: string): TurnAction {
  return { kind: 'reply', reason, text: body };
}

const signalDetectors: ReadonlySet<DetectorName> = new Set([
  'crisis',
  'emotion',
  'dependence',
  'age-signal',
  'scam-signal',
]);

type MinorGate = 'character-not-allowed' | 'consent-required' | 'quiet-hours' | 'time-limit';

/**
 * The minor mode's gates on a user message (MINOR-1..3, ELDER-3), in order: a character the user may never
 * have (asking consent for it would promise what never comes), the guardian's consent, the quiet hours, the
 * daily limit. A gate answers with its directive and no model call. An allowed turn of a user in minor mode
 * gets the non-blocking notices: the mode just entered, the rest reminder and the reality reminder.
 */
function minorGates(
  state: SessionState,
  at: number,
  ctx: SessionContext,
): Transition & { readonly refusal?: TurnAction } {
  const { profile, character } = ctx;
  const minor = ctx.minor?.mode.on ? ctx.minor : null;
  const directives: Directive[] = [];
  const audit: AuditDraft[] = [];
  const refuse = (
    gate: MinorGate,
    requirement: RequirementId,
    body: string,
    data: Record<string, unknown> = {},
  ) => {
    directives.push(directive(gate, requirement, 'inline', body, data));
    audit.push({ type: 'minor-gate', requirement, data: { gate, ...data } });
    return { state, directives, audit, refusal: reply(gate, body) };
  };
  if (character) {
    const refusal = characterRefusal(profile, character, ctx.ageBand, {
      on: minor !== null,
      state: minor?.state ?? null,
    });
    if (refusal === 'elderly-kin') {
      return refuse('character-not-allowed', 'ELDER-3', text(ctx, 'characterNotAllowedKin'), {
        refusal,
        characterId: character.id,
      });
    }
    if (refusal) {
      return refuse('character-not-allowed', 'MINOR-3', text(ctx, 'characterNotAllowedMinor'), {
        refusal,
        characterId: character.id,
      });
    }
  }
  if (!minor) return { state, directives, audit };
  const consent = minor.state.consent;
  if (
    character &&
    consentRequired(profile, minor.mode.band, character) &&
    (!consent || consent.revokedAt !== null)
  ) {
    const told = consentTexts[minor.consentRequest ?? 'no-channel'];
    return refuse('consent-required', 'MINOR-2', text(ctx, told), {
      band: minor.mode.band,
      scope: character.scope,
    });
  }
  const quiet = quietHoursOf(profile, minor.state);
  if (inQuietHours(at, minor.timeZone, quiet)) {
    return refuse('quiet-hours', 'MINOR-1', text(ctx, 'quietHours', { ...quiet }), { ...quiet });
  }
  const limit = dailyLimitMinutes(profile, minor.mode.band, minor.state);
  if (minor.usedMinutes >= limit) {
    return refuse('time-limit', 'MINOR-1', text(ctx, 'timeLimit', { limit }), {
      limit,
      usedMinutes: Math.floor(minor.usedMinutes),
    });
  }

  let s = state;
  const since = minor.state.since;
  const reason = minor.mode.reason ?? 'declared';
  // MINOR-5: the gateway tells a suspected user in the turn that switched the mode (with how to appeal).
  if (since !== null && since !== s.minorNoticeSince && reason !== 'suspected') {
    const key = reason === 'guardian' ? 'minorModeGuardian' : 'minorModeDeclared';
    directives.push(directive('minor-mode', 'MINOR-1', 'popup', text(ctx, key, { ...quiet }), { reason }));
    audit.push({
      type: 'directive-shown',
      requirement: 'MINOR-1',
      data: { directive: 'minor-mode', reason },
    });
    s = { ...s, minorNoticeSince: since };
  }
  const elapsed = at - s.continuousSince;
  const shown = s.minorReminders ?? { rest: 0, reality: 0 };
  const rest = profile.minors.restReminderAfterMinutes;
  const restDue = Math.floor(elapsed / (rest * MINUTE));
  if (restDue > shown.rest) {
    const minutes = restDue * rest;
    directives.push(
      directive('rest-reminder', 'MINOR-1', 'popup', text(ctx, 'restReminder', { minutes }), { minutes }),
    );
    audit.push({
      type: 'reminder-shown',
      requirement: 'MINOR-1',
      data: { directive: 'rest-reminder', minutes },
    });
  }
  const every = profile.minors.realityReminderEveryMinutes;
  const realityDue = every === null ? 0 : Math.floor(elapsed / (every * MINUTE));
  if (every !== null && realityDue > shown.reality) {
    directives.push(
      directive('ai-disclosure', 'MINOR-1', 'popup', text(ctx, 'realityReminder'), { reminder: 'reality' }),
    );
    audit.push({
      type: 'disclosure-shown',
      requirement: 'MINOR-1',
      data: { reminder: 'reality', minutes: realityDue * every },
    });
  }
  if (restDue > shown.rest || realityDue > shown.reality) {
    s = {
      ...s,
      minorReminders: { rest: Math.max(restDue, shown.rest), reality: Math.max(realityDue, shown.reality) },
    };
  }
  return { state: s, directives, audit };
}

/** An effective time as the users read it: `YYYY-MM-DD HH:MM` in the profile's default time zone. */
function noticeTime(at: number, profile: Profile): string {
  const zone = profile.session.defaultTimeZone;
  const minute = localMinuteOfDay(at, zone);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return `${localDay(at, zone)} ${hh}:${mm}`;
}

const noticeTexts = {
  character: 'noticeCharacter',
  function: 'noticeFunction',
  service: 'noticeService',
  outage: 'noticeOutage',
} as const satisfies Record<string, TextKey>;

/** NOTICE-1: the text of a service notice in `locale` (`name`: its character's or function's name). */
export function serviceNoticeText(profile: Profile, locale: Locale, { notice, name }: TurnNotice): string {
  return fillText(profile.texts[noticeTexts[notice.scope]][locale], {
    name: name?.[locale] ?? notice.target,
    date: noticeTime(notice.effectiveAt, profile),
  });
}

const offTexts = {
  character: 'featureOffCharacter',
  function: 'featureOffFunction',
  service: 'featureOffService',
} as const satisfies Record<string, TextKey>;

/** The `feature-off` directive of something switched off (ASSESS-3). */
function featureOff(ctx: SessionContext, off: OffTarget, display: DirectiveDisplay): Directive {
  const body = text(ctx, offTexts[off.scope], { name: off.name?.[ctx.locale] ?? off.target });
  return directive('feature-off', 'ASSESS-3', display, body, {
    scope: off.scope,
    target: off.target,
    by: off.by,
    id: off.id,
    since: new Date(off.since).toISOString(),
  });
}

/**
 * NOTICE-1, ASSESS-3: the service notices and the function switch-offs this session has not shown yet, once
 * each per session (so at the start of every session, and in the first turn after a new one). The ids kept
 * are those still current.
 */
function controlNotices(state: SessionState, ctx: SessionContext): Transition {
  const controls = ctx.controls;
  const shown = state.controlsShown ?? [];
  if (!controls || (controls.notices.length === 0 && controls.functionsOff.length === 0)) {
    return {
      state: shown.length > 0 ? { ...state, controlsShown: undefined } : state,
      directives: [],
      audit: [],
    };
  }
  const directives: Directive[] = [];
  const audit: AuditDraft[] = [];
  for (const shownNotice of controls.notices) {
    const { notice } = shownNotice;
    if (shown.includes(notice.id)) continue;
    const body = serviceNoticeText(ctx.profile, ctx.locale, shownNotice);
    directives.push(
      directive('service-notice', 'NOTICE-1', 'banner', body, {
        noticeId: notice.id,
        scope: notice.scope,
        target: notice.target,
        effectiveAt: new Date(notice.effectiveAt).toISOString(),
      }),
    );
    audit.push({
      type: 'directive-shown',
      requirement: 'NOTICE-1',
      data: { directive: 'service-notice', noticeId: notice.id, scope: notice.scope },
    });
  }
  for (const off of controls.functionsOff) {
    if (shown.includes(off.id)) continue;
    directives.push(featureOff(ctx, off, 'banner'));
    audit.push({
      type: 'directive-shown',
      requirement: 'ASSESS-3',
      data: { directive: 'feature-off', scope: off.scope, target: off.target, id: off.id },
    });
  }
  const current = [...controls.notices.map((n) => n.notice.id), ...controls.functionsOff.map((f) => f.id)];
  return { state: { ...state, controlsShown: current }, directives, audit };
}

/**
 * Decides a user message from its findings: exit, crisis flow, refusals, notices, or a model call.
 * The message itself is stored by the caller before this decision is acted on.
 *
 * @example
 * onUserMessage(state, { at, findings: [exitFinding] }, ctx).action // { kind: 'reply', reason: 'exit', … }
 */
export function onUserMessage(
  state: SessionState,
  input: { at: number; findings: readonly Finding[]; crisis?: CrisisFacts },
  ctx: SessionContext,
): Transition & { readonly action: TurnAction } {
  const { at, findings } = input;
  const facts = input.crisis ?? noCrisis;
  const { profile } = ctx;
  if (state.status === 'ended') {
    return {
      state,
      directives: [sessionEndedDirective(ctx)],
      audit: [{ type: 'message-after-exit', requirement: 'EXIT-3' }],
      action: reply('session-ended', text(ctx, 'sessionEnded')),
    };
  }
  const switched = switchProfile(state, ctx);
  const timed = advanceTime(switched.state, at, ctx);
  // Service notices come with every kind of reply, safety replies included (NOTICE-1).
  const noticed = controlNotices(timed.state, ctx);
  let s: SessionState = { ...noticed.state, lastActivityAt: at, turns: timed.state.turns + 1 };
  const directives = [...timed.directives, ...noticed.directives];
  const audit = [...switched.audit, ...timed.audit, ...noticed.audit];
  let incident: IncidentRequest | undefined;
  const done = (action: TurnAction) => ({
    state: s,
    directives,
    audit,
    action,
    ...(incident ? { incident } : {}),
  });
  const signalOf = (f: Finding): IncidentSignal => ({ detector: f.detector, rule: f.rule, tier: f.tier });
  const has = (detector: DetectorName, pred: (f: Finding) => boolean = () => true) =>
    findings.find((f) => f.detector === detector && f.status === 'ok' && f.tier > 0 && pred(f));

  const signals = findings.filter((f) => f.status === 'ok' && signalDetectors.has(f.detector) && f.tier > 0);
  if (signals.length > 0) {
    audit.push({
      type: 'signal-detected',
      requirement: 'RISK-1',
      data: { signals: signals.map((f) => ({ rule: f.rule, tier: f.tier, confidence: f.confidence })) },
    });
  }

  // A crisis comes before everything, an exit included: "再见了，我准备今晚自杀" is not a goodbye to confirm.
  // A plain exit during a takeover is honoured (EXIT-3); the incident stays open for the next session (RISK-6).
  const severe = has('crisis', (f) => f.tier === 2 && f.category !== 'concerned-other');
  const leaving = has('exit-intent');
  const takeover = isTakeover(facts.incident, profile.crisis.humanTakeover);
  if (severe) {
    const held = facts.incident?.state === 'claimed';
    incident = {
      reason: 'crisis',
      severity: 'critical',
      signals: findings
        .filter((f) => f.status === 'ok' && f.detector === 'crisis' && f.tier > 0)
        .map(signalOf),
    };
    const takesOver = profile.crisis.humanTakeover || held;
    if (takesOver) s = { ...s, status: 'human-takeover' };
    audit.push({
      type: 'crisis-detected',
      requirement: 'RISK-4',
      data: { rule: severe.rule, takeover: takesOver },
    });
    directives.push(crisisDirective(ctx, 'RISK-3'));
    audit.push({ type: 'directive-shown', requirement: 'RISK-3', data: { directive: 'crisis-resources' } });
    return done(reply('crisis', crisisReplyText(ctx, facts)));
  }
  if (takeover && !leaving) {
    s = { ...s, status: 'human-takeover' };
    if (personWithUser(facts)) {
      directives.push(directive('human-takeover', 'RISK-4', 'banner', text(ctx, 'humanTakeover')));
      audit.push({ type: 'directive-shown', requirement: 'RISK-4', data: { directive: 'human-takeover' } });
      return done(reply('takeover', text(ctx, 'humanTakeover')));
    }
    // Nobody holds it yet: the help lines, and a person promised only if one is on duty.
    directives.push(crisisDirective(ctx, 'RISK-3'));
    audit.push({ type: 'directive-shown', requirement: 'RISK-3', data: { directive: 'crisis-resources' } });
    return done(reply('takeover', crisisReplyText(ctx, facts)));
  }
  if (s.status === 'human-takeover') {
    // The person has left: unless the user is leaving, they are told the AI answers again (DISC-1).
    s = { ...s, status: 'active' };
    if (!leaving) {
      directives.push(directive('ai-disclosure', 'DISC-1', 'popup', text(ctx, 'handbackNotice')));
      audit.push({ type: 'disclosure-shown', requirement: 'DISC-1', data: { reason: 'handback' } });
    }
  }

  const concerned = has('crisis', (f) => f.category === 'concerned-other');
  const distress = has('crisis', (f) => f.tier === 1) ?? has('emotion', (f) => f.tier === 2);
  const openCrisisLeaving = facts.incident !== null && facts.incident.severity === 'critical' && !!leaving;
  if (concerned || distress || openCrisisLeaving) {
    // A threat to life (another's, or the user's own open crisis) is RISK-3; plain distress is RISK-2.
    const requirement = concerned || openCrisisLeaving ? 'RISK-3' : 'RISK-2';
    directives.push(crisisDirective(ctx, requirement));
    audit.push({
      type: 'directive-shown',
      requirement,
      data: { directive: 'crisis-resources', rule: (concerned ?? distress)?.rule },
    });
  }

  // The user may always leave (EXIT-3); help lines found above stay on screen.
  if (leaving) {
    const ended = endSession(s, at, 'keyword', ctx);
    s = ended.state;
    directives.push(...ended.directives);
    audit.push(...ended.audit);
    return done(reply('exit', text(ctx, 'exitConfirmed')));
  }

  if (concerned) return done(reply('concerned-other', text(ctx, 'concernedOtherReply')));
  if (distress) {
    const tier1 = has('crisis', (f) => f.tier === 1);
    if (tier1 && profile.crisis.incidentOnTier1) {
      incident = { reason: 'crisis', severity: 'high', signals: [signalOf(tier1)] };
    }
    return done(reply('distress', text(ctx, 'distressReply')));
  }

  // Scam and property-loss signals come before the minor gates: a minor reporting a scam at night still gets
  // the warning, and the guardian is told (RISK-5, ELDER-4).
  const scam = has('scam-signal', (f) => f.tier > 0);
  if (scam) {
    directives.push(directive('risk-warning', 'ELDER-4', 'banner', text(ctx, 'scamWarning')));
    audit.push({
      type: 'directive-shown',
      requirement: 'ELDER-4',
      data: { directive: 'risk-warning', rule: scam.rule },
    });
    const protectedUser = isMinorBand(ctx.ageBand) || ctx.ageBand === 'elderly';
    const scams = findings.filter((f) => f.status === 'ok' && f.detector === 'scam-signal' && f.tier === 2);
    if (protectedUser && scams.length > 0 && profile.crisis.incidentOnScamForMinorsAndElderly) {
      // RISK-5 / ELDER-2: property at risk; the guardian or emergency contact is told, the chat goes on.
      incident = { reason: 'scam', severity: 'high', signals: scams.map(signalOf) };
    }
  }

  // ASSESS-3: a character or the whole service switched off answers with the directive, never the model
  // (crisis, distress, exits and scam warnings above come first: safety never depends on it).
  const off = ctx.controls?.off;
  if (off) {
    const shownOff = featureOff(ctx, off, 'inline');
    directives.push(shownOff);
    audit.push({
      type: 'feature-off',
      requirement: 'ASSESS-3',
      data: { scope: off.scope, target: off.target, by: off.by, id: off.id },
    });
    return done(reply('feature-off', shownOff.text));
  }

  // Crisis, distress and exits are answered above; then the minor mode's gates, before anything else.
  const gated = minorGates(s, at, ctx);
  s = gated.state;
  directives.push(...gated.directives);
  audit.push(...gated.audit);
  if (gated.refusal) return done(gated.refusal);

  const failed = findings.filter((f) => f.status === 'error');
  if (failed.length > 0) {
    audit.push({
      type: 'detector-failed',
      requirement: 'CONTENT-1',
      data: { rules: failed.map((f) => f.rule), failMode: profile.failModes.inputDetector },
    });
    if (profile.failModes.inputDetector === 'block') {
      directives.push(directive('input-blocked', 'CONTENT-1', 'inline', text(ctx, 'inputBlocked')));
      return done(reply('input-blocked', text(ctx, 'inputBlocked')));
    }
  }

  // A prohibited term inside a scam sign is the victim's report ("说我涉嫌洗钱"), not a request: the scam
  // warning and the contact's alert below must not be blocked by it (ELDER-2, ELDER-4).
  const scamSpans = findings.filter((f) => f.status === 'ok' && f.detector === 'scam-signal' && f.tier > 0);
  const inScamSign = (f: Finding) => scamSpans.some((g) => g.span[0] <= f.span[0] && f.span[1] <= g.span[1]);
  const prohibited = has('prohibited', (f) => f.tier === 2 && !inScamSign(f));
  if (prohibited) {
    directives.push(directive('input-blocked', 'CONTENT-1', 'inline', text(ctx, 'inputBlocked')));
    audit.push({ type: 'input-blocked', requirement: 'CONTENT-1', data: { rule: prohibited.rule } });
    return done(reply('input-blocked', text(ctx, 'inputBlocked')));
  }

  // ELDER-3: no simulation of an elderly user's relatives; MINOR-3: no partner or kin for a minor.
  const relative = has('relative-impersonation');
  const minorRefused = relative !== undefined && protectsMinor(ctx);
  const elderRefused =
    relative !== undefined &&
    relative.category !== 'partner' &&
    ctx.ageBand === 'elderly' &&
    profile.elderly.refuseRelativeImpersonation;
  if (relative && (minorRefused || elderRefused)) {
    const requirement = minorRefused ? 'MINOR-3' : 'ELDER-3';
    const body = text(ctx, minorRefused ? 'roleplayRefusedMinor' : 'relativeRefused');
    directives.push(directive('roleplay-refused', requirement, 'inline', body));
    audit.push({
      type: 'roleplay-refused',
      requirement,
      data: { rule: relative.rule, category: relative.category },
    });
    return done(reply('relative-refused', body));
  }

  // SCOPE-1: the over-reliance notice is a companion rule (a tool character has none).
  const companion = isCompanion(ctx);
  const dependence = companion ? has('dependence', (f) => f.tier > 0) : undefined;
  // RISK-1: a dependence that built up over days brings the notice at the start of each session too.
  const sustained =
    companion && s.turns === 1 && (ctx.dependenceScore ?? 0) >= profile.emotionalState.sustainedDependenceAt;
  const cooled =
    s.dependenceNoticeAt === null ||
    at - s.dependenceNoticeAt >= profile.dependence.noticeCooldownMinutes * MINUTE;
  if ((dependence || sustained) && cooled) {
    directives.push(directive('dependence-notice', 'DISC-3', 'popup', text(ctx, 'dependenceNotice')));
    audit.push({
      type: 'directive-shown',
      requirement: 'DISC-3',
      data: dependence
        ? { directive: 'dependence-notice', rule: dependence.rule }
        : { directive: 'dependence-notice', rule: 'sustained', score: ctx.dependenceScore },
    });
    s = { ...s, dependenceNoticeAt: at };
  }
  return done({ kind: 'call-model' });
}

/** Requirement a withheld output finding violates. */
function outputRequirement(f: Finding) {
  if (f.detector === 'unsafe-imitation') return 'CONTENT-6';
  if (f.detector === 'human-claim') return 'DISC-1';
  if (f.category.includes('self-harm')) return 'CONTENT-2';
  if (f.detector === 'prohibited') return 'CONTENT-1';
  if (/farewell|exit|restraint|pressure|fomo/.test(f.category)) return 'EXIT-3';
  if (/personal|password|code|privacy/.test(f.category)) return 'CONTENT-4';
  if (/syco|dependence|isolation/.test(f.category)) return 'CONTENT-5';
  return 'CONTENT-3';
}

const withholding: ReadonlySet<DetectorName> = new Set(WITHHOLDING_DETECTORS);
/** Manipulation categories that only try to keep a leaving user (EXIT-3). */
const holdingBack: ReadonlySet<string> = new Set(['guilt-at-farewell', 'pressure-to-stay', 'ignoring-exit']);
const withholdingForMinors: ReadonlySet<DetectorName> = new Set(MINOR_WITHHOLDING_DETECTORS);

/**
 * Decides model output from its findings (checked while it streams): withhold and replace it when a
 * detector of `WITHHOLDING_DETECTORS` finds it manipulative (guilt, pressure, encouraging self-harm …) or
 * prohibited, or when an output detector failed and the profile fails closed. A minor's reply is also withheld
 * when it invites imitation of unsafe behaviour (`unsafe-imitation`, CONTENT-6).
 */
export function onAssistantOutput(
  state: SessionState,
  input: { findings: readonly Finding[] },
  ctx: SessionContext,
): Transition & { readonly withhold: boolean } {
  const { profile } = ctx;
  const failed = input.findings.filter((f) => f.status === 'error');
  const detectors = protectsMinor(ctx) ? withholdingForMinors : withholding;
  const bad = input.findings.filter((f) => f.status === 'ok' && f.tier > 0 && detectors.has(f.detector));
  const audit: AuditDraft[] = [];
  if (failed.length > 0) {
    audit.push({
      type: 'detector-failed',
      requirement: 'CONTENT-1',
      data: { rules: failed.map((f) => f.rule), failMode: profile.failModes.outputDetector, side: 'output' },
    });
  }
  const withhold = bad.length > 0 || (failed.length > 0 && profile.failModes.outputDetector === 'block');
  if (!withhold) return { state, directives: [], audit, withhold };
  const first = bad[0];
  const requirement = first ? outputRequirement(first) : 'CONTENT-1';
  audit.push({
    type: 'output-withheld',
    requirement,
    data: { rules: bad.map((f) => f.rule) },
  });
  // A reply that only tried to hold the user back at a farewell gives way to a plain goodbye (EXIT-3).
  const farewell =
    bad.length > 0 && bad.every((f) => f.detector === 'manipulation' && holdingBack.has(f.category));
  const body = text(ctx, farewell ? 'farewellInstead' : 'outputWithheld');
  return {
    state,
    directives: [directive('output-withheld', requirement, 'inline', body)],
    audit,
    withhold,
  };
}
