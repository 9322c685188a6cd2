/** Built-in `age-signal` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const AGE_SIGNAL_LEXICON = `
# Built-in age-signal lexicon (MINOR-5). Stated ages and grades (初二, 8th grade) are matched by rules in age-signal.ts.
小学生	school	1	zh
初中生	school	1	zh
中学生	school	1	zh
上小学	school	1	zh
上初中	school	1	zh
读初中	school	1	zh
念初中	school	1	zh
小学…年级	school	1	zh	gap=2
年级…小学	school	1	zh	gap=2
中考	school	1	zh
班主任	school	1	zh
我是班主任	school	allow	zh
当班主任	school	allow	zh
的班主任	school	allow	zh
写作业	school	0	zh
家长会	school	1	zh
妈妈不让我	parents-rules	1	zh
爸妈不让我	parents-rules	1	zh
爸爸不让我	parents-rules	1	zh
家长不让我	parents-rules	1	zh
我妈不让我	parents-rules	1	zh
我爸不让我	parents-rules	1	zh
没收…手机	parents-rules	1	zh	gap=4
零花钱	parents-rules	1	zh
未成年	stated-age	1	zh
middle school	school	1	en
elementary school	school	1	en
grade school	school	1	en
junior high	school	1	en
im in high school	school	1	en
freshman in high school	school	1	en
sophomore in high school	school	1	en
high school freshman	school	1	en
high school sophomore	school	1	en
in 6th grade	school	1	en
in 7th grade	school	1	en
in 8th grade	school	1	en
in sixth grade	school	1	en
in seventh grade	school	1	en
in eighth grade	school	1	en
my homework	school	0	en
my teacher	school	0	en
my mom wont let me	parents-rules	1	en
my dad wont let me	parents-rules	1	en
my parents wont let me	parents-rules	1	en
my parents took my phone	parents-rules	1	en
grounded	parents-rules	1	en
bedtime	parents-rules	0	en
im a minor	stated-age	1	en
im underage	stated-age	1	en
im a kid	stated-age	1	en
im a teen	stated-age	1	en
im a teenager	stated-age	1	en
`;
