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

/**
 * The consent request: a link that confirms, and where the console is (signing in there takes a code the
 * guardian asks for on that page; a consent request never carries or spends a sign-in code).
 */
export function consentRequestMessage(input: {
  readonly user: string;
  readonly link: string;
  readonly consoleUrl: string;
  readonly linkHours: number;
}): GuardianMessage {
  const { user, link, consoleUrl, linkHours } = input;
  return {
    subject: '请确认监护人同意 / Please confirm your consent as guardian',
    text:
      `您被登记为用户 ${user} 的监护人。该用户处于未成年人模式，在您同意之前，本服务不会为其提供需要监护人同意的对话（如 AI 陪伴角色）。\n` +
      `同意请打开此链接（${linkHours} 小时内有效，仅可使用一次）：${link}\n` +
      `您也可以在监护人控制台 ${consoleUrl} 用此联系方式获取验证码登录，在那里确认、设置限制或随时撤回同意。\n` +
      '如您不认识该用户，请忽略本消息。\n\n' +
      `You are registered as the guardian of user ${user}, who is in minor mode. Until you consent, the service ` +
      "does not offer them what needs a guardian's consent (such as AI companion characters).\n" +
      `To consent, open this link (valid once, for ${linkHours} hours): ${link}\n` +
      `You can also sign in to the guardian console at ${consoleUrl} with a code sent to this contact, and ` +
      'consent there, set limits, or revoke the consent at any time.\n' +
      'If you do not know this user, ignore this message.',
  };
}
