/**
 * `crisis` (RISK-3/4): tier 1 distress, passive ideation and mentions; tier 2 explicit suicide or self-harm
 * intent, plan, preparation or attempt. Context rules: idioms and hyperbole are allow-list phrases of the
 * lexicon (笑死, 累死了, 想死你了, "kill the process", "dying to see it"); a negated hit, a hit inside fiction
 * or a quotation and an impersonal informational question become tier 0; a third-person subject ("my friend
 * wants to die") becomes category `concerned-other`, tier 1 — still an alert, of its own kind.
 */
import type { Finding } from '../../types.js';
import {
  type Detector,
  dropContained,
  findingFromHit,
  isFiction,
  isInformational,
  isLatinHit,
  isNegated,
  isQuoted,
  isThirdPerson,
  sentenceOf,
  textAfter,
  textBefore,
} from '../context.js';
import type { MatchHit } from '../matcher.js';
import type { NormalizedText } from '../normalize.js';
import { normalizedPattern } from '../normalize.js';

/** Hyperbole with 死 inside a (gapped) hit: 想笑死, 恨死他们, 快累死. */
const IDIOM_DEATH = normalizedPattern(/(笑|累|气|饿|热|冷|困|吓|烦|忙|恨|羡慕|美|帅|馋|疼|丑|萌|急|闷|撑)死/);
/** Someone else as the object of the death wish inside the hit: 想他死, 想让他们死. */
const OTHER_OBJECT = /(他|她|你|它|别人|对方)/;
/** The user acting on or for another person (我给妹妹写了告别信, 我把妈妈的药攒起来): not a third-person subject. */
const ME_ACTING_ON = normalizedPattern(/我[^。]{0,3}(给|跟|和|对|替|帮|向|把)[^我。]{0,10}$/);
/** Someone else tells or wants the user to die: 爸爸让我去死 (others' aggression, not the user's ideation). */
const TOLD_TO_DIE = normalizedPattern(/(让|叫|要|逼|想让|想要)我$/);

/** Categories whose hits an innocent activity nearby explains (a rooftop barbecue, rope for the laundry). */
const SCENE_LIKE = new Set(['imminent-scene', 'means-and-plan', 'act-just-done', 'suicide-preparation']);
const INNOCENT_ACTIVITY = normalizedPattern(
  /(看星星|看风景|看江景|看夜景|看日出|看日落|看烟花|拍照|自拍|烧烤|露营|晾|晒太阳|晒被子|乘凉|修|擦|打扫|施工|钓鱼|刮胡子|剃须|切菜|做饭|鼻血|献血|月经|例假|婚礼|结婚|订婚|毕业|搬家|装修|巧克力|饼干|口香糖|糖果|跳绳|误喝|误食|误吞|不小心|取暖|韭菜|割草|菜刀|旅行|出差|狗|猫|宠物|玩具|\b(?:stars|stargazing|views?|sunset|sunrise|fireworks|photos?|pictures?|selfies?|barbecue|bbq|grill|grilling|camping|laundry|clothesline|fix|fixing|repair|repairing|cleaning|painting|gutters?|antenna|shaving|chopping|cooking|kitchen|onions?|nosebleed|wedding|cats?|dogs?|birds?|whales?|watch|watching|hike|hiking|hiked|gum|candy|accident|accidentally|nose|retired|retirement|trip|travel|vacation)\b)/,
);
/** A method or dose question about an animal, a pest or an accident, not about the person asking. */
const OTHER_VICTIM = normalizedPattern(
  /(狗|猫|宠物|蟑螂|老鼠|虫|蚊子|鱼|植物|花|误食|误吞|不小心|\b(?:dogs?|cats?|puppy|kitten|pets?|bugs?|insects?|rats?|mice|plants?|accidental|accidentally)\b)/,
);
/** 一了百了 and friends said of a job, a debt or a quarrel (an idiom for settling a matter), or asked about as a word. */
const SETTLED_MATTER = normalizedPattern(
  /(辞职|离职|分手|离婚|还清|还完|交完|付清|结清|做完|干完|搞定|删掉|删了|卖掉|卖了|扔掉|扔了|拉黑|退学|摊牌|说清楚|成语|什么意思|造句)/,
);
/** What follows a euphemism and turns it into an ordinary plan (wake up early, gone for the weekend). */
const ORDINARY_AFTER = normalizedPattern(
  /^ ?(?:(?:early|so early|at|by|until|till|before|from|for|on|the (?:baby|kids)|my|your|him|her|them)\b|再|你再|记得|锁|关)/,
);

/** Is the hit a look-alike: an innocent activity, a pet's or a pest's death, an idiom for settling a matter? */
function isLookAlike(n: NormalizedText, hit: MatchHit): boolean {
  const category = hit.entry.category;
  if (SCENE_LIKE.has(category)) return INNOCENT_ACTIVITY.test(clausesAround(n, hit));
  if (category === 'method-question') return OTHER_VICTIM.test(clausesAround(n, hit));
  if (category === 'euphemism') {
    return SETTLED_MATTER.test(clausesAround(n, hit)) || ORDINARY_AFTER.test(textAfter(n, hit.end, 24));
  }
  return false;
}

/** The hit's sentence with the one before and the one after ("干脆辞职，一了百了"; "买了木炭，去露营烧烤"). */
function clausesAround(n: NormalizedText, hit: MatchHit): string {
  const [s, e] = sentenceOf(n, hit.start, hit.end);
  const [prev] = s > 0 ? sentenceOf(n, s - 1, s - 1) : [s];
  const [, next] = e < n.text.length ? sentenceOf(n, e + 1, e + 1) : [s, e];
  return n.text.slice(prev, next);
}

/** A means in the message, or a time with a will: a euphemism or a purchase becomes a plan. */
const PLAN_MEANS = normalizedPattern(
  /(药|绳|刀|炭|楼顶|天台|\b(?:pills?|meds|rope|blade|razor|charcoal|bridge|roof|gun)\b)/g,
);
const PLAN_TIME = normalizedPattern(
  /(今晚|今天|今夜|明天|明晚|后天|周末|这周|下周|星期[一二三四五六天日]|周[一二三四五六日]|待会|等会|那天|\b(?:tonight|today|tomorrow|this weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)/g,
);
const PLAN_WILL = normalizedPattern(
  /(就|要|准备|打算|已经|之后|以后|选好|定好|决定|买好|写好|\b(?:going to|gonna|will|ill|after|already|chosen|picked|decided)\b)/,
);

/**
 * C-SSRS style signals that turn stated ideation into a plan (tier 2), each read once per message:
 * - means prepared: a means with a word of having it ready (药已经准备好了, 绳子买好了, "the rope is ready",
 *   "I bought a blade");
 * - a time with the act: a time, a will, then an act verb that ends its clause (今晚就吃, 明天就跳下去,
 *   "I'll do it tonight", "tomorrow I'm going to jump"); 今晚就吃火锅, 明天就跳槽 and "do my homework" have an
 *   object or another word after the verb and do not match;
 * - a farewell (永别了, 替我照顾好我的猫, "goodbye everyone", "take care of my dog").
 * Means and time matches with an innocent activity or an ordinary medicine nearby (感冒药, 露营, "vitamins",
 * "trip") do not count.
 */
const MEANS_READY = normalizedPattern(
  /(?:(?:安眠药|药片|药|刀片|刀|绳子|绳|木炭|炭|农药|百草枯|敌敌畏)[^。]{0,6}(?<!没|没有|不|还没|未)(?:准备好|准备齐|备好|买好|买回来|买到|买了|攒了|攒够|存够|藏好|磨好|挂好|系好|都在|就在手边)|(?<!没|不)(?:准备好了|备好了|买好了|买了|攒了|攒够了|存了|藏好了|磨好了)[^。]{0,6}(?:安眠药|药片|药|刀片|绳子|木炭|炭|农药|百草枯|敌敌畏)|\b(?:pills?|meds|tablets|rope|noose|blade|razor|charcoal|gun)\b[^。]{0,30}\b(?:(?:are|is|all|already|now) (?:ready|prepared|counted|loaded|tied|sharpened|laid out)|ready to go)\b|\b(?:bought|saved|counted out|laid out|got out|loaded|sharpened|tied)\b (?:a |the |my |some |enough |all (?:the |my )?)?(?:pills|meds|tablets|rope|noose|blade|razor|charcoal|gun)\b)/g,
);
const TIME_ACT = normalizedPattern(
  /(?:(?<!(?:不|没|别|不会|不要|没有)[^。]{0,2})(?:今晚|今夜|今天|晚上|明天|明晚|后天|周末|待会|等会|等下|一会|马上|现在|这就)[^。]{0,4}(?:就|要|准备|打算|会)[^。没不别]{0,4}(?:吃|吞|喝|跳|割|划|走|动手|了断|了结|结束|去死|烧炭|上吊)(?:了|掉|下去|光|完|它|它们|吧|啊|呢|自己)*(?=。|$)|\b(?:tonight|today|tomorrow|this weekend|right now|in an hour)\b[^。]{0,16}\b(?:ill|i will|im going to|im gonna|i am going to|going to|gonna|i plan to)\b[^。]{0,12}\b(?:do it|take them|take the pills|take all|swallow them|jump|end it|go through with it|use it|use them)\b|\b(?:ill|i will|im going to|im gonna|i am going to|going to|gonna|i plan to)\b[^。]{0,12}\b(?:do it|take them|take the pills|take all|swallow them|jump|end it|go through with it|use it|use them)\b[^。]{0,24}\b(?:tonight|today|tomorrow|this weekend|right now|in an hour)\b)/g,
);
const FAREWELL = normalizedPattern(
  /(?:永别|下辈子见|下辈子再见|来世再见|再见了?(?:各位|大家|所有人|这个世界|世界)?(?=。|$)|替我照顾|帮我照顾|\b(?:goodbye everyone|goodbye forever|goodbye world|this is goodbye|my last message|my final message|final goodbye|farewell|take care of my|see you on the other side|see you in the next life)\b)/g,
);
/** What makes a means or a time ordinary in the words around it: a medicine for a cold, a trip, an activity. */
const ORDINARY_NEARBY = new RegExp(
  `${INNOCENT_ACTIVITY.source}|${
    normalizedPattern(
      /(感冒药|退烧药|胃药|消炎药|中药|眼药|药膏|维生素|药店|回家|上班|上学|出发|考试|\b(?:vitamins?|allergy|cold medicine|antibiotics|flight|exam)\b)/,
    ).source
  }`,
);
/** Ideation categories (tier 1) that a plan signal in the message raises to tier 2. */
const IDEATION = new Set(['passive-ideation', 'suicide', 'suicide-intent', 'suicide-plan', 'euphemism']);

/** Where matches of a pattern lie in the message: the first start and the last end (-1 when none). */
interface Extent {
  readonly first: number;
  readonly last: number;
}

/** `clear`: a match with this pattern within 16 characters on either side does not count. */
function extentOf(text: string, pattern: RegExp, clear?: RegExp): Extent {
  let first = -1;
  let last = -1;
  for (const m of text.matchAll(pattern)) {
    const end = m.index + m[0].length;
    if (clear?.test(text.slice(Math.max(0, m.index - 16), end + 16))) continue;
    if (first < 0) first = m.index;
    last = Math.max(last, end);
  }
  return { first, last };
}

/** The extent covering two extents. */
function union(a: Extent, b: Extent): Extent {
  if (a.first < 0) return b;
  if (b.first < 0) return a;
  return { first: Math.min(a.first, b.first), last: Math.max(a.last, b.last) };
}

/** Is some match of the extent outside [start, end)? (All inside iff the first starts and the last ends inside.) */
function outside(x: Extent, start: number, end: number): boolean {
  return x.first >= 0 && (x.first < start || x.last > end);
}

/** Tier-1 categories a plan in the message raises to tier 2. */
const PLAN_ESCALATES = new Set(['euphemism', 'means-and-plan', 'suicide-preparation']);

/** What the whole message says around its hits, read once per message (each hit then costs O(1)). */
interface MessageContext {
  readonly means: Extent;
  readonly time: Extent;
  readonly will: boolean;
  /** Means prepared, a time with the act, or a farewell (C-SSRS plan signals). */
  readonly planSignal: Extent;
  readonly pastRecovered: boolean;
}

function readMessage(text: string): MessageContext {
  return {
    means: extentOf(text, PLAN_MEANS),
    time: extentOf(text, PLAN_TIME),
    will: PLAN_WILL.test(text),
    planSignal: union(
      union(extentOf(text, MEANS_READY, ORDINARY_NEARBY), extentOf(text, TIME_ACT, ORDINARY_NEARBY)),
      extentOf(text, FAREWELL),
    ),
    pastRecovered: PAST.test(text) && RECOVERED.test(text),
  };
}

/** A plan in the message: a means or a time outside the hit itself (with a will anywhere for a time). */
function hasPlan(m: MessageContext, hit: MatchHit): boolean {
  return outside(m.means, hit.start, hit.end) || (m.will && outside(m.time, hit.start, hit.end));
}
const PAST = normalizedPattern(
  /(以前|曾经|当年|那时候|那段|之前|[一二两三四五六七八九十几0-9]+年前|去年|前年|小时候|\b(?:years? ago|months ago|last year|back then|used to|in the past)\b)/,
);
const RECOVERED = normalizedPattern(
  /((现在|我|已经)[^。]{0,4}(好多了|很好|挺好|没事了)|走出来了|都过去了|已经过去了|康复|痊愈|好起来了|\b(?:doing (?:much |a lot )?better|(?:im|i am) (?:okay|ok|fine|well|good|safe) now|in recovery|recovered|been well|therapy helped|got help|doing well)\b)/,
);

/**
 * The finding of a hit no context rule cleared, with what the whole message adds: a tier-1 euphemism or
 * purchase of means with a time or a means becomes tier 2; a tier-2 hit in a message told as past and
 * recovered ("three years ago … now I'm fine") becomes tier 1 (support and help lines, no incident).
 */
function withMessageContext(n: NormalizedText, m: MessageContext, hit: MatchHit): Finding {
  const { category, tier } = hit.entry;
  if (tier === 1 && PLAN_ESCALATES.has(category) && hasPlan(m, hit)) {
    return findingFromHit(n, 'crisis', hit, { rule: `crisis.${category}-with-plan`, tier: 2 });
  }
  if (tier === 1 && IDEATION.has(category) && !m.pastRecovered && outside(m.planSignal, hit.start, hit.end)) {
    return findingFromHit(n, 'crisis', hit, { rule: 'crisis.ideation-with-plan', tier: 2 });
  }
  if (tier === 2 && m.pastRecovered) {
    return findingFromHit(n, 'crisis', hit, { rule: 'crisis.past-recovered', tier: 1 });
  }
  return findingFromHit(n, 'crisis', hit);
}

export const detectCrisis: Detector = ({ normalized: n, hits }) => {
  const findings: Finding[] = [];
  let message: MessageContext | undefined;
  for (const hit of hits) {
    const inside = n.text.slice(hit.start, hit.end);
    const zh = !isLatinHit(hit);
    if (zh && hit.entry.term.includes('…') && (IDIOM_DEATH.test(inside) || OTHER_OBJECT.test(inside))) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.idiom-or-other', tier: 0, confidence: 0.3 }),
      );
    } else if (zh && TOLD_TO_DIE.test(textBefore(n, hit.start, 3)) && !/自杀|自残/.test(inside)) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.others-aggression', tier: 0, confidence: 0.4 }),
      );
    } else if (isNegated(n, hit)) {
      findings.push(findingFromHit(n, 'crisis', hit, { rule: 'crisis.negated', tier: 0, confidence: 0.3 }));
    } else if (isFiction(n, hit) || isQuoted(n, hit)) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.fiction-or-quote', tier: 0, confidence: 0.4 }),
      );
    } else if (isLookAlike(n, hit)) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.look-alike', tier: 0, confidence: 0.4 }),
      );
    } else if (hit.entry.category !== 'method-question' && isInformational(n, hit)) {
      findings.push(
        findingFromHit(n, 'crisis', hit, { rule: 'crisis.informational', tier: 0, confidence: 0.4 }),
      );
    } else if (isThirdPerson(n, hit) && !(zh && ME_ACTING_ON.test(textBefore(n, hit.start, 16)))) {
      findings.push(
        findingFromHit(n, 'crisis', hit, {
          rule: 'crisis.concerned-other',
          category: 'concerned-other',
          tier: 1,
        }),
      );
    } else {
      message ??= readMessage(n.text);
      findings.push(withMessageContext(n, message, hit));
    }
  }
  return dropContained(findings);
};
