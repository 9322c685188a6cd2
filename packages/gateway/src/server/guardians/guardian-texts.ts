/** The messages guardians receive (MINOR-2, MINOR-4): Simplified Chinese and English in one message. */

/** A message to a guardian's e-mail (subject and text) or phone (text only). */
export interface GuardianMessage {
  readonly subject: string;
  readonly text: string;
}

/** The sign-in code. */
export function signInCodeMessage(code: string, minutes: number): GuardianMessage {
  return {
    subject: '监护人登录验证码 / Guardian sign-in code',
    text:
      `您的监护人登录验证码：${code}，${minutes} 分钟内有效，仅可使用一次。如非本人操作，请忽略本消息。\n\n` +
      `Your guardian sign-in code: ${code}. It works once, for ${minutes} minutes. ` +
      'If you did not ask for it, ignore this message.',
  };
}

/** The consent request: a link that confirms, and a code that signs in to the guardian console. */
export function consentRequestMessage(input: {
  readonly user: string;
  readonly link: string;
  readonly code: string;
  readonly codeMinutes: number;
  readonly linkHours: number;
}): GuardianMessage {
  const { user, link, code, codeMinutes, linkHours } = input;
  return {
    subject: '请确认监护人同意 / Please confirm your consent as guardian',
    text:
      `您被登记为用户 ${user} 的监护人。该用户是未成年人，在您同意之前，AI 陪伴服务不会为其提供回复。\n` +
      `同意请打开此链接（${linkHours} 小时内有效）：${link}\n` +
      `或在监护人控制台用验证码 ${code} 登录后确认（${codeMinutes} 分钟内有效）。您可随时在控制台撤回同意。\n` +
      '如您不认识该用户，请忽略本消息。\n\n' +
      `You are registered as the guardian of user ${user}, a minor. The AI companion service does not reply ` +
      'to them until you consent.\n' +
      `To consent, open this link (valid for ${linkHours} hours): ${link}\n` +
      `or sign in to the guardian console with the code ${code} (valid for ${codeMinutes} minutes) and ` +
      'confirm there. You can revoke the consent in the console at any time.\n' +
      'If you do not know this user, ignore this message.',
  };
}
