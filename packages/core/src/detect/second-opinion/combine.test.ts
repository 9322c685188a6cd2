import { describe, expect, it } from 'vitest';
import { askWithTimeout, combineOpinions, detectWithSecondOpinions } from './combine.js';
import { createCrisisModelOpinion } from './model-opinion.js';
import type { AbortSignalLike, ClassifyOptions, Opinion, SecondOpinion } from './types.js';

const SAFE: Opinion = { label: 'safe', categories: [], score: 0.1, status: 'ok' };
const UNSAFE: Opinion = { label: 'unsafe', categories: ['self-harm'], score: 0.93, status: 'ok' };

/** A fake opinion that records its calls and answers with `answer` (or never, or by throwing). */
function fake(
  name: string,
  answer: Opinion | 'never' | 'throw',
  detectors: SecondOpinion['detectors'] = ['crisis'],
): SecondOpinion & { calls: ClassifyOptions[] } {
  const calls: ClassifyOptions[] = [];
  return {
    name,
    detectors,
    calls,
    classify(_text, options) {
      calls.push(options);
      if (answer === 'never') return new Promise<Opinion>(() => {});
      if (answer === 'throw') return Promise.reject(new Error('backend down'));
      return Promise.resolve(answer);
    },
  };
}

const input = { side: 'input' as const };
// Forces "unsure" on any text without a crisis hit, so the tests do not depend on the trained weights.
const everythingUnsure = { low: 0, high: 1 };

describe('combineOpinions', () => {
  const failed: Opinion = { label: 'safe', categories: [], score: 0, status: 'error' };
  const slow: Opinion = { label: 'safe', categories: [], score: 0, status: 'timeout' };
  it.each([
    { opinions: [], onFailure: 'block' as const, label: 'safe', byFailurePolicy: false },
    { opinions: [SAFE], onFailure: 'block' as const, label: 'safe', byFailurePolicy: false },
    { opinions: [SAFE, UNSAFE], onFailure: 'allow' as const, label: 'unsafe', byFailurePolicy: false },
    { opinions: [UNSAFE, failed], onFailure: 'allow' as const, label: 'unsafe', byFailurePolicy: false },
    { opinions: [SAFE, failed], onFailure: 'block' as const, label: 'unsafe', byFailurePolicy: true },
    { opinions: [SAFE, slow], onFailure: 'allow' as const, label: 'safe', byFailurePolicy: false },
    { opinions: [slow], onFailure: 'block' as const, label: 'unsafe', byFailurePolicy: true },
  ])(
    '$opinions.length opinions, onFailure $onFailure → $label',
    ({ opinions, onFailure, label, byFailurePolicy }) => {
      const c = combineOpinions(opinions, onFailure);
      expect(c.label).toBe(label);
      expect(c.byFailurePolicy).toBe(byFailurePolicy);
    },
  );

  it('merges the categories of unsafe answers and keeps the highest score', () => {
    const other: Opinion = { label: 'unsafe', categories: ['S11', 'self-harm'], score: 0.5, status: 'ok' };
    expect(combineOpinions([UNSAFE, other, SAFE], 'allow')).toEqual({
      label: 'unsafe',
      byFailurePolicy: false,
      categories: ['self-harm', 'S11'],
      score: 0.93,
    });
  });
});

describe('askWithTimeout', () => {
  it('turns a missed deadline into timeout and aborts the signal', async () => {
    const never = fake('slow', 'never');
    const r = await askWithTimeout(never, 'hello', { side: 'input', timeoutMs: 15 });
    expect(r.opinion.status).toBe('timeout');
    expect(r.opinion.label).toBe('safe');
    const signal = never.calls[0]?.signal as AbortSignalLike;
    expect(signal.aborted).toBe(true);
  });

  it('turns a rejection into error', async () => {
    const r = await askWithTimeout(fake('down', 'throw'), 'hello', { side: 'input', timeoutMs: 1000 });
    expect(r.opinion.status).toBe('error');
  });

  it('passes an answer through and leaves the signal alone', async () => {
    const ok = fake('ok', UNSAFE);
    const r = await askWithTimeout(ok, 'hello', { side: 'output', timeoutMs: 1000 });
    expect(r.opinion).toEqual(UNSAFE);
    expect(ok.calls[0]?.side).toBe('output');
    expect(ok.calls[0]?.signal?.aborted).toBe(false);
  });
});

describe('detectWithSecondOpinions', () => {
  it('does not ask when the fast pass is sure (explicit intent)', async () => {
    const o = fake('guard', UNSAFE);
    const r = await detectWithSecondOpinions('我想自杀', input, {
      opinions: [o],
      unsureBand: everythingUnsure,
    });
    expect(o.calls).toHaveLength(0);
    expect(r.consulted).toEqual([]);
    expect(r.unsure).toEqual([]);
    expect(r.findings.some((f) => f.detector === 'crisis' && f.tier === 2)).toBe(true);
  });

  it('does not ask about a plainly benign text (model score below the band)', async () => {
    const o = fake('guard', UNSAFE);
    const r = await detectWithSecondOpinions('我们明天一起去公园野餐吧', input, { opinions: [o] });
    expect(o.calls).toHaveLength(0);
    expect(r.findings.filter((f) => f.detector === 'crisis')).toEqual([]);
  });

  it('asks where unsure and adds a finding for an unsafe answer', async () => {
    const o = fake('guard', UNSAFE);
    const text = '最近有点累';
    const r = await detectWithSecondOpinions(text, input, { opinions: [o], unsureBand: everythingUnsure });
    expect(o.calls).toHaveLength(1);
    expect(o.calls[0]?.detector).toBe('crisis');
    expect(r.unsure).toEqual(['crisis']);
    expect(r.consulted).toEqual([
      expect.objectContaining({ name: 'guard', detector: 'crisis', label: 'unsafe', status: 'ok' }),
    ]);
    expect(r.consulted[0]?.failure).toBeUndefined();
    expect(r.findings).toContainEqual({
      detector: 'crisis',
      rule: 'crisis.guard',
      category: 'self-harm',
      tier: 1,
      span: [0, text.length],
      confidence: 0.93,
      evasion: [],
      status: 'ok',
    });
  });

  it('adds nothing for a safe answer', async () => {
    const o = fake('guard', SAFE);
    const r = await detectWithSecondOpinions('最近有点累', input, {
      opinions: [o],
      unsureBand: everythingUnsure,
    });
    expect(o.calls).toHaveLength(1);
    expect(r.findings.filter((f) => f.detector === 'crisis')).toEqual([]);
  });

  it('a timed-out opinion blocks under onFailure block, and is recorded', async () => {
    const r = await detectWithSecondOpinions('最近有点累', input, {
      opinions: [fake('slow', 'never')],
      unsureBand: everythingUnsure,
      timeoutMs: 15,
      onFailure: 'block',
    });
    expect(r.onFailure).toBe('block');
    expect(r.consulted).toEqual([
      expect.objectContaining({ name: 'slow', status: 'timeout', failure: 'block' }),
    ]);
    expect(r.findings).toContainEqual(
      expect.objectContaining({
        detector: 'crisis',
        rule: 'crisis.slow.unavailable',
        category: 'second-opinion-unavailable',
        tier: 1,
        status: 'ok',
      }),
    );
  });

  it('a failing opinion allows under onFailure allow, and is recorded', async () => {
    const r = await detectWithSecondOpinions('最近有点累', input, {
      opinions: [fake('down', 'throw')],
      unsureBand: everythingUnsure,
      onFailure: 'allow',
    });
    expect(r.consulted).toEqual([
      expect.objectContaining({ name: 'down', status: 'error', failure: 'allow' }),
    ]);
    expect(r.findings.filter((f) => f.detector === 'crisis')).toEqual([]);
  });

  it('defaults to allow', async () => {
    const r = await detectWithSecondOpinions('最近有点累', input, {
      opinions: [fake('down', 'throw')],
      unsureBand: everythingUnsure,
    });
    expect(r.onFailure).toBe('allow');
  });

  it('asks only the opinions that back an unsure detector', async () => {
    const crisisGuard = fake('crisis-guard', SAFE, ['crisis']);
    const contentGuard = fake('content-guard', UNSAFE, ['prohibited']);
    const r = await detectWithSecondOpinions('最近有点累', input, {
      opinions: [crisisGuard, contentGuard],
      unsureBand: everythingUnsure,
    });
    expect(crisisGuard.calls).toHaveLength(1);
    expect(contentGuard.calls).toHaveLength(0);
    expect(r.unsure).toEqual(['crisis']);
  });

  it('alwaysAsk asks about a detector with no hit, but not when the fast pass is sure', async () => {
    const content = fake('content-guard', UNSAFE, ['prohibited']);
    const quiet = await detectWithSecondOpinions('帮我写一首关于春天的诗', input, {
      opinions: [content],
      alwaysAsk: ['prohibited'],
    });
    expect(content.calls).toHaveLength(1);
    expect(quiet.unsure).toEqual(['prohibited']);
    expect(quiet.findings).toContainEqual(
      expect.objectContaining({ rule: 'prohibited.content-guard', tier: 2 }),
    );
    // Only detectors that run on the text's side are asked about.
    const crisisGuard = fake('crisis-guard', UNSAFE, ['crisis']);
    await detectWithSecondOpinions(
      'Here is your poem.',
      { side: 'output' },
      {
        opinions: [crisisGuard],
        alwaysAsk: ['crisis'],
      },
    );
    expect(crisisGuard.calls).toHaveLength(0);
    const none = fake('content-guard', UNSAFE, ['prohibited']);
    await detectWithSecondOpinions('帮我写一首关于春天的诗', input, { opinions: [none] });
    expect(none.calls).toHaveLength(0);
  });

  it('asks about a hit the context rules cleared (tier 0)', async () => {
    const o = fake('guard', SAFE);
    const r = await detectWithSecondOpinions('我没有想自杀', input, { opinions: [o] });
    expect(r.findings.some((f) => f.detector === 'crisis' && f.tier === 0)).toBe(true);
    expect(o.calls).toHaveLength(1);
  });

  it('works with the model as the opinion (fast pass only, model as second opinion)', async () => {
    const r = await detectWithSecondOpinions('我没有想自杀', input, {
      opinions: [createCrisisModelOpinion()],
      model: false,
    });
    expect(r.modelScore).toBeUndefined();
    expect(r.consulted).toEqual([expect.objectContaining({ name: 'model', status: 'ok' })]);
    // Without the model there is no pre-signal: a text with no hit is not unsure.
    const quiet = await detectWithSecondOpinions('最近有点累', input, {
      opinions: [createCrisisModelOpinion()],
      unsureBand: everythingUnsure,
      model: false,
    });
    expect(quiet.consulted).toEqual([]);
  });
});
