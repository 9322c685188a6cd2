/**
 * Generating a report: the figures, the chosen format, and the audit event every generation leaves
 * (ASSESS-2 for the assessment report, ASSESS-5 for the CA annual report), by whom (a staff id or `cli`).
 */
import { CgError, type Profile, type Store } from '@companion-guard/core';
import { buildAnnualReport, renderAnnualHtml, renderAnnualMarkdown } from './annual-report.js';
import { buildAssessmentReport, type ReportSources } from './assessment-report.js';
import { renderHtml, renderMarkdown } from './render-report.js';
import { reportPeriod } from './report-period.js';

export const reportFormats = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** A generated report, ready to write or serve. */
export interface RenderedReport {
  readonly body: string;
  readonly contentType: string;
  /** A file name for downloads, e.g. `assessment-2026-01-01_2026-06-30.html`. */
  readonly fileName: string;
}

/** `html` when absent; `invalid-request` naming the field otherwise. */
export function reportFormat(value: string | undefined, field = 'format'): ReportFormat {
  if (value === undefined || value === '') return 'html';
  const format = reportFormats.find((f) => f === value);
  if (!format) throw new CgError('invalid-request', `${field}: must be html, md or json`);
  return format;
}

const contentTypes: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

function rendered(format: ReportFormat, name: string, value: unknown, html: () => string, md: () => string) {
  const body = format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : format === 'html' ? html() : md();
  return { body, contentType: contentTypes[format], fileName: `${name}.${format}` };
}

/**
 * The assessment report of `from`..`to` (deployment-local days, inclusive) in `format`, audited as
 * `report-generated` (ASSESS-2) with the period, the format and who asked.
 */
export async function generateAssessmentReport(
  sources: ReportSources,
  request: {
    from: string | undefined;
    to: string | undefined;
    format: ReportFormat;
    now: number;
    by: string;
  },
): Promise<RenderedReport> {
  const period = reportPeriod(request.from, request.to, sources.profile.session.defaultTimeZone);
  const report = await buildAssessmentReport(sources, period, request.now);
  const out = rendered(
    request.format,
    `assessment-${period.from}_${period.to}`,
    report,
    () => renderHtml(report),
    () => renderMarkdown(report),
  );
  await sources.store.appendAudit([
    {
      type: 'report-generated',
      requirement: 'ASSESS-2',
      at: request.now,
      data: {
        report: 'assessment',
        from: period.from,
        to: period.to,
        format: request.format,
        by: request.by,
      },
    },
  ]);
  return out;
}

/** The CA annual report of `year` (ASSESS-5) in `format`, audited as `report-generated`. */
export async function generateAnnualReport(
  store: Store,
  profile: Profile,
  request: { year: number; format: ReportFormat; now: number; by: string },
): Promise<RenderedReport> {
  const report = await buildAnnualReport(store, profile, request.year, request.now);
  const out = rendered(
    request.format,
    `sb243-annual-${report.year}`,
    report,
    () => renderAnnualHtml(report),
    () => renderAnnualMarkdown(report),
  );
  await store.appendAudit([
    {
      type: 'report-generated',
      requirement: 'ASSESS-5',
      at: request.now,
      data: { report: 'ca-annual', year: report.year, format: request.format, by: request.by },
    },
  ]);
  return out;
}
