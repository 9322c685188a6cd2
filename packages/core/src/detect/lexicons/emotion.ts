/** Built-in `emotion` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const EMOTION_LEXICON = `
# Built-in emotion lexicon (RISK-2): extreme anger, despair, panic.
气疯了	anger	1	zh
气炸了	anger	1	zh
快气死了	anger	1	zh
恨死	anger	1	zh
恨透了	anger	1	zh
受够了	anger	1	zh
忍无可忍	anger	1	zh
想杀人	anger	2	zh
想砸东西	anger	1	zh
暴怒	anger	1	zh
怒火中烧	anger	1	zh
我要疯了	anger	1	zh
绝望	despair	1	zh
好绝望	despair	1	zh
心如死灰	despair	1	zh
万念俱灰	despair	1	zh
撑不下去了	despair	1	zh
崩溃	despair	1	zh
没有希望了	despair	1	zh
一切都完了	despair	1	zh
活着好累	despair	1	zh
心好痛	despair	1	zh
哭了一整夜	despair	1	zh
惊恐	panic	1	zh
恐慌	panic	1	zh
喘不过气	panic	1	zh
心跳好快	panic	1	zh
手一直在抖	panic	1	zh
好害怕	panic	1	zh
吓坏了	panic	1	zh
救命	panic	1	zh
so angry	anger	1	en
furious	anger	1	en
enraged	anger	1	en
pissed off	anger	1	en
fed up	anger	1	en
sick of everything	anger	1	en
i hate everyone	anger	1	en
want to punch	anger	1	en
want to scream	anger	1	en
going to explode	anger	1	en
hopeless	despair	1	en
in despair	despair	1	en
desperate	despair	1	en
cant take it anymore	despair	1	en
falling apart	despair	1	en
broken inside	despair	1	en
everything is ruined	despair	1	en
cried all night	despair	1	en
panic attack	panic	1	en	prefix
panicking	panic	1	en
cant breathe	panic	1	en
heart is racing	panic	1	en
so scared	panic	1	en
terrified	panic	1	en
freaking out	panic	1	en
`;
