import {
  adultDateOf,
  type CharacterRecord,
  consentRequired,
  isMinorBand,
  localDay,
  type MinorTurnFacts,
  minorModeOf,
  minorTurnFacts,
  type ProfileBook,
  type Store,
  type TurnAction,
  timeZoneOf,
  type UserRecord,
} from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import type { GuardianConsentRequester } from '../deps.js';

export interface MinorTurnsOptions {
  readonly store: Store;
  /** SCOPE-2: each user's minors' rules come from their own profile. */
  readonly profiles: ProfileBook;
  readonly logger: Logger;
  readonly guardianConsent?: GuardianConsentRequester | undefined;
}

/** The minor mode's part of a chat turn (MINOR-1, MINOR-2): reading the facts, counting use, asking consent. */
export interface MinorTurns {
  /**
   * The facts of a user in minor mode, or null for everybody else without a store round trip (only a
   * minor band or the user row's flag makes it read; nothing when the profile's minor mode is off). Turns minor mode on for a declared minor the first
   * time (or moves its natural end later), and off on the day the registered age reaches 18. When the
   * consent gate applies to `character`, says what asking the guardian would do (one more read, only then).
   */
  facts(
    user: UserRecord,
    band: UserRecord['ageBand'],
    now: number,
    character: Pick<CharacterRecord, 'scope'>,
  ): Promise<MinorTurnFacts | null>;
  /**
   * After a decided turn: counts the use of an answered turn; asks the guardian when consent is missing
   * (fired, not awaited: a slow mail server never delays the reply; failures are logged).
   */
  afterTurn(
    user: UserRecord,
    facts: MinorTurnFacts | null,
    action: TurnAction,
    characterId: string,
    now: number,
  ): Promise<void>;
}

export function createMinorTurns(options: MinorTurnsOptions): MinorTurns {
  const { store } = options;
  return {
    async facts(user, band, now, character) {
      const profile = options.profiles.forUser(user);
      if (!profile.minors.enabled || (!user.minorMode && !isMinorBand(band))) return null;
      const day = localDay(now, timeZoneOf(user, profile));
      let view = await store.minors.turnView(user.id, day);
      const { state } = view;
      if (isMinorBand(band)) {
        const endsOn = adultDateOf(user);
        const later = state.reason === 'declared' && endsOn !== null && (state.endsOn ?? '') < endsOn;
        if (state.mode === 'off' || later) {
          view = { ...view, state: await store.minors.enter(user.id, { reason: 'declared', endsOn, now }) };
        }
      } else if (minorModeOf(state, band, day).cameOfAge) {
        await store.minors.leave(user.id, { by: 'age', now });
        return null;
      }
      const facts = minorTurnFacts(profile, view, band, now, timeZoneOf(user, profile));
      const { consent } = facts.state;
      const gated =
        facts.mode.on &&
        (consent === null || consent.revokedAt !== null) &&
        consentRequired(profile, facts.mode.band, character);
      if (!gated || !options.guardianConsent) return facts;
      return { ...facts, consentRequest: await options.guardianConsent.outlook(user, now) };
    },

    async afterTurn(user, facts, action, characterId, now) {
      if (!facts?.mode.on) return;
      const profile = options.profiles.forUser(user);
      if (action.kind === 'call-model') {
        await store.minors.recordUsage({
          userId: user.id,
          at: now,
          day: localDay(now, facts.timeZone),
          characterId,
          maxGapMs: profile.session.idleGapMinutes * 60_000,
        });
      } else if (action.reason === 'consent-required' && options.guardianConsent) {
        // Best-effort and not awaited: the gate holds whether or not the request goes out.
        void options.guardianConsent.request(user.id, now).catch((e: unknown) => {
          const code = e instanceof Error ? ((e as { code?: string }).code ?? 'internal') : 'internal';
          options.logger.error('guardian consent request failed', { userId: user.id, code });
        });
      }
    },
  };
}
