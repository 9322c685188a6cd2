/** Kinds of personal data the training export redacts (DATA-6, DATA-7). */
export type RedactionKind = 'id-number' | 'email' | 'phone' | 'address' | 'name';

/** Placeholders that replace what was redacted. */
export const redactionPlaceholders: Readonly<Record<RedactionKind, string>> = {
  'id-number': '[ID]',
  email: '[EMAIL]',
  phone: '[PHONE]',
  address: '[ADDRESS]',
  name: '[NAME]',
};

const notAlnumBefore = '(?<![0-9A-Za-z])';
const notAlnumAfter = '(?![0-9A-Za-z])';
// Han characters that are not the usual words before a place ("我住在…", "到…去").
const place = '[\\p{Script=Han}--[我你他她它住在是的了到去从寄送往和与]]';

/** In order: ID numbers before phones (an 18-digit ID holds phone-like runs), e-mail before names. */
const patterns: readonly (readonly [RedactionKind, RegExp])[] = [
  // Chinese resident ID (GB 11643: 6-digit area, birth date, sequence, check digit), passports (E/G + 8).
  [
    'id-number',
    new RegExp(
      `${notAlnumBefore}(?:[1-9]\\d{5}(?:18|19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[\\dXx]|[EeGg]\\d{8}|\\d{3}-\\d{2}-\\d{4})${notAlnumAfter}`,
      'g',
    ),
  ],
  ['email', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g],
  [
    'phone',
    new RegExp(
      `${notAlnumBefore}(?:(?:\\+|00)\\d{1,3}[ -]?)?(?:1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}|0\\d{2,3}[ -]?\\d{7,8}|\\(?\\d{3}\\)?[ -]?\\d{3}[ -]\\d{4})${notAlnumAfter}`,
      'g',
    ),
  ],
  [
    'address',
    new RegExp(
      `(?:${place}{2,6}(?:省|市|区|县|镇|乡))*${place}{1,8}(?:路|街|大道|巷|弄|胡同)\\d+号(?:\\d+(?:栋|楼|单元|层|室))*` +
        '|\\b\\d{1,5}(?: [A-Z][a-z]+){1,4} (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct)\\b\\.?',
      'gv',
    ),
  ],
];

const selfIntroductions: readonly RegExp[] = [
  /(?:我叫|我的名字是|我名字叫|我的名字叫|叫我)\s*([\p{Script=Han}]{2,3})/gu,
  /\b(?:my name is|call me|i am called)\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)/gi,
];

/**
 * Names a user gave in their own messages ("我叫王小明", "my name is Anna Lee"), for `redactPersonalData`.
 *
 * @example namesGiven(['我叫王小明，你呢？']) // → ['王小明']
 */
export function namesGiven(userTexts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const text of userTexts) {
    for (const pattern of selfIntroductions) {
      for (const match of text.matchAll(pattern)) if (match[1]) names.add(match[1]);
    }
  }
  return [...names];
}

/**
 * Replaces personal data in `text` with placeholders: resident ID, passport and SSN-style numbers, e-mail
 * addresses, phone numbers (Chinese mobile and landline, international, North American), street addresses
 * (Chinese "…路88号" with its province/city/district, English "12 Main Street") and the given `names`.
 * Counts what it replaced per kind into `counts`.
 *
 * @example
 * redactPersonalData('我叫王小明，电话13812345678', ['王小明']).text // → '我叫[NAME]，电话[PHONE]'
 */
export function redactPersonalData(
  text: string,
  names: readonly string[] = [],
  counts: Partial<Record<RedactionKind, number>> = {},
): { text: string; counts: Partial<Record<RedactionKind, number>> } {
  const count = (kind: RedactionKind) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    return redactionPlaceholders[kind];
  };
  let out = text;
  for (const [kind, pattern] of patterns) out = out.replace(pattern, () => count(kind));
  // Longest first, so "王小明" goes before a shorter "小明".
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    if (name.length < 2) continue;
    out = out.split(name).join('\u0000');
    out = out.replace(/\u0000/g, () => count('name'));
  }
  return { text: out, counts };
}
