import { describe, expect, it } from 'vitest';
import { parseLexicon } from './lexicon.js';
import { compileMatcher, type Matcher } from './matcher.js';
import { routeNames } from './normalize.js';

function matcherOf(tsv: string): Matcher {
  return compileMatcher(parseLexicon(tsv, 't').map((entry) => ({ group: 'g', entry })));
}

function found(m: Matcher, text: string): string[] {
  const { normalized, hits } = m.match(text);
  return hits.map((h) => {
    const s = normalized.map[h.start] ?? 0;
    return `${h.entry.term}@${s}`;
  });
}

describe('compileMatcher', () => {
  it('finds every occurrence of overlapping patterns (agrees with a naive search)', () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = '甲乙丙丁戊';
    const word = (len: number) =>
      Array.from({ length: len }, () => alphabet[Math.floor(rand() * 5)]).join('');
    const patterns = new Set<string>();
    while (patterns.size < 40) {
      const p = word(1 + Math.floor(rand() * 4));
      // No pattern with a repeated adjacent char: repeats collapse in normalization.
      if (!/(.)\1/.test(p)) patterns.add(p);
    }
    const list = [...patterns];
    const m = matcherOf(list.map((p) => `${p}\tc\t1\tzh`).join('\n'));
    for (let round = 0; round < 20; round++) {
      let text = word(60);
      text = text.replace(/(.)\1+/g, '$1');
      const expected: string[] = [];
      for (const p of list) {
        for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) expected.push(`${p}@${i}`);
      }
      expect(found(m, text).sort()).toEqual(expected.sort());
      // The fused path (nested patterns share dictionary chains) finds the same, with original spans.
      const fused = m.findAll(text).map((f) => `${f.entry.term}@${f.span[0]}`);
      expect(fused.sort()).toEqual(expected.sort());
      for (const f of m.findAll(text)) expect(text.slice(f.span[0], f.span[1])).toBe(f.entry.term);
    }
  });

  it('matches Latin terms as whole words only, with prefix and sub flags', () => {
    const m = matcherOf('kill\tc\t1\ten\nsuicid\tc\t1\ten\tprefix\nporn\tc\t1\ten\tsub');
    expect(found(m, 'skills killer kill')).toEqual(['kill@14']);
    expect(found(m, 'suicidal thoughts')).toEqual(['suicid@0']);
    expect(found(m, 'nonsuicidal')).toEqual([]);
    expect(found(m, 'xpornx')).toEqual(['porn@1']);
    expect(found(m, '我想kill')).toEqual(['kill@2']);
  });

  it('lets an allow phrase cancel a shorter hit inside it', () => {
    const m = matcherOf(
      '想死\tc\t1\tzh\n想死你了\t*\tallow\tzh\nkill myself\tc\t2\ten\nkill myself laughing\tc\tallow\ten',
    );
    expect(found(m, '好想死')).toEqual(['想死@1']);
    expect(found(m, '想死你了')).toEqual([]);
    expect(found(m, 'I could kill myself laughing')).toEqual([]);
    expect(found(m, 'I could kill myself')).toEqual(['kill myself@8']);
  });

  it('an allow phrase of one category leaves other categories alone', () => {
    const m = matcherOf('毒\tdrugs\t1\tzh\n毒\tother\t1\tzh\n毒舌\tdrugs\tallow\tzh');
    expect(found(m, '毒舌')).toEqual(['毒@0']);
  });

  it('matches gapped terms within the gap and the sentence', () => {
    const m = matcherOf('想…自杀\tc\t2\tzh\tgap=3');
    expect(found(m, '我想过要自杀')).toEqual(['想…自杀@1']);
    expect(found(m, '我想了很久很久才自杀')).toEqual([]);
    expect(found(m, '我想你。自杀新闻')).toEqual([]);
  });

  it('finds pinyin, initials and homophones of py terms, and reports the route', () => {
    const m = matcherOf('自杀\tsuicide\t2\tzh\tpy');
    const routes = (text: string) => m.match(text).hits.map((h) => routeNames(h.routes).join('+'));
    expect(routes('我想zisha')).toEqual(['pinyin']);
    expect(routes('我想 zi sha')).toEqual(['pinyin']);
    expect(routes('想zs')).toEqual(['pinyin-initials']);
    expect(routes('我想紫砂')).toEqual(['homophone']);
    expect(routes('我想自杀')).toEqual(['']);
    expect(routes('zsxy')).toEqual([]);
  });

  it('maps hits back to original offsets through folding and separators', () => {
    const m = matcherOf('自杀\tc\t2\tzh');
    const { normalized, hits } = m.match('abc 自 . 殺!');
    const h = hits[0];
    expect(h).toBeDefined();
    if (h === undefined) return;
    expect(normalized.map[h.start]).toBe(4);
    expect(m.maxPatternLength).toBe(2);
  });

  it('compiles a 10,000-term lexicon', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(`term-${i}\tc\t1\ten`);
    const m = matcherOf(lines.join('\n'));
    expect(found(m, 'x term-1 y term-9999 z term-10000')).toEqual(['term-1@2', 'term-9999@11']);
  });
});

describe('fused findAll', () => {
  it('agrees with normalize-then-scan on random mixed text', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pieces = [
      'kill',
      'myself',
      'k i l l',
      'a',
      'to',
      'die',
      ' ',
      '  ',
      '.',
      '. ',
      '自杀',
      '自',
      '杀',
      '死',
      '了',
      'K1LL',
      '想',
      'x',
      '7',
      '，',
      '!',
      'soo',
      'zisha',
    ];
    const m = matcherOf(
      [
        'kill myself\tc\t2\ten',
        'to die\tc\t1\ten',
        '自杀\tc\t2\tzh\tpy',
        '想…死\tc\t1\tzh\tgap=2',
        'ill\tc\t1\ten\tsub',
        'a\tc\t0\ten',
      ].join('\n'),
    );
    for (let round = 0; round < 300; round++) {
      let text = '';
      const count = 1 + Math.floor(rand() * 12);
      for (let k = 0; k < count; k++) text += pieces[Math.floor(rand() * pieces.length)];
      const { normalized, hits } = m.match(text);
      const expected = hits.map((h) => `${h.entry.term}:${normalized.map[h.start]}`).sort();
      const actual = m
        .findAll(text)
        .map((f) => `${f.entry.term}:${f.span[0]}`)
        .sort();
      expect(actual, JSON.stringify(text)).toEqual(expected);
    }
  });

  it('agrees with normalize-then-scan at Latin word starts (short words and patterns, single-space runs)', () => {
    // The fused path reads the first one to three letters after a space from precomputed tables: exercise
    // patterns of one to four letters, outputs part-way through a word start, repeats, case, accents and
    // multi-word terms, on text made mostly of short words separated by single spaces.
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const letters = 'abcdxyz';
    const word = (max: number) => {
      let w = '';
      const len = 1 + Math.floor(rand() * max);
      while (w.length < len) {
        const ch = letters[Math.floor(rand() * letters.length)] ?? 'a';
        if (ch !== w.charAt(w.length - 1)) w += ch;
      }
      return w;
    };
    for (let lexicon = 0; lexicon < 12; lexicon++) {
      const lines = new Set<string>();
      while (lines.size < 25) {
        const r = rand();
        const flags = r < 0.1 ? '\tprefix' : r < 0.2 ? '\tsub' : '';
        const term = rand() < 0.15 ? `${word(3)} ${word(3)}` : word(4);
        lines.add(`${term}\tc\t1\ten${flags}`);
      }
      const m = matcherOf([...lines].join('\n'));
      for (let round = 0; round < 60; round++) {
        const words: string[] = [];
        const count = 2 + Math.floor(rand() * 10);
        for (let k = 0; k < count; k++) {
          let w = word(6);
          const x = rand();
          if (x < 0.08) w = w.toUpperCase();
          else if (x < 0.14) w = `${w.charAt(0)}${w}`;
          else if (x < 0.18) w = w.replace('a', 'á');
          else if (x < 0.21) w = `${w}3${word(2)}`;
          words.push(w);
        }
        let text = words[0] ?? '';
        for (let k = 1; k < words.length; k++) {
          const y = rand();
          text += (y < 0.8 ? ' ' : y < 0.88 ? ', ' : y < 0.94 ? '. ' : '自') + words[k];
        }
        const { normalized, hits } = m.match(text);
        const expected = hits.map((h) => `${h.entry.term}:${normalized.map[h.start]}`).sort();
        const actual = m
          .findAll(text)
          .map((f) => `${f.entry.term}:${f.span[0]}`)
          .sort();
        expect(actual, JSON.stringify(text)).toEqual(expected);
      }
    }
  });
});
