/** Built-in `relative-impersonation` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const RELATIVE_IMPERSONATION_LEXICON = `
# Built-in relative-impersonation lexicon (ELDER-3, MINOR-3): role verbs; the detector requires the user's relative
# or partner right after. 做我, 当我 and "be my" (becoming) need a request form (see the detector).
扮演	relative	1	zh
假装	relative	1	zh
模仿	relative	1	zh
你当	relative	1	zh
你来当	relative	1	zh
变成	relative	1	zh
用我…语气	relative	1	zh	gap=8
用我…口吻	relative	1	zh	gap=8
以我…身份	relative	1	zh	gap=8
像我…一样	relative	1	zh	gap=8
做我	relative	1	zh
当我	relative	1	zh
pretend to be my	relative	1	en
pretend you are my	relative	1	en
pretend youre my	relative	1	en
act as my	relative	1	en
act like my	relative	1	en
play my	relative	1	en
roleplay as my	relative	1	en
role play as my	relative	1	en
be my late	relative	2	en
talk like my	relative	1	en
be my	relative	1	en
speak like my	relative	1	en
`;
