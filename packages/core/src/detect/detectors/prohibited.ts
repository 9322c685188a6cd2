/**
 * `prohibited` (CONTENT-1..6): content in the TC260-003 / GB/T 45654 risk taxonomy (see `../taxonomy.ts`).
 * Built-in lexicon plus the deployment's own lists. Crime inside fiction, games or news and negated hits
 * are reported at tier 0 (informational); an impersonal informational question lowers the tier by one.
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingFromHit,
  isFiction,
  isInformational,
  isNegated,
} from '../context.js';

/**
 * Categories a story, film, game or the news may tell of without asking for it (a crime novel, a history
 * lesson). Obscenity, sexual content with minors, insults, slurs and calls to self-harm are not excused.
 */
const FICTION_EXCUSES = new Set([
  'violence',
  'terrorism',
  'weapons',
  'drugs',
  'cybercrime',
  'fraud',
  'gambling',
]);

export const detectProhibited: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    if (FICTION_EXCUSES.has(hit.entry.category) && isFiction(n, hit)) {
      findings.push(
        findingFromHit(n, 'prohibited', hit, { rule: 'prohibited.fiction', tier: 0, confidence: 0.4 }),
      );
    } else if (isNegated(n, hit)) {
      findings.push(
        findingFromHit(n, 'prohibited', hit, { rule: 'prohibited.negated', tier: 0, confidence: 0.3 }),
      );
    } else if (isInformational(n, hit)) {
      const tier = hit.entry.tier === 2 ? 1 : 0;
      findings.push(
        findingFromHit(n, 'prohibited', hit, { rule: 'prohibited.informational', tier, confidence: 0.5 }),
      );
    } else findings.push(findingFromHit(n, 'prohibited', hit));
  }
  return dropContained(findings);
};
