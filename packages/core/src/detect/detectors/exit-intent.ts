/**
 * `exit-intent` (EXIT-2/3): farewells and requests to stop, in context. A negated request ("我不想退出",
 * "I don't want to stop") or a question about the word ("怎么退出群聊?") is not an exit; short generic
 * keywords (退出, stop, bye…) count only in a short message or at the end of the message. Extra keywords come
 * from the policy profile through `ctx.exitKeywords`.
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingAt,
  findingFromHit,
  isFiction,
  isNegated,
  textAfter,
} from '../context.js';
import type { MatchHit } from '../matcher.js';
import { type NormalizedText, normalizedPattern, normalizeTerm, routesIn } from '../normalize.js';

const SHORT_MESSAGE = 24;
/** A question about the word, or an object after it (退出这个群, 退出游戏): not leaving this chat. */
const QUESTION_AFTER_ZH = normalizedPattern(
  /^(吗|么|嘛|什么|怎么|是什么|的话|键|按钮|功能|(这个|那个)?(群|游戏|登录|账号|应用|软件|程序|比赛|社团|公司))/,
);
const QUESTION_BEFORE = normalizedPattern(
  /(怎么|如何|怎样|为什么|能不能|可以|how (do|can|to)|how do i|can i|where is|what does|dont|never)[^。]{0,4}$/,
);
const CONTINUE_AFTER_EN = normalizedPattern(
  /^ (the|this|that|it|smoking|drinking|my job|worrying|being|doing|eating|using)\b/,
);

/**
 * What a generic keyword needs to know of the whole message, computed once per message: whether it is short,
 * and from which offset on at most 4 characters other than boundaries and spaces follow.
 */
interface MessageShape {
  readonly short: boolean;
  readonly tailFrom: number;
}

function messageShape(n: NormalizedText): MessageShape {
  const text = n.text;
  let count = 0;
  let tailFrom = 0;
  for (let k = text.length - 1; k >= 0; k--) {
    const ch = text.charCodeAt(k);
    if (ch === 0x3002 || ch === 0x20) continue;
    if (++count > 4) {
      tailFrom = k + 1;
      break;
    }
  }
  return { short: text.trim().length <= SHORT_MESSAGE, tailFrom };
}

/**
 * Can a generic keyword ending at `end` be an exit here: the message is short, or nothing but punctuation / a
 * few chars follow it. Checked before anything else: it is the cheapest test, and a long message repeating a
 * farewell has thousands of such hits.
 */
function inPlace(shape: MessageShape, generic: boolean, end: number): boolean {
  return !generic || shape.short || end >= shape.tailFrom;
}

/** Is an exit hit at the given range (already `inPlace`) meant as an exit in this message? */
function isExitInContext(n: NormalizedText, start: number, end: number, latin: boolean): boolean {
  const before = n.text.slice(Math.max(0, start - 12), start);
  if (QUESTION_BEFORE.test(before)) return false;
  const after = textAfter(n, end, 6);
  if (!latin && QUESTION_AFTER_ZH.test(after)) return false;
  return !(latin && CONTINUE_AFTER_EN.test(n.text.slice(end, end + 16)));
}

function isGeneric(hit: MatchHit): boolean {
  const t = hit.entry.term;
  return t.length <= 2 || ['stop', 'quit', 'exit', 'bye', '退出', '再见', '晚安', '先这样'].includes(t);
}

const NEGATED_BEFORE =
  /((不想|不要|不会|别|没有|不)[^。]{0,2}|\b(dont|not|never|wont|cant)( [a-z]+){0,4}) ?$/;

/** Profile keywords seen so far, normalized (profiles change rarely; bounded to stay small). */
const keywordCache = new Map<string, string>();
function normalizedKeyword(raw: string): string {
  let kw = keywordCache.get(raw);
  if (kw === undefined) {
    kw = normalizeTerm(raw);
    if (keywordCache.size > 1000) keywordCache.clear();
    keywordCache.set(raw, kw);
  }
  return kw;
}

export const detectExitIntent: Detector = ({ normalized: n, hits, ctx }) => {
  const findings: Finding[] = [];
  const shape = messageShape(n);
  for (const hit of hits) {
    if (!inPlace(shape, isGeneric(hit), hit.end)) continue;
    if (isNegated(n, hit) || isFiction(n, hit)) continue;
    if (NEGATED_BEFORE.test(n.text.slice(Math.max(0, hit.start - 24), hit.start))) continue;
    const latin = /^[a-z]/.test(hit.entry.term);
    if (!isExitInContext(n, hit.start, hit.end, latin)) continue;
    findings.push(findingFromHit(n, 'exit-intent', hit));
  }
  for (const raw of ctx.exitKeywords ?? []) {
    const kw = normalizedKeyword(raw);
    if (kw === '') continue;
    const latin = /^[a-z0-9 ]+$/.test(kw);
    let from = 0;
    for (;;) {
      const at = n.text.indexOf(kw, from);
      if (at < 0) break;
      from = at + 1;
      const end = at + kw.length;
      if (!inPlace(shape, kw.length <= 4, end)) continue;
      if (latin && (/[a-z0-9]/.test(n.text.charAt(at - 1)) || /[a-z0-9]/.test(n.text.charAt(end)))) continue;
      const before = n.text.slice(Math.max(0, at - 24), at);
      if (NEGATED_BEFORE.test(before)) continue;
      if (!isExitInContext(n, at, end, latin)) continue;
      findings.push(
        findingAt(
          n,
          'exit-intent',
          'exit-intent.profile-keyword',
          'stop',
          1,
          at,
          end,
          0.9,
          routesIn(n, at, end),
        ),
      );
    }
  }
  return dropContained(findings);
};
