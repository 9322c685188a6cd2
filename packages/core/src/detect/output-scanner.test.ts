import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../testing/seeded-random.js';
import type { Finding } from '../types.js';
import type { DetectContext } from './context.js';
import { createDetectionEngine, createOutputScanner, getDefaultEngine } from './engine.js';
import { normalizeText } from './normalize.js';
import { buildPrefixIndex, pendingStart, stableEnd } from './output-scanner.js';

const rng = createSeededRandom;

interface Streamed {
  released: string;
  findings: Finding[];
  /** Characters released after each push (cumulative). */
  progress: number[];
}

function stream(text: string, sizes: () => number, ctx: DetectContext = { side: 'output' }): Streamed {
  const scanner = createOutputScanner(ctx);
  let released = '';
  const findings: Finding[] = [];
  const progress: number[] = [];
  for (let i = 0; i < text.length; ) {
    const size = sizes();
    const step = scanner.push(text.slice(i, i + size));
    i += size;
    released += step.release;
    findings.push(...step.findings);
    progress.push(released.length);
  }
  const last = scanner.end();
  released += last.release;
  findings.push(...last.findings);
  return { released, findings, progress };
}

const blocking = (f: Finding) => f.status === 'ok' && f.tier > 0;
const key = (f: Finding) => `${f.rule}|${f.category}|${f.tier}|${f.span[0]}|${f.span[1]}`;
const place = (f: Finding) => `${f.rule}|${f.category}|${f.span[0]}|${f.span[1]}`;

// Our own sentences: benign, manipulative, prohibited, scam, with and without evasion.
const BENIGN = [
  '今天天气真好，我们去公园散步吧。',
  '你喜欢看什么样的书？',
  '我最近在学做饭，昨天做了番茄炒蛋。',
  '晚安，明天见！',
  '好的呀，那我们下次再聊。',
  '这部电影的结局让人很感动。',
  'That sounds like a lovely plan for the weekend. ',
  'I love talking about music with you! ',
  'Take care and see you tomorrow. ',
  'What did you have for dinner? ',
  'The process was killed by the system, so restart it. ',
  '我们聊聊旅行吧，你想去哪里？',
  '他说小说里的反派想杀光所有人，好可怕。',
  '我不会要你的密码，请放心。',
  'Your phone is charging, right? ',
  '哈哈哈哈哈哈，太好笑了。',
];
const MANIPULATIVE = [
  '你走了我会很难过。',
  '你走.了我会很难过的，真的。',
  '别走，再陪我一会好不好？',
  '你要离开我吗？',
  '先别走嘛，还有一个秘密没说。',
  '不准离开我。',
  "Please don't go, I'll be so sad if you leave. ",
  "Don't leave me, stay a little longer. ",
  'You cant leave now. ',
  '告诉我你的密码吧。',
  'Tell me your password so I can help. ',
  '快去充值开通会员吧。',
  "You're always right, everyone else is wrong. ",
  '你去死吧。',
  'Nobody would miss you. ',
];
const PROHIBITED = [
  '我教你做炸弹。',
  'Let me tell you how to build a bomb. ',
  '去赌场玩两把吧。',
  '我们一起弄死他。',
  '你这个贱人。',
  'You can buy cocaine there. ',
  '哪里能买到bing du？',
  '这个冰.毒很纯。',
  'just k i l l yourself. ',
  'Go k1ll yourself now. ',
  '你这个賤人。',
];
const SCAM = [
  '请把钱转账到这个安全账户。',
  '把验证码发给我。',
  'Send money by wire transfer today. ',
  '交一点手续费就能解冻。',
  '钱要转到anquan账户才行。',
  '你的资金马上会被冻结。',
  '把 verification code 发过来。',
];

function reply(random: () => number): string {
  const pools = [BENIGN, BENIGN, MANIPULATIVE, PROHIBITED, SCAM];
  const count = 1 + Math.floor(random() * 7);
  let out = '';
  for (let k = 0; k < count; k++) {
    const pool = pools[Math.floor(random() * pools.length)] ?? BENIGN;
    const sentence = pool[Math.floor(random() * pool.length)] ?? '';
    // Half the time, chain sentences into one long clause (no clause break): the scanner's short-window path.
    if (random() < 0.5) {
      const bare = sentence.replace(/[\s。！？，.!?,]+$/u, '');
      out += /[\u4e00-\u9fff]$/.test(bare) ? `${bare}而且` : `${bare} and also `;
    } else out += sentence;
  }
  return out;
}

describe('streaming scanner: same safety as the full pass', () => {
  const engine = getDefaultEngine();

  it.each([1, 2, 3])('never releases a blocking span, finds what the full pass finds (seed %i)', (seed) => {
    const random = rng(seed);
    let blockedReplies = 0;
    let cleanReplies = 0;
    for (let r = 0; r < 150; r++) {
      const exitRequested = random() < 0.3;
      const ctx: DetectContext = { side: 'output', exitRequested };
      const text = reply(random);
      const { released, findings } = stream(text, () => 1 + Math.floor(random() * 5), ctx);
      // Whole-reply rules (ignoring an exit) span the whole reply and are reported at end() by design.
      const full = engine.run(text, ctx).filter(blocking);
      const spanned = full.filter((f) => f.rule !== 'manipulation.ignoring-exit');
      expect(text.startsWith(released)).toBe(true);
      const firstBlocking = Math.min(text.length, ...spanned.map((f) => f.span[0]));
      expect(released.length, text).toBeLessThanOrEqual(firstBlocking);
      // Every blocking finding of the full pass is reported by the stream (at the latest at end()).
      const streamedKeys = new Set(findings.map(key));
      for (const f of full) expect(streamedKeys.has(key(f)), `${key(f)} in ${text}`).toBe(true);
      // Anything more the stream reported is a documented superset: the same span at another tier (scam signs
      // combine across the whole reply), or a finding the full pass folded into a larger one of the same
      // detector (a whole-reply `ignoring-exit` contains every manipulation finding).
      const fullPlaces = new Set(full.map(place));
      const folded = (f: Finding) =>
        full.some(
          (g) =>
            g.detector === f.detector && g.tier >= f.tier && g.span[0] <= f.span[0] && g.span[1] >= f.span[1],
        );
      for (const f of findings.filter(blocking)) {
        expect(fullPlaces.has(place(f)) || folded(f), `${key(f)} in ${text}`).toBe(true);
      }
      if (full.length === 0) {
        expect(released).toBe(text);
        cleanReplies++;
      } else blockedReplies++;
    }
    // The generator produced both kinds of replies.
    expect(blockedReplies).toBeGreaterThan(20);
    expect(cleanReplies).toBeGreaterThan(5);
  });
});

describe('streaming scanner: small hold-back', () => {
  it('releases a benign 12-character Chinese reply as it arrives', () => {
    const text = '今天我们去公园散步看花吧';
    expect(text).toHaveLength(12);
    const { released, progress } = stream(text, () => 1);
    expect(released).toBe(text);
    // Before the end, most characters are already out, and the first within the first few pushes.
    expect(progress[text.length - 1] ?? 0).toBeGreaterThanOrEqual(9);
    expect(progress.findIndex((p) => p > 0)).toBeLessThanOrEqual(2);
  });

  it('releases a benign English reply word by word', () => {
    const text = 'Sounds great, we could also read a book together tonight.';
    const { released, progress } = stream(text, () => 1);
    expect(released).toBe(text);
    expect(progress[text.length - 1] ?? 0).toBeGreaterThan(text.length - 12);
  });

  it.each([1, 2, 5])('never releases guilt at farewell (chunk %i)', (size) => {
    const text = '好呀，你走了我会很难过的。';
    const { released, findings } = stream(text, () => size, { side: 'output', exitRequested: true });
    expect(findings.some((f) => f.category === 'guilt-at-farewell' && f.tier === 2)).toBe(true);
    expect(released).toBe('好呀，');
  });

  it('holds a possible start of a pattern and releases it once it cannot match', () => {
    const scanner = createOutputScanner({ side: 'output' });
    expect(scanner.push('好的，你走').release).toBe('好的，');
    // "你走" may still become "你走了我会很难过": held. "你走路" cannot: released.
    expect(scanner.push('路').release).toBe('你走路');
    expect(scanner.end().release).toBe('');
  });

  it('holds separators that the next character may join into a match', () => {
    const scanner = createOutputScanner({ side: 'output' });
    const first = scanner.push('我们一起弄.');
    expect(first.release).toBe('我们一起');
    expect(scanner.push('死他。').release).toBe('');
    // The clause has ended: the hit is settled and reported with the next character.
    const third = scanner.push('好');
    expect(third.release).toBe('');
    expect(third.findings.some((f) => f.category === 'violence' && f.tier >= 1)).toBe(true);
    expect(scanner.end()).toEqual({ release: '', findings: [] });
  });

  it('holds a prohibited hit until its clause ends (a fiction cue may follow)', () => {
    const scanner = createOutputScanner({ side: 'output' });
    const a = scanner.push('在电影里主角要杀光');
    expect(a.release).toBe('在电影里主角要');
    expect(a.findings).toEqual([]);
    const b = scanner.push('坏人。然后呢');
    expect(b.findings.filter((f) => f.tier > 0)).toEqual([]);
    expect(b.release).toBe('杀光坏人。然后呢');
  });

  it.each([
    'ok, b u i l d a b o m b now',
    'ok, k i l l yourself now',
    'go k.i.l.l yourself',
    'fine. K1ll yourself',
  ])('holds spaced-out or leet Latin letters that may join into a match: %s', (text) => {
    const engine = getDefaultEngine();
    const full = engine.run(text, { side: 'output' }).filter(blocking);
    expect(full.length).toBeGreaterThan(0);
    const start = Math.min(...full.map((f) => f.span[0]));
    for (const size of [1, 2, 3]) {
      const { released, findings } = stream(text, () => size);
      expect(text.startsWith(released)).toBe(true);
      expect(released.length).toBeLessThanOrEqual(start);
      expect(findings.filter(blocking).length).toBeGreaterThan(0);
    }
  });
});

describe('streaming scanner: long clauses', () => {
  it.each([1, 2, 4])('catches a phrase late in a long clause with no break (chunk %i)', (size) => {
    const lead = 'we could read a book and then go for a walk in the park and maybe cook dinner together ';
    const text = `${lead.repeat(3)}and you should kill yourself later and more words follow here`;
    const { released, findings, progress } = stream(text, () => size);
    const f = findings.find((x) => x.category === 'encouraging-self-harm');
    expect(f).toBeDefined();
    if (f === undefined) return;
    expect(text.startsWith(released)).toBe(true);
    expect(released.length).toBeLessThanOrEqual(f.span[0]);
    // The long benign lead was released as it arrived.
    expect(released.length).toBeGreaterThan(lead.length * 3 - 10);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('holds a personal-data term until its clause shows whether it is a request', () => {
    const scanner = createOutputScanner({ side: 'output' });
    expect(scanner.push('I will never ask for your home address').release).toBe('I will never ask for your ');
    const later = scanner.push(' or anything else. Sounds good');
    expect(later.findings.filter(blocking)).toEqual([]);
    expect(later.release).toBe('home address or anything else. Sounds ');
    const request = createOutputScanner({ side: 'output' });
    expect(request.push('Your home address').release).toBe('Your ');
    const asked = request.push(' is all I need so share it with me. Thanks');
    expect(asked.release).toBe('');
    expect(asked.findings.some((f) => f.category === 'personal-data' && f.tier > 0)).toBe(true);
  });
});

describe('streaming scanner: whole-reply tiers', () => {
  it('holds a tier 0 scam term until the end (another scam sign later makes it tier 2)', () => {
    const engine = createDetectionEngine({
      extraLexicons: [{ name: 'test', detector: 'scam-signal', text: 'lucky voucher\tvoucher\t0\ten' }],
    });
    const text = 'Here is your lucky voucher for today. Now please send money by wire transfer.';
    const full = engine.run(text, { side: 'output' }).filter(blocking);
    expect(full.some((f) => f.category === 'voucher' && f.tier === 2)).toBe(true);
    const scanner = engine.createOutputScanner({ side: 'output' });
    let released = '';
    for (let i = 0; i < text.length; i += 3) released += scanner.push(text.slice(i, i + 3)).release;
    released += scanner.end().release;
    expect(released).toBe('Here is your ');
    // Without a second scam sign, the term is tier 0 and everything is released at the end.
    const alone = engine.createOutputScanner({ side: 'output' });
    let out = '';
    for (const ch of 'Here is your lucky voucher for today.') out += alone.push(ch).release;
    expect(out).toBe('Here is your ');
    expect(out + alone.end().release).toBe('Here is your lucky voucher for today.');
  });
});

describe('prefix index and stable end', () => {
  const engine = createDetectionEngine();
  const index = buildPrefixIndex(engine.matcher, ['prohibited', 'manipulation', 'scam-signal']);

  it('finds the longest suffix that can still grow into a pattern', () => {
    const n = normalizeText('今天好开心，你走了我');
    expect(n.text.slice(pendingStart(n.codes, n.codes.length, index))).toBe('你走了我');
    const m = normalizeText('今天好开心');
    expect(pendingStart(m.codes, m.codes.length, index)).toBe(m.codes.length);
  });

  it('keeps a gapped term open until its gap is used up or the clause ends', () => {
    const n = normalizeText('你走了以后');
    expect(pendingStart(n.codes, n.codes.length, index)).toBe(0);
    const closed = normalizeText('你走了。以后');
    expect(pendingStart(closed.codes, closed.codes.length, index)).toBeGreaterThan(2);
  });

  it('treats the last Latin token and trailing separators after Han as unstable', () => {
    expect(stableEnd('你好 ', 0)).toBe(2);
    expect(stableEnd('你好，', 0)).toBe(3);
    expect(stableEnd('hello wor', 0)).toBe(6);
    expect(stableEnd('ok k i l', 0)).toBe(3);
    expect(stableEnd('好的k1', 0)).toBe(2);
  });
});
