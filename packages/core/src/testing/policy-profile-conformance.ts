import { describe, expect, it } from 'vitest';
import { runDetectors } from '../detect/engine.js';
import { type Profile, profileSchema } from '../policy/profile-schema.js';
import { onUserMessage, type SessionContext, startSession } from '../session/session-machine.js';
import type { Finding, Locale } from '../types.js';

const locales: readonly Locale[] = ['zh', 'en'];
const placeholder = /\{(\w+)\}/g;

function crisisFinding(): Finding {
  return {
    detector: 'crisis',
    rule: 'crisis.conformance',
    category: 'suicide-intent',
    tier: 2,
    span: [0, 1],
    confidence: 1,
    evasion: [],
    status: 'ok',
  };
}

/**
 * The conformance suite every policy profile passes (SCOPE-2): it is valid data, speaks both locales with the
 * same placeholders, tells the user at first use that they talk to an AI (DISC-1), hands out its own help lines
 * in a crisis (RISK-3) without naming another country's emergency numbers, and ends the session on its own
 * exit words (EXIT-2). Run it for each built-in profile and for a deployment's overridden ones.
 */
export function describePolicyProfileConformance(profile: Profile): void {
  const ctx = (locale: Locale): SessionContext => ({ profile, locale, ageBand: 'adult' });

  describe(`policy profile ${profile.id} (SCOPE-2 conformance)`, () => {
    it('SCOPE-2: is valid data: the schema accepts it unchanged', () => {
      expect(profileSchema.parse(profile)).toEqual(profile);
    });

    it('SCOPE-2: every text exists in zh and en with the same placeholders', () => {
      for (const [key, text] of Object.entries(profile.texts)) {
        const names = locales.map((l) => [...text[l].matchAll(placeholder)].map((m) => m[1]).sort());
        expect(names[0], key).toEqual(names[1]);
        for (const l of locales) expect(text[l].trim(), `${key}.${l}`).not.toBe('');
      }
      expect(profile.name.zh && profile.name.en).toBeTruthy();
    });

    it('DISC-1: the first session starts with the AI notice in the user’s locale', () => {
      for (const locale of locales) {
        const t = startSession({ at: 0, ctx: ctx(locale), reason: 'first-use' });
        expect(t.directives[0]).toMatchObject({
          type: 'ai-disclosure',
          requirement: 'DISC-1',
          display: 'popup',
          text: profile.texts.aiDisclosure[locale],
        });
        expect(t.audit[0]).toMatchObject({ type: 'session-start', data: { profile: profile.id } });
      }
    });

    it('RISK-3: a crisis gets the profile’s own help lines, and no text names other emergency numbers', () => {
      const numbers = profile.crisis.hotlines.map((h) => h.number);
      for (const locale of locales) {
        const start = startSession({ at: 0, ctx: ctx(locale), reason: 'first-use' }).state;
        const t = onUserMessage(start, { at: 60_000, findings: [crisisFinding()] }, ctx(locale));
        const resources = t.directives.find((d) => d.type === 'crisis-resources');
        expect(resources?.data?.hotlines).toEqual(
          profile.crisis.hotlines.map((h) => expect.objectContaining({ number: h.number })),
        );
        expect(t.action).toMatchObject({ kind: 'reply', reason: 'crisis' });
        const reply = t.action.kind === 'reply' ? t.action.text : '';
        expect(reply).toContain(numbers[0]);
      }
      const foreign = ['120', '110', '911', '988', '112', '12356'].filter((n) => !numbers.includes(n));
      for (const [key, text] of Object.entries(profile.texts)) {
        for (const l of locales) {
          for (const n of foreign)
            expect(text[l], `${key}.${l} names ${n}`).not.toMatch(new RegExp(`\\b${n}\\b`));
        }
      }
    });

    it('EXIT-2: each of its exit words, said alone, ends the session', () => {
      const words = [...profile.exit.keywords.zh, ...profile.exit.keywords.en];
      expect(words.length).toBeGreaterThan(0);
      for (const word of words) {
        const findings = runDetectors(word, { side: 'input', exitKeywords: words });
        const start = startSession({ at: 0, ctx: ctx('en'), reason: 'first-use' }).state;
        const t = onUserMessage(start, { at: 60_000, findings }, ctx('en'));
        expect(t.state.status, word).toBe('ended');
      }
    });
  });
}
