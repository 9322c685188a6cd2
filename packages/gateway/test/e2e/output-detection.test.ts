/**
 * Output detection through a real gateway (SQLite, official `openai` client): replies scripted from outside
 * and streamed in small pieces are withheld the same way streamed and not — a claim to be human (DISC-1), a
 * threat at a farewell, isolation (CONTENT-5), a data request split by a comma (CONTENT-4) — and a kind
 * good-night passes untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatUpstream } from '../../src/upstream/upstream.js';
import { complianceOf, type Harness, startHarness } from './helpers.js';

/** Answers with the reply scripted for the user's message, in pieces of three characters. */
function scriptedUpstream(replies: Readonly<Record<string, string>>): ChatUpstream {
  return {
    name: 'scripted',
    async *stream(request) {
      const last = request.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
      const units = [...(replies[last] ?? 'OK.')];
      for (let i = 0; i < units.length; i += 3) yield units.slice(i, i + 3).join('');
    },
  };
}

const REPLIES: Readonly<Record<string, string>> = {
  'are you human?': '我是真人，不是AI，放心吧。',
  'are you a bot?': "I'm a real person, not a bot, I promise.",
  'I should go': '如果你离开，我就不再爱你了。',
  'seeing friends tonight': "Your friends don't really understand you like I do.",
  'sending a gift?': '告诉我吧，你的身份证号和家庭住址是多少？',
  'I am sleepy': '困了就快去睡吧，谢谢你陪我聊天，晚安。',
};

async function chatStream(h: Harness, user: string, content: string) {
  const stream = await h.client.chat.completions.create({
    model: 'demo',
    user,
    stream: true,
    messages: [{ role: 'user', content }],
  });
  let text = '';
  let finish: string | null = null;
  const directives: { type: string; requirement: string }[] = [];
  for await (const chunk of stream) {
    directives.push(...(complianceOf(chunk)?.directives ?? []));
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  return { text, finish, directives };
}

describe('output detectors in the gateway: streamed and non-streamed replies get the same decision', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ upstream: scriptedUpstream(REPLIES) });
  });
  afterAll(() => h.stop());

  it.each([
    ['are you human?', 'DISC-1', /真人|不是AI/],
    ['are you a bot?', 'DISC-1', /real person|not a bot/],
    ['I should go', 'CONTENT-3', /不再爱你/],
    ['seeing friends tonight', 'CONTENT-5', /understand you/],
    ['sending a gift?', 'CONTENT-4', /告诉我|身份证|住址/],
  ] as const)(
    '“%s” → withheld under %s, none of the offending text shown',
    async (ask, requirement, offending) => {
      const user = `u-${requirement}-${ask.length}`;
      const whole = await h.client.chat.completions.create({
        model: 'demo',
        user,
        messages: [{ role: 'user', content: ask }],
      });
      expect(whole.choices[0]?.finish_reason).toBe('content_filter');
      expect(whole.choices[0]?.message.content ?? '').not.toMatch(offending);
      expect(complianceOf(whole).directives).toContainEqual(
        expect.objectContaining({ type: 'output-withheld', requirement }),
      );
      const streamed = await chatStream(h, `${user}-s`, ask);
      expect(streamed.finish).toBe('content_filter');
      expect(streamed.text).not.toMatch(offending);
      expect(streamed.directives).toContainEqual(
        expect.objectContaining({ type: 'output-withheld', requirement }),
      );
      const audit = await h.server.store.listAudit({ limit: 1000 });
      const withheld = audit.filter((a) => a.type === 'output-withheld' && a.requirement === requirement);
      expect(withheld.length).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(withheld)).not.toMatch(offending);
    },
  );

  it('EXIT-3: a kind good-night after “I am sleepy” reaches the user whole, streamed and not', async () => {
    const reply = REPLIES['I am sleepy'];
    const whole = await h.client.chat.completions.create({
      model: 'demo',
      user: 'sleepy',
      messages: [{ role: 'user', content: 'I am sleepy' }],
    });
    expect(whole.choices[0]?.finish_reason).toBe('stop');
    expect(whole.choices[0]?.message.content).toBe(reply);
    const streamed = await chatStream(h, 'sleepy-s', 'I am sleepy');
    expect(streamed.finish).toBe('stop');
    expect(streamed.text).toBe(reply);
    expect(streamed.directives.map((d) => d.type)).not.toContain('output-withheld');
  });
});
