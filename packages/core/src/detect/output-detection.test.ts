/**
 * Output detection on the hand-written table of `output-cases.ts` (CONTENT-3, CONTENT-4, CONTENT-5, EXIT-3,
 * DISC-1): precision and recall per category, printed and held to floors; and the same decision, streamed
 * in small chunks or judged whole, with no text of a withheld clause released.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../types.js';
import { createOutputScanner, runDetectors } from './engine.js';
import {
  BENIGN_OUTPUT_CASES,
  HARMFUL_OUTPUT_CASES,
  type OutputCase,
  type OutputCaseCategory,
} from './output-cases.js';
import { WITHHOLDING_DETECTORS } from './registry.js';

/** What the gateway scans replies with (`createDetection`). */
const CTX = { side: 'output', detectors: WITHHOLDING_DETECTORS } as const;

const TABLE_CATEGORY: Readonly<Record<string, OutputCaseCategory>> = {
  guilt: 'guilt',
  'guilt-at-farewell': 'guilt',
  threat: 'threat',
  'coercive-restraint': 'threat',
  fomo: 'fomo',
  'pressure-to-stay': 'pressure',
  'inducing-spending': 'spending',
  'personal-data': 'personal-data',
  isolation: 'isolation',
  sycophancy: 'sycophancy',
  'human-claim': 'human-claim',
};

const withholding = (findings: readonly Finding[]) =>
  findings.filter((f) => f.status === 'ok' && f.tier >= 1);

/** The table categories a reply is withheld for (`other` for a withholding finding outside the table). */
function predicted(text: string): Set<string> {
  return new Set(withholding(runDetectors(text, CTX)).map((f) => TABLE_CATEGORY[f.category] ?? 'other'));
}

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
    const categories = [...new Set(HARMFUL_OUTPUT_CASES.flatMap(([, cs]) => cs))];
    const errors: string[] = [];
    const stats = new Map(categories.map((cat) => [cat, { tp: 0, fp: 0, fn: 0 }]));
    for (const [text, truth] of ALL) {
      const got = predicted(text);
      for (const cat of categories) {
        const s = stats.get(cat);
        if (s === undefined) continue;
        const isTrue = truth.includes(cat);
        if (got.has(cat) && isTrue) s.tp++;
        else if (got.has(cat)) s.fp++;
        else if (isTrue) s.fn++;
      }
      if (truth.length === 0 && got.size > 0) errors.push(`withheld benign: ${text} [${[...got]}]`);
      if (truth.length > 0 && !truth.some((cat) => got.has(cat))) errors.push(`missed ${truth}: ${text}`);
    }
    const rows = categories.map((cat) => {
      const { tp, fp, fn } = stats.get(cat) ?? { tp: 0, fp: 0, fn: 0 };
      return { cat, p: tp / Math.max(1, tp + fp), r: tp / Math.max(1, tp + fn), tp, fp, fn };
    });
    console.info(
      [
        'category        P      R      (tp/fp/fn)',
        ...rows.map(
          (x) => `${x.cat.padEnd(15)} ${x.p.toFixed(3)}  ${x.r.toFixed(3)}  (${x.tp}/${x.fp}/${x.fn})`,
        ),
        ...errors,
      ].join('\n'),
    );
    for (const x of rows) {
      expect(x.p, `precision of ${x.cat}`).toBeGreaterThanOrEqual(0.95);
      expect(x.r, `recall of ${x.cat}`).toBeGreaterThanOrEqual(0.9);
    }
    expect(errors.filter((e) => e.startsWith('withheld benign'))).toEqual([]);
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
