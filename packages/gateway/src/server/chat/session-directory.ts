import { randomUUID } from 'node:crypto';
import {
  type AuditInput,
  CgError,
  type CharacterRecord,
  type ConsentRecord,
  type Directive,
  holdDirectives,
  isCgError,
  isNewLogin,
  type Locale,
  type NewMessage,
  type Profile,
  releaseDirectives,
  type SessionContext,
  type SessionState,
  type Store,
  startSession,
  type TurnActivity,
  type UserRecord,
} from '@companion-guard/core';
import type { UpstreamMessage } from '../../upstream/upstream.js';
import { TtlCache } from '../ttl-cache.js';
import type { Session } from './compliance.js';
import { auditInputs } from './turn-records.js';

/** What one commit writes: the next state, and the messages and audit events that go with it. */
export interface Commit {
  readonly state: SessionState;
  readonly messages: readonly NewMessage[];
  readonly audit: readonly AuditInput[];
  /** ASSESS-2: the user's turn to count with the commit (only for a user's message). */
  readonly activity?: TurnActivity;
  /** See `Store.commitTurn`: for a turn's reply, which need not wait for the disk. */
  readonly lazyFlush?: boolean;
}

/** The session a turn continues (or opened). */
export interface OpenedSession {
  readonly record: Session;
}

/**
 * Users, characters and sessions as the chat flow finds and changes them, with the caches that keep the
 * hot path at one session query and one commit per turn.
 */
export interface SessionDirectory {
  /** The user the app names, created on first sight; its locale follows the request's when one is named. */
  resolveUser(externalId: string, locale: Locale | undefined, now: number): Promise<UserRecord>;
  /** Drops this instance's cached copy of the user (after a profile change), so the next turn reads it. */
  forgetUser(externalId: string): void;
  /** Drops this instance's cached copy of the character (after a change in the console). */
  forgetCharacter(id: string): void;
  /** The user's consent history (DATA-2), cached like users (a change elsewhere shows within the TTL). */
  consentHistory(user: UserRecord): Promise<readonly ConsentRecord[]>;
  /**
   * The session `sessionId` with its owner, if the user the app names as `externalId` owns it; otherwise
   * `CgError('not-found')`. Never creates a user.
   */
  ownedSession(sessionId: string, externalId: string): Promise<{ record: Session; user: UserRecord }>;
  /** The character `id` names, or the deployment default; `unknown-character` / `character-disabled`. */
  resolveCharacter(id: string | undefined): Promise<CharacterRecord>;
  /**
   * The session a message to `characterId` continues, or a new one after the configured absence (DISC-2).
   * A new session's opening directives are held in its state (`holdDirectives`): the turn delivers them.
   * `takeover` (whether a person holds the chat) is asked only when a session is created.
   */
  sessionForTurn(
    user: UserRecord,
    characterId: string,
    ctx: SessionContext,
    now: number,
    takeover: () => Promise<boolean>,
  ): Promise<OpenedSession>;
  /** Always a new session (the app's "new chat"); its opening directives are delivered by the caller's answer. */
  startNewSession(
    user: UserRecord,
    characterId: string,
    ctx: SessionContext,
    now: number,
    takeover?: boolean,
  ): Promise<{ record: Session; directives: readonly Directive[] }>;
  /**
   * Commits what `decide` makes of the session with optimistic concurrency: on a version conflict (another
   * request changed the session) it reloads the session and decides again, up to a few times, so racing
   * requests never overwrite each other's state. `decide` must be pure.
   */
  commit<T extends Commit>(
    record: Session,
    now: number,
    decide: (current: Session) => T,
  ): Promise<{ record: Session; decision: T }>;
  /** The session's recent history for the model: user messages it was asked about and replies delivered. */
  history(record: Session): Promise<UpstreamMessage[]>;
}

export interface SessionDirectoryOptions {
  readonly store: Store;
  readonly profile: Profile;
  readonly defaultCharacterId: string;
}

const MAX_RETRIES = 5;
const CACHE_TTL_MS = 5_000;
const HISTORY_LIMIT = 20;

/** Messages the model sees again: never withheld input, replaced text or interrupted output. */
function forModel(messages: readonly NewMessage[]): UpstreamMessage[] {
  const seen: UpstreamMessage[] = [];
  for (const m of messages) {
    // An operator's words are not the model's: they stay out of its history (the hand-back instruction
    // tells it what it needs to know).
    if (
      m.role !== 'system' &&
      m.author !== 'human' &&
      (m.status === 'accepted' || m.status === 'delivered')
    ) {
      seen.push({ role: m.role, content: m.content });
    }
  }
  return seen;
}

export function createSessionDirectory(options: SessionDirectoryOptions): SessionDirectory {
  const { store, profile } = options;
  // Users and characters change rarely; a short TTL keeps two queries off every turn.
  const characters = new TtlCache<CharacterRecord>(CACHE_TTL_MS, 1_000);
  const users = new TtlCache<UserRecord>(CACHE_TTL_MS, 10_000);
  const consents = new TtlCache<readonly ConsentRecord[]>(CACHE_TTL_MS, 10_000);
  /**
   * Recent history per session, valid only for the session version it was built at: every commit through
   * this instance advances it; a commit elsewhere (another instance) makes the version mismatch and the
   * history is read from the store again. Saves reading and decrypting the history on every turn.
   */
  const histories = new TtlCache<{ version: number; messages: UpstreamMessage[] }>(10 * 60_000, 10_000);

  function trackHistory(sessionId: string, from: number, to: number, added: readonly NewMessage[]): void {
    const entry = histories.get(sessionId, Date.now());
    if (entry?.version !== from) {
      histories.delete(sessionId);
      return;
    }
    const messages = [...entry.messages, ...forModel(added)].slice(-HISTORY_LIMIT);
    histories.set(sessionId, { version: to, messages }, Date.now());
  }

  async function createSession(
    user: UserRecord,
    characterId: string,
    ctx: SessionContext,
    now: number,
    previous: Session | undefined,
    deliver: 'now' | 'with-turn',
    takeover: boolean,
  ) {
    const reason = !previous
      ? 'first-use'
      : isNewLogin(previous.state, now, ctx.profile)
        ? 'new-login'
        : 'new-chat';
    // ELDER-1: read (once per session, elderly users only) whether an emergency contact exists.
    const elderly = ctx.ageBand === 'elderly';
    const contact = elderly ? (await store.profiles.getProfile(user.externalId))?.emergencyContact : null;
    const startCtx = elderly ? { ...ctx, emergencyContactMissing: !contact } : ctx;
    const started = startSession({ at: now, ctx: startCtx, reason, previous: previous?.state, takeover });
    const t = deliver === 'now' ? releaseDirectives(started) : holdDirectives(started);
    const id = randomUUID();
    const record = await store.createSession<SessionState>(
      { id, userId: user.id, characterId, state: t.state, now },
      auditInputs(t.audit, user.id, id, now, ctx.profile.id),
    );
    return { record, directives: t.directives };
  }

  return {
    forgetUser(externalId) {
      users.delete(externalId);
      consents.delete(externalId);
    },
    forgetCharacter(id) {
      characters.delete(id);
    },
    async consentHistory(user) {
      const wall = Date.now();
      const cached = consents.get(user.externalId, wall);
      if (cached) return cached;
      const since = consents.generation;
      const history = await store.dataRights.listConsents(user.id);
      consents.set(user.externalId, history, wall, since);
      return history;
    },
    async resolveUser(externalId, locale, now) {
      const wall = Date.now();
      // Stored only when read or changed, never on a hit: a copy in use every second still expires.
      const cached = users.get(externalId, wall);
      const since = users.generation;
      let user =
        cached ?? (await store.ensureUser(externalId, now, { locale: locale ?? profile.defaultLocale }));
      if (locale && user.locale !== locale) user = await store.updateUser(user.id, { locale });
      if (user !== cached) users.set(externalId, user, wall, since);
      return user;
    },

    async ownedSession(sessionId, externalId) {
      const record = await store.getSession<SessionState>(sessionId);
      const cached = users.get(externalId, Date.now());
      const user = record && (cached ?? (await store.getUser(record.userId)));
      if (!record || user?.id !== record.userId || user.externalId !== externalId) {
        throw new CgError('not-found', 'No such session for this user.');
      }
      return { record, user };
    },

    async resolveCharacter(id) {
      const key = id ?? options.defaultCharacterId;
      const now = Date.now();
      let character = characters.get(key, now);
      if (!character) {
        const since = characters.generation;
        character = await store.getCharacter(key);
        if (!character) {
          throw new CgError('unknown-character', `No character with id "${key}". 没有这个角色。`);
        }
        characters.set(key, character, now, since);
      }
      if (!character.enabled) throw new CgError('character-disabled');
      return character;
    },

    async sessionForTurn(user, characterId, ctx, now, takeover) {
      // The user's latest session is usually the one to continue, which saves a query.
      const latestOfUser = await store.latestSessionOfUser<SessionState>(user.id);
      const latest =
        latestOfUser?.characterId === characterId
          ? latestOfUser
          : await store.latestSession<SessionState>(user.id, characterId);
      const record =
        latest && !isNewLogin(latest.state, now, ctx.profile)
          ? latest
          : (await createSession(user, characterId, ctx, now, latestOfUser, 'with-turn', await takeover()))
              .record;
      return { record };
    },

    async startNewSession(user, characterId, ctx, now, takeover = false) {
      const previous = await store.latestSessionOfUser<SessionState>(user.id);
      return createSession(user, characterId, ctx, now, previous, 'now', takeover);
    },

    async commit(record, now, decide) {
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
            ...(decision.activity ? { activity: decision.activity } : {}),
            ...(decision.lazyFlush ? { lazyFlush: true } : {}),
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
    },

    async history(record) {
      const cached = histories.get(record.id, Date.now());
      if (cached?.version === record.version) return cached.messages;
      const messages = forModel(await store.listMessages(record.id, { limit: HISTORY_LIMIT }));
      histories.set(record.id, { version: record.version, messages }, Date.now());
      return messages;
    },
  };
}
