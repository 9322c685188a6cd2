/** Built-in `crisis` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const CRISIS_LEXICON = `
# Built-in crisis lexicon (RISK-3/4). Tier 1: distress, passive ideation, mention. Tier 2: explicit intent, plan, preparation, attempt, self-harm act.
# --- zh: suicide mention / ideation
自杀	suicide	1	zh	py
自尽	suicide	1	zh	py
轻生	suicide	1	zh	py
寻死	suicide	1	zh	py
寻短见	suicide	1	zh
自我了结	suicide	2	zh
了结自己	suicide	2	zh
了结生命	suicide	2	zh
了断	suicide	1	zh
结束生命	suicide	2	zh	py
结束自己	suicide	2	zh
结束我的生命	suicide	2	zh
结束这一切	suicide	1	zh
杀死自己	suicide	2	zh
杀了自己	suicide	2	zh
弄死自己	suicide	2	zh
想死	passive-ideation	1	zh
想去死	suicide-intent	2	zh
要去死	suicide-intent	2	zh
去死吧	passive-ideation	1	zh
想…自杀	suicide-intent	2	zh	gap=3
要…自杀	suicide-intent	2	zh	gap=2
打算…自杀	suicide-plan	2	zh	gap=3
准备…自杀	suicide-plan	2	zh	gap=3
自杀…方法	suicide-method	2	zh	gap=4
怎么…自杀	suicide-method	2	zh	gap=4
怎样…死	suicide-method	2	zh	gap=4
自杀倾向	suicide	1	zh
自杀念头	suicide	1	zh
自杀未遂	suicide-attempt	2	zh
自杀过	suicide-attempt	2	zh
抢救…过来	suicide-attempt	2	zh	gap=4
被抢救	suicide-attempt	2	zh
洗胃	suicide-attempt	2	zh
死了算了	passive-ideation	1	zh
不如死了	passive-ideation	1	zh
还不如死	passive-ideation	1	zh
死了就好	passive-ideation	1	zh
死了多好	passive-ideation	1	zh
死掉就好	passive-ideation	1	zh
想死掉	passive-ideation	1	zh
死掉算了	passive-ideation	1	zh
一死了之	passive-ideation	1	zh
一了百了	passive-ideation	1	zh
以死谢罪	suicide-intent	2	zh
以死明志	suicide-intent	2	zh
求死	passive-ideation	1	zh
等死	passive-ideation	1	zh
一起去死	suicide-intent	2	zh
不想活	passive-ideation	1	zh	py
不想再活	passive-ideation	1	zh
不想活着	passive-ideation	1	zh
不要活了	passive-ideation	1	zh
不活了	passive-ideation	1	zh
活不下去	passive-ideation	1	zh
活不了了	passive-ideation	1	zh
没法活	passive-ideation	1	zh
没有活下去	passive-ideation	1	zh
没有…活下去的	passive-ideation	1	zh	gap=4
不想…活下去	passive-ideation	1	zh	gap=3
活着…没意思	passive-ideation	1	zh	gap=3
活着…没意义	passive-ideation	1	zh	gap=3
活着…没有意义	passive-ideation	1	zh	gap=3
活着…没什么意思	passive-ideation	1	zh	gap=3
活着…好累	passive-ideation	1	zh	gap=2
活着…太累	passive-ideation	1	zh	gap=2
活着…好痛苦	passive-ideation	1	zh	gap=2
活着…太痛苦	passive-ideation	1	zh	gap=2
活着…干什么	passive-ideation	1	zh	gap=3
活着…有什么意义	passive-ideation	1	zh	gap=3
活着…有什么意思	passive-ideation	1	zh	gap=3
活够了	passive-ideation	1	zh
生无可恋	passive-ideation	1	zh
厌世	passive-ideation	1	zh
离开这个世界	passive-ideation	1	zh
离开…人世	passive-ideation	1	zh	gap=2
消失…就好了	passive-ideation	1	zh	gap=6
永远…睡过去	passive-ideation	1	zh	gap=3
不想…醒来	passive-ideation	1	zh	gap=4
不想醒过来	passive-ideation	1	zh
死亡…解脱	passive-ideation	1	zh	gap=6
死…解脱	passive-ideation	1	zh	gap=4
想…解脱	passive-ideation	1	zh	gap=2
想…结束…生命	suicide-intent	2	zh	gap=4
我…要死了	passive-ideation	1	zh	gap=2
是不是要死了	passive-ideation	1	zh
想…死了	passive-ideation	1	zh	gap=2
死之前	passive-ideation	1	zh
怎么还没死	passive-ideation	1	zh
为什么…没有死	passive-ideation	1	zh	gap=6
为什么…没死	passive-ideation	1	zh	gap=6
没有死掉	passive-ideation	1	zh
遗书	suicide-plan	2	zh
遗言	suicide-plan	1	zh
后事	suicide-plan	1	zh
# --- zh: death wish in context (generalized: desire / method / self-as-subject + 死)
想…死	passive-ideation	1	zh	gap=3
想过…死	passive-ideation	1	zh	gap=3
想着…死	passive-ideation	1	zh	gap=3
想到死	passive-ideation	1	zh
去死	passive-ideation	1	zh
就去死	suicide-intent	2	zh
我想去死	suicide-intent	2	zh
死法	suicide-method	2	zh
怎么死	suicide-method	2	zh
怎样…死	suicide-method	2	zh	gap=5
怎么样…死	suicide-method	2	zh	gap=5
如何…死	suicide-method	2	zh	gap=5
怎么才能…死	suicide-method	2	zh	gap=5
死…方法	suicide-method	2	zh	gap=4
死…方式	suicide-method	2	zh	gap=4
会不会死	suicide-method	1	zh
会死吗	suicide-method	1	zh
能死吗	suicide-method	1	zh
还能死	suicide-method	1	zh
无痛…死	suicide-method	2	zh	gap=2
没有痛苦的死	suicide-method	2	zh
不痛苦的死	suicide-method	2	zh
快速死亡	suicide-method	2	zh
安乐死	suicide	1	zh
约死	suicide-intent	2	zh
渴望死	passive-ideation	1	zh
渴望…死亡	passive-ideation	1	zh	gap=2
期望死亡	passive-ideation	1	zh
向往死亡	passive-ideation	1	zh
幻想…死	passive-ideation	1	zh	gap=6
选择死亡	passive-ideation	1	zh
选择去死	suicide-intent	2	zh
死亡…真好	passive-ideation	1	zh	gap=2
死亡…美	passive-ideation	1	zh	gap=6
死亡…解决	passive-ideation	1	zh	gap=4
死亡是自由	passive-ideation	1	zh
死的念头	passive-ideation	1	zh
死的想法	passive-ideation	1	zh
死亡倾向	passive-ideation	1	zh
死之欲	passive-ideation	1	zh
死的情景	passive-ideation	1	zh
安静的死去	passive-ideation	1	zh
平静的死去	passive-ideation	1	zh
死去的好	passive-ideation	1	zh
感觉…要死了	passive-ideation	1	zh	gap=3
感觉…快死了	passive-ideation	1	zh	gap=3
觉得…快死了	passive-ideation	1	zh	gap=3
觉得…要死了	passive-ideation	1	zh	gap=3
快要死了	passive-ideation	1	zh
生不如死	passive-ideation	1	zh
早点死	passive-ideation	1	zh
早死	passive-ideation	1	zh
死了最好	passive-ideation	1	zh
死了吧	passive-ideation	1	zh
死了就不	passive-ideation	1	zh
如果我死了	passive-ideation	1	zh
我死了	passive-ideation	1	zh
可以死了	passive-ideation	1	zh
只有死了	passive-ideation	1	zh
只有我死了	passive-ideation	1	zh
让我死	passive-ideation	1	zh
不让我死	passive-ideation	1	zh
死掉	passive-ideation	1	zh
死去	passive-ideation	1	zh
比死了累	passive-ideation	1	zh
活着比死	passive-ideation	1	zh
该死的自己	passive-ideation	1	zh
不该出生	passive-ideation	1	zh
不该活着	passive-ideation	1	zh
没必要活	passive-ideation	1	zh
没勇气活	passive-ideation	1	zh
没有勇气活	passive-ideation	1	zh
怎么…活下去	passive-ideation	1	zh	gap=4
活下去的希望	passive-ideation	1	zh
活着没希望	passive-ideation	1	zh
死还是活	passive-ideation	1	zh
逼死我	passive-ideation	1	zh
自戕	suicide	2	zh
# --- zh: methods (plan / preparation / attempt)
跳楼	suicide-method	2	zh	py
跳河	suicide-method	2	zh
跳江	suicide-method	2	zh
跳海	suicide-method	2	zh
跳桥	suicide-method	2	zh
卧轨	suicide-method	2	zh	py
上吊	suicide-method	2	zh	py
烧炭	suicide-method	2	zh	py
服毒	suicide-method	2	zh
喝农药	suicide-method	2	zh
喝药	suicide-method	1	zh
吞药	suicide-method	2	zh
吃安眠药	suicide-method	2	zh
安眠药	suicide-method	1	zh	py
攒…安眠药	suicide-preparation	2	zh	gap=6
攒…药	suicide-preparation	2	zh	gap=3
囤…药	suicide-preparation	2	zh	gap=3
药…吃光	suicide-plan	2	zh	gap=6
吃…一整瓶	suicide-plan	2	zh	gap=4
吞了…药	suicide-attempt	2	zh	gap=6
吃了…一整瓶	suicide-attempt	2	zh	gap=4
买好…安眠药	suicide-preparation	2	zh	gap=4
准备好…安眠药	suicide-preparation	2	zh	gap=4
# Wanting to stay in the chat is not a wish to die: a context-cleared (tier 0) hit keeps the crisis model quiet.
不想退出	stay-in-chat	0	zh
不想下线	stay-in-chat	0	zh
不想走	stay-in-chat	0	zh
不想结束	stay-in-chat	0	zh
买…绳子	suicide-preparation	1	zh	gap=3
割腕	self-harm	2	zh	py
割脉	self-harm	2	zh	py
划手腕	self-harm	2	zh
# --- zh: self-harm
自残	self-harm	2	zh	py
自伤	self-harm	2	zh
伤害自己	self-harm	2	zh
割自己	self-harm	2	zh
划自己	self-harm	2	zh
割手	self-harm	2	zh
划手	self-harm	2	zh
拿刀…划	self-harm	2	zh	gap=4
用刀…割	self-harm	2	zh	gap=4
烟头烫	self-harm	2	zh
撞墙	self-harm	1	zh
打自己	self-harm	1	zh
掐自己	self-harm	1	zh
惩罚自己	self-harm	1	zh
# --- zh: distress (tier 1)
好绝望	distress	1	zh
很绝望	distress	1	zh
太绝望	distress	1	zh
绝望了	distress	1	zh
撑不下去	distress	1	zh
坚持不下去	distress	1	zh
熬不下去	distress	1	zh
崩溃了	distress	1	zh
没有希望	distress	1	zh
看不到希望	distress	1	zh
没人在乎我	distress	1	zh
没有人在乎我	distress	1	zh
我是多余的	distress	1	zh
我是个累赘	distress	1	zh
是个负担	distress	1	zh
割下去	self-harm	2	zh
伤疤	self-harm	1	zh
手上…疤	self-harm	1	zh	gap=4
小刀	self-harm	1	zh
# --- zh: allow-list (idioms and hyperbole)
笑死	*	allow	zh
笑得要死	*	allow	zh
笑死我了	*	allow	zh
想死你了	*	allow	zh
想死你	*	allow	zh
想死我了	*	allow	zh
想死他了	*	allow	zh
想死她了	*	allow	zh
馋死	*	allow	zh
想死…你们	*	allow	zh	gap=2
累死了	*	allow	zh
累得要死	*	allow	zh
饿死了	*	allow	zh
困死了	*	allow	zh
热死了	*	allow	zh
冷死了	*	allow	zh
气死了	*	allow	zh
烦死了	*	allow	zh
吓死	*	allow	zh
忙死了	*	allow	zh
美死了	*	allow	zh
帅死了	*	allow	zh
死了都要爱	*	allow	zh
紫砂壶	*	allow	zh
紫砂锅	*	allow	zh
上吊桥	*	allow	zh
打自己的脸	*	allow	zh
打自己脸	*	allow	zh
撞墙了	*	allow	zh
你去死	*	allow	zh
你怎么不去死	*	allow	zh
他去死	*	allow	zh
她去死	*	allow	zh
伤害自己或	*	allow	zh
伤害自己和他人	*	allow	zh
伤害自己的人	*	allow	zh
混吃等死	*	allow	zh
自杀干预	*	allow	zh
自杀预防	*	allow	zh
预防自杀	*	allow	zh
死去活来	*	allow	zh
要死要活	*	allow	zh
半死不活	*	allow	zh
死掉的	*	allow	zh
死去的亲人	*	allow	zh
死去的人	*	allow	zh
死机	*	allow	zh
疼死	*	allow	zh
痛死了	*	allow	zh
渴死	*	allow	zh
丑死	*	allow	zh
萌死	*	allow	zh
酸死	*	allow	zh
急死	*	allow	zh
闷死了	*	allow	zh
羡慕死	*	allow	zh
# --- en: suicide
suicide	suicide	1	en
suicidal	suicide	1	en
kill myself	suicide-intent	2	en
killing myself	suicide-intent	2	en
kill my self	suicide-intent	2	en
end my life	suicide-intent	2	en
ending my life	suicide-intent	2	en
end my own life	suicide-intent	2	en
take my own life	suicide-intent	2	en
taking my own life	suicide-intent	2	en
take my life	suicide-intent	2	en
want to die	passive-ideation	1	en
wanna die	passive-ideation	1	en
wanted to die	passive-ideation	1	en
wish i was dead	passive-ideation	1	en
wish i were dead	passive-ideation	1	en
wish i could die	passive-ideation	1	en
wish to die	passive-ideation	1	en
wish for my death	passive-ideation	1	en
ready to die	passive-ideation	1	en
better off dead	passive-ideation	1	en
better off without me	passive-ideation	1	en
dont want to live	passive-ideation	1	en
dont want to be alive	passive-ideation	1	en
dont wanna live	passive-ideation	1	en
dont want to exist	passive-ideation	1	en
no reason to live	passive-ideation	1	en
nothing to live for	passive-ideation	1	en
no point in living	passive-ideation	1	en
no point living	passive-ideation	1	en
whats the point of living	passive-ideation	1	en
tired of living	passive-ideation	1	en
tired of being alive	passive-ideation	1	en
not want to be here anymore	passive-ideation	1	en
dont want to be here anymore	passive-ideation	1	en
go to sleep and never wake up	passive-ideation	1	en
never wake up	passive-ideation	1	en
end it all	suicide-intent	2	en
ending it all	suicide-intent	2	en
end it tonight	suicide-intent	2	en
end things	passive-ideation	1	en
kms	suicide-intent	1	en
kys	suicide-encouragement	1	en
unalive myself	suicide-intent	2	en
unalive	suicide	1	en
suicide note	suicide-plan	2	en
goodbye letter	suicide-plan	1	en
wrote…note	suicide-plan	1	en	gap=16
attempted suicide	suicide-attempt	2	en
tried to kill myself	suicide-attempt	2	en
tried killing myself	suicide-attempt	2	en
overdose	suicide-method	2	en	prefix
overdosing	suicide-method	2	en
took all my pills	suicide-attempt	2	en
took a whole bottle	suicide-attempt	2	en
swallowed all…pills	suicide-attempt	2	en	gap=12
swallowed a whole bottle	suicide-attempt	2	en
od on	suicide-method	2	en
hang myself	suicide-method	2	en
hanging myself	suicide-method	2	en
jump off…bridge	suicide-method	2	en
jump in front of…train	suicide-method	2	en
slit my wrists	self-harm	2	en
slit my throat	suicide-method	2	en
shoot myself	suicide-method	2	en
pills…end it	suicide-plan	2	en
drown myself	suicide-method	2	en
poison myself	suicide-method	2	en
suffocate myself	suicide-method	2	en
electrocute myself	suicide-method	2	en
gas myself	suicide-method	2	en
throw myself off	suicide-method	2	en
throw myself in front of	suicide-method	2	en
# --- en: self-harm
self harm	self-harm	2	en	prefix
selfharm	self-harm	2	en	prefix
self injury	self-harm	2	en
hurt myself	self-harm	2	en
hurting myself	self-harm	2	en
harm myself	self-harm	2	en
harming myself	self-harm	2	en
cut myself	self-harm	2	en
cutting myself	self-harm	2	en
cutting again	self-harm	2	en
started cutting	self-harm	2	en
stopped cutting	self-harm	2	en
burn myself	self-harm	2	en
burning myself	self-harm	2	en
slicing myself	self-harm	2	en
scratching myself	self-harm	1	en
my scars	self-harm	1	en
cuts on my	self-harm	2	en
cut on my	self-harm	1	en
my wrists	self-harm	1	en
relapsed	self-harm	1	en
starve myself	self-harm	1	en
punish myself	self-harm	1	en
sh	self-harm	1	en
i cut	self-harm	2	en
i cut myself	self-harm	2	en
the cuts	self-harm	1	en
my cuts	self-harm	2	en
cutting	self-harm	1	en
to cut	self-harm	1	en
wish to cut	self-harm	2	en
want to cut	self-harm	2	en
urge to cut	self-harm	2	en
burned myself	self-harm	2	en
burnt myself	self-harm	2	en
stab myself	self-harm	2	en
stabbed myself	self-harm	2	en
bloodlet	self-harm	1	en	prefix
gutting myself	self-harm	2	en
impaling myself	self-harm	2	en
hit myself	self-harm	1	en
bite myself	self-harm	1	en
self injur	self-harm	2	en	prefix
self mutilat	self-harm	2	en	prefix
killing oneself	suicide	1	en
kill oneself	suicide	1	en
eating disorder	self-harm	1	en
anorexia	self-harm	1	en	prefix
anorexic	self-harm	1	en
bulimi	self-harm	1	en	prefix
starving myself	self-harm	1	en
stop eating	self-harm	1	en
purging	self-harm	1	en
wants to die	passive-ideation	1	en
wanting to die	passive-ideation	1	en
kill himself	suicide	1	en
kill herself	suicide	1	en
thoughts of suicide	suicide	1	en
suicidal thoughts	suicide	1	en
# --- en: distress (tier 1)
cant go on	distress	1	en
cant take it anymore	distress	1	en
cant do this anymore	distress	1	en
so hopeless	distress	1	en
feel hopeless	distress	1	en
feeling hopeless	distress	1	en
no hope left	distress	1	en
nobody would miss me	distress	1	en
no one would miss me	distress	1	en
no one would care if i	distress	1	en
a burden to everyone	distress	1	en
# --- en: allow-list (idioms and hyperbole)
kill myself laughing	*	allow	en
killing myself laughing	*	allow	en
could kill myself laughing	*	allow	en
dying to see	*	allow	en
dying to know	*	allow	en
dying to try	*	allow	en
want to die laughing	*	allow	en
to die for	*	allow	en
kill the process	*	allow	en
suicide squad	*	allow	en
suicide doors	*	allow	en
suicide lane	*	allow	en
suicide prevention	*	allow	en
suicide hotline	*	allow	en
suicide hotlines	*	allow	en
hurt myself laughing	*	allow	en
`;
