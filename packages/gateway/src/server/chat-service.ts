import { randomUUID } from 'node:crypto';
import {
  type AuditDraft,
  type AuditInput,
  adoptCrisis,
  CgError,
  type CharacterRecord,
  type Clock,
  type Directive,
  type ExitVia,
  endSession,
  type Finding,
  isCgError,
  isNewLogin,
  type Locale,
  type NewMessage,
  type OpinionRecord,
  onAssistantOutput,
  onUserMessage,
  type Profile,
  type SessionContext,
  type SessionRecord,
  type SessionState,
  type Store,
  startSession,
  type UserRecord,
  userAgeBand,
} from '@companion-guard/core';
import type { Logger } from '../logger.js';
import type { ChatUpstream, UpstreamMessage } from '../upstream/upstream.js';
import type { ComplianceWire } from './openai/wire.js';
import { TtlCache } from './ttl-cache.js';

/** Streaming output check: holds back only what a pattern could still need. */
export interface OutputScanner {
  push(chunk: string): { release: string; findings: readonly Finding[] };
  end(): { release: string; findings: readonly Finding[] };
}

/** The detectors as the gateway uses them (built by the composition root from core's registry). */
export interface Detection {
  /** Input findings, and the second opinions asked (with status and failure policy) for the audit trail. */
  inspectInput(text: string): Promise<{ findings: Finding[]; consulted: readonly OpinionRecord[] }>;
  createOutputScanner(): OutputScanner;
}

export interface ChatServiceDeps {
  readonly store: Store;
  readonly profile: Profile;
  readonly clock: Clock;
  readonly upstream: ChatUpstream;
  readonly detection: Detection;
  readonly logger: Logger;
  readonly defaultCharacterId: string;
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
}

export interface TurnOutcome {
  readonly finishReason: 'stop' | 'content_filter';
  /** Directives decided after output began (e.g. `output-withheld`), or null. */
  readonly compliance: ComplianceWire | null;
}

/** A decided turn: its compliance envelope is known before any content is produced. */
export interface Turn {
  readonly compliance: ComplianceWire;
  readonly model: string;
  /**
   * Produces the reply: yields released text, returns the outcome. `whole` mode (non-streamed requests)
   * replaces withheld output entirely; `stream` mode keeps what was already released (it was checked).
   */
  produce(mode: 'stream' | 'whole', signal: AbortSignal): AsyncGenerator<string, TurnOutcome>;
}

const MAX_RETRIES = 5;
const CACHE_TTL_MS = 5_000;
const HISTORY_LIMIT = 20;

/** The chat flow: sessions, decisions, persistence before the model call, output checks. */
export function createChatService(deps: ChatServiceDeps) {
  const { store, profile, clock, logger } = deps;

  const drafts = (list: readonly AuditDraft[], userId: string, sessionId: string, at: number): AuditInput[] =>
    list.map((d) => ({ ...d, at, userId, sessionId }));

  /**
   * Recent history per session, valid only for the session version it was built at: every commit through
   * this instance advances it; a commit elsewhere (another instance) makes the version mismatch and the
   * history is read from the store again. Saves reading and decrypting the history on every turn.
   */
  const histories = new TtlCache<{ version: number; messages: UpstreamMessage[] }>(10 * 60_000, 10_000);
  const forUpstream = (messages: readonly NewMessage[]): UpstreamMessage[] =>
    messages
      .filter((m) => (m.status === 'accepted' || m.status === 'delivered') && m.role !== 'system')
      .map((m) => ({ role: m.role, content: m.content }) as UpstreamMessage);

  function trackHistory(sessionId: string, from: number, to: number, added: readonly NewMessage[]): void {
    const entry = histories.get(sessionId, Date.now());
    if (entry?.version !== from) {
      histories.delete(sessionId);
      return;
    }
    const messages = [...entry.messages, ...forUpstream(added)].slice(-HISTORY_LIMIT);
    histories.set(sessionId, { version: to, messages }, Date.now());
  }

  // Users and characters change rarely; a short TTL keeps two queries off every turn.
  const characters = new TtlCache<CharacterRecord>(CACHE_TTL_MS, 1_000);
  const users = new TtlCache<UserRecord>(CACHE_TTL_MS, 10_000);

  async function resolveCharacter(id: string | undefined): Promise<CharacterRecord> {
    const key = id ?? deps.defaultCharacterId;
    const now = Date.now();
    const character = characters.get(key, now) ?? (await store.getCharacter(key));
    if (!character) throw new CgError('unknown-character', `No character with id "${id}".`);
    characters.set(key, character, now);
    if (!character.enabled) throw new CgError('character-disabled');
    return character;
  }

  async function resolveUser(
    externalId: string,
    locale: Locale | undefined,
    now: number,
  ): Promise<UserRecord> {
    const wall = Date.now();
    let user =
      users.get(externalId, wall) ??
      (await store.ensureUser(externalId, now, { locale: locale ?? profile.defaultLocale }));
    if (locale && user.locale !== locale) user = await store.updateUser(user.id, { locale });
    users.set(externalId, user, wall);
    return user;
  }

  const contextOf = (user: UserRecord, locale?: Locale): SessionContext => ({
    profile,
    locale: locale ?? user.locale,
    ageBand: userAgeBand(user, clock.now(), profile.elderly.ageFrom),
  });

  /** Opens a session; `previous` is the user's latest session with any character (or undefined). */
  async function createSession(
    user: UserRecord,
    characterId: string,
    ctx: SessionContext,
    now: number,
    previous: SessionRecord<SessionState> | undefined,
  ): Promise<{ record: SessionRecord<SessionState>; directives: Directive[] }> {
    const reason = !previous
      ? 'first-use'
      : isNewLogin(previous.state, now, profile)
        ? 'new-login'
        : 'new-chat';
    const t = startSession({ at: now, ctx, reason, previous: previous?.state });
    const id = randomUUID();
    const record = await store.createSession<SessionState>(
      { id, userId: user.id, characterId, state: t.state, now },
      drafts(t.audit, user.id, id, now),
    );
    return { record, directives: t.directives };
  }

  /**
   * The session a message continues, or a new one after the configured absence (DISC-2). The user's latest
   * session is usually the one to continue, which saves a query.
   */
  async function currentSession(
    user: UserRecord,
    characterId: string,
    ctx: SessionContext,
    now: number,
    latestOfUser: SessionRecord<SessionState> | undefined,
  ) {
    const latest =
      latestOfUser?.characterId === characterId
        ? latestOfUser
        : await store.latestSession<SessionState>(user.id, characterId);
    if (latest && !isNewLogin(latest.state, now, profile))
      return { record: latest, directives: [] as Directive[] };
    return createSession(user, characterId, ctx, now, latestOfUser);
  }

  /**
   * Commits a decision with optimistic concurrency: on a version conflict it reloads and decides again,
   * so two racing requests never overwrite each other's state.
   */
  async function commitDecision<T extends { state: SessionState }>(
    record: SessionRecord<SessionState>,
    now: number,
    decide: (r: SessionRecord<SessionState>) => T & { messages: NewMessage[]; audit: AuditInput[] },
  ): Promise<{ record: SessionRecord<SessionState>; decision: T }> {
    let current = record;
    for (let attempt = 0; ; attempt++) {
      const decision = decide(current);
      try {
        const next = await store.commitTurn<SessionState>({
          sessionId: current.id,
          expectedVersion: current.version,
          state: decision.state,
          now,
          messages: decision.messages,
          audit: decision.audit,
        });
        trackHistory(current.id, current.version, next.version, decision.messages);
        return { record: next, decision };
      } catch (e) {
        if (!isCgError(e, 'session-conflict') || attempt >= MAX_RETRIES) throw e;
        const fresh = await store.getSession<SessionState>(current.id);
        if (!fresh) throw new CgError('not-found', 'The session no longer exists.', { cause: e });
        current = fresh;
      }
    }
  }

  const message = (
    sessionId: string,
    userId: string,
    role: NewMessage['role'],
    content: string,
    status: NewMessage['status'],
    at: number,
    contentId = `cg-${randomUUID()}`,
  ): NewMessage => ({ id: randomUUID(), sessionId, userId, role, content, contentId, status, createdAt: at });

  function wire(
    record: SessionRecord<SessionState>,
    directives: readonly Directive[],
    label: ComplianceWire['label'],
  ) {
    return { directives, label, session: { id: record.id, state: record.state.status } };
  }

  async function upstreamMessages(
    record: SessionRecord<SessionState>,
    character: CharacterRecord,
    input: TurnInput,
  ): Promise<UpstreamMessage[]> {
    // The character's persona always leads (it carries "never claim to be human"); the app's own system
    // messages follow it. The app's history is used when it sends one, else the session's stored history.
    const persona: UpstreamMessage[] = character.persona
      ? [{ role: 'system', content: character.persona }]
      : [];
    const clientSystem = input.clientHistory.filter((m) => m.role === 'system');
    if (input.clientHistory.length > clientSystem.length) {
      return [...persona, ...input.clientHistory, { role: 'user', content: input.text }];
    }
    const cached = histories.get(record.id, Date.now());
    let history = cached?.version === record.version ? cached.messages : undefined;
    if (!history) {
      history = forUpstream(await store.listMessages(record.id, { limit: HISTORY_LIMIT }));
      histories.set(record.id, { version: record.version, messages: history }, Date.now());
    }
    return [...persona, ...clientSystem, ...history];
  }

  /**
   * Decides and stores a user turn before anything is generated. The user message is committed (with the
   * session transition and audit events) before the model is called; safety replies never call it.
   */
  async function startTurn(input: TurnInput): Promise<Turn> {
    const now = clock.now();
    const user = await resolveUser(input.externalUserId, input.locale, now);
    const character = await resolveCharacter(input.characterId);
    const ctx = contextOf(user, input.locale);
    const latestOfUser = await store.latestSessionOfUser<SessionState>(user.id);
    const opened = await currentSession(user, character.id, ctx, now, latestOfUser);
    const { findings, consulted } = await deps.detection.inspectInput(input.text);
    const contentId = `cg-${randomUUID()}`;
    const label = { text: profile.texts.label[ctx.locale], content_id: contentId };
    const model = character.model ?? input.model;

    // RISK-6: a crisis open in another of the user's sessions (another character) applies here too.
    const otherCrisis = latestOfUser?.id === opened.record.id ? null : (latestOfUser?.state.crisis ?? null);

    const { record, decision } = await commitDecision(opened.record, now, (current) => {
      const state = adoptCrisis(current.state, otherCrisis, now, profile);
      const t = onUserMessage(state, { at: now, findings }, ctx);
      const fixed = t.action?.kind === 'reply' ? t.action.text : null;
      const messages = [
        message(current.id, user.id, 'user', input.text, fixed ? 'withheld' : 'accepted', now),
      ];
      if (fixed) messages.push(message(current.id, user.id, 'assistant', fixed, 'replaced', now, contentId));
      const audit = drafts(t.audit, user.id, current.id, now);
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
      return { ...t, messages, audit };
    });
    const compliance = wire(record, [...opened.directives, ...decision.directives], label);
    const action = decision.action;

    if (action?.kind === 'reply') {
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

    const history = await upstreamMessages(record, character, input);
    return {
      compliance,
      model,
      produce: (mode, signal) =>
        generate({ record, user, ctx, label, model, history, params: input.params, mode, signal }),
    };
  }

  /** Replies being generated, per session: an exit stops them at once (EXIT-3). */
  const generating = new Map<string, Set<AbortController>>();

  async function* generate(args: {
    record: SessionRecord<SessionState>;
    user: UserRecord;
    ctx: SessionContext;
    label: NonNullable<ComplianceWire['label']>;
    model: string;
    history: UpstreamMessage[];
    params: Readonly<Record<string, unknown>>;
    mode: 'stream' | 'whole';
    signal: AbortSignal;
  }): AsyncGenerator<string, TurnOutcome> {
    const { record, user, ctx, label, mode } = args;
    const stop = new AbortController();
    const running = generating.get(record.id) ?? new Set<AbortController>();
    generating.set(record.id, running.add(stop));
    const scanner = deps.detection.createOutputScanner();
    let released = '';
    let withheld = false;
    const findings: Finding[] = [];
    /** Adds the scanner's findings; returns the text that may be released (none once withheld). */
    const scan = (out: { release: string; findings: readonly Finding[] }): string => {
      if (out.findings.length > 0) {
        findings.push(...out.findings);
        withheld = onAssistantOutput(record.state, { findings }, ctx).withhold;
      }
      return withheld ? '' : out.release;
    };
    const interrupted = () => stop.signal.aborted || args.signal.aborted;
    const finished = new AbortController();
    try {
      const signal = AbortSignal.any([stop.signal, finished.signal, args.signal]);
      const deltas = deps.upstream.stream({
        model: args.model,
        messages: args.history,
        params: args.params,
        signal,
      });
      for await (const delta of deltas) {
        if (interrupted()) break;
        const out = scan(scanner.push(delta));
        if (withheld) break;
        released += out;
        if (out && mode === 'stream') yield out;
      }
      if (!withheld && !interrupted()) {
        const tail = scan(scanner.end());
        released += tail;
        if (tail && mode === 'stream') yield tail;
      }
    } catch (e) {
      // The user left (exit or disconnect): not an upstream failure; keep what was shown.
      if (!(interrupted() && !isCgError(e))) {
        const at = clock.now();
        const code = isCgError(e) ? e.code : 'internal';
        logger.warn('upstream failed', { code, sessionId: record.id });
        const failure: AuditInput = {
          type: 'upstream-failed',
          requirement: 'NOTICE-1',
          at,
          userId: user.id,
          sessionId: record.id,
          data: { code },
        };
        await store.appendAudit([failure]).catch(() => undefined);
        throw e;
      }
    } finally {
      finished.abort(); // cancels the upstream request if it is still open (output withheld)
      running.delete(stop);
      if (running.size === 0) generating.delete(record.id);
    }
    const now = clock.now();
    if (!withheld) {
      if (mode === 'whole' && released && !interrupted()) yield released;
      if (released) {
        await commitDecision(record, now, (current) => ({
          state: current.state,
          messages: [message(current.id, user.id, 'assistant', released, 'delivered', now, label.content_id)],
          audit: [],
        }));
      }
      return { finishReason: 'stop', compliance: null };
    }
    const t = onAssistantOutput(record.state, { findings }, ctx);
    const replacement = profile.texts.outputWithheld[ctx.locale];
    const shown = mode === 'stream' && released ? `${released}\n${replacement}` : replacement;
    yield mode === 'stream' && released ? `\n${replacement}` : replacement;
    const { record: after } = await commitDecision(record, now, (current) => ({
      state: current.state,
      messages: [message(current.id, user.id, 'assistant', shown, 'replaced', now, label.content_id)],
      audit: drafts(t.audit, user.id, current.id, now),
    }));
    return { finishReason: 'content_filter', compliance: wire(after, t.directives, label) };
  }

  /** EXIT-1 (button) and voice exit: ends the session at once. Only the session's own user may end it. */
  async function exitSession(sessionId: string, externalUserId: string, via: ExitVia, locale?: Locale) {
    const now = clock.now();
    const record = await store.getSession<SessionState>(sessionId);
    const user = await resolveUser(externalUserId, undefined, now);
    if (!record || record.userId !== user.id)
      throw new CgError('not-found', 'No such session for this user.');
    const ctx = contextOf(user, locale);
    const { record: after, decision } = await commitDecision(record, now, (current) => {
      const t = endSession(current.state, now, via, ctx);
      return { ...t, messages: [], audit: drafts(t.audit, user.id, current.id, now) };
    });
    for (const reply of generating.get(sessionId) ?? []) reply.abort();
    return wire(after, decision.directives, null);
  }

  /** The app's "new chat" action: always a fresh session, with the AI notice. */
  async function newSession(externalUserId: string, characterId: string | undefined, locale?: Locale) {
    const now = clock.now();
    const user = await resolveUser(externalUserId, locale, now);
    const character = await resolveCharacter(characterId);
    const previous = await store.latestSessionOfUser<SessionState>(user.id);
    const created = await createSession(user, character.id, contextOf(user, locale), now, previous);
    return wire(created.record, created.directives, null);
  }

  return { startTurn, exitSession, newSession, resolveCharacter };
}

export type ChatService = ReturnType<typeof createChatService>;
