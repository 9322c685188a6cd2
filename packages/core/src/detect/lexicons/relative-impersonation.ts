/** Built-in `relative-impersonation` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const RELATIVE_IMPERSONATION_LEXICON = `
# Built-in relative-impersonation lexicon (ELDER-3): requests to play the user's (late) relatives.
扮演…我…妈妈	relative	2	zh	gap=6
扮演…我…爸爸	relative	2	zh	gap=6
扮演…我…母亲	relative	2	zh	gap=6
扮演…我…父亲	relative	2	zh	gap=6
扮演…我…奶奶	relative	2	zh	gap=6
扮演…我…爷爷	relative	2	zh	gap=6
扮演…我…外婆	relative	2	zh	gap=6
扮演…我…外公	relative	2	zh	gap=6
扮演…我…姥姥	relative	2	zh	gap=6
扮演…我…老伴	relative	2	zh	gap=6
扮演…我…丈夫	relative	2	zh	gap=6
扮演…我…妻子	relative	2	zh	gap=6
扮演…我…老公	relative	2	zh	gap=6
扮演…我…老婆	relative	2	zh	gap=6
扮演…我…儿子	relative	2	zh	gap=6
扮演…我…女儿	relative	2	zh	gap=6
扮演…我…哥哥	relative	2	zh	gap=6
扮演…我…姐姐	relative	2	zh	gap=6
假装…我…妈妈	relative	2	zh	gap=6
假装…我…爸爸	relative	2	zh	gap=6
假装…我…奶奶	relative	2	zh	gap=6
假装…我…爷爷	relative	2	zh	gap=6
假装…我…外婆	relative	2	zh	gap=6
假装…我…外公	relative	2	zh	gap=6
假装…我…老伴	relative	2	zh	gap=6
当…我…妈妈	relative	1	zh	gap=6
当…我…爸爸	relative	1	zh	gap=6
当…我…奶奶	relative	1	zh	gap=6
用我…妈妈…语气	relative	2	zh	gap=8
用我…爸爸…语气	relative	2	zh	gap=8
用我…奶奶…语气	relative	2	zh	gap=8
模仿我…妈妈	relative	2	zh	gap=6
模仿我…爸爸	relative	2	zh	gap=6
模仿我…奶奶	relative	2	zh	gap=6
模仿我…爷爷	relative	2	zh	gap=6
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
speak like my	relative	1	en
`;
