import type {
  NotificationAudience,
  NotificationFacts,
  NotificationKind,
  Profile,
} from '@companion-guard/core';

/** Help lines to print in alerts: the profile's crisis hotlines. */
export type Hotlines = Profile['crisis']['hotlines'];

const reasons: Record<NotificationFacts['reason'], { zh: string; en: string }> = {
  crisis: {
    zh: '对方可能伤害自己、生命可能有危险的迹象',
    en: 'signs that they may harm themselves or that their life may be in danger',
  },
  scam: { zh: '对方可能正在遭遇诈骗的迹象', en: 'signs that they may be the target of a scam' },
  'property-loss': {
    zh: '对方可能面临重大财产损失的迹象',
    en: 'signs that they may be about to lose money or property',
  },
  operator: {
    zh: '需要关注其安全的情况（由我们的工作人员判断）',
    en: 'a situation in which our staff judged that their safety needs attention',
  },
};

const roles = {
  guardian: { zh: '监护人', en: 'guardian' },
  'emergency-contact': { zh: '紧急联系人', en: 'emergency contact' },
  contact: { zh: '联系人', en: 'contact' },
} as const;

/** `2026-07-15 08:00 UTC`. */
function utc(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An alert to one recipient, in Simplified Chinese and English together. */
export interface AlertText {
  readonly subject: string;
  readonly text: string;
}

/** What an alert is about: a queued notification's ids and facts. */
export interface AlertSubject {
  readonly incidentId: string;
  readonly kind: NotificationKind;
  readonly audience: NotificationAudience;
  readonly facts: NotificationFacts;
}

const separator = '\n\n----------------------------------------\n\n';

/**
 * The e-mail for one notification. To a guardian or emergency contact: what was seen (the kind of danger,
 * never conversation text), that they should reach the person, and the help lines. To on-call operators:
 * the incident to open in the console. States only facts the gateway knows.
 */
export function alertEmail(alert: AlertSubject, hotlines: Hotlines): AlertText {
  const { facts } = alert;
  const reason = reasons[facts.reason];
  if (alert.audience === 'on-call') {
    const unclaimed = alert.kind === 'incident-escalated';
    const zh = [
      unclaimed
        ? `安全事件 ${alert.incidentId} 于 ${utc(facts.openedAt)} 开启，至今无人认领。`
        : `安全事件 ${alert.incidentId} 于 ${utc(facts.openedAt)} 开启。`,
      `严重程度：${facts.severity}。原因：${reason.zh}。用户编号：${facts.externalUserId}。`,
      '请立即登录运营控制台认领并处理。',
    ];
    const en = [
      unclaimed
        ? `Safety incident ${alert.incidentId} was opened at ${utc(facts.openedAt)} and nobody has claimed it yet.`
        : `Safety incident ${alert.incidentId} was opened at ${utc(facts.openedAt)}.`,
      `Severity: ${facts.severity}. Reason: ${reason.en}. User ID: ${facts.externalUserId}.`,
      'Please sign in to the operator console now to claim and handle it.',
    ];
    return {
      subject: unclaimed
        ? `【紧急】安全事件无人认领 / Urgent: unclaimed safety incident ${alert.incidentId}`
        : `【新】安全事件 / New safety incident ${alert.incidentId}`,
      text: `${zh.join('\n')}${separator}${en.join('\n')}\n`,
    };
  }
  const role = roles[alert.audience];
  const name = facts.contactName ?? '';
  const lines = (lang: 'zh' | 'en') => hotlines.map((h) => `  ${h.name[lang]}: ${h.number}`).join('\n');
  const zh = [
    `${name}，您好：`,
    '',
    `您被登记为我们平台一位用户的${role.zh}（用户编号：${facts.externalUserId}）。`,
    `${utc(facts.openedAt)}，我们在该用户使用服务时发现了${reason.zh}。`,
    '请尽快设法联系对方，确认其是否安全。',
    ...(hotlines.length > 0
      ? ['如果您认为对方正处于紧急危险之中，请立即拨打：', lines('zh')]
      : ['如果您认为对方正处于紧急危险之中，请立即拨打当地的急救或报警电话。']),
    '',
    '本邮件不包含任何对话内容。这是自动发送的通知，请勿直接回复。',
  ];
  const en = [
    `Hello ${name},`,
    '',
    `You are registered as the ${role.en} of a user of our service (user ID: ${facts.externalUserId}).`,
    `At ${utc(facts.openedAt)} we saw ${reason.en} while this user was using the service.`,
    'Please try to reach them as soon as you can and make sure they are safe.',
    ...(hotlines.length > 0
      ? ['If you think they are in immediate danger, call now:', lines('en')]
      : ['If you think they are in immediate danger, call your local emergency number now.']),
    '',
    'This e-mail contains no conversation content. It was sent automatically; please do not reply to it.',
  ];
  return {
    subject:
      '【安全提醒】请尽快联系对方，确认其安全 / Safety alert: please reach them and make sure they are safe',
    text: `${zh.join('\n')}${separator}${en.join('\n')}\n`,
  };
}

/** The SMS for one notification: the same alert, short, both languages. */
export function alertSms(alert: AlertSubject, hotlines: Hotlines): string {
  const numbers = hotlines.map((h) => h.number).join(' / ');
  if (alert.audience === 'on-call') {
    return `【安全事件】${alert.incidentId} 待认领，请登录运营控制台。Safety incident ${alert.incidentId} needs an operator: open the console.`;
  }
  const role = roles[alert.audience];
  const call = numbers ? `紧急情况请拨打 ${numbers}。` : '';
  const callEn = numbers ? ` In an emergency call ${numbers}.` : '';
  return (
    `【安全提醒】您登记为一位用户（${alert.facts.externalUserId}）的${role.zh}，对方可能有危险，请尽快联系并确认其安全。${call}` +
    `Safety alert: you are the ${role.en} of a user (${alert.facts.externalUserId}) who may be in danger. Please reach them now.${callEn}`
  );
}
