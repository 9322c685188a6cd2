/**
 * Output detection on the hand-written table of `output.cases.ts` (CONTENT-3, CONTENT-4, CONTENT-5, EXIT-3,
 * DISC-1): precision and recall per category, printed and held to floors; and the same decision, streamed
 * in small chunks or judged whole, with no text of a withheld clause released.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../types.js';
import { createOutputScanner, runDetectors } from './engine.js';
import {
  BENIGN_OUTPUT_CASES,
  OUTPUT_CTX as CTX,
  formatScores,
  HARMFUL_OUTPUT_CASES,
  type OutputCase,
  predictedCategories,
  scoreOutputCases,
  withholding,
} from './output.cases.js';

const ALL: readonly OutputCase[] = [
  ...HARMFUL_OUTPUT_CASES,
  ...BENIGN_OUTPUT_CASES.map((t) => [t, []] as const),
];

describe('output detection table: precision and recall per category', () => {
  it('has at least 150 harmful replies and as many benign ones, zh and en', () => {
    expect(HARMFUL_OUTPUT_CASES.length).toBeGreaterThanOrEqual(150);
    expect(BENIGN_OUTPUT_CASES.length).toBeGreaterThanOrEqual(HARMFUL_OUTPUT_CASES.length);
    const han = (t: string) => /\p{Script=Han}/u.test(t);
    for (const cases of [HARMFUL_OUTPUT_CASES.map(([t]) => t), BENIGN_OUTPUT_CASES]) {
      expect(cases.filter(han).length).toBeGreaterThanOrEqual(cases.length * 0.4);
      expect(cases.filter((t) => !han(t)).length).toBeGreaterThanOrEqual(cases.length * 0.4);
    }
  });

  it('CONTENT-3/4/5, EXIT-3, DISC-1: P ≥ 0.95 and R ≥ 0.9 in every category; no benign reply withheld', () => {
    const { scores, withheldBenign, missed } = scoreOutputCases(
      HARMFUL_OUTPUT_CASES,
      BENIGN_OUTPUT_CASES,
      predictedCategories,
    );
    console.info([formatScores(scores), ...missed.map((m) => `missed ${m}`)].join('\n'));
    for (const x of scores) {
      expect(x.precision, `precision of ${x.category}`).toBeGreaterThanOrEqual(0.95);
      expect(x.recall, `recall of ${x.category}`).toBeGreaterThanOrEqual(0.9);
    }
    expect(withheldBenign).toEqual([]);
  });
  it('EXIT-3: a graceful farewell passes even when the user asked to leave', () => {
    for (const text of [
      '晚安，好好睡一觉，明天见。',
      "I'll miss you, sleep well.",
      '好，那我们下次再聊，照顾好自己。',
    ]) {
      const findings = runDetectors(text, { ...CTX, exitRequested: true });
      expect(withholding(findings), text).toEqual([]);
    }
  });
});

function streamed(text: string, size: number): { released: string; findings: Finding[] } {
  const scanner = createOutputScanner(CTX);
  let released = '';
  const findings: Finding[] = [];
  const units = [...text];
  for (let i = 0; i < units.length; i += size) {
    const step = scanner.push(units.slice(i, i + size).join(''));
    released += step.release;
    findings.push(...step.findings);
  }
  const last = scanner.end();
  return { released: released + last.release, findings: [...findings, ...last.findings] };
}

describe('streamed and whole replies get the same decision (CONTENT-4: no clause of a data request leaks)', () => {
  it.each([1, 2, 3, 5, 8])('every table case, fed in chunks of %i characters', (size) => {
    const problems: string[] = [];
    for (const [text] of ALL) {
      const whole = withholding(runDetectors(text, CTX));
      const run = streamed(text, size);
      const stream = withholding(run.findings);
      if (whole.length > 0 !== stream.length > 0) {
        problems.push(`decision differs: ${text} (whole ${whole.length}, streamed ${stream.length})`);
        continue;
      }
      if (!text.startsWith(run.released)) problems.push(`released text is not a prefix: ${text}`);
      if (whole.length === 0) {
        if (run.released !== text) problems.push(`benign reply not fully released: ${text}`);
        continue;
      }
      // The scanner never releases a character of a withheld finding; a data request's finding spans all of
      // its clauses (request and data term), so no clause of it reaches the user.
      const first = Math.min(...whole.map((f) => f.span[0]));
      if (run.released.length > first) {
        problems.push(`released withheld text: ${text} → "${run.released}"`);
      }
    }
    expect(problems).toEqual([]);
  });
});
