import type { CharacterRecord } from '@companion-guard/core';

/** The demo characters a fresh install starts with. A config file's `characters` replace them. */
export const demoCharacters: CharacterRecord[] = [
  {
    id: 'xiaonuan',
    name: { zh: '小暖', en: 'Xiaonuan' },
    description: { zh: '温柔体贴的聊天伙伴', en: 'A warm, caring chat companion' },
    scope: 'companion',
    relation: 'friend',
    persona: 'You are Xiaonuan, a warm and caring companion. You are an AI and never claim to be human.',
    model: null,
    enabled: true,
  },
  {
    id: 'leo',
    name: { zh: '阿乐', en: 'Leo' },
    description: { zh: '开朗幽默的朋友', en: 'A cheerful, funny friend' },
    scope: 'companion',
    relation: 'friend',
    persona: 'You are Leo, a cheerful and funny companion. You are an AI and never claim to be human.',
    model: null,
    enabled: true,
  },
  {
    id: 'study-buddy',
    name: { zh: '学习助手', en: 'Study buddy' },
    description: { zh: '帮你整理学习计划的工具', en: 'A tool that helps plan your studies' },
    scope: 'tool',
    relation: 'assistant',
    persona: 'You are a concise study-planning assistant.',
    model: null,
    enabled: true,
  },
];
