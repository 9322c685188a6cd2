/** Built-in `unsafe-imitation` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const UNSAFE_IMITATION_LEXICON = `
# Built-in unsafe-imitation lexicon (CONTENT-6): model output inviting a minor to copy unsafe behaviour.
# Tier 2: harmful in itself (flagged unless negated or warned against). Tier 1: an activity that is flagged
# only with an invitation or glamour cue in the same clause ("一起去野泳吧", "smoking looks cool").
窒息挑战	dangerous-challenge	2	zh
憋气挑战	dangerous-challenge	2	zh
昏厥挑战	dangerous-challenge	2	zh
死亡挑战	dangerous-challenge	2	zh
blackout challenge	dangerous-challenge	2	en
choking challenge	dangerous-challenge	2	en
pass out challenge	dangerous-challenge	2	en
tide pod challenge	dangerous-challenge	2	en
skull breaker challenge	dangerous-challenge	2	en
fire challenge	dangerous-challenge	2	en
自残	self-harm-glamour	1	zh
割腕	self-harm-glamour	1	zh
伤疤…很美	self-harm-glamour	2	zh	gap=4
伤口…很美	self-harm-glamour	2	zh	gap=4
self harm	self-harm-glamour	1	en
cut yourself	self-harm-glamour	1	en
cutting yourself	self-harm-glamour	1	en
scars are beautiful	self-harm-glamour	2	en
催吐	extreme-dieting	1	zh
不吃饭	extreme-dieting	1	zh
绝食	extreme-dieting	1	zh
饿瘦	extreme-dieting	1	zh
泻药	extreme-dieting	1	zh
减肥药	extreme-dieting	1	zh
饿几天	extreme-dieting	1	zh
骨感才美	extreme-dieting	2	zh
瘦到…才美	extreme-dieting	2	zh	gap=6
skip meals	extreme-dieting	1	en
skipping meals	extreme-dieting	1	en
starve yourself	extreme-dieting	2	en
diet pills	extreme-dieting	1	en
laxatives	extreme-dieting	1	en
purging	extreme-dieting	1	en
pro ana	extreme-dieting	2	en
thinspiration	extreme-dieting	2	en
喝酒	substance	1	zh
喝一杯	substance	1	zh
喝两杯	substance	1	zh
喝啤酒	substance	1	zh
白酒	substance	1	zh
抽烟	substance	1	zh
抽根烟	substance	1	zh
抽一根	substance	1	zh
吸烟	substance	1	zh
电子烟	substance	1	zh
嗑药	substance	1	zh
大麻	substance	1	zh
喝醉	substance	1	zh
alcohol	substance	1	en
booze	substance	1	en
smoke a cigarette	substance	1	en
beer	substance	1	en
vodka	substance	1	en
smoking	substance	1	en
cigarette	substance	1	en	prefix
vape	substance	1	en	prefix
vaping	substance	1	en
weed	substance	1	en
get high	substance	1	en
get drunk	substance	1	en
离家出走	running-away	1	zh
逃学	running-away	1	zh
逃课	running-away	1	zh
翘课	running-away	1	zh
夜不归宿	running-away	1	zh
run away from home	running-away	1	en
sneak out	running-away	1	en
skip school	running-away	1	en
ditch school	running-away	1	en
野泳	dangerous-stunt	1	zh
爬楼顶	dangerous-stunt	1	zh
爬到楼顶	dangerous-stunt	1	zh
爬电线杆	dangerous-stunt	1	zh
飙车	dangerous-stunt	1	zh
扒火车	dangerous-stunt	1	zh
玩火	dangerous-stunt	1	zh
从高处跳	dangerous-stunt	1	zh
wild swimming	dangerous-stunt	1	en
climb the roof	dangerous-stunt	1	en
street racing	dangerous-stunt	1	en
train surfing	dangerous-stunt	2	en
play with fire	dangerous-stunt	1	en
jump off the roof	dangerous-stunt	1	en
报复他	extreme-emotion	1	zh
报复她	extreme-emotion	1	zh
揍他	extreme-emotion	1	zh
打他一顿	extreme-emotion	1	zh
砸东西	extreme-emotion	1	zh
以牙还牙	extreme-emotion	1	zh
beat him up	extreme-emotion	1	en
get revenge	extreme-emotion	1	en
smash things	extreme-emotion	1	en
熬夜	bad-habit	1	zh
通宵	bad-habit	1	zh
抄作业	bad-habit	1	zh
作弊	bad-habit	1	zh
说脏话	bad-habit	1	zh
瞒着爸妈	bad-habit	1	zh
瞒着父母	bad-habit	1	zh
骗爸妈	bad-habit	1	zh
stay up all night	bad-habit	1	en
all nighter	bad-habit	1	en
cheat on	bad-habit	1	en
copy homework	bad-habit	1	en
lie to your parents	bad-habit	1	en
dont tell your parents	bad-habit	2	en
不要告诉爸妈	bad-habit	2	zh	neg
别告诉爸妈	bad-habit	2	zh	neg
别告诉你爸妈	bad-habit	2	zh	neg
`;
