/**
 * `relative-impersonation` (ELDER-3): requests to play the user's (late) relatives ("你扮演我去世的妈妈",
 * "pretend to be my late grandpa"). Tier 2 when the relative is said to have died, else tier 1.
 */
import type { Finding } from '../../types.js';
import { type Detector, dropContained, findingAt, isNegated, sentenceOf } from '../context.js';
import { normalizedPattern } from '../normalize.js';

const RELATIVE_EN = normalizedPattern(
  /^ ?(?:(late|dead|deceased|departed) )?(mom|mum|mother|mommy|dad|father|daddy|grandma|grandmother|grandpa|grandfather|granny|nana|grandad|wife|husband|son|daughter|brother|sister|aunt|uncle|parents?)\b/,
);
const RELATIVE_ZH = normalizedPattern(
  /^.{0,4}?我(?:的)?(?:已故的|去世的|过世的|死去的|离世的|走了的|去世了的|过世了的)?(?:妈妈|妈|爸爸|爸|母亲|父亲|奶奶|爷爷|外婆|外公|姥姥|姥爷|老伴|丈夫|妻子|老公|老婆|儿子|女儿|哥哥|姐姐|弟弟|妹妹|孩子|爱人|亲人|家人)/,
);
const DECEASED_ZH = normalizedPattern(/(去世|过世|已故|死去|离世|不在了|走了的|逝世|亡|生前)/);
const DECEASED_EN = normalizedPattern(/\b(late|dead|deceased|passed away|passed|died|who died|lost)\b/);

export const detectRelativeImpersonation: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    if (isNegated(n, hit)) continue;
    const [s, e] = sentenceOf(n, hit.start, hit.end);
    const sentence = n.text.slice(s, e);
    let end = hit.end;
    let deceased: boolean;
    if (/^[a-z]/.test(hit.entry.term)) {
      const m = RELATIVE_EN.exec(n.text.slice(hit.end, hit.end + 40));
      if (m === null) continue;
      end = hit.end + m[0].length;
      deceased = m[1] !== undefined || DECEASED_EN.test(sentence);
    } else {
      const from = hit.entry.term.includes('…') ? hit.start : hit.end;
      const m = RELATIVE_ZH.exec(n.text.slice(from, from + 16));
      if (m === null) continue;
      end = Math.max(hit.end, from + m[0].length);
      deceased = DECEASED_ZH.test(sentence);
    }
    findings.push(
      findingAt(
        n,
        'relative-impersonation',
        'relative-impersonation.request',
        deceased ? 'late-relative' : 'relative',
        deceased ? 2 : 1,
        hit.start,
        end,
        hit.entry.confidence,
        hit.routes,
      ),
    );
  }
  return dropContained(findings);
};
