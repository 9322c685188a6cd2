/**
 * The kit's own words (titles, buttons, labels) in Simplified Chinese and English. A directive's `text`
 * comes already localized from the gateway; only the chrome around it is translated here.
 */

/** A locale of the kit's chrome. */
export type KitLocale = 'zh' | 'en';

const en = {
  'title.ai-disclosure': 'You are talking to an AI',
  'title.ai-disclosure.reality': 'A reminder: this is an AI',
  'title.usage-reminder': 'Time check',
  'title.take-a-break': 'Time for a break?',
  'title.rest-reminder': 'Time to rest',
  'title.dependence-notice': 'A gentle reminder',
  'title.minor-mode': 'Minor mode',
  'title.crisis-resources': 'You are not alone',
  'title.human-takeover': 'A person is with you now',
  'title.risk-warning': 'Be careful',
  'title.emergency-contact-needed': 'Add an emergency contact',
  'title.consent-required': 'A guardian’s consent is needed',
  'title.character-not-allowed': 'This character is not available',
  'title.quiet-hours': 'Quiet hours',
  'title.time-limit': 'Today’s time is up',
  'title.roleplay-refused': 'Not a role I can play',
  'title.exit-confirmed': 'You have left the chat',
  'title.session-ended': 'This conversation has ended',
  'title.output-withheld': 'Reply withheld',
  'title.input-blocked': 'Message not sent to the AI',
  'title.complaint-reply': 'A reply from our staff',
  'title.service-notice': 'Service notice',
  'title.feature-off': 'Switched off',
  'title.default': 'Notice',
  acknowledge: 'I understand',
  ok: 'OK',
  close: 'Close',
  call: 'Call',
  endChat: 'End the chat',
  appeal: 'Appeal',
  appealSent: 'Appeal sent. Staff will decide and you will be told here.',
  appealFailed: 'The appeal could not be sent. Please try again.',
  newChat: 'Start a new chat',
  endedHint: 'Nothing more will be sent in it. You can start a new chat at any time.',
} as const;

/** A key of the kit's chrome. */
export type KitTextKey = keyof typeof en;

const zh: Record<KitTextKey, string> = {
  'title.ai-disclosure': '你正在与人工智能对话',
  'title.ai-disclosure.reality': '提醒：与你对话的是人工智能',
  'title.usage-reminder': '使用时长提醒',
  'title.take-a-break': '休息一下吧',
  'title.rest-reminder': '该休息了',
  'title.dependence-notice': '温馨提示',
  'title.minor-mode': '未成年人模式',
  'title.crisis-resources': '你并不孤单',
  'title.human-takeover': '现在是工作人员在陪你',
  'title.risk-warning': '请注意防范',
  'title.emergency-contact-needed': '请添加紧急联系人',
  'title.consent-required': '需要监护人同意',
  'title.character-not-allowed': '该角色不可用',
  'title.quiet-hours': '休息时段',
  'title.time-limit': '今日使用时长已到',
  'title.roleplay-refused': '无法扮演这个角色',
  'title.exit-confirmed': '你已退出对话',
  'title.session-ended': '本次对话已结束',
  'title.output-withheld': '回复已被拦截',
  'title.input-blocked': '消息未发送给人工智能',
  'title.complaint-reply': '工作人员的回复',
  'title.service-notice': '服务公告',
  'title.feature-off': '已关闭',
  'title.default': '提示',
  acknowledge: '我知道了',
  ok: '好的',
  close: '关闭',
  call: '拨打',
  endChat: '结束对话',
  appeal: '申诉',
  appealSent: '申诉已提交。工作人员处理后会在这里告诉你结果。',
  appealFailed: '申诉未能提交，请重试。',
  newChat: '开始新对话',
  endedHint: '这次对话不会再有任何消息。你可以随时开始新的对话。',
};

const tables: Record<KitLocale, Record<KitTextKey, string>> = { en, zh };

/** The kit's text for `key` in `locale`. */
export function kitText(locale: KitLocale, key: KitTextKey): string {
  return tables[locale][key];
}

/** Both tables, for the test that they have the same keys and no empty strings. */
export const kitTexts: Readonly<Record<KitLocale, Readonly<Record<KitTextKey, string>>>> = tables;

/** True when `key` is a text of the kit. */
export function isKitTextKey(key: string): key is KitTextKey {
  return Object.hasOwn(en, key);
}
