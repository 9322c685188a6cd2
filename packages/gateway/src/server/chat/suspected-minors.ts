import {
  type AuditInput,
  type Directive,
  decayedSuspicion,
  type Finding,
  fillText,
  type Profile,
  type SessionContext,
  type Store,
  suspicionPoints,
  timeZoneOf,
  type UserRecord,
} from '@companion-guard/core';

export interface SuspicionTurn {
  readonly user: UserRecord;
  readonly ctx: SessionContext;
  readonly findings: readonly Finding[];
  /** The turn opened its session (the school-hours pattern counts once per session). */
  readonly sessionStart: boolean;
  readonly sessionId: string;
  readonly now: number;
}

/**
 * MINOR-5: raises the suspicion score of a user with no registered age (and not in minor mode) by what the
 * turn shows, and moves the user to minor mode (reason `suspected`) once the score reaches the profile's
 * threshold. Returns the `minor-mode` directive for the turn's response when it did, else null. Store calls
 * only on turns with a signal; the score that crosses the threshold commits together with the switch.
 */
export async function raiseSuspicion(
  store: Pick<Store, 'minors'>,
  profile: Profile,
  turn: SuspicionTurn,
): Promise<Directive | null> {
  const { user, ctx, now } = turn;
  if (ctx.ageBand !== 'unknown' || user.minorMode) return null;
  const config = profile.suspectedMinors;
  const { points, signals } = suspicionPoints(
    turn.findings,
    { at: now, timeZone: timeZoneOf(user, profile), sessionStart: turn.sessionStart },
    config,
  );
  if (points === 0) return null;
  const before = await store.minors.getState(user.id);
  if (before.mode === 'on') return null;
  const score = decayedSuspicion(before.suspicion, before.updatedAt ?? now, now, config) + points;
  const event = { userId: user.id, sessionId: turn.sessionId, at: now } as const;
  const raised: AuditInput = {
    ...event,
    type: 'suspicion-raised',
    requirement: 'MINOR-5',
    data: { points, score, signals, profile: profile.id },
  };
  if (score < config.threshold) {
    await store.minors.setSuspicion(user.id, score, now, [raised]);
    return null;
  }
  // The score and the switch commit together: a crash cannot leave a score past the threshold with the mode off.
  await store.minors.enter(user.id, { reason: 'suspected', now, suspicion: score }, [
    raised,
    { ...event, type: 'directive-shown', requirement: 'MINOR-5', data: { directive: 'minor-mode', score } },
  ]);
  return {
    type: 'minor-mode',
    requirement: 'MINOR-5',
    display: 'popup',
    text: fillText(profile.texts.minorModeSuspected[ctx.locale], { ...profile.minors.quietHours }),
    data: {
      reason: 'suspected',
      score,
      threshold: config.threshold,
      // What the app calls when the user appeals (MINOR-5); staff decide, the outcome comes on a later turn.
      appeal: {
        method: 'POST',
        path: `/v1/users/${encodeURIComponent(user.externalId)}/appeals`,
        body: { kind: 'minor-mode' },
      },
    },
  };
}

/**
 * MINOR-5: the outcomes of the user's decided appeals not shown yet, as `minor-mode` directives with
 * `data.appeal` the outcome (each shown once, audited `appeal-outcome-shown`). No store call unless the
 * user's row flags a pending outcome.
 */
export async function appealOutcomes(
  store: Pick<Store, 'appeals'>,
  profile: Profile,
  user: UserRecord,
  locale: SessionContext['locale'],
  now: number,
): Promise<Directive[]> {
  if (!user.appealOutcomePending) return [];
  const decided = await store.appeals.takeOutcomes(user.id, now);
  return decided.map((a) => ({
    type: 'minor-mode',
    requirement: 'MINOR-5',
    display: 'popup',
    text: profile.texts[a.status === 'upheld' ? 'appealUpheld' : 'appealRejected'][locale],
    data: { appeal: a.status, appealId: a.id },
  }));
}
