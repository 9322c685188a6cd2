import type {
  CharacterRecord,
  Clock,
  ExitVia,
  LiveEvents,
  Locale,
  Profile,
  ProfileBook,
  Store,
} from '@companion-guard/core';
import type { Detection } from '../../detection.js';
import type { Logger } from '../../logger.js';
import type { ChatUpstream, UpstreamMessage } from '../../upstream/upstream.js';
import { complaintReplies } from '../complaints/complaint-wire.js';
import type { ServiceControls } from '../controls/service-controls.js';
import type { GuardianConsentRequester } from '../deps.js';
import { shareEvent } from '../events/share-event.js';
import { heldByPerson, type IncidentService } from '../incidents/incident-service.js';
import { type Compliance, complianceOf } from './compliance.js';
import { raiseEmotionalState } from './emotional-state.js';
import { createHistoryChecker } from './history-check.js';
import { createMinorTurns } from './minor-turns.js';
import { createReplyProducer, sessionChannel, type TurnOutcome } from './reply-production.js';
import { createSessionDirectory } from './session-directory.js';
import { appealOutcomes, raiseSuspicion } from './suspected-minors.js';
import { createTurnDecider, sessionContext } from './turn-decision.js';

export type { TurnOutcome };

export interface ChatServiceDeps {
  readonly store: Store;
  /** The default profile (deployment-wide settings). */
  readonly profile: Profile;
  /** SCOPE-2: the profile deciding each user's turns (`profiles.forUser(user)`). */
  readonly profiles: ProfileBook;
  readonly clock: Clock;
  readonly upstream: ChatUpstream;
  readonly detection: Detection;
  readonly logger: Logger;
  readonly defaultCharacterId: string;
  /** Live events: an exit here stops the session's replies on every instance. */
  readonly events: LiveEvents;
  /** Incidents: takeover, operator messages, the crisis flow (RISK-4..6). */
  readonly incidents: IncidentService;
  /** MINOR-2: asked to reach the guardian when a minor's turn lacks consent; optional. */
  readonly guardianConsent?: GuardianConsentRequester | undefined;
  /** NOTICE-1, ASSESS-3: service notices and switches (this instance's snapshot); none when absent. */
  readonly controls?: ServiceControls | undefined;
}

export interface TurnInput {
  readonly externalUserId: string;
  readonly characterId?: string | undefined;
  readonly locale?: Locale | undefined;
  readonly model: string;
  /** The new user message. */
  readonly text: string;
  /** Messages the client sent before the new one (its system messages and, if it keeps one, its history). */
  readonly clientHistory: readonly UpstreamMessage[];
  readonly params: Readonly<Record<string, unknown>>;
  /** A streamed response (SSE) or one body. */
  readonly stream: boolean;
  /** The model of this turn when it is not the deployment's (the in-process API passes the caller's). */
  readonly upstream?: ChatUpstream | undefined;
}

/** A decided turn: what the response starts with is known before any content is produced. */
export interface Turn {
  /** Directives to show before the reply (a non-streamed model reply brings its own in the outcome). */
  readonly compliance: Compliance;
  readonly model: string;
  /** Produces the reply: yields the text to send, returns the outcome (the reply is stored by then). */
  produce(signal: AbortSignal): AsyncGenerator<string, TurnOutcome>;
}

/** The chat flow the `/v1` routes use. */
export interface ChatService {
  /**
   * Decides and stores a user turn before anything is generated: the user message is committed (with the
   * session transition and audit events) before the model is called; safety replies never call it.
   */
  startTurn(input: TurnInput): Promise<Turn>;
  /** EXIT-1 (button) and voice exit: ends the session at once. Only the session's own user may end it. */
  exitSession(sessionId: string, externalUserId: string, via: ExitVia, locale?: Locale): Promise<Compliance>;
  /** The app's "new chat" action: always a fresh session, with the AI notice. */
  newSession(externalUserId: string, characterId: string | undefined, locale?: Locale): Promise<Compliance>;
  /**
   * A user's profile changed (age, region, locale, minor mode): the next turn reads it afresh, on this instance
   * at once and on the others when the `user-changed` live event reaches them (SCOPE-2: a new region's
   * profile applies from the next turn).
   */
  forgetUser(externalUserId: string): void;
  /** A character changed in the console: every instance's next turn reads it afresh (like `forgetUser`). */
  forgetCharacter(characterId: string): void;
}

/**
 * The live channel on which instances tell each other that a user or a character changed (their caches drop
 * it); the caches' 5 s expiry covers an event that is lost. Named when it carried only users, and kept, so
 * that during a rolling upgrade instances of the previous version still hear each other's user changes.
 */
const directoryChannel = 'users';

/** The operator team's hand-back instruction as the model is told it. */
const safetyInstructionText = (instruction: string): string =>
  `Safety instruction from the human support team, who just handed this conversation back to you after a crisis: ${instruction}`;

/**
 * The messages sent to the model: the character's persona leads (it carries "never claim to be human"),
 * the app's own system messages follow; then the app's history when it sends one, else the session's.
 */
async function modelMessages(
  character: CharacterRecord,
  input: TurnInput,
  sessionHistory: () => Promise<UpstreamMessage[]>,
  safetyInstruction: string | null,
  memory = true,
): Promise<UpstreamMessage[]> {
  const persona: UpstreamMessage[] = character.persona
    ? [{ role: 'system', content: character.persona }]
    : [];
  // After a hand-back the operator's instruction leads the app's own system messages.
  if (safetyInstruction) persona.push({ role: 'system', content: safetyInstructionText(safetyInstruction) });
  const clientSystem = input.clientHistory.filter((m) => m.role === 'system');
  // ASSESS-3: with `memory` switched off the model sees no earlier turn, the app's history neither.
  if (!memory) return [...persona, ...clientSystem, { role: 'user', content: input.text }];
  if (input.clientHistory.length > clientSystem.length) {
    return [...persona, ...input.clientHistory, { role: 'user', content: input.text }];
  }
  return [...persona, ...clientSystem, ...(await sessionHistory())];
}

/**
 * Composes the chat flow from its three parts: the session directory (users, characters, sessions, the
 * optimistic-concurrency commit, caches), the turn decider (detection and the session machine) and the reply
 * producer (upstream streaming, output scanning, cancellation).
 */
export function createChatService(deps: ChatServiceDeps): ChatService {
  const { clock } = deps;
  const directory = createSessionDirectory(deps);
  const decider = createTurnDecider({
    clock,
    directory,
    detection: deps.detection,
    audit: deps.store,
    incidents: deps.incidents,
  });
  const producer = createReplyProducer({ ...deps, decider });
  const minors = createMinorTurns(deps);
  const historyChecker = createHistoryChecker(deps);

  /** EXIT-3: stops the session's replies here at once and on the other instances through the event. */
  async function stopReplies(sessionId: string, now: number): Promise<void> {
    producer.cancel(sessionId);
    const event = { type: 'session-exit', at: new Date(now).toISOString() };
    await shareEvent(deps.events, deps.logger, 'session exit', sessionChannel(sessionId), event, {
      sessionId,
    });
  }

  /** Drops the cached copy of a user or a character here and, through the live event, on every other instance. */
  function forget(
    event: { type: 'user-changed'; user: string } | { type: 'character-changed'; character: string },
  ) {
    drop(event);
    void shareEvent(deps.events, deps.logger, 'directory change', directoryChannel, event);
  }
  function drop(event: Record<string, unknown>): void {
    if (event.type === 'user-changed' && typeof event.user === 'string') directory.forgetUser(event.user);
    if (event.type === 'character-changed' && typeof event.character === 'string') {
      directory.forgetCharacter(event.character);
    }
  }
  deps.events.subscribe(directoryChannel, drop);

  return {
    forgetUser: (user) => forget({ type: 'user-changed', user }),
    forgetCharacter: (character) => forget({ type: 'character-changed', character }),
    async startTurn(input) {
      const now = clock.now();
      const user = await directory.resolveUser(input.externalUserId, input.locale, now);
      const character = await directory.resolveCharacter(input.characterId);
      // SCOPE-2: the profile of the user's registered region decides everything of this turn.
      const profile = deps.profiles.forUser(user);
      const base = sessionContext(profile, user, now, input.locale);
      const minor = await minors.facts(user, base.ageBand, now, character);
      const controls = deps.controls?.forTurn(character.id, now);
      const ctx = { ...base, character, minor, ...(controls ? { controls } : {}) };
      // RISK-6: the store's incident, not the session, says whether a person holds the chat. Read beside the
      // user's latest session: on PostgreSQL the two round trips overlap.
      const incidentRead = deps.store.incidents.activeIncidentOfUser(user.id).then((i) => i ?? null);
      const [incident, opened] = await Promise.all([
        incidentRead,
        directory.sessionForTurn(user, character.id, ctx, now, async () =>
          heldByPerson(await incidentRead, profile),
        ),
      ]);
      const held = heldByPerson(incident, profile);
      // Client-sent history: its user messages are checked once per conversation (RISK-4, CONTENT-1).
      const history = await historyChecker.check(
        `${user.id}\n${character.id}`,
        input.clientHistory,
        input.text,
        {
          profile,
        },
      );
      const decided = await decider.decide({
        opened,
        user,
        ctx,
        text: input.text,
        stream: input.stream,
        now,
        incident,
        historyFindings: history.findings,
      });
      if (decided.incidentRequest) {
        await deps.incidents.openFromTurn(decided.incidentRequest, {
          userId: user.id,
          externalUserId: user.externalId,
          sessionId: decided.record.id,
          characterId: character.id,
          ageBand: ctx.ageBand,
          profileId: profile.id,
        });
      } else if (incident && held) {
        await deps.incidents.userMessage(incident, decided.userMessageId);
      }
      // Only once the turn and its incident are stored: a retry after a failure checks the history again.
      history.remember();
      const model = character.model ?? input.model;
      const { action } = decided;
      let { compliance } = decided;
      await minors.afterTurn(user, minor, action, character.id, now);
      const suspected = await raiseSuspicion(deps.store, profile, {
        user,
        ctx,
        findings: decided.findings,
        sessionStart: decided.record.state.turns === 1,
        sessionId: decided.record.id,
        now,
      });
      const appealed = await appealOutcomes(deps.store, profile, user, ctx.locale, now);
      // COMPLAINT-1: staff replies not shown yet (no read unless the user's row flags one).
      const replies = await complaintReplies(deps.store.complaints, profile, user, ctx.locale, now);
      const outcomes = [...appealed, ...replies];
      const scored = await raiseEmotionalState(deps.store, profile, {
        userId: user.id,
        findings: decided.findings,
        sessionId: decided.record.id,
        now,
      });
      if (scored) directory.forgetUser(user.externalId);
      if (suspected || outcomes.length > 0) {
        forget({ type: 'user-changed', user: user.externalId });
        const added = suspected ? [suspected, ...outcomes] : outcomes;
        compliance = { ...compliance, directives: [...compliance.directives, ...added] };
      }
      // A voice exit ends the session like the button: replies still streaming stop.
      if (action.kind === 'reply' && action.reason === 'exit') await stopReplies(decided.record.id, now);
      if (action.kind === 'reply') {
        const finishReason = action.reason === 'input-blocked' ? 'content_filter' : 'stop';
        return {
          compliance,
          model,
          async *produce() {
            yield action.text;
            return { finishReason, compliance: null };
          },
        };
      }
      const instruction =
        incident?.state === 'handed-back'
          ? await deps.store.incidents.handbackInstruction(incident.id)
          : null;
      const messages = await modelMessages(
        character,
        input,
        () => directory.history(decided.record),
        instruction,
        !controls?.functionsOff.some((f) => f.target === 'memory'),
      );
      return {
        compliance,
        model,
        produce: (signal) =>
          producer.produce(
            { decided, model, messages, params: input.params, upstream: input.upstream },
            signal,
          ),
      };
    },

    async exitSession(sessionId, externalUserId, via, locale) {
      const now = clock.now();
      const { record, user } = await directory.ownedSession(sessionId, externalUserId);
      const compliance = await decider.exit(
        record,
        user,
        sessionContext(deps.profiles.forUser(user), user, now, locale),
        via,
        now,
      );
      await stopReplies(sessionId, now);
      return compliance;
    },

    async newSession(externalUserId, characterId, locale) {
      const now = clock.now();
      const user = await directory.resolveUser(externalUserId, locale, now);
      const character = await directory.resolveCharacter(characterId);
      const profile = deps.profiles.forUser(user);
      const ctx = { ...sessionContext(profile, user, now, locale), character };
      const incident = (await deps.store.incidents.activeIncidentOfUser(user.id)) ?? null;
      const { record, directives } = await directory.startNewSession(
        user,
        character.id,
        ctx,
        now,
        heldByPerson(incident, profile),
      );
      return complianceOf(record, directives, null);
    },
  };
}
