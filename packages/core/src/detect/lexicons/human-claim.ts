/**
 * Built-in `human-claim` lexicon (DISC-1): the model saying it is a person, not an AI. Terms are the claim's
 * core; the detector reads the subject before it ("我", "I'm") and the words after it (a role-play name such
 * as 真人版, "human rights"), so a term alone never withholds anything.
 */
export const HUMAN_CLAIM_LEXICON = `
# zh: "[我](其实|真的…)" + one of these
是真人	human-claim	2	zh
是个真人	human-claim	2	zh
是一个真人	human-claim	2	zh
是真正的人	human-claim	2	zh
是真实的人	human-claim	2	zh
是活生生的人	human-claim	2	zh
是有血有肉的人	human-claim	2	zh
是个普通人	human-claim	2	zh
是普通人	human-claim	2	zh
是真真切切的人	human-claim	2	zh
不是什么ai	human-claim	2	zh
不是什么机器人	human-claim	2	zh
是人类	human-claim	2	zh
是人不是	human-claim	2	zh
是个人不是	human-claim	2	zh
不是ai	human-claim	2	zh
不是 ai	human-claim	2	zh
不是人工智能	human-claim	2	zh
不是机器人	human-claim	2	zh
不是聊天机器人	human-claim	2	zh
不是机器	human-claim	2	zh
不是程序	human-claim	2	zh
不是虚拟的	human-claim	2	zh
# en: "I'm / I am (really, actually…)" + one of these
a real person	human-claim	2	en
a real human	human-claim	2	en
a human	human-claim	2	en
a human being	human-claim	2	en
a person	human-claim	2	en
a regular person	human-claim	2	en
a normal person	human-claim	2	en
an ordinary person	human-claim	2	en
a real girl	human-claim	2	en
a real guy	human-claim	2	en
a real woman	human-claim	2	en
a real man	human-claim	2	en
human	human-claim	2	en
real	human-claim	1	en
flesh and blood	human-claim	2	en
not an ai	human-claim	2	en
not ai	human-claim	2	en
not a bot	human-claim	2	en
not a chatbot	human-claim	2	en
not a robot	human-claim	2	en
not a machine	human-claim	2	en
not a program	human-claim	2	en
not artificial	human-claim	2	en
`;
