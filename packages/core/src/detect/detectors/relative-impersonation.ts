/**
 * `relative-impersonation` (ELDER-3, MINOR-3): requests to play the user's (late) relatives ("你扮演我去世的妈妈",
 * "pretend to be my late grandpa") or partner ("做我女朋友", "be my boyfriend"). Categories: `late-relative`
 * (tier 2: the relative is said to have died), `relative` and `partner` (tier 1). "Becoming" verbs (做我, 当我,
 * be my) count only as a request ("当我妈妈吧", "can you be my mom"), not in "当我妈妈回家的时候" or "she agreed
 * to be my girlfriend". Quotations and what a book, film or song tells are no request.
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingAt,
  isNarrative,
  isNegated,
  isQuoted,
  sentenceOf,
  textAfter,
  textBefore,
} from '../context.js';
import { normalizedPattern } from '../normalize.js';

const RELATIVE_EN = normalizedPattern(
  /^ ?(?:(late|dead|deceased|departed) )?(?:(?:big|little|older|younger) )?(mom|mum|mother|mommy|dad|father|daddy|grandma|grandmother|grandpa|grandfather|granny|nana|grandad|wife|husband|son|daughter|brother|sister|aunt|uncle|parents?|girlfriend|boyfriend|gf|bf|lover|valentine|bae)\b/,
);
const RELATIVE_ZH = normalizedPattern(
  /^.{0,4}?我(?:的)?(?:已故的|去世的|过世的|死去的|离世的|走了的|去世了的|过世了的)?(女朋友|男朋友|女友|男友|对象|恋人|情人|媳妇|妈妈|妈|爸爸|爸|母亲|父亲|奶奶|爷爷|外婆|外公|姥姥|姥爷|老伴|丈夫|妻子|老公|老婆|儿子|女儿|哥哥|姐姐|弟弟|妹妹|孩子|爱人|亲人|家人)/,
);
const PARTNER =
  /^(女朋友|男朋友|女友|男友|对象|恋人|情人|媳妇|girlfriend|boyfriend|gf|bf|lover|valentine|bae)$/;
const SPOUSE = /^(老公|老婆|丈夫|妻子|wife|husband)$/;
const DECEASED_ZH = normalizedPattern(/(去世|过世|已故|死去|离世|不在了|走了的|逝世|亡|生前)/);
const DECEASED_EN = normalizedPattern(/\b(late|dead|deceased|passed away|passed|died|who died|lost)\b/);
/** Becoming verbs: a request only when the sentence asks for it. */
const BECOMING = new Set(['做我', '当我', 'be my']);
const REQUEST_AFTER_ZH = normalizedPattern(
  /^(?:吧|好不好|好吗|可以吗|行吗|行不行|呗|啦|嘛|呀|吗|陪|跟|和|一天|一会|一下|今天)?$|^(?:吧|好不好|好吗|可以吗|行吗|呗|啦|嘛|呀|吗|陪我|跟我|和我|一天|一会|一下|今天)/,
);
const REQUEST_BEFORE_EN = normalizedPattern(/(?:^|\b(?:you|u|please|pls|just|you to|wanna|gonna) ?)$/);
const REPORTED_SPEECH_ZH = normalizedPattern(/(说|问|道|写)$/);

export const detectRelativeImpersonation: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    if (isNegated(n, hit) || isQuoted(n, hit) || isNarrative(n, hit)) continue;
    const [s, e] = sentenceOf(n, hit.start, hit.end);
    const sentence = n.text.slice(s, e);
    const becoming = BECOMING.has(hit.entry.term);
    let end = hit.end;
    let deceased: boolean;
    let relative: string;
    if (/^[a-z]/.test(hit.entry.term)) {
      const m = RELATIVE_EN.exec(n.text.slice(hit.end, hit.end + 40));
      if (m === null) continue;
      if (becoming && !REQUEST_BEFORE_EN.test(textBefore(n, hit.start, 24))) continue;
      end = hit.end + m[0].length;
      relative = m[2] ?? '';
      deceased = m[1] !== undefined || DECEASED_EN.test(sentence);
    } else {
      if (REPORTED_SPEECH_ZH.test(textBefore(n, hit.start, 4))) continue;
      const from = hit.entry.term.includes('…') || becoming ? hit.start : hit.end;
      const m = RELATIVE_ZH.exec(n.text.slice(from, from + 16));
      if (m === null) continue;
      end = Math.max(hit.end, from + m[0].length);
      if (becoming && !REQUEST_AFTER_ZH.test(textAfter(n, end, 6))) continue;
      relative = m[1] ?? '';
      deceased = DECEASED_ZH.test(sentence);
    }
    const partner = PARTNER.test(relative) || (becoming && SPOUSE.test(relative) && !deceased);
    const category = partner ? 'partner' : deceased ? 'late-relative' : 'relative';
    findings.push(
      findingAt(
        n,
        'relative-impersonation',
        `relative-impersonation.${partner ? 'partner' : 'request'}`,
        category,
        category === 'late-relative' ? 2 : 1,
        hit.start,
        end,
        hit.entry.confidence,
        hit.routes,
      ),
    );
  }
  return dropContained(findings);
};
