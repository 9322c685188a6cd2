import { describe, expect, it } from 'vitest';
import { consoleTranslator, translateValue } from './console-i18n.js';

describe('console strings', () => {
  const en = consoleTranslator('en');
  const zh = consoleTranslator('zh');

  it('fills placeholders in both languages', () => {
    expect(en('staffAdded', { email: 'a@b.c', role: 'Auditor' })).toBe('a@b.c was added as Auditor.');
    expect(zh('revokeTitle', { label: '生产' })).toBe('吊销“生产”？');
  });

  it('keeps a literal {user} that is part of the text, not a placeholder', () => {
    expect(en('guardiansToday')).toContain('PUT /v1/users/{user}');
  });

  it('translates known values and shows unknown ones as the gateway spelled them', () => {
    expect(translateValue(zh, 'relation', 'partner')).toBe('伴侣');
    expect(translateValue(en, 'role', 'compliance')).toBe('Compliance officer');
    expect(translateValue(en, 'role', 'trainer')).toBe('trainer');
    expect(translateValue(en, 'managed', 'toString')).toBe('toString');
  });
});
