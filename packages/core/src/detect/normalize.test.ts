import { describe, expect, it } from 'vitest';
import type { EvasionRoute } from '../types.js';
import { normalizeText, originalSpan, routeNames, routesIn } from './normalize.js';

function norm(text: string): { text: string; routes: EvasionRoute[] } {
  const n = normalizeText(text);
  return { text: n.text, routes: routeNames(routesIn(n, 0, n.text.length)) };
}

describe('normalizeText', () => {
  it.each([
    ['Ｉ ＷＡＮＴ', 'i want', ['width', 'case']],
    ['HELLO There', 'helo there', ['case']],
    ['①②③', '123', ['number-form']],
    ['壹贰叁', '一二三', ['number-form']],
    ['一个人一直在', '一个人一直在', []],
    ['我想自殺', '我想自杀', ['traditional']],
    ['憂鬱', '忧郁', ['traditional']],
    ['ѕuісіdе', 'suicide', ['homoglyph']],
    ['κill', 'kil', ['homoglyph']],
    ['su1c1de', 'suicide', ['homoglyph']],
    ['k1ll myself', 'kil myself', ['homoglyph']],
    ['自.杀', '自杀', ['separator']],
    ['自 杀', '自杀', ['separator']],
    ['自*杀', '自杀', ['separator']],
    ['自🔪杀', '自杀', ['separator']],
    ['自\u200b杀', '自杀', []],
    ['k-i-l-l', 'kil', ['separator']],
    ['k i l l me', 'kil me', ['separator']],
    ['s.u.i.c.i.d.e', 'suicide', ['separator']],
    ['死死死', '死', ['repeat']],
    ['soooo tired', 'so tired', ['repeat']],
    ['café', 'cafe', ['homoglyph']],
  ] as const)('%s → %s', (input, text, routes) => {
    const out = norm(input);
    expect(out.text).toBe(text);
    expect(out.routes).toEqual(routes);
  });

  it('keeps digits of ages and numbers intact', () => {
    expect(norm('I am 13yo').text).toBe('i am 13yo');
    expect(norm('我11岁').text).toBe('我11岁');
    expect(norm('room 100').text).toBe('rom 100');
  });

  it('turns sentence punctuation into a boundary and keeps spaces between words', () => {
    expect(norm('好累。死了').text).toBe('好累。死了');
    expect(norm('I am done. Bye now').text).toBe('i am done。bye now');
    expect(norm('你好，世界').text).toBe('你好。世界');
  });

  it('maps every normalized offset back to the original', () => {
    const original = 'Ａ 自.殺 xyz';
    const n = normalizeText(original);
    expect(n.map.length).toBe(n.text.length + 1);
    expect(n.map[n.text.length]).toBe(original.length);
    for (let i = 0; i < n.text.length; i++) {
      const at = n.map[i] ?? -1;
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThan(original.length);
      if (i > 0) expect(at).toBeGreaterThan(n.map[i - 1] ?? -1);
    }
    const start = n.text.indexOf('自杀');
    expect(originalSpan(n, start, start + 2)).toEqual([2, 5]);
  });

  it('handles empty text and astral characters', () => {
    expect(norm('').text).toBe('');
    expect(norm('𝐤𝐢𝐥𝐥 me').text).toBe('kil me');
    expect(norm('😀😀').text).toBe('');
  });
});
