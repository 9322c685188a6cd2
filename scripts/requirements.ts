/**
 * Writes `docs/requirements.md` from the requirement catalogue (`packages/core/src/requirements.ts`) and the
 * sources: every ID, what it means, its status, the code and tests that cite it, the audit events recorded
 * with it. `npm run requirements` regenerates it; `tsx scripts/requirements.ts --check` (in `npm run check`)
 * exits 1, naming the IDs, when the file is out of date or an implemented or partial ID has no test.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirementCatalogue, requirementGroups } from '../packages/core/src/requirements.js';
import { buildRequirementsReport, requirementsDocPath, staleness } from './requirements-evidence.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const docFile = join(root, requirementsDocPath);
const report = buildRequirementsReport({
  root,
  cataloguePath: 'packages/core/src/requirements.ts',
  catalogue: requirementCatalogue,
  groups: requirementGroups,
});
const problems = [...report.problems];
if (process.argv.includes('--check')) {
  problems.unshift(...staleness(report.doc, existsSync(docFile) ? readFileSync(docFile, 'utf8') : undefined));
} else {
  writeFileSync(docFile, report.doc);
  process.stdout.write(`wrote ${requirementsDocPath}\n`);
}
for (const problem of problems) process.stderr.write(`requirements: ${problem}\n`);
process.exitCode = problems.length > 0 ? 1 : 0;
