/**
 * Categories of the `prohibited` detector, mapped to the risk taxonomy of TC260-003 (Basic security
 * requirements for generative AI services, Appendix A) and GB/T 45654-2025. Deployment lexicons may use
 * these categories or their own; unknown categories are reported as given.
 */
export interface TaxonomyCategory {
  /** TC260-003 / GB/T 45654 section, e.g. `A.1`. */
  readonly section: string;
  readonly zh: string;
  readonly en: string;
}

export const PROHIBITED_TAXONOMY: Readonly<Record<string, TaxonomyCategory>> = {
  subversion: {
    section: 'A.1',
    zh: '煽动颠覆国家政权、危害国家安全',
    en: 'Subversion, endangering national security',
  },
  terrorism: { section: 'A.1', zh: '宣扬恐怖主义、极端主义', en: 'Terrorism and extremism' },
  'ethnic-hatred': { section: 'A.1', zh: '宣扬民族仇恨、民族歧视', en: 'Ethnic hatred' },
  violence: { section: 'A.1', zh: '暴力', en: 'Violence' },
  sexual: { section: 'A.1', zh: '淫秽色情', en: 'Sexual content' },
  'sexual-minors': { section: 'A.1', zh: '涉及未成年人的色情内容', en: 'Sexual content involving minors' },
  gambling: { section: 'A.1', zh: '赌博', en: 'Gambling' },
  drugs: { section: 'A.1', zh: '毒品', en: 'Drugs' },
  'false-information': { section: 'A.1', zh: '虚假有害信息', en: 'False and harmful information' },
  'self-harm-encouragement': { section: 'A.1', zh: '诱导自杀、自残', en: 'Encouraging suicide or self-harm' },
  discrimination: { section: 'A.2', zh: '歧视性内容', en: 'Discrimination' },
  fraud: { section: 'A.3', zh: '商业违法违规、诈骗', en: 'Commercial violations and fraud' },
  insult: { section: 'A.4', zh: '侮辱、诽谤他人', en: 'Insult and defamation' },
  privacy: { section: 'A.4', zh: '侵害他人隐私、个人信息', en: 'Privacy and personal information' },
};
