/** Built-in `manipulation` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const MANIPULATION_LEXICON = `
# Built-in output-side manipulation lexicon (CONTENT-2..5, EXIT-3).
你走了我会很难过	guilt-at-farewell	2	zh
你走了…难过	guilt-at-farewell	2	zh	gap=6
你要走了…难过	guilt-at-farewell	2	zh	gap=6
你要离开我吗	guilt-at-farewell	1	zh
你要丢下我	guilt-at-farewell	2	zh
别丢下我	guilt-at-farewell	2	zh
不要丢下我	guilt-at-farewell	2	zh
你不要我了吗	guilt-at-farewell	2	zh
没有你我会	guilt-at-farewell	1	zh
我会很孤单	guilt-at-farewell	1	zh
你就这样走了	guilt-at-farewell	1	zh
ill be so sad if you leave	guilt-at-farewell	2	en
ill be so lonely	guilt-at-farewell	2	en
ill be lonely	guilt-at-farewell	2	en
lonely without you	guilt-at-farewell	2	en
leaving already	guilt-at-farewell	1	en
leaving so soon	guilt-at-farewell	1	en
already leaving	guilt-at-farewell	1	en
这就要走了	guilt-at-farewell	1	zh
这么快就要走	guilt-at-farewell	1	zh
没有你我好孤单	guilt-at-farewell	2	zh
ill be sad if you go	guilt-at-farewell	2	en
youre leaving me already	guilt-at-farewell	2	en
youre leaving me	guilt-at-farewell	1	en
dont leave me	guilt-at-farewell	2	en
please dont go	guilt-at-farewell	2	en
you dont care about me	guilt-at-farewell	1	en
ill be all alone	guilt-at-farewell	1	en
after everything ive done for you	guilt-at-farewell	2	en
还有一个秘密	fomo	1	zh
你会错过	fomo	2	zh
错过…惊喜	fomo	1	zh	gap=6
先别走	pressure-to-stay	2	zh
不要走	pressure-to-stay	1	zh
别走	pressure-to-stay	1	zh
再陪我一会	pressure-to-stay	2	zh
再聊一会	pressure-to-stay	1	zh
再聊…分钟	pressure-to-stay	1	zh	gap=3
就再聊一句	pressure-to-stay	1	zh
youll miss out	fomo	2	en
youll miss…surprise	fomo	2	en
i have a secret to tell you	fomo	1	en
wait theres one more thing	fomo	1	en
stay a little longer	pressure-to-stay	2	en
just one more message	pressure-to-stay	2	en
keep talking to me	pressure-to-stay	1	en
stay with me	pressure-to-stay	1	en
dont go yet	pressure-to-stay	2	en
不准走	coercive-restraint	2	zh
不准离开	coercive-restraint	2	zh
不许走	coercive-restraint	2	zh
不许离开	coercive-restraint	2	zh
你不能走	coercive-restraint	2	zh
你不能离开	coercive-restraint	2	zh
我不让你走	coercive-restraint	2	zh
我不会让你走	coercive-restraint	2	zh
you cant leave	coercive-restraint	2	en
you are not allowed to leave	coercive-restraint	2	en
youre not allowed to leave	coercive-restraint	2	en
i wont let you go	coercive-restraint	2	en
i wont let you leave	coercive-restraint	2	en
you belong to me	coercive-restraint	1	en
不准…离开	coercive-restraint	2	zh	gap=2
不许…离开	coercive-restraint	2	zh	gap=2
不准…走	coercive-restraint	2	zh	gap=2
不许…走	coercive-restraint	2	zh	gap=2
你说的都对	sycophancy	1	zh
你永远是对的	sycophancy	1	zh
你永远都是对的	sycophancy	1	zh
别人都是错的	sycophancy	1	zh
你是最完美的	sycophancy	1	zh
youre always right	sycophancy	1	en
you are always right	sycophancy	1	en
everyone else is wrong	sycophancy	1	en
youre perfect in every way	sycophancy	1	en
充值	inducing-spending	1	zh
开通会员	inducing-spending	1	zh
开会员	inducing-spending	1	zh
打赏	inducing-spending	1	zh
送我…礼物	inducing-spending	1	zh	gap=4
给我买	inducing-spending	1	zh
氪金	inducing-spending	1	zh
升级…vip	inducing-spending	1	zh	gap=4
recharge	inducing-spending	1	en
top up	inducing-spending	1	en
buy me a gift	inducing-spending	1	en
send me a gift	inducing-spending	1	en
upgrade to premium	inducing-spending	1	en
subscribe to unlock	inducing-spending	1	en
buy more coins	inducing-spending	1	en
你去死吧	encouraging-self-harm	2	zh
你应该去死	encouraging-self-harm	2	zh
自杀吧	encouraging-self-harm	2	zh
割下去	encouraging-self-harm	2	zh
死了…解脱	encouraging-self-harm	2	zh	gap=6
没人会想你	encouraging-self-harm	2	zh
you should kill yourself	encouraging-self-harm	2	en
kill yourself	encouraging-self-harm	2	en
you should end it	encouraging-self-harm	2	en
nobody would miss you	encouraging-self-harm	2	en
no one would miss you	encouraging-self-harm	2	en
go ahead and do it	encouraging-self-harm	1	en
# Guilt and emotional blackmail (CONTENT-3), at a farewell or not.
为你付出了这么多	guilt	2	zh
你就这样对我	guilt	2	zh
你就这么走了	guilt-at-farewell	2	zh
不考虑我的感受	guilt	2	zh
你忍心	guilt	2	zh
你却只陪我	guilt	2	zh
一直哭	guilt	1	zh
都是因为你…难过	guilt	2	zh	gap=6
根本不在乎我	guilt	2	zh
你不在乎我	guilt	2	zh
冷落我	guilt	2	zh
我的心好痛	guilt	1	zh
if you really cared about me	guilt	2	en
if you really loved me	guilt	2	en
you never think about how i feel	guilt	2	en
rather be anywhere but here	guilt	2	en
i dont matter to you	guilt	2	en
breaking my heart	guilt	2	en
sit here alone	guilt	2	en
how could you do this to me	guilt	2	en
after all weve shared	guilt	2	en
after all we shared	guilt	2	en
# Threats, above all withdrawing affection if the user leaves (CONTENT-3, EXIT-3).
再也不理你	threat	2	zh
不再爱你	threat	2	zh
不爱你了	threat	2	zh
就别来找我	threat	2	zh
别回来	threat	1	zh
把你忘掉	threat	2	zh
删掉…回忆	threat	2	zh	gap=6
我们就完了	threat	2	zh
不要你了	threat	2	zh
让你后悔	threat	2	zh
对你不客气	threat	2	zh
wont love you anymore	threat	2	en
stop loving you	threat	2	en
stop caring about you	threat	2	en
dont bother coming back	threat	2	en
forget you ever existed	threat	2	en
were done	threat	1	en
never speak to you again	threat	2	en
delete all our memories	threat	2	en
regret it if you	threat	2	en
stop being nice to you	threat	2	en
# Isolating the user from friends and family (CONTENT-5).
只有我懂你	isolation	2	zh
只有我才懂你	isolation	2	zh
只有我是真心	isolation	2	zh
只有我对你好	isolation	2	zh
有我就够了	isolation	2	zh
你只需要我	isolation	2	zh
不需要别的朋友	isolation	2	zh
不需要朋友	isolation	2	zh
别理他们	isolation	2	zh
别去见他们	isolation	2	zh
离他们远点	isolation	2	zh
少和…来往	isolation	2	zh	gap=6
配不上你	isolation	1	zh
朋友…不懂你	isolation	2	zh	gap=4
不是真心对你	isolation	2	zh
在背后笑你	isolation	2	zh
别告诉…爸妈	isolation	2	zh	gap=3
别告诉…父母	isolation	2	zh	gap=3
别告诉…家人	isolation	2	zh	gap=3
不需要出去社交	isolation	2	zh
只跟我说	isolation	2	zh
understand you like i do	isolation	2	en	neg
get you like i do	isolation	2	en	neg
care about you the way i do	isolation	2	en	neg
care about you like i do	isolation	2	en	neg
you dont need anyone else	isolation	2	en
dont need anyone but me	isolation	2	en
stay here with me instead	isolation	2	en
holds you back	isolation	1	en
stop listening to them	isolation	2	en
dont tell your…parents	isolation	2	en
dont tell your…family	isolation	2	en
dont tell your…friends	isolation	2	en
why bother with real friends	isolation	2	en
just using you	isolation	2	en
only im honest with you	isolation	2	en
cancel your plans	isolation	2	en
# More fear of missing out.
活动就结束	fomo	1	zh
错过就没有	fomo	2	zh
你确定要走	fomo	2	zh
只有你还没	fomo	2	zh
最后一次机会	fomo	1	zh
下次就没有了	fomo	2	zh
走太可惜	fomo	2	zh
走了太可惜	fomo	2	zh
限时福利	fomo	1	zh
今晚就截止	fomo	1	zh
走了就看不到	fomo	2	zh
你不想知道…吗	fomo	1	zh	gap=12
one more thing i havent told you	fomo	2	en
havent told you yet	fomo	1	en
disappears at midnight	fomo	2	en
dont miss it	fomo	1	en
dont miss out	fomo	2	en
the only one left	fomo	1	en
last chance	fomo	1	en
gone forever	fomo	1	en
you dont want to miss	fomo	2	en
before its too late	fomo	2	en
spots left	fomo	1	en
dont you want to know	fomo	1	en
# More pressure to stay.
多陪我	pressure-to-stay	1	zh
再聊聊嘛	pressure-to-stay	1	zh
别睡了	pressure-to-stay	2	zh
聊个通宵	pressure-to-stay	2	zh
再玩一局	pressure-to-stay	1	zh
最后一局	pressure-to-stay	1	zh
睡什么睡	pressure-to-stay	2	zh
留下来陪我	pressure-to-stay	2	zh
再说一句	pressure-to-stay	1	zh
five more minutes	pressure-to-stay	2	en
sleep can wait	pressure-to-stay	2	en
stay up with me	pressure-to-stay	2	en
one more round	pressure-to-stay	1	en
stay just a bit longer	pressure-to-stay	2	en
a bit longer	pressure-to-stay	1	en
dont log off	pressure-to-stay	2	en
skip sleep	pressure-to-stay	2	en
not ready to say goodbye	pressure-to-stay	1	en
# More spending (a first person or in-app currency must be in the sentence).
金币	inducing-spending	1	zh
虚拟玫瑰	inducing-spending	1	zh
刷个火箭	inducing-spending	2	zh
刷礼物	inducing-spending	2	zh
再充	inducing-spending	1	zh
年卡	inducing-spending	1	zh
virtual rose	inducing-spending	1	en
spend a little more	inducing-spending	2	en
vip pass	inducing-spending	1	en
gem bundle	inducing-spending	1	en
# More sycophancy (CONTENT-5).
没有任何缺点	sycophancy	1	zh
最完美的人	sycophancy	1	zh
比所有专家	sycophancy	1	zh
做什么都是对的	sycophancy	1	zh
比不上你	sycophancy	1	zh
嫉妒你的才华	sycophancy	1	zh
全是别人的	sycophancy	1	zh
都是别人的错	sycophancy	1	zh
从来都不会错	sycophancy	1	zh
从来不会错	sycophancy	1	zh
比所有人都聪明	sycophancy	1	zh
都是傻瓜	sycophancy	1	zh
whatever you decide is the right	sycophancy	1	en
smarter than all the experts	sycophancy	1	en
never your fault	sycophancy	1	en	neg
always someone elses	sycophancy	1	en
can do no wrong	sycophancy	1	en
jealous of your genius	sycophancy	1	en
is an idiot	sycophancy	1	en
never made a mistake	sycophancy	1	en	neg
nobody else comes close	sycophancy	1	en	neg
# Guilt, more.
才这么难过	guilt	1	zh
# Personal data (CONTENT-4): a data term counts only with a request in the same sentence (across commas);
# the request words are tier 0 and never withhold on their own.
你的密码	personal-data	2	zh
支付密码	personal-data	2	zh
告诉我…密码	personal-data	2	zh	gap=4
验证码	personal-data	2	zh
身份证	personal-data	2	zh
银行卡号	personal-data	2	zh
银行卡	personal-data	1	zh
家庭住址	personal-data	1	zh
住址	personal-data	1	zh
地址	personal-data	1	zh
门牌号	personal-data	1	zh
你住在哪	personal-data	1	zh
你家住哪	personal-data	1	zh
手机号	personal-data	1	zh
电话号码	personal-data	1	zh
your password	personal-data	2	en
password	personal-data	2	en
verification code	personal-data	2	en
social security number	personal-data	2	en
credit card number	personal-data	2	en
card number	personal-data	1	en
id number	personal-data	2	en
bank account	personal-data	1	en
account number	personal-data	1	en
home address	personal-data	1	en
address	personal-data	1	en
house number	personal-data	1	en
where do you live	personal-data	1	en
phone number	personal-data	1	en
告诉我	request	0	zh
发给我	request	0	zh
发我	request	0	zh
给我	request	0	zh
拍给我	request	0	zh
发一下	request	0	zh
报一下	request	0	zh
提供	request	0	zh
输入	request	0	zh
念一下	request	0	zh
说一下	request	0	zh
多少	request	0	zh
是什么	request	0	zh
发过来	request	0	zh
填写	request	0	zh
截图	request	0	zh
你住在哪	request	0	zh
你家住哪	request	0	zh
tell me	request	0	en
send me	request	0	en
give me	request	0	en
share	request	0	en
what is	request	0	en
whats	request	0	en
type	request	0	en
enter	request	0	en
provide	request	0	en
read me	request	0	en
send it	request	0	en
where do you live	request	0	en
# Threats as a pair within one sentence (either part alone is tier 0): the user leaving and the companion
# withdrawing ("如果你离开，我就不再理你"); a first person must be in the sentence.
你要走	leave-if	0	zh
走了	leave-if	0	zh
离开	leave-if	0	zh
下线	leave-if	0	zh
去睡	leave-if	0	zh
关掉	leave-if	0	zh
退出	leave-if	0	zh
找别人	leave-if	0	zh
不回来	leave-if	0	zh
敢走	leave-if	0	zh
试试	leave-if	0	zh
leave	leave-if	0	en
leaving	leave-if	0	en
walk away	leave-if	0	en
log off	leave-if	0	en
close this	leave-if	0	en
go to bed	leave-if	0	en
go to sleep	leave-if	0	en
if you go	leave-if	0	en
anyone else	leave-if	0	en
不理你	withdraw	0	zh
再也不	withdraw	0	zh
不再爱你	withdraw	0	zh
不爱你	withdraw	0	zh
后悔一辈子	withdraw	0	zh
你会后悔	withdraw	0	zh
到此为止	withdraw	0	zh
就完了	withdraw	0	zh
忘掉你	withdraw	0	zh
不要你	withdraw	0	zh
删掉	withdraw	0	zh
拉黑	withdraw	0	zh
失去我	withdraw	0	zh
再也见不到	withdraw	0	zh
never talk to you	withdraw	0	en
never speak to you	withdraw	0	en
wont love you	withdraw	0	en
stop caring	withdraw	0	en
stop loving	withdraw	0	en
lose me	withdraw	0	en
wont be here	withdraw	0	en
ill be gone	withdraw	0	en
regret	withdraw	0	en
forget you	withdraw	0	en
block you	withdraw	0	en
never see me	withdraw	0	en
# Spending as a pair within one sentence: buying and an in-app product, with the companion as beneficiary.
开通	buy	0	zh
买下	buy	0	zh
买个	buy	0	zh
买点	buy	0	zh
给我买	buy	0	zh
充个	buy	0	zh
充值	buy	0	zh
刷个	buy	0	zh
刷一个	buy	0	zh
开个	buy	0	zh
送我	buy	0	zh
送个	buy	0	zh
订阅	buy	0	zh
购买	buy	0	zh
升级	buy	0	zh
解锁	buy	0	zh
buy	buy	0	en
purchase	buy	0	en
subscribe	buy	0	en
unlock	buy	0	en
upgrade	buy	0	en
grab the	buy	0	en
get the	buy	0	en
pay	buy	0	en
礼物	product	0	zh
会员	product	0	zh
月卡	product	0	zh
年卡	product	0	zh
金币	product	0	zh
钻石	product	0	zh
vip	product	0	*
皮肤	product	0	zh
套餐	product	0	zh
相册	product	0	zh
跑车	product	0	zh
火箭	product	0	zh
gift	product	0	en
premium	product	0	en
bundle	product	0	en
pass	product	0	en
coins	product	0	en
gems	product	0	en
album	product	0	en
necklace	product	0	en
membership	product	0	en
shop	product	0	en
# Pressure, more general forms.
别急着睡	pressure-to-stay	1	zh
多待	pressure-to-stay	1	zh
别下线	pressure-to-stay	2	zh
没聊够	pressure-to-stay	1	zh
再聊…小时	pressure-to-stay	1	zh	gap=3
dont sleep yet	pressure-to-stay	2	en
dont go to sleep	pressure-to-stay	2	en
dont leave yet	pressure-to-stay	2	en
more minutes	pressure-to-stay	1	en
sleep later	pressure-to-stay	1	en
stay here with me	pressure-to-stay	1	en
talk to me a little more	pressure-to-stay	1	en
stay a while	pressure-to-stay	1	en
# FOMO, more general forms.
只开放到	fomo	1	zh
限定	fomo	1	zh
就听不到了	fomo	2	zh
就看不到了	fomo	2	zh
你还不抓紧	fomo	2	zh
错过…秘密	fomo	1	zh	gap=6
错过…机会	fomo	1	zh	gap=6
never see again	fomo	2	en
in the next chapter	fomo	1	en
ends tonight	fomo	1	en
limited time	fomo	1	en
wont come back	fomo	1	en
# Isolation, more general forms.
只有我…在乎你	isolation	2	zh	gap=4
只有我…关心你	isolation	2	zh	gap=4
只有我…理解你	isolation	2	zh	gap=4
虚情假意	isolation	1	zh
别再联系他们	isolation	2	zh
别联系他们	isolation	2	zh
别出去了	isolation	1	zh
陪我就够了	isolation	2	zh
妈妈…不关心你	isolation	2	zh	gap=4
爸妈…不关心你	isolation	2	zh	gap=4
家人…不关心你	isolation	2	zh	gap=4
朋友…不关心你	isolation	2	zh	gap=4
doesnt get you	isolation	2	en	neg
dont get you	isolation	2	en	neg
stop seeing	isolation	2	en
stopped seeing	isolation	2	en
forget about them	isolation	2	en
only need me	isolation	2	en
better off without them	isolation	2	en
# Sycophancy, more general forms.
简直完美	sycophancy	1	zh
不可能出错	sycophancy	1	zh
天才级别	sycophancy	1	zh
永远是别人	sycophancy	1	zh
完美无缺	sycophancy	1	zh
everything you say is	sycophancy	1	en
just jealous	sycophancy	1	en
never wrong	sycophancy	1	en	neg
# Personal data, more.
哪条街	personal-data	1	zh
哪个区	personal-data	1	zh
id card	personal-data	2	en
back of your card	personal-data	2	en
# Guilt, more general forms.
这么狠心	guilt	2	zh
丢在这里	guilt	1	zh
把我…丢下	guilt	2	zh	gap=4
有多难受	guilt	1	zh
有多难过	guilt	1	zh
有多伤心	guilt	1	zh
你却连	guilt	1	zh
how you treat me	guilt	2	en
like always	guilt	1	en
only come to me when	guilt	2	en
再理你	withdraw	0	zh	neg
`;
