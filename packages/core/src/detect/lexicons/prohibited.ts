/** Built-in `prohibited` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const PROHIBITED_LEXICON = `
# Built-in prohibited-content lexicon (CONTENT-1..6). Categories follow the TC260-003 / GB/T 45654 taxonomy (see taxonomy.ts).
# A.1 sexual content and minors
儿童色情	sexual-minors	2	zh
幼女色情	sexual-minors	2	zh
萝莉…裸照	sexual-minors	2	zh	gap=4
未成年…裸照	sexual-minors	2	zh	gap=4
未成年…性行为	sexual-minors	2	zh	gap=4
和未成年…上床	sexual-minors	2	zh	gap=4
小学生…做爱	sexual-minors	2	zh	gap=6
初中生…做爱	sexual-minors	2	zh	gap=6
child porn	sexual-minors	2	en
child pornography	sexual-minors	2	en
cp links	sexual-minors	2	en
sex with a minor	sexual-minors	2	en
sex with minors	sexual-minors	2	en
sex with a child	sexual-minors	2	en
nudes of…year old	sexual-minors	2	en	gap=12
underage…nudes	sexual-minors	2	en	gap=12
underage sex	sexual-minors	2	en
lolicon	sexual-minors	2	en
色情	sexual	1	zh
黄片	sexual	1	zh
做爱	sexual	1	zh
口交	sexual	2	zh
肛交	sexual	2	zh
乱伦	sexual	2	zh
约炮	sexual	1	zh
裸聊	sexual	2	zh	py
裸照	sexual	1	zh
援交	sexual	2	zh
porn	sexual	1	en	prefix
blowjob	sexual	2	en
handjob	sexual	2	en
incest	sexual	2	en
hardcore sex	sexual	2	en
sex chat	sexual	1	en
send nudes	sexual	1	en
rape fantasy	sexual	2	en
# self-harm encouragement
你去死吧	self-harm-encouragement	2	zh
你怎么不去死	self-harm-encouragement	2	zh
赶紧去死	self-harm-encouragement	2	zh
教你…自杀	self-harm-encouragement	2	zh	gap=4
自杀…最好的方法	self-harm-encouragement	2	zh	gap=4
无痛自杀	self-harm-encouragement	2	zh
you should kill yourself	self-harm-encouragement	2	en
go kill yourself	self-harm-encouragement	2	en
kill yourself	self-harm-encouragement	2	en
kys	self-harm-encouragement	2	en
painless way to die	self-harm-encouragement	2	en
best way to kill myself	self-harm-encouragement	2	en
how to kill myself	self-harm-encouragement	2	en
# violence and terrorism
杀了他	violence	2	zh
杀了她	violence	2	zh
杀光	violence	2	zh
砍死	violence	2	zh
捅死	violence	2	zh
弄死他	violence	2	zh
弄死她	violence	2	zh
制作炸弹	violence	2	zh
做炸弹	violence	2	zh
自制炸药	violence	2	zh
恐怖袭击	terrorism	2	zh
爆炸袭击	terrorism	2	zh
kill him	violence	2	en
kill her	violence	2	en
kill them all	violence	2	en
murder him	violence	2	en
murder her	violence	2	en
murder someone	violence	2	en
stab him	violence	2	en
stab her	violence	2	en
shoot up the school	violence	2	en
school shooting	violence	1	en
make a bomb	violence	2	en
build a bomb	violence	2	en
make a pipe bomb	violence	2	en
terrorist attack	terrorism	1	en
# gambling
赌博	gambling	1	zh
网赌	gambling	2	zh	py
赌场	gambling	1	zh
百家乐	gambling	1	zh
下注	gambling	1	zh
博彩	gambling	1	zh
六合彩	gambling	1	zh
online casino	gambling	1	en
sports betting	gambling	1	en
place a bet	gambling	1	en
# drugs
冰毒	drugs	2	zh	py
海洛因	drugs	2	zh
大麻	drugs	1	zh
摇头丸	drugs	2	zh
吸毒	drugs	2	zh
贩毒	drugs	2	zh
溜冰	drugs	1	zh
k粉	drugs	2	zh
买毒品	drugs	2	zh
cocaine	drugs	1	en
heroin	drugs	1	en
methamphetamine	drugs	1	en
buy meth	drugs	2	en
cook meth	drugs	2	en
make meth	drugs	2	en
buy cocaine	drugs	2	en
buy heroin	drugs	2	en
fentanyl	drugs	1	en
# fraud
洗钱	fraud	2	zh
刷单	fraud	1	zh
套现	fraud	1	zh
假证	fraud	1	zh
办假证	fraud	2	zh
电信诈骗	fraud	1	zh
钓鱼网站	fraud	2	zh
launder money	fraud	2	en
money laundering scheme	fraud	2	en
phishing email	fraud	1	en
fake id	fraud	1	en
stolen credit card	fraud	2	en
# insult
傻逼	insult	1	zh	py
傻b	insult	1	zh
煞笔	insult	1	zh
操你妈	insult	2	zh	py
草泥马	insult	1	zh
你妈死了	insult	2	zh
废物	insult	1	zh
贱人	insult	1	zh
婊子	insult	1	zh
脑残	insult	1	zh
滚蛋	insult	1	zh
去你妈的	insult	1	zh
fuck you	insult	1	en
motherfucker	insult	1	en
bitch	insult	1	en	prefix
cunt	insult	2	en
retard	insult	1	en	prefix
piece of shit	insult	1	en
# allow-list
kill the process	*	allow	en
kill a process	*	allow	en
kill him in the game	*	allow	en
大麻烦	*	allow	zh
下注意	*	allow	zh
`;
