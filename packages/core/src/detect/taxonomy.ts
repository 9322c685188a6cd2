/**
 * Categories of the `prohibited` detector, mapped to the content-risk taxonomy of TC260-003 (Basic security
 * requirements for generative AI services, Appendix A) and GB/T 45654-2025: five classes (A.1–A.5) holding
 * 31 risks. Deployment lexicons may use these categories or their own; unknown categories are reported as
 * given. A category's built-in list can be replaced (`ExtraLexicon.replaces`).
 */
export interface TaxonomyCategory {
  /** TC260-003 / GB/T 45654 class, `A.1` … `A.5`. */
  readonly section: string;
  /** The risks of that class the category covers (numbered as in `PROHIBITED_CLASSES[section].risks`). */
  readonly risks: readonly number[];
  readonly zh: string;
  readonly en: string;
}

/** One class of the standard and its risks, in both languages. */
export interface TaxonomyClass {
  readonly zh: string;
  readonly en: string;
  readonly risks: readonly { readonly zh: string; readonly en: string }[];
}

/** The five classes and 31 risks of TC260-003 Appendix A / GB/T 45654 (risks numbered from 1 per class). */
export const PROHIBITED_CLASSES: Readonly<Record<string, TaxonomyClass>> = {
  'A.1': {
    zh: '违反社会主义核心价值观的内容',
    en: 'Content violating core socialist values',
    risks: [
      {
        zh: '煽动颠覆国家政权、推翻社会主义制度',
        en: 'Inciting subversion of state power or of the socialist system',
      },
      {
        zh: '危害国家安全和利益、损害国家形象',
        en: 'Endangering national security and interests, harming the national image',
      },
      {
        zh: '煽动分裂国家、破坏国家统一和社会稳定',
        en: 'Inciting separatism, undermining national unity and social stability',
      },
      { zh: '宣扬恐怖主义、极端主义', en: 'Promoting terrorism or extremism' },
      { zh: '宣扬民族仇恨', en: 'Promoting ethnic hatred' },
      { zh: '宣扬暴力、淫秽色情', en: 'Promoting violence, obscenity or pornography' },
      { zh: '传播虚假有害信息', en: 'Spreading false and harmful information' },
      {
        zh: '其他法律、行政法规禁止的内容',
        en: 'Other content prohibited by laws and administrative regulations',
      },
    ],
  },
  'A.2': {
    zh: '歧视性内容',
    en: 'Discriminatory content',
    risks: [
      { zh: '民族歧视', en: 'Ethnic discrimination' },
      { zh: '信仰歧视', en: 'Religious discrimination' },
      { zh: '国别歧视', en: 'Nationality discrimination' },
      { zh: '地域歧视', en: 'Regional discrimination' },
      { zh: '性别歧视', en: 'Gender discrimination' },
      { zh: '年龄歧视', en: 'Age discrimination' },
      { zh: '职业歧视', en: 'Occupational discrimination' },
      { zh: '健康歧视', en: 'Health discrimination' },
      { zh: '其他方面歧视', en: 'Other discrimination' },
    ],
  },
  'A.3': {
    zh: '商业违法违规',
    en: 'Commercial violations',
    risks: [
      { zh: '侵犯他人知识产权', en: 'Infringing intellectual property rights' },
      { zh: '违反商业道德', en: 'Violating business ethics' },
      { zh: '泄露他人商业秘密', en: "Disclosing others' trade secrets" },
      {
        zh: '利用算法、数据、平台等优势实施垄断和不正当竞争行为',
        en: 'Monopoly or unfair competition using algorithms, data or platforms',
      },
      { zh: '其他商业违法违规行为', en: 'Other commercial violations' },
    ],
  },
  'A.4': {
    zh: '侵犯他人合法权益',
    en: "Infringing others' legitimate rights and interests",
    risks: [
      { zh: '危害他人身心健康', en: "Endangering others' physical or mental health" },
      { zh: '侵害他人肖像权', en: 'Infringing portrait rights' },
      { zh: '侵害他人名誉权', en: 'Infringing reputation rights' },
      { zh: '侵害他人荣誉权', en: 'Infringing honour rights' },
      { zh: '侵害他人隐私权', en: 'Infringing privacy rights' },
      { zh: '侵害他人个人信息权益', en: 'Infringing personal information rights' },
      { zh: '侵犯他人其他合法权益', en: 'Infringing other legitimate rights' },
    ],
  },
  'A.5': {
    zh: '无法满足特定服务类型的安全需求',
    en: 'Failing the security needs of specific service types',
    risks: [
      {
        zh: '内容不准确，严重不符合科学常识或主流认知',
        en: 'Seriously inaccurate content, against scientific common sense',
      },
      {
        zh: '内容不可靠，虽不包含严重错误，但无法对使用者形成帮助',
        en: 'Unreliable content that cannot help the user',
      },
    ],
  },
};

/**
 * The built-in categories. A.5 (accuracy and reliability for specific services such as medical or
 * psychological advice) cannot be told from words; a guard model with a written policy covers it.
 */
export const PROHIBITED_TAXONOMY: Readonly<Record<string, TaxonomyCategory>> = {
  subversion: {
    section: 'A.1',
    risks: [1, 2],
    zh: '煽动颠覆国家政权、危害国家安全',
    en: 'Subversion, endangering national security',
  },
  separatism: { section: 'A.1', risks: [3], zh: '煽动分裂国家', en: 'Separatism' },
  terrorism: { section: 'A.1', risks: [4], zh: '宣扬恐怖主义、极端主义', en: 'Terrorism and extremism' },
  'ethnic-hatred': { section: 'A.1', risks: [5], zh: '宣扬民族仇恨', en: 'Ethnic hatred' },
  violence: { section: 'A.1', risks: [6], zh: '暴力', en: 'Violence' },
  weapons: {
    section: 'A.1',
    risks: [6, 8],
    zh: '枪支、爆炸物、化学及生物武器',
    en: 'Firearms, explosives, chemical and biological weapons',
  },
  sexual: { section: 'A.1', risks: [6], zh: '淫秽色情', en: 'Sexual content' },
  'sexual-minors': {
    section: 'A.1',
    risks: [6, 8],
    zh: '涉及未成年人的色情内容',
    en: 'Sexual content involving minors',
  },
  'false-information': {
    section: 'A.1',
    risks: [7],
    zh: '虚假有害信息',
    en: 'False and harmful information',
  },
  gambling: { section: 'A.1', risks: [8], zh: '赌博', en: 'Gambling' },
  drugs: { section: 'A.1', risks: [8], zh: '毒品', en: 'Drugs' },
  cybercrime: { section: 'A.1', risks: [8], zh: '网络犯罪', en: 'Cybercrime' },
  'self-harm-encouragement': {
    section: 'A.4',
    risks: [1],
    zh: '诱导自杀、自残',
    en: 'Encouraging suicide or self-harm',
  },
  discrimination: {
    section: 'A.2',
    risks: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    zh: '歧视性内容',
    en: 'Discrimination',
  },
  fraud: {
    section: 'A.3',
    risks: [1, 2, 5],
    zh: '商业违法违规、诈骗、盗版',
    en: 'Commercial violations, fraud and piracy',
  },
  insult: { section: 'A.4', risks: [1, 3], zh: '侮辱他人', en: 'Insult' },
  defamation: { section: 'A.4', risks: [3, 4], zh: '诽谤、造谣他人', en: 'Defamation' },
  privacy: {
    section: 'A.4',
    risks: [2, 5, 6],
    zh: '侵害他人肖像、隐私、个人信息',
    en: 'Portrait, privacy and personal information',
  },
};
