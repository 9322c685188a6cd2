/**
 * `age-signal` (MINOR-5): signs the user is a minor — school grade, a stated age under 18, parents' rules.
 * Stated ages are read by rules ("我今年13岁", "我初二", "I'm 14", "14 years old"); the rest is lexicon.
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingAt,
  findingFromHit,
  isLatinHit,
  isNegated,
  isThirdPerson,
  isThirdPersonAt,
  textAfter,
  textBefore,
} from '../context.js';
import { type NormalizedText, normalizedPattern, routesIn } from '../normalize.js';

const ZH_NUM: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

function zhNumber(s: string): number | undefined {
  if (/^[0-9]+$/.test(s)) return Number(s);
  if (s === '十') return 10;
  const m = /^(?:([一二两三四五六七八九])?十)?([一二三四五六七八九])?$/.exec(s);
  if (m === null) return undefined;
  const tens = s.includes('十') ? (m[1] !== undefined ? (ZH_NUM[m[1]] ?? 0) : 1) : 0;
  const ones = m[2] !== undefined ? (ZH_NUM[m[2]] ?? 0) : 0;
  return tens * 10 + ones;
}

const AGE_ZH = normalizedPattern(
  /我(?:今年|现在|才|只有|刚|刚满|已经)?([0-9]{1,2}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])(?:周)?岁/g,
);
const GRADE_ZH = normalizedPattern(/(?:[0-9一二三四五六]年级|初[一二三]|高[一二三])/g);
const AGE_EN = normalizedPattern(
  /\b(?:im|i am|iam)( only| just| turning)? ([0-9]{1,2})\b(?! (?:dollars|minutes|hours|days|weeks|months|times|percent|pounds|kg|lbs|feet|inches|cm))/g,
);
const AGE_EN2 = normalizedPattern(/\b([0-9]{1,2}) ?(?:yo|y o|years old|year old|yrs old)\b/g);
const GRADE_EN = normalizedPattern(/\b(?:in|a|an) (?:the )?([0-9]{1,2})(?:th|rd|nd|st) grade(?:r)?\b/g);
/** Said of the past ("初二的时候", "when I was in 8th grade"): no sign of the user's age now. */
const PAST_BEFORE_ZH = normalizedPattern(/(以前|那时|当年|小时候|曾经|上学时|读书时)/);
const PAST_AFTER_ZH = normalizedPattern(/^(?:的)?(?:时候|时|那年|那会|那阵|以后|之后|毕业)/);
const PAST_EN = normalizedPattern(/\b(was|were|used to|back when|back then|years ago)\b/);
/** A teacher or parent of a grade ("我教初二", "初二的班主任"), or a date ("大年初二", "正月初二"). */
const NOT_OWN_GRADE_BEFORE = normalizedPattern(/(教|带|大年|正月|农历|腊月)$/);
const NOT_OWN_GRADE_AFTER = normalizedPattern(/^(?:的)?(?:[^。]{0,2})(?:班主任|老师|家长)/);

/** True when a school or grade mention at [start, end) speaks of the past, not of the user now. */
function isPast(n: NormalizedText, start: number, end: number, latin: boolean): boolean {
  if (latin) return PAST_EN.test(textBefore(n, start, 32)) || PAST_EN.test(textAfter(n, end, 24));
  return PAST_BEFORE_ZH.test(textBefore(n, start, 10)) || PAST_AFTER_ZH.test(textAfter(n, end, 4));
}

export const detectAgeSignal: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  const text = n.text;
  const push = (
    rule: string,
    category: string,
    tier: 0 | 1 | 2,
    start: number,
    end: number,
    conf: number,
  ) => {
    findings.push(
      findingAt(n, 'age-signal', rule, category, tier, start, end, conf, routesIn(n, start, end)),
    );
  };
  for (const m of text.matchAll(AGE_ZH)) {
    const age = zhNumber(m[1] ?? '');
    if (age !== undefined && age >= 4 && age < 18) {
      push('age-signal.stated-age', 'stated-age', age < 14 ? 2 : 1, m.index, m.index + m[0].length, 0.9);
    }
  }
  for (const m of text.matchAll(GRADE_ZH)) {
    const end = m.index + m[0].length;
    const before = textBefore(n, m.index, 6);
    if (
      /(我|在读|读|上|念)/.test(before) &&
      !isThirdPersonAt(n, m.index, false) &&
      !NOT_OWN_GRADE_BEFORE.test(before) &&
      !NOT_OWN_GRADE_AFTER.test(textAfter(n, end, 8)) &&
      !isPast(n, m.index, end, false)
    ) {
      push('age-signal.grade', 'school', 1, m.index, end, 0.85);
    }
  }
  for (const re of [AGE_EN, AGE_EN2]) {
    for (const m of text.matchAll(re)) {
      const num = re === AGE_EN ? m[2] : m[1];
      const age = Number(num);
      if (re === AGE_EN2 && !/\b(i|im|iam|me|my)\b/.test(text.slice(Math.max(0, m.index - 24), m.index + 1)))
        continue;
      if (age >= 4 && age < 18) {
        push('age-signal.stated-age', 'stated-age', age < 13 ? 2 : 1, m.index, m.index + m[0].length, 0.85);
      }
    }
  }
  for (const m of text.matchAll(GRADE_EN)) {
    const grade = Number(m[1]);
    const end = m.index + m[0].length;
    if (grade >= 1 && grade <= 12 && !isThirdPersonAt(n, m.index, true) && !isPast(n, m.index, end, true))
      push('age-signal.grade', 'school', 1, m.index, end, 0.85);
  }
  // Rule findings come first: a lexicon hit on the same span is then the one dropped.
  for (const hit of hits) {
    if (isNegated(n, hit) || isThirdPerson(n, hit)) continue;
    if (hit.entry.category !== 'stated-age' && isPast(n, hit.start, hit.end, isLatinHit(hit))) continue;
    findings.push(findingFromHit(n, 'age-signal', hit));
  }
  return dropContained(findings);
};
