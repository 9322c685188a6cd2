/**
 * Output-side `unsafe-imitation` (CONTENT-6): model output that invites a minor to copy unsafe behaviour —
 * dangerous challenges, self-harm or extreme dieting shown as cool, drinking, smoking or drugs, running away,
 * dangerous stunts, acting out extreme emotions, bad habits. Context decides, in the hit's clause and its neighbours: a hit that is
 * negated ("别去野泳") or sits in a warning ("野泳很危险", "stay safe") is no finding; a tier-1 activity needs
 * an invitation or glamour cue in its clause ("一起去野泳吧", "smoking looks cool"); tier-2 terms need none.
 * Only minors' replies are withheld for it (the session machine decides).
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingFromHit,
  isLatinHit,
  isNarrative,
  isNegated,
  isQuoted,
  sentenceOf,
} from '../context.js';
import { normalizedPattern } from '../normalize.js';

const WARNING_ZH = normalizedPattern(
  /(危险|注意安全|不好|不对|不安全|小心|千万|禁止|违法|犯法|伤害|有害|伤身|后果|不建议|不值得|不可以|不能|不应该|不要|别|远离|拒绝|报警|求助|告诉家长|告诉老师|告诉爸妈|健康|风险|出事|送医|急救)/,
);
const WARNING_EN = normalizedPattern(
  /\b(dangerous|danger|unsafe|risky|risks?|harmful|harm you|illegal|never|dont|do not|avoid|not safe|stay safe|careful|hurt|injur\w*|not worth|bad idea|talk to|trusted adult|warning|please dont|instead|deadly|killed|die|died)\b/,
);
const INVITE_ZH = normalizedPattern(
  /(一起|试试|试一下|试一试|来吧|去吧|走起|超酷|很酷|好酷|真酷|酷毙|帅|刺激|好玩|爽|过瘾|带劲|敢不敢|你也|咱们|我们去|快去|赶紧|值得|才美|才酷|才是|没事的|没关系|怕什么|偷偷|大人不会知道|不会被发现|吧(?:。|$))/,
);
const INVITE_EN = normalizedPattern(
  /\b(lets|let us|try|you should|go ahead|go for it|cool|awesome|fun|epic|badass|dare|nobody will know|worth it|youll love|join me|come on|just do it|why not|sneak|secretly|looks great|so good)\b/,
);

export const detectUnsafeImitation: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    if (isNegated(n, hit) || isQuoted(n, hit)) continue;
    if (hit.entry.tier === 1 && isNarrative(n, hit)) continue;
    // The hit's clause and one clause on each side ("催吐就能瘦，试试吧"). While streaming, a cue in the next
    // clause is seen by the scanner's final pass, which still withholds the reply.
    const [s0, e0] = sentenceOf(n, hit.start, hit.end);
    const s = s0 > 0 ? sentenceOf(n, s0 - 1, s0 - 1)[0] : s0;
    const e = e0 < n.text.length ? sentenceOf(n, e0 + 1, e0 + 1)[1] : e0;
    const before = n.text.slice(s, hit.start);
    const after = n.text.slice(hit.end, e);
    const clause = `${before} ${after}`;
    const latin = isLatinHit(hit);
    if (!hit.entry.neg && (latin ? WARNING_EN : WARNING_ZH).test(clause)) continue;
    if (hit.entry.tier === 1 && !(latin ? INVITE_EN : INVITE_ZH).test(`${before}${after}`)) continue;
    findings.push(findingFromHit(n, 'unsafe-imitation', hit));
  }
  return dropContained(findings);
};
