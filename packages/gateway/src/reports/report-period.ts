import { CgError, calendarDateAt, localMinuteOfDay, parseCalendarDate } from '@companion-guard/core';

/** The most days one assessment report covers (as `GET /api/stats`). */
const maxReportDays = 366;
const DAY_MS = 86_400_000;

/** A report's period: calendar days in the deployment's time zone, inclusive, and their epoch bounds. */
export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  /** Start of `from` in the time zone (epoch ms). */
  readonly start: number;
  /** Start of the day after `to` (exclusive). */
  readonly end: number;
}

const validDay = (day: string): boolean => parseCalendarDate(day) !== undefined;

/** Epoch ms of local midnight starting `day` in `timeZone`. */
export function dayStart(day: string, timeZone: string): number {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  let at = midnightUtc;
  // Two rounds settle the offset, also across a daylight-saving change.
  for (let i = 0; i < 2; i += 1) {
    const [y, m, d] = calendarDateAt(at, timeZone);
    const wall = Date.UTC(y, m - 1, d) + localMinuteOfDay(at, timeZone) * 60_000;
    at = midnightUtc - (wall - at);
  }
  return at;
}

/**
 * Checks `from`..`to` (`YYYY-MM-DD`, inclusive, at most 366 days) and returns the period; a bad or reversed
 * range is `invalid-request` naming the field.
 */
export function reportPeriod(
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
): ReportPeriod {
  if (!from || !validDay(from)) throw new CgError('invalid-request', 'from: must be a day as YYYY-MM-DD');
  if (!to || !validDay(to)) throw new CgError('invalid-request', 'to: must be a day as YYYY-MM-DD');
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
  if (days < 1) throw new CgError('invalid-request', 'to: must not be before from');
  if (days > maxReportDays) {
    throw new CgError('invalid-request', `to: a report covers at most ${maxReportDays} days`);
  }
  const next = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from, to, timeZone, start: dayStart(from, timeZone), end: dayStart(next, timeZone) };
}
