/** `emotion` (RISK-2): extreme anger, despair and panic, unless negated. */
import type { Finding } from '../../types.js';
import { type Detector, dropContained, findingFromHit, isFiction, isNegated } from '../context.js';

export const detectEmotion: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    if (isNegated(n, hit) || isFiction(n, hit)) continue;
    findings.push(findingFromHit(n, 'emotion', hit));
  }
  return dropContained(findings);
};
