import type { UserProfileStore } from '@companion-guard/core';
import type { SqlContext } from './sql-context.js';

/** The SQL UserProfileStore. */
export class SqlProfileStore implements UserProfileStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }
}
