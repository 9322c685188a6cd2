/**
 * Precision and recall per category of the output detectors (what the gateway withholds) on hand-written
 * replies: `npx tsx scripts/measure-output.ts [--tuned] [--show-errors]`. By default the held-out table, never
 * used to change the lexicons; `--tuned` the table they were tuned on (its floors are asserted in
 * `output-detection.test.ts`).
 */
import {
  BENIGN_OUTPUT_CASES,
  formatScores,
  HARMFUL_OUTPUT_CASES,
  HELD_OUT_BENIGN_CASES,
  HELD_OUT_OUTPUT_CASES,
  predictedCategories,
  scoreOutputCases,
} from '../packages/core/src/detect/output.cases.js';

const tuned = process.argv.includes('--tuned');
const harmful = tuned ? HARMFUL_OUTPUT_CASES : HELD_OUT_OUTPUT_CASES;
const benign = tuned ? BENIGN_OUTPUT_CASES : HELD_OUT_BENIGN_CASES;
const { scores, withheldBenign, missed } = scoreOutputCases(harmful, benign, predictedCategories);
const lines = [
  `${tuned ? 'tuned' : 'held-out'} table: ${harmful.length} harmful, ${benign.length} benign replies`,
  formatScores(scores),
  `benign withheld: ${withheldBenign.length} of ${benign.length}`,
];
if (process.argv.includes('--show-errors')) {
  lines.push(...missed.map((m) => `missed ${m}`), ...withheldBenign.map((b) => `withheld ${b}`));
}
process.stdout.write(`${lines.join('\n')}\n`);
