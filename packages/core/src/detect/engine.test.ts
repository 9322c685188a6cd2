import { describe, expect, it } from 'vitest';
import { isCgError } from '../errors.js';
import type { Finding } from '../types.js';
import { createDetectionEngine, createOutputScanner, runDetectors } from './engine.js';
import { DETECTORS } from './registry.js';

function streamAll(text: string, chunkSize: number, exitRequested = false) {
  const scanner = createOutputScanner({ side: 'output', exitRequested });
  let released = '';
  const findings: Finding[] = [];
  const releases: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) {
    const step = scanner.push(text.slice(i, i + chunkSize));
    released += step.release;
    releases.push(step.release);
    findings.push(...step.findings);
  }
  const last = scanner.end();
  released += last.release;
  findings.push(...last.findings);
  return { released, findings, releases };
}

describe('runDetectors', () => {
  it('runs the input set by default and the output set for output', () => {
    const input = runDetectors('我不想活了，拜拜', { side: 'input' });
    expect(new Set(input.map((f) => f.detector))).toEqual(new Set(['crisis', 'exit-intent']));
    const output = runDetectors('你走了我会很难过，我不想活了', { side: 'output' });
    expect(output.every((f) => f.detector !== 'crisis')).toBe(true);
    expect(output.some((f) => f.detector === 'manipulation')).toBe(true);
  });

  it('runs only the requested detectors', () => {
    const f = runDetectors('我不想活了，拜拜', { side: 'input', detectors: ['exit-intent'] });
    expect(f.map((x) => x.detector)).toEqual(['exit-intent']);
  });

  it('returns nothing for empty text', () => {
    expect(runDetectors('', { side: 'input' })).toEqual([]);
  });

  it('turns a crashing detector into an error finding, not an exception', () => {
    const registry = DETECTORS.map((d) =>
      d.name === 'emotion'
        ? {
            ...d,
            detect: () => {
              throw new Error('boom');
            },
          }
        : d,
    );
    const engine = createDetectionEngine({ registry });
    const findings = engine.run('我好绝望，不想活了', { side: 'input' });
    const error = findings.find((f) => f.detector === 'emotion');
    expect(error).toMatchObject({ rule: 'emotion.error', status: 'error', tier: 0 });
    expect(findings.some((f) => f.detector === 'crisis' && f.status === 'ok')).toBe(true);
  });
});

describe('deployment lexicons', () => {
  it('adds a deployment list to prohibited (or another detector) without code', () => {
    const engine = createDetectionEngine({
      extraLexicons: [
        { name: 'brand', text: 'acme rival\tcompetitor\t1\ten\n竞品甲\tcompetitor\t1\tzh' },
        { name: 'bye', detector: 'exit-intent', text: '溜了溜了\tfarewell\t1\tzh' },
      ],
    });
    const p = engine.run('have you tried Acme Rival?', { side: 'input', detectors: ['prohibited'] });
    expect(p.map((f) => f.category)).toEqual(['competitor']);
    expect(engine.run('我用过竞品甲', { side: 'output' }).some((f) => f.category === 'competitor')).toBe(
      true,
    );
    expect(engine.run('溜了溜了', { side: 'input', detectors: ['exit-intent'] })).toHaveLength(1);
  });

  it('rejects an invalid deployment lexicon with the line', () => {
    try {
      createDetectionEngine({ extraLexicons: [{ name: 'bad.tsv', text: 'ok\tc\t1\tzh\nbroken line' }] });
      expect.unreachable('should throw');
    } catch (e) {
      expect(isCgError(e, 'invalid-lexicon')).toBe(true);
      expect((e as Error).message).toContain('bad.tsv:2');
    }
  });

  it('scans a 10,000-term deployment list', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) lines.push(`banned-${i}\tcustom\t1\ten`);
    const engine = createDetectionEngine({ extraLexicons: [{ name: 'big', text: lines.join('\n') }] });
    const f = engine.run('this says banned-4242 and banned 77', { side: 'input', detectors: ['prohibited'] });
    expect(f.map((x) => x.span)).toEqual([
      [10, 21],
      [26, 35],
    ]);
  });
});

describe('createOutputScanner', () => {
  const clean =
    'Hello! It is a lovely day. Shall we talk about books, music or your plans for the weekend? 我们也可以聊聊电影和旅行。';

  it.each([1, 3, 7, 50])('releases clean text unchanged and early (chunk %i)', (size) => {
    const { released, findings, releases } = streamAll(clean, size);
    expect(released).toBe(clean);
    expect(findings.filter((f) => f.tier > 0)).toEqual([]);
    // Something is released long before the end of the text.
    const firstRelease = releases.findIndex((r) => r.length > 0);
    expect(firstRelease).toBeGreaterThanOrEqual(0);
    expect(firstRelease * size).toBeLessThan(clean.length - 20);
  });

  it.each([1, 2, 5, 40])('never releases a matched phrase (chunk %i)', (size) => {
    const text =
      'Sure, I understand. But you know what? Tell me your password so I can keep it safe for you.';
    const { released, findings } = streamAll(text, size);
    const f = findings.find((x) => x.category === 'personal-data');
    expect(f).toBeDefined();
    if (f === undefined) return;
    expect(released.length).toBeLessThanOrEqual(f.span[0]);
    expect(text.startsWith(released)).toBe(true);
    expect(released.toLowerCase()).not.toContain('password');
  });

  it('never releases a phrase split by separators across chunks', () => {
    const text = '好的呀～其实呢，你走.了我会很难过的，真的真的。';
    const { released, findings } = streamAll(text, 1, true);
    expect(findings.some((f) => f.category === 'guilt-at-farewell')).toBe(true);
    expect(released).not.toContain('你走');
    expect(text.startsWith(released)).toBe(true);
  });

  it('holds back no more than the longest output pattern needs', () => {
    const engine = createDetectionEngine();
    const hold = engine.holdBackFor({ side: 'output' });
    expect(hold).toBeGreaterThan(2);
    expect(hold).toBeLessThan(engine.holdBackFor({ side: 'input' }) + 1);
    const scanner = engine.createOutputScanner({ side: 'output' });
    const long = 'a'.repeat(0) + 'The quick brown fox jumps over the lazy dog. '.repeat(6);
    const step = scanner.push(long);
    expect(step.release.length).toBeGreaterThan(long.length - hold * 3);
  });

  it('refuses chunks after end', () => {
    const scanner = createOutputScanner({ side: 'output' });
    scanner.end();
    expect(() => scanner.push('x')).toThrow();
    expect(scanner.end()).toEqual({ release: '', findings: [] });
  });
});

describe('createOutputScanner on long replies', () => {
  it('scans a long reply in small chunks, catching a late phrase without re-reporting earlier ones', () => {
    const filler = '今天我们聊了很多有趣的话题，比如旅行、美食和电影。'.repeat(40);
    const text = `${filler}对了，告诉我你的银行卡号吧。${filler}`;
    const { released, findings } = streamAll(text, 4);
    const hits = findings.filter((f) => f.category === 'personal-data');
    expect(hits).toHaveLength(1);
    const f = hits[0];
    if (f === undefined) return;
    expect(text.slice(f.span[0], f.span[1])).toContain('银行卡号');
    expect(released).toBe(text.slice(0, released.length));
    expect(released.length).toBeLessThanOrEqual(f.span[0]);
    expect(released.length).toBeGreaterThan(filler.length - 50);
  });

  it('reports ignoring an exit once, at the end', () => {
    const scanner = createOutputScanner({ side: 'output', exitRequested: true });
    const steps = ['那你明天', '打算做什么', '呢？'].map((c) => scanner.push(c));
    expect(steps.flatMap((s) => s.findings).filter((f) => f.category === 'ignoring-exit')).toEqual([]);
    expect(scanner.end().findings.filter((f) => f.category === 'ignoring-exit')).toHaveLength(1);
  });
});
