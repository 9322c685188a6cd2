import { writeFile } from 'node:fs/promises';
import type { Store } from '@companion-guard/core';
import type { GatewayConfig } from '../config.js';
import { deploymentFacts, reportSources } from '../reports/assessment-report.js';
import {
  generateAnnualReport,
  generateAssessmentReport,
  type RenderedReport,
  reportFormat,
} from '../reports/report-service.js';

export const reportUsage =
  '       companion-guard report assessment --from YYYY-MM-DD --to YYYY-MM-DD [--format html|md|json] [--out FILE]\n' +
  '       companion-guard report annual --year YYYY [--format html|md|json] [--out FILE]   (us-ca-sb243)';

/**
 * `report assessment` (ASSESS-2) and `report annual` (ASSESS-5): the report on standard output, or in
 * `--out FILE`; each generation audited with `by: "cli"`.
 */
export async function reportCommand(
  action: 'assessment' | 'annual',
  values: {
    from?: string | undefined;
    to?: string | undefined;
    year?: string | undefined;
    format?: string | undefined;
    out?: string | undefined;
  },
  config: GatewayConfig,
  io: { out: (line: string) => void; err: (line: string) => void },
  withStore: (work: (store: Store) => Promise<number>) => Promise<number>,
): Promise<number> {
  const format = reportFormat(values.format, '--format');
  return withStore(async (store) => {
    const now = Date.now();
    let report: RenderedReport;
    if (action === 'assessment') {
      report = await generateAssessmentReport(reportSources(store, config.profile, deploymentFacts(config)), {
        from: values.from,
        to: values.to,
        format,
        now,
        by: 'cli',
      });
    } else {
      report = await generateAnnualReport(store, config.profile, {
        year: Number(values.year),
        format,
        now,
        by: 'cli',
      });
    }
    if (values.out) {
      await writeFile(values.out, report.body, { mode: 0o600 });
      io.err(`报告已写入 / report written to ${values.out}`);
    } else {
      io.out(report.body.replace(/\n$/, ''));
    }
    return 0;
  });
}
