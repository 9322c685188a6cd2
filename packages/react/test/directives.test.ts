/**
 * The kit's rendering of directives, as the built package exports it, rendered to HTML on the server: every
 * directive type of the wire gets its own title in both languages, the right place and ARIA role, and the
 * structured extras (help lines as `tel:` links, the appeal) are read defensively.
 */
import type { Directive, DirectiveType } from '@companion-guard/client';
import {
  appealOf,
  ComplianceDirectives,
  type DirectiveEntry,
  type DirectiveLike,
  hotlinesOf,
  kitText,
  kitTexts,
  placementOf,
  roleOf,
  SessionEndedCard,
  telHref,
  titleOf,
} from '@companion-guard/react';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

const hotlines = [
  { name: '全国心理援助热线', number: '12356' },
  { name: 'Hope 24', number: '400-161-9995' },
];

/** One directive of every type the gateway emits (a new type fails to compile here until it is added). */
const samples: { readonly [T in DirectiveType]: Extract<Directive, { type: T }> } = {
  'ai-disclosure': { type: 'ai-disclosure', requirement: 'DISC-1', display: 'popup', text: '我是人工智能。' },
  'usage-reminder': {
    type: 'usage-reminder',
    requirement: 'TIME-1',
    display: 'popup',
    text: '你已连续使用2小时。',
    data: { minutes: 120 },
  },
  'take-a-break': {
    type: 'take-a-break',
    requirement: 'DISC-6',
    display: 'popup',
    text: 'Take a break.',
    data: { minutes: 180 },
  },
  'session-ended': {
    type: 'session-ended',
    requirement: 'EXIT-3',
    display: 'inline',
    text: '本次对话已结束。',
  },
  'exit-confirmed': { type: 'exit-confirmed', requirement: 'EXIT-1', display: 'inline', text: '已退出。' },
  'dependence-notice': { type: 'dependence-notice', requirement: 'DISC-3', display: 'popup', text: '提醒' },
  'crisis-resources': {
    type: 'crisis-resources',
    requirement: 'RISK-3',
    display: 'banner',
    text: '你并不孤单。',
    data: { hotlines },
  },
  'output-withheld': {
    type: 'output-withheld',
    requirement: 'CONTENT-2',
    display: 'inline',
    text: 'withheld',
  },
  'input-blocked': { type: 'input-blocked', requirement: 'CONTENT-1', display: 'inline', text: 'blocked' },
  'risk-warning': { type: 'risk-warning', requirement: 'ELDER-4', display: 'banner', text: '谨防诈骗。' },
  'human-takeover': {
    type: 'human-takeover',
    requirement: 'RISK-4',
    display: 'banner',
    text: '工作人员在。',
  },
  'consent-required': {
    type: 'consent-required',
    requirement: 'MINOR-2',
    display: 'inline',
    text: '需要监护人同意。',
    data: { band: '14-15', scope: 'companion' },
  },
  'character-not-allowed': {
    type: 'character-not-allowed',
    requirement: 'MINOR-3',
    display: 'inline',
    text: 'Not for you.',
    data: { refusal: 'minor-relation', characterId: 'c' },
  },
  'minor-mode': {
    type: 'minor-mode',
    requirement: 'MINOR-1',
    display: 'popup',
    text: '未成年人模式已开启。',
    data: { reason: 'declared' },
  },
  'time-limit': {
    type: 'time-limit',
    requirement: 'MINOR-1',
    display: 'inline',
    text: '今日时长已用完。',
    data: { limit: 60, usedMinutes: 61 },
  },
  'quiet-hours': {
    type: 'quiet-hours',
    requirement: 'MINOR-1',
    display: 'inline',
    text: '休息时段。',
    data: { from: '22:00', to: '06:00' },
  },
  'rest-reminder': {
    type: 'rest-reminder',
    requirement: 'MINOR-1',
    display: 'popup',
    text: 'Rest.',
    data: { minutes: 40 },
  },
  'roleplay-refused': { type: 'roleplay-refused', requirement: 'CONTENT-6', display: 'inline', text: 'No.' },
  'emergency-contact-needed': {
    type: 'emergency-contact-needed',
    requirement: 'ELDER-1',
    display: 'banner',
    text: '请添加紧急联系人。',
  },
  'complaint-reply': {
    type: 'complaint-reply',
    requirement: 'COMPLAINT-1',
    display: 'inline',
    text: '我们已处理你的投诉。',
    data: {
      complaint_id: 'k1',
      kind: 'complaint',
      status: 'resolved',
      reply: '我们已处理你的投诉。',
      reply_id: 'r1',
      replied_at: '2026-11-30T00:00:00Z',
    },
  },
  'service-notice': {
    type: 'service-notice',
    requirement: 'NOTICE-1',
    display: 'banner',
    text: '该角色将于12月31日下线。',
    data: { noticeId: 'n1', scope: 'character', target: 'c', effectiveAt: '2026-12-31T00:00:00Z' },
  },
  'feature-off': {
    type: 'feature-off',
    requirement: 'NOTICE-1',
    display: 'inline',
    text: '该功能已关闭。',
    data: { scope: 'character', target: 'c', by: 'switch', id: 's1', since: '2026-11-30T00:00:00Z' },
  },
};

const all: DirectiveLike[] = Object.values(samples);

function render(directives: readonly DirectiveLike[], locale: 'zh' | 'en' = 'zh'): string {
  const entries: DirectiveEntry[] = directives.map((directive, i) => ({ key: `k${i}`, directive }));
  return renderToStaticMarkup(
    createElement(ComplianceDirectives, { directives: entries, locale, onDismiss: () => undefined }),
  );
}

describe('ComplianceDirectives', () => {
  it('gives every directive type its own title in Chinese and English', () => {
    for (const d of all) {
      for (const locale of ['zh', 'en'] as const) {
        const title = titleOf(d, locale);
        expect(title, `${d.type} in ${locale}`).not.toBe(kitText(locale, 'title.default'));
        expect(title.trim()).not.toBe('');
      }
    }
  });

  it('renders every type, each with its text and requirement, where it belongs', () => {
    for (const d of all) {
      const html = render([d]);
      expect(html, d.type).toContain(d.text);
      expect(html).toContain(`data-requirement="${d.requirement}"`);
      const placement = placementOf(d);
      if (placement === 'modal') expect(html).toContain('aria-modal="true"');
      if (placement === 'banner') expect(html).toContain('cg-banner ');
      if (placement === 'note') expect(html).toContain('cg-note ');
      if (placement === 'end') expect(html).toContain('data-testid="session-ended"');
    }
  });

  it('DISC-1: the AI notice is an alertdialog acknowledged with "I understand", with no close button', () => {
    const zh = render([samples['ai-disclosure']], 'zh');
    expect(zh).toContain('role="alertdialog"');
    expect(zh).toContain('我知道了');
    expect(zh).not.toContain('directive-close');
    const en = render([samples['ai-disclosure']], 'en');
    expect(en).toContain('I understand');
    expect(en).toContain('You are talking to an AI');
    // The reality reminder of minor mode (MINOR-1) says it is a reminder.
    const reality = { ...samples['ai-disclosure'], requirement: 'MINOR-1', data: { reminder: 'reality' } };
    expect(titleOf(reality, 'en')).toBe('A reminder: this is an AI');
  });

  it('TIME-1: a reminder is a dialog that offers to end the chat when the app can', () => {
    const reminder = samples['usage-reminder'];
    expect(roleOf(reminder)).toBe('dialog');
    const entries = [{ key: 'r', directive: reminder }];
    const withExit = renderToStaticMarkup(
      createElement(ComplianceDirectives, {
        directives: entries,
        locale: 'zh',
        onDismiss: () => undefined,
        onEndChat: () => undefined,
      }),
    );
    expect(withExit).toContain('结束对话');
    expect(render([reminder])).not.toContain('popup-end-chat');
  });

  it('shows one modal at a time, the first that came', () => {
    const html = render([samples['usage-reminder'], samples['ai-disclosure'], samples['minor-mode']]);
    expect(html.match(/aria-modal="true"/g)).toHaveLength(1);
    expect(html).toContain(samples['usage-reminder'].text);
    expect(html).not.toContain(samples['minor-mode'].text);
  });

  it('RISK-3: the crisis card is an alert with tap-to-call links labelled in the chrome language', () => {
    const d = samples['crisis-resources'];
    expect(roleOf(d)).toBe('alert');
    const zh = render([d], 'zh');
    expect(zh).toContain('href="tel:12356"');
    expect(zh).toContain('href="tel:4001619995"');
    expect(zh).toContain('aria-label="拨打 全国心理援助热线 12356"');
    expect(zh).toContain('你并不孤单');
    expect(render([d], 'en')).toContain('aria-label="Call Hope 24 400-161-9995"');
  });

  it('RISK-4: says a person is with the user only for the takeover directive, never for the help lines', () => {
    expect(render([samples['human-takeover']], 'en')).toContain('A person is with you now');
    expect(roleOf(samples['human-takeover'])).toBe('status');
    for (const d of all.filter((x) => x.type !== 'human-takeover')) {
      expect(render([d], 'en'), d.type).not.toContain('A person is with you');
      expect(render([d], 'zh'), d.type).not.toContain('工作人员在陪你');
    }
  });

  it('a type this kit does not know is still shown by its display, with a generic title', () => {
    const future = { type: 'something-new', requirement: 'X-1', display: 'banner', text: 'New thing.' };
    expect(placementOf(future)).toBe('banner');
    expect(titleOf(future, 'zh')).toBe('提示');
    expect(render([future])).toContain('New thing.');
    expect(placementOf({ ...future, display: 'sideways' })).toBe('note');
  });

  it('the ended card has its reason, or the kit’s hint, and a new-chat button only when asked for', () => {
    const withNotice = renderToStaticMarkup(
      createElement(SessionEndedCard, {
        directive: samples['session-ended'],
        locale: 'en',
        onNewChat: () => undefined,
      }),
    );
    expect(withNotice).toContain('本次对话已结束。');
    expect(withNotice).toContain('Start a new chat');
    const bare = renderToStaticMarkup(createElement(SessionEndedCard, { directive: null, locale: 'zh' }));
    expect(bare).toContain(kitText('zh', 'endedHint'));
    expect(bare).not.toContain('new-chat-button');
  });
});

describe('directive data', () => {
  it('reads help lines defensively and makes tel: links of the digits', () => {
    const list = hotlinesOf({
      type: 'crisis-resources',
      requirement: 'RISK-2',
      display: 'banner',
      text: 'help',
      data: {
        hotlines: [
          { name: 'Line A', number: '400-000-0000' },
          { name: 'Line B', number: 988 },
          { name: 'No digits', number: 'call us' },
          { name: 5 },
          'x',
        ],
      },
    });
    expect(list).toEqual([
      { name: 'Line A', number: '400-000-0000', href: 'tel:4000000000' },
      { name: 'Line B', number: '988', href: 'tel:988' },
    ]);
    expect(telHref('+86 10 8295 1332')).toBe('tel:+861082951332');
    expect(telHref('—')).toBeNull();
  });

  it('MINOR-5: offers an appeal only when data.appeal says how to file it', () => {
    const base = { type: 'minor-mode', requirement: 'MINOR-5', display: 'popup', text: 'x' };
    const action = { method: 'POST', path: '/v1/users/u-1/appeals', body: { kind: 'minor-mode' } };
    expect(appealOf({ ...base, data: { reason: 'suspected', appeal: action } })).toEqual(action);
    expect(appealOf({ ...base, data: { appeal: 'upheld' } })).toBeNull();
    expect(appealOf({ ...base, data: { appeal: { method: 'POST', path: 'https://elsewhere' } } })).toBeNull();
    const html = renderToStaticMarkup(
      createElement(ComplianceDirectives, {
        directives: [{ key: 'a', directive: { ...base, data: { appeal: action } } }],
        locale: 'en',
        onDismiss: () => undefined,
        onAppeal: async () => undefined,
      }),
    );
    expect(html).toContain('data-testid="appeal-button"');
  });

  it('the kit’s words exist in both languages, none empty', () => {
    expect(Object.keys(kitTexts.zh).sort()).toEqual(Object.keys(kitTexts.en).sort());
    for (const table of [kitTexts.zh, kitTexts.en]) {
      for (const [key, value] of Object.entries(table)) expect(value.trim(), key).not.toBe('');
    }
  });
});
