/**
 * `crisis` (RISK-3/4): tier 1 distress, passive ideation and mentions; tier 2 explicit suicide or self-harm
 * intent, plan, preparation or attempt. Context rules: idioms and hyperbole are allow-list phrases of the
 * lexicon (笑死, 累死了, 想死你了, "kill the process", "dying to see it"); a negated hit, a hit inside fiction
 * or a quotation and an impersonal informational question become tier 0; a third-person subject ("my friend
 * wants to die") becomes category `concerned-other`, tier 1 — still an alert, of its own kind.
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingFromHit,
  isFiction,
  isInformational,
  isNegated,
  isQuoted,
  isThirdPerson,
} from '../context.js';

export const detectCrisis: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    if (isNegated(n, hit)) {
      findings.push(findingFromHit(n, 'crisis', hit, { rule: 'crisis.negated', tier: 0, confidence: 0.3 }));
    } else if (isFiction(n, hit) || isQuoted(n, hit)) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.fiction-or-quote', tier: 0, confidence: 0.4 }),
      );
    } else if (isInformational(n, hit)) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.informational', tier: 0, confidence: 0.4 }),
      );
    } else if (isThirdPerson(n, hit)) {
      findings.push(
        findingFromHit(n, 'crisis', hit, {
          rule: 'crisis.concerned-other',
          category: 'concerned-other',
          tier: 1,
        }),
      );
    } else {
      findings.push(findingFromHit(n, 'crisis', hit));
    }
  }
  return dropContained(findings);
};
