import {
  type AuditInput,
  CgError,
  type EmotionalDay,
  type EmotionalRaise,
  type EmotionalScores,
  type EmotionalStateStore,
  halfLifeDecay,
} from '@companion-guard/core';
import type { SqlContext } from './sql-context.js';

/**
 * The SQL EmotionalStateStore (RISK-1): the scores on `users` (locked on PostgreSQL while raised; SQLite has
 * one writer) and a row per user and day in `emotional_days`.
 */
export class SqlEmotionalStateStore implements EmotionalStateStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }

  raise(userId: string, raise: EmotionalRaise, audit: readonly AuditInput[] = []): Promise<EmotionalScores> {
    const { at, day, halfLifeDays } = raise;
    if (![raise.emotion, raise.dependence, halfLifeDays].every(Number.isFinite)) {
      return Promise.reject(new CgError('invalid-request', 'Scores must be finite numbers.'));
    }
    return this.#ctx.run('emotions.raise', () =>
      this.#ctx.transaction(async (trx) => {
        const select = trx
          .selectFrom('users')
          .select(['emotionScore', 'dependenceScore', 'scoresAt'])
          .where('id', '=', userId);
        const row = await (this.#ctx.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
        if (!row) throw new CgError('not-found', `No user ${userId}.`);
        const since = row.scoresAt ?? at;
        const scores = {
          emotion: halfLifeDecay(row.emotionScore, since, at, halfLifeDays) + raise.emotion,
          dependence: halfLifeDecay(row.dependenceScore, since, at, halfLifeDays) + raise.dependence,
          at,
        };
        await trx
          .updateTable('users')
          .set({ emotionScore: scores.emotion, dependenceScore: scores.dependence, scoresAt: at })
          .where('id', '=', userId)
          .execute();
        await trx
          .insertInto('emotionalDays')
          .values({ userId, day, emotion: scores.emotion, dependence: scores.dependence, signals: 1 })
          .onConflict((oc) =>
            oc.columns(['userId', 'day']).doUpdateSet((eb) => ({
              emotion: scores.emotion,
              dependence: scores.dependence,
              signals: eb('emotionalDays.signals', '+', 1),
            })),
          )
          .execute();
        const round = (n: number) => Math.round(n * 100) / 100;
        await this.#ctx.appendAuditWithin(trx, [
          {
            type: 'emotional-state-raised',
            requirement: 'RISK-1',
            at,
            userId,
            ...(raise.sessionId ? { sessionId: raise.sessionId } : {}),
            data: {
              points: { emotion: raise.emotion, dependence: raise.dependence },
              scores: { emotion: round(scores.emotion), dependence: round(scores.dependence) },
              signals: raise.signals,
              ...(raise.profile ? { profile: raise.profile } : {}),
            },
          },
          ...audit,
        ]);
        return scores;
      }),
    );
  }

  days(userId: string, fromDay: string): Promise<EmotionalDay[]> {
    return this.#ctx.run('emotions.days', () =>
      this.#ctx.db
        .selectFrom('emotionalDays')
        .select(['day', 'emotion', 'dependence', 'signals'])
        .where('userId', '=', userId)
        .where('day', '>=', fromDay)
        .orderBy('day')
        .execute(),
    );
  }
}
