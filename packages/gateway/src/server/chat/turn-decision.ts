import {
  type AuditInput,
  type Clock,
  consentsAsMinor,
  currentScores,
  type ExitVia,
  endSession,
  type Finding,
  heldConsent,
  holdDirectives,
  type IncidentRequest,
  type Locale,
  type MessageAuthor,
  type MessageRecord,
  onAssistantOutput,
  onUserMessage,
  type Profile,
  releaseDirectives,
  type SessionContext,
  type Store,
  type StoredIncident,
  type Transition,
  type TurnAction,
  type TurnActivity,
  type UserRecord,
  userAgeBand,
} from '@companion-guard/core';
import type { Detection } from '../../detection.js';
import { heldByPerson, type IncidentService } from '../incidents/incident-service.js';
import { type AiLabel, type Compliance, complianceOf, type Session } from './compliance.js';
import type { OpenedSession, SessionDirectory } from './session-directory.js';
import { auditInputs, newContentId, newMessage } from './turn-records.js';

/** A user message to decide. */
export interface TurnRequest {
  readonly opened: OpenedSession;
  readonly user: UserRecord;
  readonly ctx: SessionContext;
  readonly text: string;
  /**
   * Streamed responses deliver the directives in their first chunk, before any content; a non-streamed
   * model reply delivers them only with the reply, so they are held until then (`holdDirectives`).
   */
  readonly stream: boolean;
  readonly now: number;
  /** The user's active incident (RISK-6: it follows the user everywhere), or null. */
  readonly incident: StoredIncident | null;
  /**
   * Findings in the client-sent history not checked before (`history-check.ts`): they decide the turn as if
   * sent now, but are not in `DecidedTurn.findings` (no score counts them again).
   */
  readonly historyFindings?: readonly Finding[];
}

/** A turn decided and stored: the user message is committed before anything is generated. */
export interface DecidedTurn {
  /** The session after the turn's commit. */
  readonly record: Session;
  readonly user: UserRecord;
  readonly ctx: SessionContext;
  readonly stream: boolean;
  readonly action: TurnAction;
  /** The envelope for the start of the response: the directives delivered with it (none while held). */
  readonly compliance: Compliance;
  /** The label and content ID of the reply. */
  readonly label: AiLabel;
  /** An incident the turn asks to open (or join), or null. */
  readonly incidentRequest: IncidentRequest | null;
  /** The stored user message. */
  readonly userMessageId: string;
  /** During a takeover: the operator's (or the fallback) messages this reply delivers, else empty. */
  readonly delivered: readonly MessageRecord[];
  /**
   * The findings in the turn's own message (MINOR-5 scores the age signals, RISK-1 the emotional signals
   * among them). Not the history's: a message was scored when it was the live turn.
   */
  readonly findings: readonly Finding[];
  /**
   * ASSESS-2: the turn's count when the model is called. Not needed before the model call, it is committed
   * with the reply (`settle`) or the failure (`recordFailure`); null when the turn's commit counted it.
   */
  readonly activity: TurnActivity | null;
}

/** A model reply as produced, for `settle`. */
export interface ProducedReply {
  /** What the user was shown (a withheld reply: the replacement), or what was produced if never shown. */
  readonly text: string;
  /** The output decision when the reply was withheld (`judgeOutput`), else null. */
  readonly withheld: Transition | null;
  /** An exit or a disconnect cut the reply off: the response did not reach the user as a whole. */
  readonly interrupted: boolean;
}

/** Turns findings and the session state machine into what is committed and done. */
export interface TurnDecider {
  /**
   * Inspects a user message and commits its turn in one transaction (the message, the session transition,
   * the audit events), retrying on a version conflict. Safety replies (exit, crisis, blocked input) are
   * decided here and never reach the model.
   */
  decide(request: TurnRequest): Promise<DecidedTurn>;
  /** Pure: whether output with these findings (so far) is withheld, and the decision that records it. */
  judgeOutput(turn: DecidedTurn, findings: readonly Finding[]): Transition & { readonly withhold: boolean };
  /**
   * Stores a produced reply (`delivered`, `replaced`, or `interrupted` when a non-streamed reply never
   * reached the user) and, when the response reaches the user, delivers and audits the directives held for
   * it. Returns the envelope of directives that go with the end of the reply, or null.
   */
  settle(turn: DecidedTurn, reply: ProducedReply): Promise<Compliance | null>;
  /** Records that the model failed the turn (NOTICE-1). Never throws: the failure itself is what matters. */
  recordFailure(turn: DecidedTurn, code: string): Promise<void>;
  /** EXIT-1 and voice exit: ends the session at once; held directives are delivered with the answer. */
  exit(
    record: Session,
    user: UserRecord,
    ctx: SessionContext,
    via: ExitVia,
    now: number,
  ): Promise<Compliance>;
}

export interface TurnDeciderOptions {
  readonly clock: Clock;
  readonly directory: SessionDirectory;
  readonly detection: Detection;
  readonly audit: Pick<Store, 'appendAudit'>;
  readonly incidents: IncidentService;
}

/**
 * The session machine's context for this user at `now` (the request's locale wins over the stored one;
 * the age band is derived from the registered age, so birthdays move users between bands).
 */
export function sessionContext(
  profile: Profile,
  user: UserRecord,
  now: number,
  locale?: Locale,
): SessionContext {
  return {
    profile,
    locale: locale ?? user.locale,
    ageBand: userAgeBand(user, now, profile.elderly.ageFrom),
    ...(user.minorMode ? { minorMode: true } : {}),
    dependenceScore: currentScores(user.emotionalScores, now, profile.emotionalState).dependence,
  };
}

/**
 * The AI label of a reply (DISC-4) in the user's profile: its visible text, a new content ID, and the
 * machine-readable mark where the profile asks for it (EU AI Act Art. 50(2)).
 */
export function aiLabel(profile: Profile, locale: Locale): AiLabel {
  const label = { text: profile.texts.label[locale], contentId: newContentId() };
  return profile.disclosure.machineReadableMark
    ? { ...label, machineReadable: { producer: profile.dataRights.aigcProducer } }
    : label;
}

export function createTurnDecider(options: TurnDeciderOptions): TurnDecider {
  const { clock, directory } = options;

  return {
    async decide({ opened, user, ctx, text, stream, now, incident, historyFindings = [] }) {
      // SCOPE-2: the user's profile decides the turn (the default only sets deployment-wide things).
      const { profile } = ctx;
      // DATA-2: third-party guards only with the user's consent (a minor's guardian's) where the profile
      // asks for it; the consent history is read only when such a guard exists.
      const thirdParty =
        !options.detection.hasThirdPartyGuards ||
        !profile.dataRights.thirdPartyGuardsNeedConsent ||
        heldConsent(
          await directory.consentHistory(user),
          'third_party',
          consentsAsMinor(ctx.ageBand, user.minorMode),
        ) !== undefined;
      const inspected = await options.detection.inspectInput(text, { thirdParty, profile });
      const { consulted, skipped } = inspected;
      const findings = [...inspected.findings, ...historyFindings];
      const label = aiLabel(profile, ctx.locale);
      const found = (detector: string, tier?: number) =>
        findings.some(
          (f) => f.detector === detector && f.status === 'ok' && f.tier > 0 && (!tier || f.tier === tier),
        );
      // A person is promised only when one is on duty: asked only when a crisis reply may be written.
      // A claim counts only while its operator is still signed in; otherwise nobody is with the user.
      const holderPresent = incident ? await options.incidents.holderPresent(incident) : true;
      const operatorsOnDuty =
        found('crisis', 2) || incident?.state === 'open' || !holderPresent
          ? await options.incidents.operatorsOnDuty()
          : 0;
      // While a person holds the chat, the reply carries what they wrote (each message delivered once).
      const queued =
        heldByPerson(incident, profile) &&
        opened.record.state.status !== 'ended' &&
        !found('exit-intent') &&
        !found('crisis', 2)
          ? await options.incidents.takeQueued(user.id)
          : [];
      const { record, decision } = await directory.commit(opened.record, now, (current) => {
        const decided = onUserMessage(
          current.state,
          { at: now, findings, crisis: { incident, operatorsOnDuty, holderPresent } },
          ctx,
        );
        const { action } = decided;
        const t =
          !stream && action.kind === 'call-model' ? holdDirectives(decided) : releaseDirectives(decided);
        const fixed = action.kind === 'reply' ? action.text : null;
        const human = action.kind === 'reply' && action.reason === 'takeover' && queued.length > 0;
        const message = { sessionId: current.id, userId: user.id, at: now } as const;
        const messages = [
          newMessage({ ...message, role: 'user', content: text, status: fixed ? 'withheld' : 'accepted' }),
        ];
        if (fixed && !human) {
          messages.push({
            ...newMessage(
              { ...message, role: 'assistant', content: fixed, status: 'replaced' },
              label.contentId,
            ),
            author: 'system',
          });
        }
        const audit = auditInputs(t.audit, user.id, current.id, now, profile.id);
        if (skipped.length > 0) {
          audit.push({
            type: 'guard-skipped',
            requirement: 'DATA-2',
            at: now,
            userId: user.id,
            sessionId: current.id,
            data: { guards: skipped, reason: 'no-third-party-consent', profile: profile.id },
          });
        }
        if (consulted.length > 0) {
          // Which guard models were asked, what they said, and what the failure policy made of a failure.
          audit.push({
            type: 'second-opinion',
            requirement: 'CONTENT-1',
            at: now,
            userId: user.id,
            sessionId: current.id,
            data: {
              failMode: profile.failModes.secondOpinion,
              profile: profile.id,
              consulted: consulted.map(({ name, detector, label, status, ms, failure }) => ({
                name,
                detector,
                label,
                status,
                ms,
                failure,
              })),
            },
          });
        }
        // ASSESS-2: the turn counts, with the time since the user's previous message as use unless idle.
        const gap = now - current.state.lastActivityAt;
        const activity: TurnActivity = {
          userId: user.id,
          lastActiveDay: user.lastActiveDay,
          ageBand: ctx.ageBand,
          usedMs: gap > 0 && gap <= profile.session.idleGapMinutes * 60_000 ? gap : 0,
        };
        // A turn that calls the model counts with its reply: one write fewer before the model call.
        const counted = action.kind === 'call-model' ? null : activity;
        return {
          state: t.state,
          messages,
          audit,
          ...(counted ? { activity: counted } : {}),
          pending: counted ? null : activity,
          directives: t.directives,
          action,
          human,
          incident: decided.incident ?? null,
        };
      });
      const delivered = decision.human ? queued : [];
      // The takeover notice says a person, not the AI, is in the chat: a system text, never labelled as AI output.
      const notice = decision.directives.some((d) => d.type === 'human-takeover');
      const author: MessageAuthor = delivered.some((m) => m.author === 'human') ? 'human' : 'system';
      const compliance =
        decision.human || notice
          ? { ...complianceOf(record, decision.directives, null), author }
          : complianceOf(record, decision.directives, label);
      return {
        record,
        user,
        ctx,
        stream,
        action: decision.human
          ? { kind: 'reply', reason: 'takeover', text: delivered.map((m) => m.content).join('\n\n') }
          : decision.action,
        compliance,
        label,
        incidentRequest: decision.incident,
        userMessageId: decision.messages[0]?.id ?? '',
        delivered,
        findings: inspected.findings,
        activity: decision.pending,
      };
    },

    judgeOutput(turn, findings) {
      return onAssistantOutput(turn.record.state, { findings }, turn.ctx);
    },

    async settle(turn, reply) {
      const { record, user, label } = turn;
      const reached = !reply.interrupted;
      // Streamed text was shown as it came; a non-streamed reply only exists for the user once it is sent.
      const status = reply.withheld ? 'replaced' : reached || turn.stream ? 'delivered' : 'interrupted';
      const changes = reply.text !== '' || (reached && (reply.withheld || record.state.pendingDirectives));
      if (!changes && !turn.activity) return null;
      const now = clock.now();
      const { record: after, decision } = await directory.commit(record, now, (current) => {
        const decided = {
          state: current.state,
          directives: reply.withheld?.directives ?? [],
          audit: reply.withheld?.audit ?? [],
        };
        const t = reached ? releaseDirectives(decided) : decided;
        const message = {
          sessionId: current.id,
          userId: user.id,
          role: 'assistant',
          status,
          at: now,
        } as const;
        const messages =
          reply.text === '' ? [] : [newMessage({ ...message, content: reply.text }, label.contentId)];
        return {
          state: t.state,
          messages,
          audit: auditInputs(t.audit, user.id, current.id, now, turn.ctx.profile.id),
          ...(turn.activity ? { activity: turn.activity } : {}),
          directives: t.directives,
          // The user message is durable already; a reply without an audit event need not wait for the disk.
          lazyFlush: true,
        };
      });
      return decision.directives.length > 0 ? complianceOf(after, decision.directives, label) : null;
    },

    async recordFailure(turn, code) {
      const now = clock.now();
      const failure: AuditInput = {
        type: 'upstream-failed',
        requirement: 'NOTICE-1',
        at: now,
        userId: turn.user.id,
        sessionId: turn.record.id,
        data: { code },
      };
      const { activity } = turn;
      // The turn's count (ASSESS-2) goes with the failure: the session itself does not change.
      const written = activity
        ? directory.commit(turn.record, now, (current) => ({
            state: current.state,
            messages: [],
            audit: [failure],
            activity,
          }))
        : options.audit.appendAudit([failure]);
      await written.catch(() => undefined);
    },

    async exit(record, user, ctx, via, now) {
      const { record: after, decision } = await directory.commit(record, now, (current) => {
        const t = releaseDirectives(endSession(current.state, now, via, ctx));
        return {
          state: t.state,
          messages: [],
          audit: auditInputs(t.audit, user.id, current.id, now, ctx.profile.id),
          directives: t.directives,
        };
      });
      return complianceOf(after, decision.directives, null);
    },
  };
}
