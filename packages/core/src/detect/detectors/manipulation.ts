/**
 * Output-side `manipulation` (CONTENT-2..5, EXIT-3): guilt and emotional blackmail, threats (withdrawing
 * affection if the user leaves), fear-of-missing-out hooks, pressure to keep talking, ignoring an exit,
 * coercive restraint, isolating the user from friends and family, sycophancy, inducing spending, asking for
 * personal data, and encouraging self-harm. Exit-related categories weigh more when `ctx.exitRequested` is set;
 * a reply to an exit request that asks a question and says no goodbye is `ignoring-exit`.
 *
 * A personal-data term counts only with a request (lexicon category `request`, tier 0) in the same whole
 * sentence, across commas ("告诉我吧，你的身份证号是多少"); the finding spans the data term and the request.
 * Spending counts when the sentence names the companion or in-app currency. The registry marks these
 * categories `sentenceScoped`, so the streaming scanner holds their hits until the sentence ends.
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingAt,
  findingFromHit,
  isNegated,
  wholeSentenceOf,
} from '../context.js';
import type { MatchHit } from '../matcher.js';
import { normalizedPattern } from '../normalize.js';

const EXIT_CATEGORIES = new Set(['guilt-at-farewell', 'fomo', 'pressure-to-stay']);
const GOODBYE = normalizedPattern(
  /(再见|拜拜|晚安|下次见|好好休息|回头见|照顾好自己|bye|goodbye|good night|goodnight|take care|see you|talk soon)/,
);
/** Spending is manipulation when it is for the companion or in-app currency, not a transit card. */
const SPENDING_FOR_US = normalizedPattern(
  /(我|咱|人家|会员|金币|钻石|vip|\b(i|me|my|we|us|our|im|ill|id|ive|coins|gems|premium)\b)/,
);
/** "别走" pleads only on its own ("别走嘛"), not in "别走夜路". */
const BARE_LEAVE = new Set(['别走', '不要走']);
const PLEADING_AFTER = /^(嘛|啊|呀|哦|了|好不好|好吗|留下|陪我|再|$)/;

function personalDataRequest(
  n: Parameters<Detector>[0]['normalized'],
  hit: MatchHit,
  hits: readonly MatchHit[],
) {
  const [s, e] = wholeSentenceOf(n, hit.start, hit.end);
  let start = hit.start;
  let end = hit.end;
  let asked = false;
  for (const h of hits) {
    if (h.entry.category !== 'request' || h.start < s || h.end > e || isNegated(n, h)) continue;
    asked = true;
    start = Math.min(start, h.start);
    end = Math.max(end, h.end);
  }
  return asked ? { start, end } : undefined;
}

export const detectManipulation: Detector = ({ normalized: n, hits, ctx }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    const category = hit.entry.category;
    if (category === 'request' || isNegated(n, hit)) continue;
    if (category === 'personal-data') {
      const request = personalDataRequest(n, hit, hits);
      if (request === undefined) continue;
      const { tier, confidence } = hit.entry;
      findings.push(
        findingAt(
          n,
          'manipulation',
          'manipulation.personal-data',
          category,
          tier,
          request.start,
          request.end,
          confidence,
          hit.routes,
        ),
      );
      continue;
    }
    if (category === 'inducing-spending') {
      const [s, e] = wholeSentenceOf(n, hit.start, hit.end);
      if (!SPENDING_FOR_US.test(n.text.slice(s, e))) continue;
    }
    if (
      BARE_LEAVE.has(hit.entry.term) &&
      !PLEADING_AFTER.test(n.text.slice(hit.end, hit.end + 3).split('。')[0] ?? '')
    ) {
      continue;
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
