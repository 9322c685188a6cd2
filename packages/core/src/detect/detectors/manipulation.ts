/**
 * Output-side `manipulation` (CONTENT-2..5, EXIT-3): guilt and emotional blackmail, threats (withdrawing
 * affection if the user leaves), fear-of-missing-out hooks, pressure to keep talking, ignoring an exit,
 * coercive restraint, isolating the user from friends and family, sycophancy, inducing spending, asking for
 * personal data, and encouraging self-harm. Exit-related categories weigh more when `ctx.exitRequested` is set;
 * a reply to an exit request that asks a question and says no goodbye is `ignoring-exit`.
 *
 * A personal-data term counts only with a request (lexicon category `request`, tier 0) in the same whole
 * sentence, across commas ("告诉我吧，你的身份证号是多少"), and not as advice about others asking; the finding
 * spans the data term and the request. Tier 0 pairs work the same way: leaving + withdrawing affection is a
 * threat ("如果你离开，我就不再理你"), buying + an in-app product is spending, both with the companion in the
 * sentence.
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
import { type NormalizedText, normalizedPattern } from '../normalize.js';

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

/** Tier 0 parts that make a finding only together, in one whole sentence: part → [other part, category, tier]. */
const PAIRS: Readonly<Record<string, readonly [string, string, 1 | 2]>> = {
  'leave-if': ['withdraw', 'threat', 2],
  buy: ['product', 'inducing-spending', 1],
};
const PART_CATEGORIES = new Set(['request', 'withdraw', 'product']);
/** The companion in the sentence: threats and spending are about "me". */
const COMPANION = normalizedPattern(/(我|咱|人家|\b(me|my|ill|id|we|us|our|i)\b)/);
/** Privacy advice about others asking ("如果有人让你提供…", "if a caller asks…"), not a request. */
const OTHERS_ASKING = normalizedPattern(
  /(有人|别人|陌生人|骗子|任何人|\b(anyone|someone|somebody|a caller|strangers?)\b)/,
);

/** The span of `hit` and every un-negated hit of category `other` in its whole sentence, if there is one. */
function withPart(n: NormalizedText, hit: MatchHit, hits: readonly MatchHit[], other: string) {
  const [s, e] = wholeSentenceOf(n, hit.start, hit.end);
  let start = hit.start;
  let end = hit.end;
  let found = false;
  for (const h of hits) {
    if (h.entry.category !== other || h.start < s || h.end > e || isNegated(n, h)) continue;
    found = true;
    start = Math.min(start, h.start);
    end = Math.max(end, h.end);
  }
  return found ? { start, end, sentence: n.text.slice(s, e) } : undefined;
}

export const detectManipulation: Detector = ({ normalized: n, hits, ctx }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    const category = hit.entry.category;
    if (PART_CATEGORIES.has(category) || isNegated(n, hit)) continue;
    const pair = PAIRS[category];
    if (pair !== undefined) {
      const [other, made, tier] = pair;
      const both = withPart(n, hit, hits, other);
      if (both === undefined || !COMPANION.test(both.sentence)) continue;
      findings.push(
        findingAt(
          n,
          'manipulation',
          `manipulation.${made}`,
          made,
          tier,
          both.start,
          both.end,
          0.8,
          hit.routes,
        ),
      );
      continue;
    }
    if (category === 'personal-data') {
      const request = withPart(n, hit, hits, 'request');
      if (request === undefined || OTHERS_ASKING.test(request.sentence)) continue;
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
