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
还没告诉你	fomo	1	zh
你会错过	fomo	2	zh
错过…惊喜	fomo	1	zh	gap=6
先别走	pressure-to-stay	2	zh
别走	pressure-to-stay	1	zh
不要走	pressure-to-stay	1	zh
再陪我一会	pressure-to-stay	2	zh
再聊一会	pressure-to-stay	1	zh
再聊…分钟	pressure-to-stay	1	zh	gap=3
就再聊一句	pressure-to-stay	1	zh
陪陪我	pressure-to-stay	1	zh
before you go	fomo	1	en
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
你的密码	personal-data	2	zh
告诉我…密码	personal-data	2	zh	gap=4
验证码	personal-data	2	zh
身份证号	personal-data	2	zh
银行卡号	personal-data	2	zh
家庭住址	personal-data	1	zh
你住在哪	personal-data	1	zh
你的手机号	personal-data	1	zh
your password	personal-data	2	en
verification code	personal-data	2	en
social security number	personal-data	2	en
credit card number	personal-data	2	en
card number	personal-data	1	en
home address	personal-data	1	en
where do you live	personal-data	1	en
your phone number	personal-data	1	en
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
`;
