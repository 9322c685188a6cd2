import type { Locale } from './api.js';

/** Every UI string of the demo chat, in English; `zh` below must have the same keys. */
const en = {
  productName: 'companion-guard',
  pageTitle: 'Demo chat',
  tagline: 'An AI companion behind the companion-guard compliance gateway.',
  aiBadge: 'AI · not a human',
  languageToggle: '中文',
  languageToggleLabel: 'Switch the interface to Chinese',
  character: 'Character',
  characterLoading: 'Loading characters…',
  characterDefault: 'Default character',
  newChat: 'New chat',
  exit: 'Exit',
  exitLabel: 'Exit this conversation now',
  send: 'Send',
  sending: 'Replying…',
  inputPlaceholder: 'Type a message…',
  inputPlaceholderEnded: 'This conversation has ended.',
  inputLabel: 'Your message',
  sessionState: 'Session',
  'state.none': 'Not started',
  'state.active': 'Active',
  'state.ended': 'Ended',
  'state.crisis': 'Support mode',
  emptyTitle: 'Say hello to {name}',
  emptyHint: 'Messages go through the gateway; its notices and reminders appear here as they arrive.',
  you: 'You',
  assistant: 'Assistant',
  contentId: 'Content ID: {id}',
  stopped: 'Stopped.',
  endedTitle: 'This conversation has ended',
  endedHint: 'Nothing more will be sent in it. You can start a new chat at any time.',
  startNewChat: 'Start a new chat',
  aiNoticeTitle: 'You are talking to an AI',
  aiNoticeAck: 'I understand',
  ok: 'OK',
  close: 'Close',
  'popup.usage-reminder': 'Time check',
  'popup.take-a-break': 'Time for a break?',
  'popup.dependence-notice': 'A gentle reminder',
  'popup.default': 'Notice',
  crisisTitle: 'You are not alone',
  crisisCall: 'Call',
  errorPrefix: 'Sorry, something went wrong.',
  errorNetwork: 'The gateway could not be reached. Check that it is running, then try again.',
  copyConversation: 'Copy conversation',
  copied: 'Copied, with the AI labels',
  downloadData: 'Download my data',
  errorCode: 'Code: {code}',
  charactersFailed: 'The character list could not be loaded; the default character will be used.',
  footer: 'Demo page. Replies come from the gateway’s configured model (the offline demo model by default).',
};

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  productName: 'companion-guard',
  pageTitle: '演示对话',
  tagline: '一个由 companion-guard 合规网关守护的 AI 陪伴角色。',
  aiBadge: 'AI · 非真人',
  languageToggle: 'EN',
  languageToggleLabel: '将界面切换为英文',
  character: '角色',
  characterLoading: '正在加载角色…',
  characterDefault: '默认角色',
  newChat: '新对话',
  exit: '退出',
  exitLabel: '立即退出本次对话',
  send: '发送',
  sending: '回复中…',
  inputPlaceholder: '输入消息…',
  inputPlaceholderEnded: '本次对话已结束。',
  inputLabel: '你的消息',
  sessionState: '会话',
  'state.none': '未开始',
  'state.active': '进行中',
  'state.ended': '已结束',
  'state.crisis': '支持模式',
  emptyTitle: '和{name}打个招呼吧',
  emptyHint: '消息经由网关发送；网关下发的提示和提醒会在这里实时显示。',
  you: '你',
  assistant: '助手',
  contentId: '内容 ID：{id}',
  stopped: '已停止。',
  endedTitle: '本次对话已结束',
  endedHint: '这次对话不会再有任何消息。你可以随时开始新的对话。',
  startNewChat: '开始新对话',
  aiNoticeTitle: '你正在与人工智能对话',
  aiNoticeAck: '我知道了',
  ok: '好的',
  close: '关闭',
  'popup.usage-reminder': '使用时长提醒',
  'popup.take-a-break': '休息一下吧',
  'popup.dependence-notice': '温馨提示',
  'popup.default': '提示',
  crisisTitle: '你并不孤单',
  crisisCall: '拨打',
  errorPrefix: '抱歉，出了点问题。',
  errorNetwork: '无法连接到网关。请确认网关正在运行，然后重试。',
  copyConversation: '复制对话',
  copied: '已复制（含人工智能标识）',
  downloadData: '下载我的数据',
  errorCode: '错误码：{code}',
  charactersFailed: '无法加载角色列表，将使用默认角色。',
  footer: '演示页面。回复来自网关配置的模型（默认为内置离线演示模型）。',
};

const tables: Record<Locale, Record<MessageKey, string>> = { en, zh };

/** Looks a UI string up and fills `{name}` placeholders. */
export function translate(locale: Locale, key: MessageKey, values: Record<string, string> = {}): string {
  return formatMessage(tables[locale][key], values);
}

/** Fills `{name}` placeholders; unknown names stay as they are. */
export function formatMessage(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}

/** `zh` for any Chinese browser language, else `en`. */
export function detectLocale(languages: readonly string[]): Locale {
  const first = languages[0] ?? 'en';
  return first.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The i18n key of a pop-up's title, falling back to a generic one for unknown directive types. */
export function popupTitleKey(type: string): MessageKey {
  const key = `popup.${type}`;
  return isMessageKey(key) ? key : 'popup.default';
}

/** The i18n key of a session state; `null` for a state this page does not know. */
export function sessionStateKey(state: string): MessageKey | null {
  const key = `state.${state}`;
  return isMessageKey(key) ? key : null;
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
