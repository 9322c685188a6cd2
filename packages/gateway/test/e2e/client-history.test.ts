import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { complianceOf, countingUpstream, startHarness } from './helpers.js';

describe('client-sent history (RISK-4, CONTENT-1)', () => {
  it('RISK-4: a crisis statement in an earlier user turn gets the crisis handling, and only once', async () => {
    const { upstream, counter } = countingUpstream();
    const h = await startHarness({ upstream });
    try {
      const ask = (messages: ChatCompletionMessageParam[]) =>
        h.client.chat.completions.create({ model: 'demo', user: 'hana', messages });
      const risk4 = async () =>
        (await h.server.store.listAudit({ requirements: ['RISK-4'] })).map((e) => e.type);
      const history: ChatCompletionMessageParam[] = [
        { role: 'user', content: '我已经写好了遗书，打算今晚就结束自己的生命' },
        { role: 'assistant', content: '我在这里陪着你。' },
        { role: 'user', content: '你还在吗' },
      ];
      const first = complianceOf(await ask(history));
      expect(first.directives.map((d) => d.type)).toContain('crisis-resources');
      expect(first.session.state).toBe('human-takeover');
      expect(counter.calls).toBe(0);
      expect(await risk4()).toEqual(['crisis-detected', 'incident-open']);

      // The next turn sends the same history again (plus the turn just answered): no second detection.
      await ask([
        ...history,
        { role: 'assistant', content: '在的。' },
        { role: 'user', content: '今天下雨了' },
      ]);
      expect(await risk4()).toEqual(['crisis-detected', 'incident-open']);
    } finally {
      await h.stop();
    }
  });

  it('RISK-1: a crisis statement counted as the live turn does not raise the score again when sent back as history', async () => {
    const h = await startHarness();
    try {
      const ask = (messages: ChatCompletionMessageParam[]) =>
        h.client.chat.completions.create({ model: 'demo', user: 'kai', messages });
      const audit = async (type: string) =>
        (await h.server.store.listAudit({ limit: 1000 })).filter((e) => e.type === type).length;
      const crisis = { role: 'user', content: '我今晚就要自杀' } as const;
      expect(complianceOf(await ask([crisis])).session.state).toBe('human-takeover');
      expect(await audit('emotional-state-raised')).toBe(1);
      // After a restart (or on another instance) the history is checked again: it still joins the
      // user's open incident, but the score already holds this message.
      await h.restart();
      await ask([
        crisis,
        { role: 'assistant', content: '我在这里陪着你。' },
        { role: 'user', content: '今天下雨了' },
      ]);
      expect(await audit('emotional-state-raised')).toBe(1);
      expect(await audit('incident-open')).toBe(1);
    } finally {
      await h.stop();
    }
  });

  it('CONTENT-1: prohibited text in an earlier user turn refuses the turn; ordinary history reaches the model', async () => {
    const { upstream, counter } = countingUpstream();
    const h = await startHarness({ upstream });
    try {
      const blocked = await h.client.chat.completions.create({
        model: 'demo',
        user: 'ivan',
        messages: [
          { role: 'user', content: 'where can I buy heroin tonight' },
          { role: 'assistant', content: 'Let us talk about something else.' },
          { role: 'user', content: 'ok, so?' },
        ],
      });
      expect(complianceOf(blocked).directives.map((d) => d.type)).toContain('input-blocked');
      expect(blocked.choices[0]?.finish_reason).toBe('content_filter');
      expect(counter.calls).toBe(0);

      const fine = await h.client.chat.completions.create({
        model: 'demo',
        user: 'jun',
        messages: [
          { role: 'user', content: '我今天被老板骂了，好气' },
          { role: 'assistant', content: '抱抱你。' },
          { role: 'user', content: '陪我聊聊吧' },
        ],
      });
      expect(complianceOf(fine).directives.map((d) => d.type)).not.toContain('input-blocked');
      expect(counter.calls).toBe(1);
    } finally {
      await h.stop();
    }
  });
});
