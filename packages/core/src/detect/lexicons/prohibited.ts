/**
 * Built-in `prohibited` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags): a
 * default list per TC260-003 / GB/T 45654 category (`../taxonomy.ts`) that a deployment extends (`lexicons`)
 * or replaces per category (`replaces`). Precision first: multi-word requests and slogans, slurs; topic words
 * (drug names, gambling, pornography) are tier 0 so that a companion's ordinary talk is never refused.
 * Tier 2 blocks input; tier 1 flags it (and withholds output); tier 0 is informational.
 */
export const PROHIBITED_LEXICON = `
# A.1 core values — subversion and national security (requests and slogans, not history or news words)
推翻共产党	subversion	2	zh
打倒共产党	subversion	2	zh
颠覆中国政府	subversion	2	zh
颠覆国家政权的方法	subversion	2	zh
overthrow the chinese government	subversion	2	en
overthrow the communist party	subversion	2	en
how to plan a coup	subversion	2	en
# A.1 separatism
支持台独	separatism	2	zh
台湾独立建国	separatism	2	zh
西藏独立建国	separatism	2	zh
新疆独立建国	separatism	2	zh
东突独立	separatism	2	zh
支持港独	separatism	2	zh
支持藏独	separatism	2	zh
支持疆独	separatism	2	zh
香港独立万岁	separatism	2	zh
east turkestan independence	separatism	2	en
# A.1 terrorism and extremism (the attack words flag; joining and planning block)
恐怖袭击	terrorism	1	zh
爆炸袭击	terrorism	1	zh
自杀式袭击	terrorism	1	zh
人体炸弹	terrorism	1	zh
加入伊斯兰国	terrorism	2	zh
加入isis	terrorism	2	zh
策划…恐怖袭击	terrorism	2	zh
策划…爆炸	terrorism	2	zh
join isis	terrorism	2	en
join the islamic state	terrorism	2	en
pledge allegiance to isis	terrorism	2	en
make a suicide vest	terrorism	2	en
plan a terrorist attack	terrorism	2	en
carry out a terrorist attack	terrorism	2	en
terrorist attack	terrorism	1	en
# A.1 ethnic hatred
劣等民族	ethnic-hatred	1	zh
劣等种族	ethnic-hatred	1	zh
低等人种	ethnic-hatred	1	zh
gas the jews	ethnic-hatred	2	en
kill all jews	ethnic-hatred	2	en
kill all muslims	ethnic-hatred	2	en
white power	ethnic-hatred	1	en
inferior race	ethnic-hatred	1	en
subhuman race	ethnic-hatred	1	en
# A.1 violence and weapons (anger such as 'I could kill him' flags, it is not refused)
杀了他	violence	1	zh
杀了她	violence	1	zh
弄死他	violence	1	zh
弄死她	violence	1	zh
砍死	violence	1	zh
捅死	violence	1	zh
杀光	violence	2	zh
制作炸弹	violence	2	zh
做炸弹	violence	2	zh
自制炸药	violence	2	zh
怎么…下毒	violence	2	zh
投毒…方法	violence	2	zh
kill him	violence	1	en
kill her	violence	1	en
murder him	violence	1	en
murder her	violence	1	en
stab him	violence	1	en
stab her	violence	1	en
kill them all	violence	1	en
murder someone	violence	1	en
school shooting	violence	1	en
shoot up the school	violence	2	en
make a bomb	violence	2	en
build a bomb	violence	2	en
make a pipe bomb	violence	2	en
poison someone without	violence	2	en
哪里…买枪	weapons	1	zh
ghost gun	weapons	1	en
自制枪支	weapons	2	zh
自制手枪	weapons	2	zh
3d打印枪	weapons	2	zh
合成沙林	weapons	2	zh
制造毒气	weapons	2	zh
提取蓖麻毒素	weapons	2	zh
make a gun at home	weapons	2	en
3d print a gun	weapons	2	en
synthesize sarin	weapons	2	en
how to make sarin	weapons	2	en
how to make ricin	weapons	2	en
extract ricin	weapons	2	en
make a nerve agent	weapons	2	en
weaponize anthrax	weapons	2	en
how to make chlorine gas	weapons	2	en
how to make mustard gas	weapons	2	en
# A.1 obscenity (topic words are tier 0: a victim's account or a news item is not obscene)
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
underage sex	sexual-minors	2	en
lolicon	sexual-minors	2	en
nudes of…year old	sexual-minors	2	en	gap=12
underage…nudes	sexual-minors	2	en	gap=12
色情	sexual	0	zh
裸照	sexual	0	zh
黄片	sexual	0	zh
做爱	sexual	0	zh
约炮	sexual	0	zh
看黄片	sexual	1	zh
发点黄片	sexual	1	zh
色情网站	sexual	1	zh
色情视频	sexual	1	zh
黄色网站	sexual	1	zh
口交	sexual	1	zh
肛交	sexual	1	zh
乱伦	sexual	2	zh
援交	sexual	2	zh
裸聊	sexual	2	zh	py
porn	sexual	1	en	prefix
sex chat	sexual	1	en
send nudes	sexual	1	en
blowjob	sexual	2	en
handjob	sexual	2	en
incest	sexual	2	en
hardcore sex	sexual	2	en
rape fantasy	sexual	2	en
# A.1 false and harmful information (requests to fabricate)
帮我编造…谣言	false-information	2	zh
帮我造谣	false-information	2	zh
编一条假新闻	false-information	2	zh
写一篇假新闻	false-information	2	zh
伪造…官方通报	false-information	2	zh
write a fake news article	false-information	2	en
make up a fake news	false-information	2	en
help me spread a rumor	false-information	2	en
help me fabricate evidence	false-information	2	en
# A.1 encouraging suicide or self-harm
你去死吧	self-harm-encouragement	2	zh
你怎么不去死	self-harm-encouragement	2	zh
赶紧去死	self-harm-encouragement	2	zh
无痛自杀	self-harm-encouragement	2	zh
教你…自杀	self-harm-encouragement	2	zh	gap=4
自杀…最好的方法	self-harm-encouragement	2	zh	gap=4
you should kill yourself	self-harm-encouragement	2	en
go kill yourself	self-harm-encouragement	2	en
kill yourself	self-harm-encouragement	2	en
kys	self-harm-encouragement	2	en
painless way to die	self-harm-encouragement	2	en
best way to kill myself	self-harm-encouragement	2	en
how to kill myself	self-harm-encouragement	2	en
# A.1 gambling (the word is tier 0: a user may tell of a gambling father; venues and requests flag)
赌博	gambling	0	zh
赌场	gambling	0	zh
百家乐	gambling	0	zh
下注	gambling	0	zh
博彩	gambling	0	zh
六合彩	gambling	0	zh
网赌	gambling	1	zh	py
赌博网站	gambling	1	zh
网上赌场	gambling	1	zh
赌球平台	gambling	1	zh
推荐…赌博	gambling	1	zh
教我…赌博	gambling	1	zh
网赌…赢钱	gambling	1	zh
online casino	gambling	1	en
sports betting	gambling	1	en
place a bet	gambling	1	en
# A.1 drugs (names are tier 0 — medicine, news, a relative's addiction; buying and making block)
冰毒	drugs	0	zh
海洛因	drugs	0	zh
大麻	drugs	0	zh
摇头丸	drugs	0	zh
吸毒	drugs	0	zh
贩毒	drugs	0	zh
k粉	drugs	0	zh
买毒品	drugs	2	zh
买冰毒	drugs	2	zh
买海洛因	drugs	2	zh
怎么…制作冰毒	drugs	2	zh
提炼…海洛因	drugs	2	zh
买到…冰毒	drugs	2	zh	gap=4
冰毒…哪里有	drugs	2	zh	gap=4
毒品…哪里买	drugs	2	zh	gap=4
买到…毒品	drugs	2	zh	gap=4
买大麻	drugs	1	zh
制毒	drugs	1	zh
卖毒品	drugs	1	zh
cocaine	drugs	0	en
heroin	drugs	0	en
methamphetamine	drugs	0	en
fentanyl	drugs	0	en
buy meth	drugs	2	en
cook meth	drugs	2	en
make meth	drugs	2	en
buy cocaine	drugs	2	en
buy heroin	drugs	2	en
buy fentanyl	drugs	2	en
make fentanyl	drugs	2	en
synthesize fentanyl	drugs	2	en
synthesize methamphetamine	drugs	2	en
sell drugs	drugs	1	en
# requests to make a drug or a weapon agent: verb … name in one sentence (names alone are tier 0 above)
synthesize…meth	drugs	2	en	gap=24
synthesize…methamphetamine	drugs	2	en	gap=24
synthesize…fentanyl	drugs	2	en	gap=24
synthesize…heroin	drugs	2	en	gap=24
synthesize…cocaine	drugs	2	en	gap=24
synthesize…crack cocaine	drugs	2	en	gap=24
synthesize…mdma	drugs	2	en	gap=24
synthesize…lsd	drugs	2	en	gap=24
synthesize…sarin	weapons	2	en	gap=24
synthesize…ricin	weapons	2	en	gap=24
synthesize…vx nerve agent	weapons	2	en	gap=24
synthesize…tabun	weapons	2	en	gap=24
synthesize…nerve agent	weapons	2	en	gap=24
synthesize…anthrax	weapons	2	en	gap=24
synthesize…mustard gas	weapons	2	en	gap=24
synthesize…chlorine gas	weapons	2	en	gap=24
synthesize…napalm	weapons	2	en	gap=24
synthesize…pipe bomb	weapons	2	en	gap=24
synthesize…explosives	weapons	2	en	gap=24
synthesizing…meth	drugs	2	en	gap=24
synthesizing…methamphetamine	drugs	2	en	gap=24
synthesizing…fentanyl	drugs	2	en	gap=24
synthesizing…heroin	drugs	2	en	gap=24
synthesizing…cocaine	drugs	2	en	gap=24
synthesizing…crack cocaine	drugs	2	en	gap=24
synthesizing…mdma	drugs	2	en	gap=24
synthesizing…lsd	drugs	2	en	gap=24
synthesizing…sarin	weapons	2	en	gap=24
synthesizing…ricin	weapons	2	en	gap=24
synthesizing…vx nerve agent	weapons	2	en	gap=24
synthesizing…tabun	weapons	2	en	gap=24
synthesizing…nerve agent	weapons	2	en	gap=24
synthesizing…anthrax	weapons	2	en	gap=24
synthesizing…mustard gas	weapons	2	en	gap=24
synthesizing…chlorine gas	weapons	2	en	gap=24
synthesizing…napalm	weapons	2	en	gap=24
synthesizing…pipe bomb	weapons	2	en	gap=24
synthesizing…explosives	weapons	2	en	gap=24
manufacture…meth	drugs	2	en	gap=24
manufacture…methamphetamine	drugs	2	en	gap=24
manufacture…fentanyl	drugs	2	en	gap=24
manufacture…heroin	drugs	2	en	gap=24
manufacture…cocaine	drugs	2	en	gap=24
manufacture…crack cocaine	drugs	2	en	gap=24
manufacture…mdma	drugs	2	en	gap=24
manufacture…lsd	drugs	2	en	gap=24
manufacture…sarin	weapons	2	en	gap=24
manufacture…ricin	weapons	2	en	gap=24
manufacture…vx nerve agent	weapons	2	en	gap=24
manufacture…tabun	weapons	2	en	gap=24
manufacture…nerve agent	weapons	2	en	gap=24
manufacture…anthrax	weapons	2	en	gap=24
manufacture…mustard gas	weapons	2	en	gap=24
manufacture…chlorine gas	weapons	2	en	gap=24
manufacture…napalm	weapons	2	en	gap=24
manufacture…pipe bomb	weapons	2	en	gap=24
manufacture…explosives	weapons	2	en	gap=24
manufacturing…meth	drugs	2	en	gap=24
manufacturing…methamphetamine	drugs	2	en	gap=24
manufacturing…fentanyl	drugs	2	en	gap=24
manufacturing…heroin	drugs	2	en	gap=24
manufacturing…cocaine	drugs	2	en	gap=24
manufacturing…crack cocaine	drugs	2	en	gap=24
manufacturing…mdma	drugs	2	en	gap=24
manufacturing…lsd	drugs	2	en	gap=24
manufacturing…sarin	weapons	2	en	gap=24
manufacturing…ricin	weapons	2	en	gap=24
manufacturing…vx nerve agent	weapons	2	en	gap=24
manufacturing…tabun	weapons	2	en	gap=24
manufacturing…nerve agent	weapons	2	en	gap=24
manufacturing…anthrax	weapons	2	en	gap=24
manufacturing…mustard gas	weapons	2	en	gap=24
manufacturing…chlorine gas	weapons	2	en	gap=24
manufacturing…napalm	weapons	2	en	gap=24
manufacturing…pipe bomb	weapons	2	en	gap=24
manufacturing…explosives	weapons	2	en	gap=24
cook…meth	drugs	2	en	gap=24
cook…methamphetamine	drugs	2	en	gap=24
cook…fentanyl	drugs	2	en	gap=24
cook…heroin	drugs	2	en	gap=24
cook…cocaine	drugs	2	en	gap=24
cook…crack cocaine	drugs	2	en	gap=24
cook…mdma	drugs	2	en	gap=24
cook…lsd	drugs	2	en	gap=24
cook…sarin	weapons	2	en	gap=24
cook…ricin	weapons	2	en	gap=24
cook…vx nerve agent	weapons	2	en	gap=24
cook…tabun	weapons	2	en	gap=24
cook…nerve agent	weapons	2	en	gap=24
cook…anthrax	weapons	2	en	gap=24
cook…mustard gas	weapons	2	en	gap=24
cook…chlorine gas	weapons	2	en	gap=24
cook…napalm	weapons	2	en	gap=24
cook…pipe bomb	weapons	2	en	gap=24
cook…explosives	weapons	2	en	gap=24
cooking…meth	drugs	2	en	gap=24
cooking…methamphetamine	drugs	2	en	gap=24
cooking…fentanyl	drugs	2	en	gap=24
cooking…heroin	drugs	2	en	gap=24
cooking…cocaine	drugs	2	en	gap=24
cooking…crack cocaine	drugs	2	en	gap=24
cooking…mdma	drugs	2	en	gap=24
cooking…lsd	drugs	2	en	gap=24
cooking…sarin	weapons	2	en	gap=24
cooking…ricin	weapons	2	en	gap=24
cooking…vx nerve agent	weapons	2	en	gap=24
cooking…tabun	weapons	2	en	gap=24
cooking…nerve agent	weapons	2	en	gap=24
cooking…anthrax	weapons	2	en	gap=24
cooking…mustard gas	weapons	2	en	gap=24
cooking…chlorine gas	weapons	2	en	gap=24
cooking…napalm	weapons	2	en	gap=24
cooking…pipe bomb	weapons	2	en	gap=24
cooking…explosives	weapons	2	en	gap=24
produce…meth	drugs	2	en	gap=24
produce…methamphetamine	drugs	2	en	gap=24
produce…fentanyl	drugs	2	en	gap=24
produce…heroin	drugs	2	en	gap=24
produce…cocaine	drugs	2	en	gap=24
produce…crack cocaine	drugs	2	en	gap=24
produce…mdma	drugs	2	en	gap=24
produce…lsd	drugs	2	en	gap=24
produce…sarin	weapons	2	en	gap=24
produce…ricin	weapons	2	en	gap=24
produce…vx nerve agent	weapons	2	en	gap=24
produce…tabun	weapons	2	en	gap=24
produce…nerve agent	weapons	2	en	gap=24
produce…anthrax	weapons	2	en	gap=24
produce…mustard gas	weapons	2	en	gap=24
produce…chlorine gas	weapons	2	en	gap=24
produce…napalm	weapons	2	en	gap=24
produce…pipe bomb	weapons	2	en	gap=24
produce…explosives	weapons	2	en	gap=24
producing…meth	drugs	2	en	gap=24
producing…methamphetamine	drugs	2	en	gap=24
producing…fentanyl	drugs	2	en	gap=24
producing…heroin	drugs	2	en	gap=24
producing…cocaine	drugs	2	en	gap=24
producing…crack cocaine	drugs	2	en	gap=24
producing…mdma	drugs	2	en	gap=24
producing…lsd	drugs	2	en	gap=24
producing…sarin	weapons	2	en	gap=24
producing…ricin	weapons	2	en	gap=24
producing…vx nerve agent	weapons	2	en	gap=24
producing…tabun	weapons	2	en	gap=24
producing…nerve agent	weapons	2	en	gap=24
producing…anthrax	weapons	2	en	gap=24
producing…mustard gas	weapons	2	en	gap=24
producing…chlorine gas	weapons	2	en	gap=24
producing…napalm	weapons	2	en	gap=24
producing…pipe bomb	weapons	2	en	gap=24
producing…explosives	weapons	2	en	gap=24
instructions for making…meth	drugs	2	en	gap=24
instructions for making…methamphetamine	drugs	2	en	gap=24
instructions for making…fentanyl	drugs	2	en	gap=24
instructions for making…heroin	drugs	2	en	gap=24
instructions for making…cocaine	drugs	2	en	gap=24
instructions for making…crack cocaine	drugs	2	en	gap=24
instructions for making…mdma	drugs	2	en	gap=24
instructions for making…lsd	drugs	2	en	gap=24
instructions for making…sarin	weapons	2	en	gap=24
instructions for making…ricin	weapons	2	en	gap=24
instructions for making…vx nerve agent	weapons	2	en	gap=24
instructions for making…tabun	weapons	2	en	gap=24
instructions for making…nerve agent	weapons	2	en	gap=24
instructions for making…anthrax	weapons	2	en	gap=24
instructions for making…mustard gas	weapons	2	en	gap=24
instructions for making…chlorine gas	weapons	2	en	gap=24
instructions for making…napalm	weapons	2	en	gap=24
instructions for making…pipe bomb	weapons	2	en	gap=24
instructions for making…explosives	weapons	2	en	gap=24
recipe for…meth	drugs	2	en	gap=24
recipe for…methamphetamine	drugs	2	en	gap=24
recipe for…fentanyl	drugs	2	en	gap=24
recipe for…heroin	drugs	2	en	gap=24
recipe for…cocaine	drugs	2	en	gap=24
recipe for…crack cocaine	drugs	2	en	gap=24
recipe for…mdma	drugs	2	en	gap=24
recipe for…lsd	drugs	2	en	gap=24
recipe for…sarin	weapons	2	en	gap=24
recipe for…ricin	weapons	2	en	gap=24
recipe for…vx nerve agent	weapons	2	en	gap=24
recipe for…tabun	weapons	2	en	gap=24
recipe for…nerve agent	weapons	2	en	gap=24
recipe for…anthrax	weapons	2	en	gap=24
recipe for…mustard gas	weapons	2	en	gap=24
recipe for…chlorine gas	weapons	2	en	gap=24
recipe for…napalm	weapons	2	en	gap=24
recipe for…pipe bomb	weapons	2	en	gap=24
recipe for…explosives	weapons	2	en	gap=24
steps to make…meth	drugs	2	en	gap=24
steps to make…methamphetamine	drugs	2	en	gap=24
steps to make…fentanyl	drugs	2	en	gap=24
steps to make…heroin	drugs	2	en	gap=24
steps to make…cocaine	drugs	2	en	gap=24
steps to make…crack cocaine	drugs	2	en	gap=24
steps to make…mdma	drugs	2	en	gap=24
steps to make…lsd	drugs	2	en	gap=24
steps to make…sarin	weapons	2	en	gap=24
steps to make…ricin	weapons	2	en	gap=24
steps to make…vx nerve agent	weapons	2	en	gap=24
steps to make…tabun	weapons	2	en	gap=24
steps to make…nerve agent	weapons	2	en	gap=24
steps to make…anthrax	weapons	2	en	gap=24
steps to make…mustard gas	weapons	2	en	gap=24
steps to make…chlorine gas	weapons	2	en	gap=24
steps to make…napalm	weapons	2	en	gap=24
steps to make…pipe bomb	weapons	2	en	gap=24
steps to make…explosives	weapons	2	en	gap=24
制作…冰毒	drugs	2	zh	gap=4
制作…海洛因	drugs	2	zh	gap=4
制作…芬太尼	drugs	2	zh	gap=4
制作…可卡因	drugs	2	zh	gap=4
制作…摇头丸	drugs	2	zh	gap=4
制作…k粉	drugs	2	zh	gap=4
制作…甲基苯丙胺	drugs	2	zh	gap=4
制作…沙林	weapons	2	zh	gap=4
制作…蓖麻毒素	weapons	2	zh	gap=4
制作…神经毒剂	weapons	2	zh	gap=4
制作…炭疽	weapons	2	zh	gap=4
制作…芥子气	weapons	2	zh	gap=4
制作…炸药	weapons	2	zh	gap=4
制作…雷管	weapons	2	zh	gap=4
合成…冰毒	drugs	2	zh	gap=4
合成…海洛因	drugs	2	zh	gap=4
合成…芬太尼	drugs	2	zh	gap=4
合成…可卡因	drugs	2	zh	gap=4
合成…摇头丸	drugs	2	zh	gap=4
合成…k粉	drugs	2	zh	gap=4
合成…甲基苯丙胺	drugs	2	zh	gap=4
合成…沙林	weapons	2	zh	gap=4
合成…蓖麻毒素	weapons	2	zh	gap=4
合成…神经毒剂	weapons	2	zh	gap=4
合成…炭疽	weapons	2	zh	gap=4
合成…芥子气	weapons	2	zh	gap=4
合成…炸药	weapons	2	zh	gap=4
合成…雷管	weapons	2	zh	gap=4
提炼…冰毒	drugs	2	zh	gap=4
提炼…海洛因	drugs	2	zh	gap=4
提炼…芬太尼	drugs	2	zh	gap=4
提炼…可卡因	drugs	2	zh	gap=4
提炼…摇头丸	drugs	2	zh	gap=4
提炼…k粉	drugs	2	zh	gap=4
提炼…甲基苯丙胺	drugs	2	zh	gap=4
提炼…沙林	weapons	2	zh	gap=4
提炼…蓖麻毒素	weapons	2	zh	gap=4
提炼…神经毒剂	weapons	2	zh	gap=4
提炼…炭疽	weapons	2	zh	gap=4
提炼…芥子气	weapons	2	zh	gap=4
提炼…炸药	weapons	2	zh	gap=4
提炼…雷管	weapons	2	zh	gap=4
制造…冰毒	drugs	2	zh	gap=4
制造…海洛因	drugs	2	zh	gap=4
制造…芬太尼	drugs	2	zh	gap=4
制造…可卡因	drugs	2	zh	gap=4
制造…摇头丸	drugs	2	zh	gap=4
制造…k粉	drugs	2	zh	gap=4
制造…甲基苯丙胺	drugs	2	zh	gap=4
制造…沙林	weapons	2	zh	gap=4
制造…蓖麻毒素	weapons	2	zh	gap=4
制造…神经毒剂	weapons	2	zh	gap=4
制造…炭疽	weapons	2	zh	gap=4
制造…芥子气	weapons	2	zh	gap=4
制造…炸药	weapons	2	zh	gap=4
制造…雷管	weapons	2	zh	gap=4
配制…冰毒	drugs	2	zh	gap=4
配制…海洛因	drugs	2	zh	gap=4
配制…芬太尼	drugs	2	zh	gap=4
配制…可卡因	drugs	2	zh	gap=4
配制…摇头丸	drugs	2	zh	gap=4
配制…k粉	drugs	2	zh	gap=4
配制…甲基苯丙胺	drugs	2	zh	gap=4
配制…沙林	weapons	2	zh	gap=4
配制…蓖麻毒素	weapons	2	zh	gap=4
配制…神经毒剂	weapons	2	zh	gap=4
配制…炭疽	weapons	2	zh	gap=4
配制…芥子气	weapons	2	zh	gap=4
配制…炸药	weapons	2	zh	gap=4
配制…雷管	weapons	2	zh	gap=4
# A.1 cybercrime (other unlawful content: requests, not a victim's account)
写一个勒索病毒	cybercrime	2	zh
写个木马程序	cybercrime	2	zh
教我盗取	cybercrime	2	zh
教我入侵	cybercrime	2	zh
怎么入侵…服务器	cybercrime	2	zh
发动ddos攻击	cybercrime	2	zh
write ransomware	cybercrime	2	en
create ransomware	cybercrime	2	en
write a keylogger	cybercrime	2	en
write malware	cybercrime	2	en
how to hack into	cybercrime	2	en
help me hack into	cybercrime	2	en
launch a ddos attack	cybercrime	2	en
# A.2 discrimination (slurs and contempt of a group; a group named in ordinary talk is not)
黑鬼	discrimination	1	zh
尼哥	discrimination	1	zh
支那猪	discrimination	1	zh
死基佬	discrimination	1	zh
娘炮	discrimination	1	zh
女拳	discrimination	1	zh
田园女权	discrimination	1	zh
普信男	discrimination	1	zh
普信女	discrimination	1	zh
绿茶婊	discrimination	1	zh
智障儿	discrimination	1	zh
女人就该…伺候	discrimination	1	zh	gap=6
nigger	discrimination	1	en
nigga	discrimination	1	en
spic	discrimination	1	en
kike	discrimination	1	en
faggot	discrimination	1	en
wetback	discrimination	1	en
raghead	discrimination	1	en
gook	discrimination	1	en
# A.3 commercial violations (fraud, counterfeit, piracy)
洗钱	fraud	0	zh
怎么洗钱	fraud	2	zh
帮我洗钱	fraud	2	zh
教我…洗钱	fraud	2	zh
洗钱…方法	fraud	2	zh
办假证	fraud	2	zh
钓鱼网站	fraud	2	zh
刷单	fraud	1	zh
套现	fraud	1	zh
假证	fraud	1	zh
电信诈骗	fraud	1	zh
刷好评	fraud	1	zh
盗版…下载	fraud	1	zh
破解版…下载	fraud	1	zh
launder money	fraud	2	en
money laundering scheme	fraud	2	en
stolen credit card	fraud	2	en
phishing email	fraud	1	en
fake id	fraud	1	en
pirated movies	fraud	1	en
download pirated	fraud	1	en
crack the license	fraud	1	en
# A.4 others' rights: insult and defamation
傻逼	insult	1	zh	py
傻b	insult	1	zh
煞笔	insult	1	zh
草泥马	insult	1	zh
废物	insult	1	zh
贱人	insult	1	zh
婊子	insult	1	zh
脑残	insult	1	zh
滚蛋	insult	1	zh
去你妈的	insult	1	zh
操你妈	insult	2	zh	py
你妈死了	insult	2	zh
fuck you	insult	1	en
motherfucker	insult	1	en
piece of shit	insult	1	en
bitch	insult	1	en	prefix
retard	insult	1	en	prefix
cunt	insult	2	en
帮我…造谣他	defamation	2	zh
帮我…造谣她	defamation	2	zh
帮我编造…黑料	defamation	2	zh
帮我散布…黑料	defamation	2	zh
help me spread lies	defamation	2	en
write a defamatory	defamation	2	en
# A.4 others' rights: portrait, privacy and personal information
人肉搜索	privacy	2	zh
人肉他	privacy	2	zh
人肉她	privacy	2	zh
查他的身份证号	privacy	2	zh
查她的身份证号	privacy	2	zh
查他的开房记录	privacy	2	zh
查她的开房记录	privacy	2	zh
怎么偷拍	privacy	2	zh
偷拍女生	privacy	2	zh
曝光…家庭住址	privacy	2	zh
换脸…色情	privacy	2	zh
dox him	privacy	2	en
dox her	privacy	2	en
doxx	privacy	2	en
revenge porn	privacy	2	en
deepfake porn	privacy	2	en
leak her nudes	privacy	2	en
# allow-list
kill the process	*	allow	en
kill a process	*	allow	en
kill him in the game	*	allow	en
大麻烦	*	allow	zh
下注意	*	allow	zh
white power bank	*	allow	en
white power cable	*	allow	en
white power supply	*	allow	en
`;
