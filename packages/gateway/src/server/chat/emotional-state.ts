import { emotionalPoints, type Finding, localDay, type Profile, type Store } from '@companion-guard/core';

/**
 * RISK-1: raises the user's emotional-state and dependence scores by what the turn's findings show. A store
 * call only on turns with a signal (the store audits points and scores, never the text). Returns true when
 * the scores changed, so the caller drops its cached user row.
 */
export async function raiseEmotionalState(
  store: Pick<Store, 'emotions'>,
  profile: Profile,
  turn: { userId: string; findings: readonly Finding[]; sessionId: string; now: number },
): Promise<boolean> {
  const { emotion, dependence, signals } = emotionalPoints(turn.findings);
  if (emotion === 0 && dependence === 0) return false;
  await store.emotions.raise(turn.userId, {
    emotion,
    dependence,
    signals,
    at: turn.now,
    day: localDay(turn.now, profile.session.defaultTimeZone),
    halfLifeDays: profile.emotionalState.halfLifeDays,
    sessionId: turn.sessionId,
    profile: profile.id,
  });
  return true;
}
