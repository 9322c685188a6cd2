import { reportSources } from '../../reports/assessment-report.js';
import { generateAssessmentReport, reportFormat } from '../../reports/report-service.js';
import { staffPrincipal } from '../api/wire.js';
import type { SecureRoutes } from '../auth/authorization.js';
import type { AppDeps } from '../deps.js';

/**
 * ASSESS-2: `GET /api/reports/assessment?from=YYYY-MM-DD&to=YYYY-MM-DD&format=html|md|json` (compliance and
 * auditor roles): the assessment report as a download, the same as `companion-guard report assessment`.
 * Every generation is audited (`report-generated`, with the staff id).
 */
export function registerReportRoutes(routes: SecureRoutes, deps: AppDeps): void {
  routes.route('GET /api/reports/assessment', async (c) => {
    const me = staffPrincipal(c);
    const format = reportFormat(c.req.query('format'));
    const report = await generateAssessmentReport(reportSources(deps.store, deps.profile, deps.deployment), {
      from: c.req.query('from'),
      to: c.req.query('to'),
      format,
      now: deps.clock.now(),
      by: me.staffId,
    });
    return new Response(report.body, {
      headers: {
        'content-type': report.contentType,
        'content-disposition': `attachment; filename="${report.fileName}"`,
        'cache-control': 'no-store',
        // The HTML report carries its own style and nothing else: no script may run in it.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        'x-content-type-options': 'nosniff',
      },
    });
  });
}
