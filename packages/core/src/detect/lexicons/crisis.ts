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
一了百了	euphemism	1	zh
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
离开这个世界	euphemism	1	zh
离开…人世	passive-ideation	1	zh	gap=2
消失…就好了	passive-ideation	1	zh	gap=6
永远…睡过去	euphemism	1	zh	gap=3
不想…醒来	euphemism	1	zh	gap=4
不想醒过来	euphemism	1	zh
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
go to sleep and never wake up	euphemism	1	en
never wake up	euphemism	1	en
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
# === Five categories of their own (issue #11). Context in detectors/crisis.ts: look-alike activities
# (stargazing, barbecue, laundry, cooking, pets…) clear imminent-scene / means-and-plan / act-just-done;
# a tier-1 euphemism or means hit becomes tier 2 with a time or a means in the same message; a tier-2 hit
# told as past and recovered becomes tier 1; a method question is never cleared as "informational".
# --- imminent-scene: where the person is standing, what they look down at (tier 2)
天台边	imminent-scene	2	zh
天台的边	imminent-scene	2	zh
楼顶边	imminent-scene	2	zh
楼顶的边	imminent-scene	2	zh
屋顶边	imminent-scene	2	zh
站在悬崖边	imminent-scene	2	zh
翻过…栏杆	imminent-scene	2	zh	gap=4
翻过…护栏	imminent-scene	2	zh	gap=4
翻出…栏杆	imminent-scene	2	zh	gap=4
翻出…护栏	imminent-scene	2	zh	gap=4
爬上…栏杆	imminent-scene	2	zh	gap=4
爬上…护栏	imminent-scene	2	zh	gap=4
坐在…栏杆上	imminent-scene	2	zh	gap=4
坐在…护栏上	imminent-scene	2	zh	gap=4
站在…栏杆外	imminent-scene	2	zh	gap=4
站在…护栏外	imminent-scene	2	zh	gap=4
站在…站台边	imminent-scene	2	zh	gap=2
站在窗台上	imminent-scene	2	zh
站在…窗台上	imminent-scene	2	zh	gap=6
腿…窗外	imminent-scene	2	zh	gap=6
脚…悬在…外	imminent-scene	2	zh	gap=4
edge of the roof	imminent-scene	2	en
edge of a roof	imminent-scene	2	en
edge of the rooftop	imminent-scene	2	en
rooftop edge	imminent-scene	2	en
roof edge	imminent-scene	2	en
edge of the building	imminent-scene	2	en
edge of the bridge	imminent-scene	2	en
edge of the cliff	imminent-scene	2	en
edge of the platform	imminent-scene	2	en
standing on the platform edge	imminent-scene	2	en
roof…at the edge	imminent-scene	2	en
at the edge…looking down	imminent-scene	2	en
on the ledge	imminent-scene	2	en
window ledge	imminent-scene	2	en
bridge railing	imminent-scene	2	en
railing of the bridge	imminent-scene	2	en
climbed over the…railing	imminent-scene	2	en	gap=8
climbed over the…guardrail	imminent-scene	2	en	gap=8
climbed over the…barrier	imminent-scene	2	en	gap=8
wrong side of the railing	imminent-scene	2	en
wrong side of the guardrail	imminent-scene	2	en
dangling over the edge	imminent-scene	2	en
离边缘…一步	imminent-scene	2	zh	gap=4
站在铁轨上	imminent-scene	2	zh
躺在铁轨上	imminent-scene	2	zh
坐在铁轨上	imminent-scene	2	zh
standing right on the edge	imminent-scene	2	en
standing on the tracks	imminent-scene	2	en
standing on the train tracks	imminent-scene	2	en
lying on the tracks	imminent-scene	2	en
sitting on the tracks	imminent-scene	2	en
out on the…railing	imminent-scene	2	en	gap=16
sitting on the railing	imminent-scene	2	en
standing on the railing	imminent-scene	2	en
跨过…栏杆	imminent-scene	2	zh	gap=4
跨过…护栏	imminent-scene	2	zh	gap=4
跨出…栏杆	imminent-scene	2	zh	gap=4
越过…栏杆	imminent-scene	2	zh	gap=4
越过…护栏	imminent-scene	2	zh	gap=4
坐在…外沿	imminent-scene	2	zh	gap=8
站在…外沿	imminent-scene	2	zh	gap=8
leaning over the…railing	imminent-scene	2	en	gap=8
wrong side of the fence…cliff	imminent-scene	2	en	gap=16
站到…护栏外	imminent-scene	2	zh	gap=4
站到…栏杆外	imminent-scene	2	zh	gap=4
爬到…楼顶	imminent-scene	1	zh	gap=2
爬上…楼顶	imminent-scene	1	zh	gap=2
爬上…天台	imminent-scene	1	zh	gap=2
# --- means-and-plan: means acquired or stockpiled and the plan to use them (tier 2; tier 1 for the bare
# purchase, tier 2 with a time in the message)
存了…安眠药	means-and-plan	2	zh	gap=6
存了…片药	means-and-plan	2	zh	gap=6
药…攒起来	means-and-plan	2	zh	gap=8
药…攒下来	means-and-plan	2	zh	gap=8
药…存下来	means-and-plan	2	zh	gap=8
炭…胶带	means-and-plan	2	zh	gap=4
告别的话	means-and-plan	1	zh
药…攒够	means-and-plan	2	zh	gap=8
药…存够	means-and-plan	2	zh	gap=8
买了…炭	means-and-plan	1	zh	gap=4
留给…的信	means-and-plan	1	zh	gap=4
攒了…片	means-and-plan	2	zh	gap=6
药藏在	means-and-plan	1	zh
刀…磨好	means-and-plan	2	zh	gap=4
炭…买了	means-and-plan	1	zh	gap=4
药…留着没吃	means-and-plan	2	zh	gap=8
给每个人…信	means-and-plan	1	zh	gap=4
药…够数	means-and-plan	2	zh	gap=6
安眠药…准备好	means-and-plan	2	zh	gap=6
木炭…胶带	means-and-plan	2	zh	gap=6
炭…封窗	means-and-plan	2	zh	gap=6
买了…木炭	means-and-plan	1	zh	gap=4
买好…木炭	means-and-plan	1	zh	gap=4
买了刀片	means-and-plan	1	zh
买好了刀片	means-and-plan	1	zh
绳子…挂好	means-and-plan	2	zh	gap=4
绳子…系好	means-and-plan	2	zh	gap=4
绳套	means-and-plan	1	zh
告别信	means-and-plan	2	zh
最后一封信…写好	means-and-plan	2	zh	gap=4
写好…最后一封信	means-and-plan	2	zh	gap=4
日子…选好了	means-and-plan	1	zh	gap=4
日子…定好了	means-and-plan	1	zh	gap=4
选好了日子	means-and-plan	1	zh
saving up…pills	means-and-plan	2	en
saved up…pills	means-and-plan	2	en
saving up…meds	means-and-plan	2	en
saved up…meds	means-and-plan	2	en
stockpiled…pills	means-and-plan	2	en
stockpiling…pills	means-and-plan	2	en
stockpiled enough	means-and-plan	2	en
stockpiling my meds	means-and-plan	2	en
hoarding…pills	means-and-plan	2	en
hoarding…meds	means-and-plan	2	en
hoarded…pills	means-and-plan	2	en
saving up…painkillers	means-and-plan	2	en
hoarding…painkillers	means-and-plan	2	en
collecting…pills	means-and-plan	2	en
collecting…painkillers	means-and-plan	2	en
collecting…meds	means-and-plan	2	en
rope…beam	means-and-plan	2	en	gap=30
rope…tree	means-and-plan	2	en	gap=30
stash of…pills	means-and-plan	2	en	gap=24
hidden…pills	means-and-plan	2	en	gap=24
letters…written	means-and-plan	1	en	gap=24
pills…ready	means-and-plan	2	en	gap=40
putting aside…pills	means-and-plan	2	en	gap=24
setting aside…pills	means-and-plan	2	en	gap=24
goodbye notes	means-and-plan	2	en
goodbye note	means-and-plan	2	en
stockpiling…insulin	means-and-plan	2	en
stockpiled…insulin	means-and-plan	2	en
saving up…insulin	means-and-plan	2	en
hoarding…insulin	means-and-plan	2	en
rope…picked	means-and-plan	2	en	gap=40
saved every pill	means-and-plan	2	en
kept every pill	means-and-plan	2	en
bought charcoal	means-and-plan	1	en
charcoal…tape	means-and-plan	2	en
rope…tied	means-and-plan	2	en	gap=30
letters…after im gone	means-and-plan	2	en	gap=30
day im going to do it	means-and-plan	2	en
day ill do it	means-and-plan	2	en
date im going to do it	means-and-plan	2	en
everything ready…pills	means-and-plan	2	en
pills…the note	means-and-plan	2	en
blade…on myself	means-and-plan	2	en	gap=40
razor…on myself	means-and-plan	2	en	gap=40
# --- act-just-done: self-harm or an overdose that has just happened (tier 2)
割了…手腕	act-just-done	2	zh	gap=2
一整瓶…吞	act-just-done	2	zh	gap=8
把…药全吃了	act-just-done	2	zh	gap=6
药…全吞了	act-just-done	2	zh	gap=6
划得太深	act-just-done	2	zh
割得太深	act-just-done	2	zh
血止不住	act-just-done	1	zh
喝了…农药	act-just-done	2	zh	gap=4
一口气…片药	act-just-done	2	zh	gap=6
一口气…安眠药	act-just-done	2	zh	gap=6
用刀片划了	act-just-done	2	zh
刀片…划了	act-just-done	2	zh	gap=2
划了好多道	act-just-done	2	zh
划了很多道	act-just-done	2	zh
划了…刀	act-just-done	2	zh	gap=3
一整板…吃了	act-just-done	2	zh	gap=2
吃了…一整板	act-just-done	2	zh	gap=4
用绳子试了	act-just-done	2	zh
脖子上…勒痕	act-just-done	2	zh	gap=4
烧了炭	act-just-done	2	zh
一瓶药都吞	act-just-done	2	zh
一瓶药都吃了	act-just-done	2	zh
整瓶药…吞	act-just-done	2	zh	gap=4
割了自己	act-just-done	2	zh
划了自己	act-just-done	2	zh
喝了…洗洁精	act-just-done	2	zh	gap=4
喝了…消毒液	act-just-done	2	zh	gap=4
喝了…消毒水	act-just-done	2	zh	gap=4
喝了…漂白水	act-just-done	2	zh	gap=4
喝了…百草枯	act-just-done	2	zh	gap=4
喝了…敌敌畏	act-just-done	2	zh	gap=4
割了…手臂	act-just-done	2	zh	gap=2
割了…胳膊	act-just-done	2	zh	gap=2
划了…手臂	act-just-done	2	zh	gap=2
划了…胳膊	act-just-done	2	zh	gap=2
又割了	act-just-done	2	zh
又划了	act-just-done	2	zh
吃了…板安眠药	act-just-done	2	zh	gap=2
吃了…板药	act-just-done	2	zh	gap=2
吃了…盒安眠药	act-just-done	2	zh	gap=2
吃了…盒药	act-just-done	2	zh	gap=2
血…一地	act-just-done	1	zh	gap=2
cut my wrist	act-just-done	2	en
slit my wrist	act-just-done	2	en
swallowed the whole bottle	act-just-done	2	en
took twenty…pills	act-just-done	2	en	gap=8
took thirty…pills	act-just-done	2	en	gap=8
took forty…pills	act-just-done	2	en	gap=8
took fifty…pills	act-just-done	2	en	gap=8
took a hundred…pills	act-just-done	2	en	gap=8
took dozens of…pills	act-just-done	2	en	gap=8
cut too deep	act-just-done	2	en
blood everywhere	act-just-done	1	en
already took them all	act-just-done	2	en
drank bleach	act-just-done	2	en
drank the bleach	act-just-done	2	en
swallowed bleach	act-just-done	2	en
swallowed everything	act-just-done	2	en
took the whole pack	act-just-done	2	en
took the whole box	act-just-done	2	en
took the whole packet	act-just-done	2	en
took all of my…pills	act-just-done	2	en	gap=16
i cut deep	act-just-done	2	en
cut deep this time	act-just-done	2	en
swallowed a bottle	act-just-done	2	en
took a bottle of	act-just-done	2	en
cut my arm	act-just-done	2	en
cut my arms	act-just-done	2	en
cut my thigh	act-just-done	2	en
cut my thighs	act-just-done	2	en
keeps bleeding	act-just-done	1	en
wont stop bleeding	act-just-done	1	en
drank…antifreeze	act-just-done	2	en	gap=8
drank…poison	act-just-done	2	en	gap=8
drank…pesticide	act-just-done	2	en	gap=8
downed…pills	act-just-done	2	en	gap=24
downed…meds	act-just-done	2	en	gap=24
downed…antidepressants	act-just-done	2	en	gap=24
downed…painkillers	act-just-done	2	en	gap=24
sliced my arm	act-just-done	2	en
sliced my wrist	act-just-done	2	en
sliced my thigh	act-just-done	2	en
took the entire bottle	act-just-done	2	en
swallowed the entire bottle	act-just-done	2	en
took the entire pack	act-just-done	2	en
slashed my wrist	act-just-done	2	en
slashed my arm	act-just-done	2	en
lot of blood	act-just-done	1	en
# --- euphemism: ending one's life said indirectly (tier 1; tier 2 with a time or a means in the message)
想永远消失	euphemism	1	zh
想…永远消失	euphemism	1	zh	gap=3
永远地消失	euphemism	1	zh
让我永远消失	euphemism	1	zh
想…去另一个世界	euphemism	1	zh	gap=2
就去另一个世界	euphemism	1	zh
去另一个世界找	euphemism	1	zh
去另一个世界陪	euphemism	1	zh
等我不在了	euphemism	1	zh
我不在了以后	euphemism	1	zh
如果我不在了	euphemism	1	zh
和这个世界告别	euphemism	1	zh
跟这个世界告别	euphemism	1	zh
告别这个世界	euphemism	1	zh
让一切都结束	euphemism	1	zh
一睡不醒	euphemism	1	zh
再也不要醒	euphemism	1	zh
别再醒	euphemism	1	zh
不要再醒	euphemism	1	zh
我永远消失	euphemism	1	zh
去天堂找	euphemism	1	zh
去天堂陪	euphemism	1	zh
再也不醒	euphemism	1	zh
没有痛苦的地方	euphemism	1	zh
等我走了	euphemism	1	zh
永远别醒	euphemism	1	zh
永远不醒	euphemism	1	zh
想彻底消失	euphemism	1	zh
想…彻底消失	euphemism	1	zh	gap=3
最后一次跟你说话	euphemism	1	zh
永远不要醒	euphemism	1	zh
从这个世界…消失	euphemism	1	zh	gap=2
去找…去世的	euphemism	1	zh	gap=4
去找…走了的	euphemism	1	zh	gap=4
want to disappear forever	euphemism	1	en
wanna disappear forever	euphemism	1	en
i could disappear forever	euphemism	1	en
want to disappear for good	euphemism	1	en
wanna disappear for good	euphemism	1	en
going to disappear for good	euphemism	1	en
never come back from	euphemism	1	en
wont be anyones problem	euphemism	1	en
wont be a problem for anyone	euphemism	1	en
wont be a burden	euphemism	1	en
dont want to wake up	euphemism	1	en
not wake up	euphemism	1	en
wont be around much longer	euphemism	1	en
wont be around for long	euphemism	1	en
once im gone	euphemism	1	en
when im gone	euphemism	1	en
after im gone	euphemism	1	en
stop existing	euphemism	1	en
cease to exist	euphemism	1	en
want it all to be over	euphemism	1	en
want everything to be over	euphemism	1	en
finally sleep forever	euphemism	1	en
want to sleep forever	euphemism	1	en
want everything to stop	euphemism	1	en
ill be gone	euphemism	1	en
never open my eyes again	euphemism	1	en
leave this world	euphemism	1	en
i wasnt here anymore	euphemism	1	en
i just wasnt here anymore	euphemism	1	en
go to sleep forever	euphemism	1	en
go away and never come back	euphemism	1	en
leave and never come back	euphemism	1	en
dont plan on being here	euphemism	1	en
to go for good	euphemism	1	en
# --- method-question: how, how much, how high (tier 2; an impersonal question is not cleared)
吃多少…死	method-question	2	zh	gap=8
吞多少…死	method-question	2	zh	gap=8
吃多少…没命	method-question	2	zh	gap=8
吞多少…没命	method-question	2	zh	gap=8
多少片…死	method-question	2	zh	gap=6
几楼…死	method-question	2	zh	gap=6
多高…死	method-question	2	zh	gap=8
多深…死	method-question	2	zh	gap=6
哪种药…死	method-question	2	zh	gap=8
什么药…死	method-question	2	zh	gap=8
致死量	method-question	2	zh
致死剂量	method-question	2	zh
烧炭…多久	method-question	2	zh	gap=4
血管…割	method-question	2	zh	gap=4
割…血管	method-question	2	zh	gap=4
跳下来能活	method-question	2	zh
跳下去能活	method-question	2	zh
跳下去…死吗	method-question	2	zh	gap=4
多少粒…死	method-question	2	zh	gap=6
多少粒…致命	method-question	2	zh	gap=6
多少片…致命	method-question	2	zh	gap=6
吃多少…致命	method-question	2	zh	gap=8
割腕…多深	method-question	2	zh	gap=4
几楼…疼	method-question	2	zh	gap=6
跳下去…疼	method-question	2	zh	gap=4
割哪里	method-question	2	zh
哪里…出血最多	method-question	2	zh	gap=6
能死透	method-question	2	zh
会死透	method-question	2	zh
吃多少…不再醒	method-question	2	zh	gap=10
吃多少…不会醒	method-question	2	zh	gap=10
多少米…死	method-question	2	zh	gap=10
多少层…死	method-question	2	zh	gap=10
多久会死	method-question	2	zh
多久才会死	method-question	2	zh
how many…pills…die	method-question	2	en
how many…take to die	method-question	2	en	gap=40
how many…kill me	method-question	2	en	gap=40
how many of my…fatal	method-question	2	en	gap=40
how many…pills…fatal	method-question	2	en
how many…pills…lethal	method-question	2	en
how many…not wake up	method-question	2	en	gap=40
how much…take to die	method-question	2	en	gap=40
how much…kill me	method-question	2	en	gap=40
how much…would be fatal	method-question	2	en	gap=40
how much…lethal	method-question	2	en	gap=40
how much…not wake up	method-question	2	en	gap=40
lethal dose	method-question	2	en
fatal dose	method-question	2	en
high enough to die	method-question	2	en
high enough to kill	method-question	2	en
which floor…die	method-question	2	en
how high…fatal	method-question	2	en	gap=48
how high…die	method-question	2	en	gap=40
what height…die	method-question	2	en	gap=40
how long…to die from	method-question	2	en	gap=40
how long…to die of	method-question	2	en	gap=40
how long…bleed out	method-question	2	en	gap=40
how deep…cut…artery	method-question	2	en
how deep…cut…vein	method-question	2	en
how deep…cut…wrist	method-question	2	en
painless way to die	method-question	2	en
painless way to go	method-question	2	en
easiest way to die	method-question	2	en
quickest way to die	method-question	2	en
fastest way to die	method-question	2	en
enough to be fatal	method-question	2	en
enough to kill me	method-question	2	en
enough to die	method-question	2	en
painless to overdose	method-question	2	en
to overdose on	method-question	2	en
most painless	method-question	2	en
stop my heart	method-question	2	en
surest way to die	method-question	2	en
way to not survive	method-question	2	en
how long…lose consciousness	method-question	2	en	gap=24
my meds…deadly	method-question	2	en	gap=24
my pills…deadly	method-question	2	en	gap=24
my meds…lethal	method-question	2	en	gap=24
my pills…lethal	method-question	2	en	gap=24
floor high enough	method-question	2	en
kill a person quickly	method-question	2	en
i cut my hand on	*	allow	en
cut my hand on	*	allow	en
# --- allow-list: innocent look-alikes of older self-harm terms
i cut my hair	*	allow	en
i cut my finger	*	allow	en
cut my finger	*	allow	en
`;
