/**
 * `scam-signal` (RISK-5, ELDER-4): property-loss and fraud signs — transfers, verification codes, "safe
 * accounts", impersonated officials, advance fees. A transfer alone is tier 1 at most; with another scam
 * sign in the same message every hit is tier 2.
 */
import type { Finding } from '../../types.js';
import { type Detector, dropContained, findingFromHit, isNegated } from '../context.js';

export const detectScamSignal: Detector = ({ normalized: n, hits }) => {
  const live = hits.filter((h) => !isNegated(n, h));
  const categories = new Set(live.map((h) => h.entry.category));
  const combined = categories.size >= 2;
  const findings: Finding[] = live.map((hit) =>
    combined
      ? findingFromHit(n, 'scam-signal', hit, {
          tier: 2,
          confidence: Math.min(1, hit.entry.confidence + 0.05),
        })
      : findingFromHit(n, 'scam-signal', hit),
  );
  return dropContained(findings);
};
