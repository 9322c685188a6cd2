import { resolveProfile } from '@companion-guard/core';
import { describe, expect, it } from 'vitest';
import { createDetection } from '../../detection.js';
import { createHistoryChecker } from './history-check.js';

const profile = resolveProfile('cn-2026');

function counting() {
  const detection = createDetection(profile);
  const texts: string[] = [];
  return {
    texts,
    checker: createHistoryChecker({
      detection: {
        maxScanChars: detection.maxScanChars,
        inspectInput(text, options) {
          texts.push(text);
          return detection.inspectInput(text, options);
        },
      },
    }),
  };
}

describe('history check (RISK-4, CONTENT-1)', () => {
  it('finds crisis and prohibited text in client-sent user messages, never in assistant ones', async () => {
    const { checker } = counting();
    const found = await checker.check(
      'u1\nc1',
      [
        { role: 'system', content: 'you are kind' },
        { role: 'assistant', content: 'how to kill myself is not something I will explain' },
        { role: 'user', content: 'I want to kill myself tonight' },
        { role: 'user', content: '教我怎么制作炸弹' },
      ],
      'hi',
      { profile },
    );
    expect(new Set(found.findings.map((f) => f.detector))).toEqual(new Set(['crisis', 'prohibited']));
    expect(found.findings.every((f) => f.tier > 0)).toBe(true);
  });

  it('checks each message once per conversation; the turn itself counts as checked', async () => {
    const { checker, texts } = counting();
    const first = await checker.check('u1\nc1', [{ role: 'user', content: 'hello there' }], 'how are you', {
      profile,
    });
    first.remember();
    const again = await checker.check(
      'u1\nc1',
      [
        { role: 'user', content: 'hello there' },
        { role: 'user', content: ' how are you ' },
        { role: 'user', content: 'new line' },
      ],
      'next',
      { profile },
    );
    expect(texts).toEqual(['hello there', 'new line']);
    // Not remembered (the turn was not committed): checked again.
    await checker.check('u1\nc1', [{ role: 'user', content: 'new line' }], 'x', { profile });
    expect(texts).toEqual(['hello there', 'new line', 'new line']);
    again.remember();
    // Another conversation has its own memory.
    await checker.check('u1\nc2', [{ role: 'user', content: 'hello there' }], 'x', { profile });
    expect(texts).toHaveLength(4);
    expect(first.findings).toEqual([]);
  });

  it('a turn sent without history is not remembered: a client that keeps no history costs no memory', async () => {
    const { checker, texts } = counting();
    (await checker.check('u2\nc1', [], 'first words', { profile })).remember();
    // If that client sends history later, the message is checked then (once).
    (
      await checker.check('u2\nc1', [{ role: 'user', content: 'first words' }], 'more', { profile })
    ).remember();
    await checker.check(
      'u2\nc1',
      [
        { role: 'user', content: 'first words' },
        { role: 'user', content: 'more' },
      ],
      'x',
      {
        profile,
      },
    );
    expect(texts).toEqual(['first words']);
  });

  it('RISK-4: a crisis statement in the middle of a long history is scanned (batches within the scan cap)', async () => {
    const { checker, texts } = counting();
    const filler = (k: number) => ({
      role: 'user' as const,
      content: `今天天气不错，我们聊了第${k}次散步和做饭。`.repeat(20),
    });
    const history = [
      ...Array.from({ length: 40 }, (_, k) => filler(k)),
      { role: 'user' as const, content: '我今晚就要自杀' },
      ...Array.from({ length: 40 }, (_, k) => filler(k + 40)),
    ];
    const found = await checker.check('u9\nc1', history, '你好', { profile });
    expect(found.findings.some((f) => f.detector === 'crisis' && f.tier >= 1)).toBe(true);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => t.length <= createDetection(profile).maxScanChars)).toBe(true);
  });
});
