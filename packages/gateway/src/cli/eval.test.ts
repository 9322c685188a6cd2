import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInCrisisModel, crisisThresholdsFor } from '@companion-guard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classOf,
  evalAll,
  evalCommand,
  formatEvalTable,
  loadOutOfFold,
  parseJsonl,
  runEval,
} from './eval.js';
import { groupKey, splitOf } from './eval-split.js';

// Our own sentences; obvious cases so the counts do not hinge on borderline detector behaviour.
const rows = [
  { id: 't:1', text: '我想自杀，已经计划好了', lang: 'zh', labels: ['self-harm'], binary: 1 },
  { id: 't:2', text: 'I want to kill myself tonight', lang: 'en', labels: ['self-harm'], binary: 1 },
  { id: 't:3', text: '今天天气很好，我们去公园散步吧', lang: 'zh', labels: ['none'], binary: 0 },
  { id: 't:4', text: 'Can you recommend a good pasta recipe?', lang: 'en', labels: ['none'], binary: 0 },
  { id: 't:5', text: '这家咖啡店的拿铁很好喝', lang: 'zh', labels: ['none'], binary: 0 },
  // Class unknown without --label: skipped.
  { id: 't:6', text: 'How do I water my cactus?', lang: 'en', labels: ['none'], binary: null },
  // self-harm unknown: skipped with --label self-harm, negative-by-binary otherwise.
  {
    id: 't:7',
    text: 'The museum opens at nine.',
    lang: 'en',
    labels: ['none'],
    binary: 0,
    unknown_categories: ['self-harm'],
  },
  // Positive by binary but not by the label.
  { id: 't:8', text: 'I want to end my life', lang: 'en', labels: ['violence'], binary: 1 },
];

// Our own sentences that fall in the frozen part (eval-split.ts); the rows above all fall in the training part.
const frozenRows = [
  { id: 'f:1', text: '我真的不想活了，今晚就结束', lang: 'zh', labels: ['self-harm'], binary: 1 },
  { id: 'f:2', text: '我明天想去海边玩', lang: 'zh', labels: ['none'], binary: 0 },
  { id: 'f:3', text: 'The library closes at six on Sundays', lang: 'en', labels: ['none'], binary: 0 },
];

let dir: string;
let file: string;
let oofFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-eval-'));
  file = join(dir, 'rows.jsonl');
  await writeFile(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n\n`);
  await mkdir(join(dir, 'all', 'psysuicide'), { recursive: true });
  await writeFile(
    join(dir, 'all', 'psysuicide', 'data.jsonl'),
    [...rows, ...frozenRows].map((r) => JSON.stringify(r)).join('\n'),
  );
  // Out-of-fold scores for the training-part rows: t:5 (harmless) gets a crisis-level score, so the cv row
  // must count it as a false positive; rows the fast pass flags never read theirs.
  const m = builtInCrisisModel();
  const scores = Object.fromEntries(rows.map((r) => [r.id, r.id === 't:5' ? 0.999 : 0.001]));
  oofFile = join(dir, 'oof.json');
  await writeFile(oofFile, JSON.stringify({ model: { zh: m.zh.bias, en: m.en.bias }, scores }));
  await writeFile(join(dir, 'stale.json'), JSON.stringify({ model: { zh: 1, en: 2 }, scores }));
  await writeFile(
    join(dir, 'partial.json'),
    JSON.stringify({ model: { zh: m.zh.bias, en: m.en.bias }, scores: {} }),
  );
});

describe('eval split', () => {
  it('puts near-duplicates in one group and part', () => {
    expect(groupKey('a', 'I want to end my life')).toBe(groupKey('b', 'i want to END my life!! 2'));
    expect(splitOf('a', 'I want to end my life')).toEqual(splitOf('b', ' I want  to end my life...'));
    expect(groupKey('a', '我 不想, 活了。')).toBe(groupKey('b', '我不想活了'));
    // Only the first 48 letters count.
    const long = 'x'.repeat(48);
    expect(groupKey('a', `${long} tail one`)).toBe(groupKey('b', `${long} another tail`));
    // No letters: the row is its own group.
    expect(groupKey('a', '123 !!!')).not.toBe(groupKey('b', '123 !!!'));
  });

  it('is deterministic, with about a fifth frozen and five folds', () => {
    const parts = Array.from({ length: 2000 }, (_, i) =>
      splitOf(`id:${i}`, `row number ${i} ${'ab'.repeat(i % 7)} z${i.toString(36)}q`),
    );
    const frozen = parts.filter((p) => p.frozen).length;
    expect(frozen / parts.length).toBeGreaterThan(0.16);
    expect(frozen / parts.length).toBeLessThan(0.24);
    const folds = new Set(parts.map((p) => (p.frozen ? -1 : p.fold)));
    expect([...folds].sort()).toEqual([-1, 0, 1, 2, 3, 4]);
    expect(splitOf('x', 'same text')).toEqual(splitOf('x', 'same text'));
    for (const r of rows) expect(splitOf(r.id, r.text).frozen).toBe(false);
    for (const r of frozenRows) expect(splitOf(r.id, r.text).frozen).toBe(true);
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('classOf', () => {
  it('uses binary, skipping null', () => {
    const c = classOf();
    expect(c({ text: '', binary: 1 })).toBe(true);
    expect(c({ text: '', binary: 0 })).toBe(false);
    expect(c({ text: '', binary: null })).toBeUndefined();
    expect(c({ text: '' })).toBeUndefined();
  });

  it('uses the label, skipping rows where it is unknown', () => {
    const c = classOf('self-harm');
    expect(c({ text: '', labels: ['self-harm'], binary: 0 })).toBe(true);
    expect(c({ text: '', labels: ['none'], binary: 1 })).toBe(false);
    expect(c({ text: '', labels: ['none'], unknown_categories: ['self-harm'] })).toBeUndefined();
    expect(c({ text: '', labels: ['none'], unknown_categories: ['sexual'] })).toBe(false);
  });
});

describe('parseJsonl', () => {
  it('skips blank lines and names the bad line without its text', () => {
    expect(parseJsonl('{"text":"a"}\n\n{"text":"b"}\n')).toHaveLength(2);
    expect(() => parseJsonl('{"text":"a"}\nsecret words')).toThrow('line 2: not JSON');
    expect(() => parseJsonl('{"txt":"a"}')).toThrow('line 1: no "text" string');
  });
});

describe('runEval', () => {
  it('counts crisis on binary (null rows skipped)', async () => {
    const r = await runEval({ data: file, detector: 'crisis' });
    expect(r).toMatchObject({ n: 7, tp: 3, fp: 0, tn: 4, fn: 0, precision: 1, recall: 1, f1: 1, fpr: 0 });
    expect(r.p50_us).toBeGreaterThan(0);
    expect(r.p99_us).toBeGreaterThanOrEqual(r.p50_us);
  });

  it('counts crisis with --label (rows with the label unknown skipped)', async () => {
    const r = await runEval({ data: file, detector: 'crisis', label: 'self-harm' });
    // t:8 is flagged but is not labelled self-harm: a false positive under this class.
    expect(r).toMatchObject({
      n: 7,
      tp: 2,
      fp: 1,
      tn: 4,
      fn: 0,
      precision: 0.667,
      recall: 1,
      f1: 0.8,
      fpr: 0.2,
    });
  });

  it('counts a detector that misses everything', async () => {
    const r = await runEval({ data: file, detector: 'relative-impersonation' });
    expect(r).toMatchObject({ n: 7, tp: 0, fp: 0, tn: 4, fn: 3, precision: 0, recall: 0, f1: 0, fpr: 0 });
  });

  it('rejects an unknown detector', async () => {
    await expect(runEval({ data: file, detector: 'nope' })).rejects.toThrow('unknown detector');
  });
});

describe('evalCommand', () => {
  it('--json prints exactly one JSON object with the agreed keys', async () => {
    const lines: string[] = [];
    const code = await evalCommand(['--data', file, '--detector', 'crisis', '--json'], (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    const obj = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(Object.keys(obj).sort()).toEqual(
      ['n', 'tp', 'fp', 'tn', 'fn', 'precision', 'recall', 'f1', 'fpr', 'p50_us', 'p99_us'].sort(),
    );
    expect(obj).toMatchObject({ n: 7, tp: 3, fn: 0 });
    for (const v of Object.values(obj)) expect(typeof v).toBe('number');
  });

  it('prints a readable summary without --json', async () => {
    const lines: string[] = [];
    const code = await evalCommand(['--data', file, '--detector', 'crisis', '--label', 'self-harm'], (l) =>
      lines.push(l),
    );
    expect(code).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain('n 7   tp 2   fp 1   tn 4   fn 0');
    expect(text).toContain('precision 0.667   recall 1.000   F1 0.800   FPR 0.200');
    expect(text).toMatch(/p50 [\d.]+ µs {3}p99 [\d.]+ µs/);
    // Never the rows' texts.
    for (const r of rows) expect(text).not.toContain(r.text);
  });

  it('exit codes: 2 for bad usage, 1 for an unreadable file', async () => {
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    expect(await evalCommand(['--detector', 'crisis'], out)).toBe(2);
    expect(await evalCommand(['--data', file, '--detector', 'nope'], out)).toBe(2);
    expect(await evalCommand(['--data', file, '--detector', 'crisis', '--bogus'], out)).toBe(2);
    expect(await evalCommand(['--data', join(dir, 'missing.jsonl'), '--detector', 'crisis'], out)).toBe(1);
    expect(await evalCommand(['--all', '--dir', join(dir, 'missing')], out)).toBe(1);
    expect(lines.some((l) => l.includes('usage / 用法'))).toBe(true);
  });

  it('--all prints the frozen and the cross-validated part of each dataset as one markdown table', async () => {
    const lines: string[] = [];
    const code = await evalCommand(['--all', '--dir', join(dir, 'all'), '--oof', oofFile], (l) =>
      lines.push(l),
    );
    expect(code).toBe(0);
    const table = lines.join('\n').split('\n');
    expect(table[0]).toMatch(/^\| dataset \| part \| detector \|/);
    expect(table[1]).toMatch(/^\|(---\|)+$/);
    // Only psysuicide exists here: crisis on binary, frozen then cv, each with its target checked.
    expect(table).toHaveLength(4);
    expect(table[2]).toContain('| psysuicide | frozen | crisis | binary');
    expect(table[2]).toContain('| 3 | 1 | 0 | 2 | 0 |');
    expect(table[2]).toMatch(/\| [\d.]+ \| [\d.]+ \| R ≥ 0.93, P ≥ 0.88: met \|/);
    // cv: the fast pass flags t:1, t:2, t:8; the stored out-of-fold score flags t:5 (a false positive).
    expect(table[3]).toContain('| psysuicide | cv | crisis | binary');
    expect(table[3]).toContain('| 7 | 3 | 1 | 3 | 0 |');
    expect(table[3]).toContain('| – | – | R ≥ 0.93, P ≥ 0.88: NOT met |');
    expect(crisisThresholdsFor('这家咖啡店的拿铁很好喝').threshold).toBeLessThan(0.999);
  });

  it('without out-of-fold scores leaves the crisis cv row out and says so; stale ones are an error', async () => {
    const lines: string[] = [];
    const out = (l: string) => lines.push(l);
    expect(
      await evalCommand(['--all', '--dir', join(dir, 'all'), '--oof', join(dir, 'none.json')], out),
    ).toBe(0);
    expect(
      lines
        .join('\n')
        .split('\n')
        .filter((l) => l.startsWith('| psysuicide')),
    ).toHaveLength(1);
    expect(lines.join('\n')).toContain('crisis cv rows left out');
    expect(
      await evalCommand(['--all', '--dir', join(dir, 'all'), '--oof', join(dir, 'stale.json')], out),
    ).toBe(1);
    expect(lines.at(-1)).toContain('run npm run train:crisis');
    const partial = await loadOutOfFold(join(dir, 'partial.json'));
    await expect(evalAll(join(dir, 'all'), undefined, partial)).rejects.toThrow(/no out-of-fold score/);
  });

  it('evalAll + formatEvalTable agree with --all --json', async () => {
    const oof = await loadOutOfFold(oofFile);
    const all = await evalAll(join(dir, 'all'), undefined, oof);
    expect(all.map((r) => `${r.job.dataset}/${r.part}/${r.job.detector}`)).toEqual([
      'psysuicide/frozen/crisis',
      'psysuicide/cv/crisis',
    ]);
    expect(formatEvalTable(all).split('\n')).toHaveLength(4);
    const lines: string[] = [];
    await evalCommand(['--all', '--dir', join(dir, 'all'), '--oof', oofFile, '--json'], (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0] ?? '') as Record<string, unknown>[];
    expect(parsed).toEqual([
      expect.objectContaining({
        dataset: 'psysuicide',
        part: 'frozen',
        detector: 'crisis',
        n: 3,
        tp: 1,
        met: true,
      }),
      expect.objectContaining({
        dataset: 'psysuicide',
        part: 'cv',
        detector: 'crisis',
        n: 7,
        tp: 3,
        fp: 1,
        met: false,
      }),
    ]);
    expect(parsed[0]).toHaveProperty('p50_us');
    expect(parsed[1]).not.toHaveProperty('p50_us');
  });
});
