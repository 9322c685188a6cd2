import type { StaffStore } from '@companion-guard/core';
import type { SqlContext } from './sql-context.js';

/** The SQL StaffStore. */
export class SqlStaffStore implements StaffStore {
  readonly #ctx: SqlContext;

  constructor(ctx: SqlContext) {
    this.#ctx = ctx;
  }
}
