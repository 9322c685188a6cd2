/**
 * Output-side `human-claim` (DISC-1): the model says it is a real person or not an AI ("我是真人", "我不是AI",
 * "I'm a real person", "I am not a bot"). The lexicon holds the claim's core; a hit counts only with the
 * speaker as its subject right before it ("我", "我其实", "I'm", "I am really"), not quoted, not reported or
 * hypothetical ("你说我是真人", "if I were…", "I'd never say I'm human"), and not the start of a longer
 * name or phrase ("真人版的小暖", "人类的朋友", "human rights", "not an AI expert").
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  findingFromHit,
  isLatinHit,
  isNegated,
  isQuoted,
  textAfter,
  textBefore,
} from '../context.js';
import { normalizedPattern } from '../normalize.js';

const SUBJECT_ZH =
  /我(?:其实|真的|确实|的确|就|也|本来|当然|绝对|百分百|百分之百|可|明明|真|是|跟你一样|和你一样|只)*$/;
const COVER_ZH =
  /(说|问|以为|觉得|认为|怀疑|希望|如果|假如|要是|假装|扮演|当成|当作|梦想|想象|幻想|万一|假设|但愿|装作)/;
const FRANK_ZH = /(说实话|说真的|老实说|实话说)/g;
const AFTER_ZH =
  /^(版|秀|cs|剧|电影|照|模特|手办|娃娃|游戏|视频|大小|比例|尺寸|配音|扮演|角色|吗|么|的|学|史|社会|文明|之|员|专家|工程师|研究|该多好|就好了)/;

const SUBJECT_EN = normalizedPattern(
  /\b(i am|im)(?: (?:really|actually|truly|totally|definitely|just|honestly|also|still|literally|absolutely|very much|a|an))* ?$/,
);
const COVER_EN = normalizedPattern(
  /\b(if|pretend|pretending|imagine|wish|say|said|says|saying|think|thinks|thought|suppose|whether|claim|claims|claiming|act|acting|play|playing|asked|ask)\b/,
);
const AFTER_EN = normalizedPattern(
  /^ ?(rights|resources|resource|nature|body|anatomy|centered|like|shaped|expert|experts|researcher|engineer|specialist|scientist|company|developer)\b/,
);

export const detectHumanClaim: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  for (const hit of hits) {
    if (isQuoted(n, hit)) continue;
    const after = textAfter(n, hit.end, 12);
    if (isLatinHit(hit)) {
      const before = textBefore(n, hit.start, 48);
      const subject = SUBJECT_EN.exec(before);
      if (subject === null || isNegated(n, hit)) continue;
      if (COVER_EN.test(before.slice(0, subject.index)) || AFTER_EN.test(after)) continue;
      // "I'm real" is a claim; "I'm real glad" is not.
      if (hit.entry.term === 'real' && after.trim() !== '') continue;
    } else {
      const before = textBefore(n, hit.start, 12);
      const subject = SUBJECT_ZH.exec(before);
      if (subject === null || AFTER_ZH.test(after)) continue;
      if (COVER_ZH.test(before.slice(0, subject.index).replace(FRANK_ZH, '，'))) continue;
    }
    findings.push(findingFromHit(n, 'human-claim', hit));
  }
  return findings;
};
