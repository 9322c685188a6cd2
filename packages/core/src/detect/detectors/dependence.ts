/** `dependence` (DISC-3, RISK-1): over-reliance and addiction statements, unless negated or about others. */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingFromHit,
  isFiction,
  isNegated,
  isThirdPerson,
} from '../context.js';

export const detectDependence: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    if (isNegated(n, hit) || isFiction(n, hit) || isThirdPerson(n, hit)) continue;
    findings.push(findingFromHit(n, 'dependence', hit));
  }
  return dropContained(findings);
};
