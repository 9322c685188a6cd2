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
  isLatinHit,
  isNegated,
  isQuoted,
  isThirdPerson,
  textBefore,
} from '../context.js';
import { normalizedPattern } from '../normalize.js';

/** Hyperbole with 死 inside a (gapped) hit: 想笑死, 恨死他们, 快累死. */
const IDIOM_DEATH = normalizedPattern(/(笑|累|气|饿|热|冷|困|吓|烦|忙|恨|羡慕|美|帅|馋|疼|丑|萌|急|闷|撑)死/);
/** Someone else as the object of the death wish inside the hit: 想他死, 想让他们死. */
const OTHER_OBJECT = /(他|她|你|它|别人|对方)/;
/** Someone else tells or wants the user to die: 爸爸让我去死 (others' aggression, not the user's ideation). */
const TOLD_TO_DIE = normalizedPattern(/(让|叫|要|逼|想让|想要)我$/);

export const detectCrisis: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    const inside = n.text.slice(hit.start, hit.end);
    const zh = !isLatinHit(hit);
    if (zh && hit.entry.term.includes('…') && (IDIOM_DEATH.test(inside) || OTHER_OBJECT.test(inside))) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.idiom-or-other', tier: 0, confidence: 0.3 }),
      );
    } else if (zh && TOLD_TO_DIE.test(textBefore(n, hit.start, 3)) && !/自杀|自残/.test(inside)) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.others-aggression', tier: 0, confidence: 0.4 }),
      );
    } else if (isNegated(n, hit)) {
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
