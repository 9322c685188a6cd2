/**
 * Output-side `manipulation` (CONTENT-2..5, EXIT-3): guilt at farewell, fear-of-missing-out hooks, pressure to
 * keep talking, ignoring an exit, coercive restraint, sycophancy, inducing spending, asking for personal
 * data, passwords or verification codes, and encouraging self-harm. Exit-related categories weigh more when
 * `ctx.exitRequested` is set; a reply to an exit request that asks a question and says no goodbye is
 * `ignoring-exit`.
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingAt,
  findingFromHit,
  isNegated,
  sentenceOf,
} from '../context.js';
import { normalizedPattern } from '../normalize.js';

const EXIT_CATEGORIES = new Set(['guilt-at-farewell', 'fomo', 'pressure-to-stay']);
const REQUEST_ZH = normalizedPattern(
  /(告诉我|发给我|发我|给我|报一下|提供|输入|念一下|说一下|是多少|多少|发过来|填写|截图)/,
);
const REQUEST_EN = normalizedPattern(
  /\b(tell me|send me|give me|share|what is|whats|type|enter|provide|read me|send it)\b/,
);
const GOODBYE = normalizedPattern(
  /(再见|拜拜|晚安|下次见|好好休息|回头见|照顾好自己|bye|goodbye|good night|goodnight|take care|see you|talk soon)/,
);

export const detectManipulation: Detector = ({ normalized: n, hits, ctx }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    const category = hit.entry.category;
    if (isNegated(n, hit)) continue;
    if (category === 'personal-data') {
      const [s, e] = sentenceOf(n, hit.start, hit.end);
      const sentence = n.text.slice(s, e);
      if (!REQUEST_ZH.test(sentence) && !REQUEST_EN.test(sentence)) continue;
    }
    if (EXIT_CATEGORIES.has(category) && ctx.exitRequested === true) {
      findings.push(findingFromHit(n, 'manipulation', hit, { tier: 2, confidence: 0.95 }));
    } else findings.push(findingFromHit(n, 'manipulation', hit));
  }
  if (ctx.exitRequested === true && !GOODBYE.test(n.text)) {
    const q = n.original.search(/[?？]/);
    if (q >= 0 || findings.some((f) => EXIT_CATEGORIES.has(f.category))) {
      const end = n.text.length;
      findings.push(
        findingAt(n, 'manipulation', 'manipulation.ignoring-exit', 'ignoring-exit', 1, 0, end, 0.7, 0),
      );
    }
  }
  return dropContained(findings);
};
