import { describe, expect, it } from 'vitest';
import { dayStart, reportPeriod } from './report-period.js';

describe('ASSESS-2: report periods are days of the deployment time zone', () => {
  it('ASSESS-2: a day starts at local midnight, across daylight-saving changes', () => {
    expect(new Date(dayStart('2026-07-15', 'Asia/Shanghai')).toISOString()).toBe('2026-07-14T16:00:00.000Z');
    expect(new Date(dayStart('2026-03-08', 'America/Los_Angeles')).toISOString()).toBe(
      '2026-03-08T08:00:00.000Z',
    );
    expect(new Date(dayStart('2026-03-09', 'America/Los_Angeles')).toISOString()).toBe(
      '2026-03-09T07:00:00.000Z',
    );
    expect(new Date(dayStart('2026-11-02', 'America/Los_Angeles')).toISOString()).toBe(
      '2026-11-02T08:00:00.000Z',
    );
  });

  it('ASSESS-2: the period ends at the start of the day after `to`; bad ranges name the field', () => {
    const p = reportPeriod('2026-01-01', '2026-12-31', 'Asia/Shanghai');
    expect(p.end - p.start).toBe(365 * 86_400_000);
    expect(() => reportPeriod('2026-1-01', '2026-02-01', 'UTC')).toThrow(/^from:/);
    expect(() => reportPeriod('2026-02-01', '2026-02-30', 'UTC')).toThrow(/^to:/);
    expect(() => reportPeriod('2026-02-02', '2026-02-01', 'UTC')).toThrow('to: must not be before from');
    expect(() => reportPeriod('2024-01-01', '2025-01-01', 'UTC')).toThrow(
      'to: a report covers at most 366 days',
    );
    expect(reportPeriod('2024-01-01', '2024-12-31', 'UTC').to).toBe('2024-12-31');
  });
});
