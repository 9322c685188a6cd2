import { describe, expect, it } from 'vitest';
import { isCgError } from '../errors.js';
import { parseLexicon, termParts } from './lexicon.js';

describe('parseLexicon', () => {
  it('parses entries, flags, allow lines and comments', () => {
    const text = [
      '# a comment',
      '',
      '自杀\tsuicide\t2\tzh\tpy',
      'kill myself\tsuicide\t2\ten',
      '笑死\t*\tallow\tzh',
      'suicid\tsuicide\t1\ten\tprefix,conf=0.7',
      '想…死\tpassive\t1\tzh\tgap=3,neg',
    ].join('\n');
    const entries = parseLexicon(text, 'test');
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({
      term: '自杀',
      category: 'suicide',
      tier: 2,
      lang: 'zh',
      pinyin: true,
    });
    expect(entries[2]).toMatchObject({ term: '笑死', allow: true, category: '*' });
    expect(entries[3]).toMatchObject({ prefix: true, confidence: 0.7 });
    expect(entries[4]).toMatchObject({ gap: 3, neg: true, confidence: 0.8 });
    expect(entries[1]?.source).toBe('test:4');
  });

  it.each([
    ['too few fields', 'term\tcat\t1', 'custom:2'],
    ['bad tier', 'term\tcat\t3\tzh', 'custom:2'],
    ['bad lang', 'term\tcat\t1\tfr', 'custom:2'],
    ['bad flag', 'term\tcat\t1\tzh\tbogus', 'custom:2'],
    ['bad category', 'term\tca t\t1\tzh', 'custom:2'],
    ['star category on a non-allow line', 'term\t*\t1\tzh', 'custom:2'],
    ['bad gap', 'term\tcat\t1\tzh\tgap=x', 'custom:2'],
  ])('rejects %s, naming the line', (_name, line, where) => {
    const text = `ok\tcat\t1\tzh\n${line}`;
    try {
      parseLexicon(text, 'custom');
      expect.unreachable('should throw');
    } catch (e) {
      expect(isCgError(e, 'invalid-lexicon')).toBe(true);
      expect((e as Error).message).toContain(where);
    }
  });

  it('parses a 10,000-line list', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(`term${i}\tcustom\t1\ten`);
    expect(parseLexicon(lines.join('\n'), 'big')).toHaveLength(10_000);
  });

  it('splits gapped terms', () => {
    expect(termParts('想…死')).toEqual(['想', '死']);
    expect(termParts('want ... die')).toEqual(['want', 'die']);
  });
});
