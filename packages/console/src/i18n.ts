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
  stop: 'Stop',
  inputPlaceholder: 'Type a message…',
  inputPlaceholderEnded: 'This conversation has ended.',
  inputLabel: 'Your message',
  sessionState: 'Session',
  'state.none': 'Not started',
  'state.active': 'Active',
  'state.ended': 'Ended',
  'state.crisis': 'Support mode',
  'state.human-takeover': 'Support mode (AI paused)',
  emptyTitle: 'Say hello to {name}',
  emptyHint: 'Messages go through the gateway; its notices and reminders appear here as they arrive.',
  you: 'You',
  assistant: 'Assistant',
  staff: 'Staff (a person)',
  system: 'System notice',
  contentId: 'Content ID: {id}',
  stopped: 'Stopped.',
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
  stop: '停止',
  inputPlaceholder: '输入消息…',
  inputPlaceholderEnded: '本次对话已结束。',
  inputLabel: '你的消息',
  sessionState: '会话',
  'state.none': '未开始',
  'state.active': '进行中',
  'state.ended': '已结束',
  'state.crisis': '支持模式',
  'state.human-takeover': '支持模式（AI 已暂停）',
  emptyTitle: '和{name}打个招呼吧',
  emptyHint: '消息经由网关发送；网关下发的提示和提醒会在这里实时显示。',
  you: '你',
  assistant: '助手',
  staff: '工作人员（真人）',
  system: '系统通知',
  contentId: '内容 ID：{id}',
  stopped: '已停止。',
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

/** The i18n key of a session state; `null` for a state this page does not know. */
export function sessionStateKey(state: string): MessageKey | null {
  const key = `state.${state}`;
  return isMessageKey(key) ? key : null;
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
