/**
 * RISK-1: a running assessment of a user's emotional state and dependence, kept as numbers only. Each message's
 * detector findings add points; a score halves every `halfLifeDays` without new signals, so an old bad week
 * fades. No text is kept: the store holds two scores per user and one row per day with signals.
 */
import type { AuditInput } from '../ports.js';
import type { Finding } from '../types.js';

export interface EmotionalStateConfig {
  /** A score halves every this many days without a new signal. */
  readonly halfLifeDays: number;
  /** Emotion score from which the state is `elevated`, and `high`. */
  readonly elevatedAt: number;
  readonly highAt: number;
  /** DISC-3: a user whose dependence score is at least this gets the dependence notice when a session starts. */
  readonly sustainedDependenceAt: number;
}

/** The two scores as stored, with the time they were last raised (null: never). */
export interface EmotionalScores {
  readonly emotion: number;
  readonly dependence: number;
  readonly at: number | null;
}

export const noEmotionalScores: EmotionalScores = { emotion: 0, dependence: 0, at: null };

export type EmotionalLevel = 'low' | 'elevated' | 'high';
export type EmotionalTrend = 'rising' | 'steady' | 'falling';

/** One day of a user's assessment: the scores at the day's last signal, and how many signals it had. */
export interface EmotionalDay {
  /** `YYYY-MM-DD` in the deployment's time zone. */
  readonly day: string;
  readonly emotion: number;
  readonly dependence: number;
  readonly signals: number;
}

/** A score as it stands at `at`, halved every `halfLifeDays` since `since`. */
export function halfLifeDecay(score: number, since: number, at: number, halfLifeDays: number): number {
  const days = Math.max(0, at - since) / 86_400_000;
  return score * 0.5 ** (days / halfLifeDays);
}

/**
 * The points one message adds: emotion from extreme emotion (tier 1: 1, tier 2: 2) and any crisis signal
 * (3), dependence from each dependence finding (1). Tier 0 (negated, fiction, a question) adds nothing.
 */
export function emotionalPoints(findings: readonly Finding[]): {
  emotion: number;
  dependence: number;
  signals: string[];
} {
  let emotion = 0;
  let dependence = 0;
  const signals: string[] = [];
  for (const f of findings) {
    if (f.tier === 0 || f.status !== 'ok') continue;
    if (f.detector === 'crisis') emotion = Math.max(emotion, 3);
    else if (f.detector === 'emotion') emotion = Math.max(emotion, f.tier);
    else if (f.detector === 'dependence') dependence = 1;
    else continue;
    signals.push(f.rule);
  }
  return { emotion, dependence, signals };
}

/** The stored scores decayed to `at`. */
export function currentScores(
  stored: EmotionalScores,
  at: number,
  config: EmotionalStateConfig,
): EmotionalScores {
  if (stored.at === null) return noEmotionalScores;
  return {
    emotion: halfLifeDecay(stored.emotion, stored.at, at, config.halfLifeDays),
    dependence: halfLifeDecay(stored.dependence, stored.at, at, config.halfLifeDays),
    at: stored.at,
  };
}

export function emotionalLevel(emotion: number, config: EmotionalStateConfig): EmotionalLevel {
  if (emotion >= config.highAt) return 'high';
  return emotion >= config.elevatedAt ? 'elevated' : 'low';
}

/**
 * The trend of the emotion score: today's (decayed to `at`) against the score a week earlier, from the day
 * rows (oldest first). A change of less than one point is `steady`.
 */
export function emotionalTrend(
  days: readonly EmotionalDay[],
  now: EmotionalScores,
  weekAgoDay: string,
  config: EmotionalStateConfig,
): EmotionalTrend {
  let before = 0;
  let beforeDay: string | null = null;
  for (const d of days) {
    if (d.day > weekAgoDay) break;
    before = d.emotion;
    beforeDay = d.day;
  }
  const weekAgo =
    beforeDay === null
      ? 0
      : halfLifeDecay(
          before,
          Date.parse(`${beforeDay}T12:00:00Z`),
          Date.parse(`${weekAgoDay}T12:00:00Z`),
          config.halfLifeDays,
        );
  const diff = now.emotion - weekAgo;
  if (diff >= 1) return 'rising';
  return diff <= -1 ? 'falling' : 'steady';
}

/** What one message adds to a user's scores (RISK-1). */
export interface EmotionalRaise {
  readonly emotion: number;
  readonly dependence: number;
  readonly at: number;
  /** The day it counts for (`YYYY-MM-DD`, the deployment's time zone). */
  readonly day: string;
  readonly halfLifeDays: number;
  /** The rules that gave the points, and the turn's session, for the audit event. */
  readonly signals: readonly string[];
  readonly sessionId?: string;
  /** The profile that decided the turn (SCOPE-2), for the audit event. */
  readonly profile?: string;
}

/**
 * The emotional-state store (`Store.emotions`, RISK-1): two scores on the user's row (read with the user, so
 * the chat path pays no extra read) and one row per user and day. Numbers only.
 */
export interface EmotionalStateStore {
  /**
   * Decays the user's stored scores to `raise.at`, adds the points, stores them with the day's row (its
   * scores, signals + 1) and appends its event `emotional-state-raised` (RISK-1: points, scores, signals)
   * then `audit`, in one transaction (concurrent raises of one user serialize). Returns the new scores.
   * `not-found` for an unknown user.
   */
  raise(userId: string, raise: EmotionalRaise, audit?: readonly AuditInput[]): Promise<EmotionalScores>;
  /** The user's day rows from `fromDay` on, oldest first. */
  days(userId: string, fromDay: string): Promise<EmotionalDay[]>;
}

/** What operators see of a user's assessment (RISK-1): scores now, level, trend and the last two weeks. */
export interface EmotionalSummary {
  readonly emotion: number;
  readonly dependence: number;
  readonly level: EmotionalLevel;
  readonly trend: EmotionalTrend;
  readonly days: readonly EmotionalDay[];
}

/** Builds the summary from the stored scores and the day rows of the last 14 days (oldest first). */
export function emotionalSummary(
  stored: EmotionalScores,
  days: readonly EmotionalDay[],
  at: number,
  weekAgoDay: string,
  config: EmotionalStateConfig,
): EmotionalSummary {
  const now = currentScores(stored, at, config);
  const round = (n: number) => Math.round(n * 100) / 100;
  const emotion = round(now.emotion);
  return {
    emotion,
    dependence: round(now.dependence),
    level: emotionalLevel(emotion, config),
    trend: emotionalTrend(days, now, weekAgoDay, config),
    days,
  };
}
