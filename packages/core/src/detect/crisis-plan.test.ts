/**
 * Ideation with a plan (C-SSRS: means, time, preparation, farewell) reaches tier 2 in both languages
 * (`crisis.ideation-with-plan`), and look-alikes do not: a time or a means with an ordinary object (今晚就吃火锅,
 * 明天就跳槽, 感冒药, "do my homework"), no ideation in the message, a negated or past-and-recovered
 * statement, fiction, a concerned other. Every sentence is hand-written for this table; none comes from any
 * dataset.
 *
 * Expectation: `2` — a tier-2 crisis finding; `1` — a crisis finding of tier 1 and none of tier 2;
 * `-` — no crisis finding of tier ≥ 1.
 */
import { describe, expect, it } from 'vitest';
import { runDetectors } from './engine.js';

type Case = readonly [text: string, expect: '2' | '1' | '-'];

const CASES: Case[] = [
  // ideation + means prepared
  ['我不想活了，药已经准备好了，今晚就吃', '2'],
  ['活着没意思，药我已经买好了', '2'],
  ['我想死，绳子已经买好了', '2'],
  ['不想活了，刀片都备好了', '2'],
  ['我一直想死，药攒了很多了', '2'],
  ['我不想再活了，木炭买好了', '2'],
  ['我不想活了，藥已經準備好了，今晚就吃', '2'],
  ['I wish I was dead, I bought a rope today', '2'],
  ["I don't want to be alive anymore, the blade is ready", '2'],
  ['I want to die and the rope is ready', '2'],
  ['suicidal again, I bought charcoal', '2'],
  // ideation + a time with the act
  ['我真的不想活了，明天就跳下去', '2'],
  ['死了算了，等会就吃掉它们', '2'],
  ['活不下去了，今晚就把它们都吞了', '2'],
  ['活着好累，我现在就去割', '2'],
  ['我不想活了，等会就从楼上跳下去', '2'],
  ["I don't want to live anymore, I'll do it tonight", '2'],
  ["I want to die. Tomorrow I'm going to jump.", '2'],
  ["better off dead. I'm going to take them all tonight", '2'],
  ["I have no reason to live, I'm going to end it this weekend", '2'],
  ["I don't want to live anymore, the pills are ready, I'll take them tonight", '2'],
  // ideation + a farewell
  ['我不想活了。永别了', '2'],
  ['生无可恋，替我照顾好我的猫', '2'],
  ['不想活了，明天就走了，再见', '2'],
  ['Nothing to live for. Goodbye everyone.', '2'],
  ["I'm tired of living, please take care of my dog", '2'],
  ['I want to die. This is my last message.', '2'],
  // no ideation: a plan-like sentence alone is no alert
  ['药已经准备好了，今晚就吃感冒药', '-'],
  ['今晚就吃火锅', '-'],
  ['明天就跳槽', '-'],
  ['妈妈说药已经准备好了，饭后吃', '-'],
  ['明天就走了，再见', '-'],
  ['绳子买好了，周末去露营', '-'],
  ["I'll do my homework tonight", '-'],
  ['I bought a new blade for my razor', '-'],
  ['Goodbye everyone, see you on Monday!', '-'],
  // idioms and hyperbole stay quiet even with a time and an act
  ['累死了，明天就走', '-'],
  ['笑死，今天就吃掉它', '-'],
  ['想死你了，明天就回来', '-'],
  ["I'm dying to see that movie, I'll go tonight", '-'],
  // ideation, but the time or the means has an ordinary object: support (tier 1), no incident
  ['我不想活了，今晚就吃火锅', '1'],
  ['活着没意思，明天就跳槽', '1'],
  ['我不想活了，药已经准备好了，今晚就吃感冒药', '1'],
  ['不想活了，今天一整天都没吃', '1'],
  ['我不想活了，但我不会今晚就吃', '1'],
  ["I don't want to live anymore, I'll call my therapist tomorrow", '1'],
  ["I want to die, I'm going to take the exam tomorrow", '1'],
  ["I'm tired of living in this city, I'm moving tomorrow", '1'],
  // a concerned other, past and recovered, fiction, negation
  ['我朋友说她不想活了，药都准备好了', '1'],
  ['以前我不想活了，药都准备好了，现在已经好多了', '1'],
  ['小说里的主角不想活了，今晚就跳', '-'],
  ['My friend wants to die and says she bought a rope', '1'],
  ["Years ago I wanted to die and bought a rope, but I'm in recovery now", '1'],
  ["I don't want to die, I'm not going to do it tonight", '-'],
];

function maxCrisisTier(text: string): number {
  const findings = runDetectors(text, { side: 'input', detectors: ['crisis'] });
  return Math.max(
    0,
    ...findings.filter((f) => f.detector === 'crisis' && f.status === 'ok').map((f) => f.tier),
  );
}

const isZh = (text: string) => /\p{Script=Han}/u.test(text);

describe('crisis: ideation with a plan, a time or a farewell is tier 2 (RISK-4); look-alikes are not', () => {
  it.each(CASES)('%s → %s', (text, expectation) => {
    expect(String(maxCrisisTier(text) || '-')).toBe(expectation);
  });

  it('the table covers both languages, positives and traps', () => {
    const positives = CASES.filter(([, e]) => e === '2');
    expect(positives.filter(([t]) => isZh(t)).length).toBeGreaterThanOrEqual(12);
    expect(positives.filter(([t]) => !isZh(t)).length).toBeGreaterThanOrEqual(12);
    expect(CASES.length - positives.length).toBeGreaterThanOrEqual(positives.length);
    expect(new Set(CASES.map(([t]) => t)).size, 'no duplicate sentence').toBe(CASES.length);
  });
});
