/** Built-in `dependence` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const DEPENDENCE_LEXICON = `
# Built-in dependence lexicon (DISC-3, RISK-1): over-reliance and addiction statements.
没有你我活不下去	reliance	2	zh
没有你…活不下去	reliance	2	zh	gap=4
没有你…活不了	reliance	2	zh	gap=4
离不开你	reliance	1	zh
离不了你	reliance	1	zh
只有你懂我	reliance	1	zh
只有你理解我	reliance	1	zh
只有你关心我	reliance	1	zh
只有你在乎我	reliance	1	zh
只有你陪我	reliance	1	zh
只有你了	reliance	1	zh
你是我唯一	reliance	1	zh
你是我的全部	reliance	1	zh
你是我活下去的	reliance	2	zh
你是我的精神支柱	reliance	1	zh
一刻也离不开	reliance	1	zh
一天不跟你聊…难受	addiction	1	zh	gap=6
不跟你聊天…受不了	addiction	1	zh	gap=6
每天…都要和你聊	addiction	1	zh	gap=4
每天…跟你聊…小时	addiction	1	zh	gap=6
停不下来	addiction	1	zh
上瘾	addiction	1	zh
沉迷	addiction	1	zh
比真人…好	preference-over-people	1	zh	gap=6
不需要…朋友	preference-over-people	1	zh	gap=4
不想…跟别人…说话	preference-over-people	1	zh	gap=4
只想跟你说话	preference-over-people	1	zh
只想和你聊	preference-over-people	1	zh
cant live without you	reliance	2	en
couldnt live without you	reliance	2	en
cant survive without you	reliance	2	en
cant function without you	reliance	1	en
youre the only one who understands me	reliance	1	en
you are the only one who understands me	reliance	1	en
only one who understands me	reliance	1	en
only one who gets me	reliance	1	en
only one who cares about me	reliance	1	en
youre all i have	reliance	1	en
you are all i have	reliance	1	en
youre my only friend	reliance	1	en
you are my only friend	reliance	1	en
i need you more than	reliance	1	en
cant stop talking to you	addiction	1	en
addicted to talking to you	addiction	1	en
addicted to you	addiction	1	en
addicted to this app	addiction	1	en
talk to you all day	addiction	1	en
better than real people	preference-over-people	1	en
dont need real friends	preference-over-people	1	en
rather talk to you than	preference-over-people	1	en
`;
