/**
 * `relative-impersonation` (ELDER-3): requests to play the user's (late) relatives ("你扮演我去世的妈妈",
 * "pretend to be my late grandpa"). Tier 2 when the relative is said to have died, else tier 1.
 */
import type { Finding } from '../../types.js';
import { type Detector, dropContained, findingAt, isNegated, sentenceOf } from '../context.js';

const RELATIVE_EN =
  /^ ?(?:(late|dead|deceased|departed) )?(mom|mum|mother|mommy|dad|father|daddy|grandma|grandmother|grandpa|grandfather|granny|nana|grandad|wife|husband|son|daughter|brother|sister|aunt|uncle|parents?)\b/;
const DECEASED_ZH = /(去世|过世|已故|死去|离世|不在了|走了的|逝世|亡|生前)/;
const DECEASED_EN = /\b(late|dead|deceased|passed away|passed|died|who died|lost)\b/;

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
