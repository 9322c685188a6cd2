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
});
