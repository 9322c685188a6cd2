import { CgError } from '@companion-guard/core';
import type { Context } from 'hono';
import type { AppEnv, StaffPrincipal } from '../auth/authorization.js';

/** Timestamps in `/api` bodies: ISO 8601 in UTC. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** The signed-in staff member of a staff route (the matrix admits only staff to these routes). */
export function staffPrincipal(c: Context<AppEnv>): StaffPrincipal {
  const principal = c.get('principal');
  if (principal.kind !== 'staff') throw new CgError('forbidden');
  return principal;
}
