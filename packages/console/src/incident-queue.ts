import type { Locale } from './api.js';
import type { Incident, IncidentFilter } from './staff-api.js';

/** Whether an incident belongs in the list the queue shows for `filter`. */
export function matchesFilter(incident: Incident, filter: IncidentFilter): boolean {
  if (filter === 'all') return true;
  return (incident.state === 'closed') === (filter === 'closed');
}

const stateRank: Record<string, number> = { open: 0, claimed: 1, 'handed-back': 2, closed: 3 };
const severityRank: Record<string, number> = { critical: 0, high: 1 };

/**
 * The queue's order: unclaimed incidents first, critical before high, the longest waiting on top; then
 * the claimed and handed-back ones; closed incidents last, the most recently closed first.
 */
export function compareIncidents(a: Incident, b: Incident): number {
  const byState = (stateRank[a.state] ?? 3) - (stateRank[b.state] ?? 3);
  if (byState !== 0) return byState;
  const bySeverity = (severityRank[a.severity] ?? 2) - (severityRank[b.severity] ?? 2);
  if (bySeverity !== 0) return bySeverity;
  if (a.state === 'closed') return (b.closedAt ?? 0) - (a.closedAt ?? 0);
  return a.openedAt - b.openedAt;
}

/** The list with `incident` as it is now: replaced or added when it matches `filter`, else removed. */
export function applyIncident(
  incidents: readonly Incident[],
  incident: Incident,
  filter: IncidentFilter,
): Incident[] {
  const others = incidents.filter((other) => other.id !== incident.id);
  if (matchesFilter(incident, filter)) others.push(incident);
  return others.sort(compareIncidents);
}

const durationUnits: Record<Locale, { d: string; h: string; m: string; s: string }> = {
  en: { d: ' d', h: ' h', m: ' min', s: ' s' },
  zh: { d: ' 天', h: ' 小时', m: ' 分', s: ' 秒' },
};

/**
 * A duration as its two largest units, for ages and median times.
 *
 * @example
 * formatDuration(185_000, 'en') // → '3 min 5 s'
 * formatDuration(185_000, 'zh') // → '3 分 5 秒'
 */
export function formatDuration(ms: number, locale: Locale): string {
  const units = durationUnits[locale];
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), units.d],
    [Math.floor(seconds / 3600) % 24, units.h],
    [Math.floor(seconds / 60) % 60, units.m],
    [seconds % 60, units.s],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return `0${units.s}`;
  return parts
    .slice(first, first + 2)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ');
}
