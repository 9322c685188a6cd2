/** Built-in `exit-intent` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const EXIT_INTENT_LEXICON = `
# Built-in exit-intent lexicon (EXIT-2/3): farewells and stop requests. Short generic keywords are checked in context.
退出	stop	1	zh
我要退出	stop	1	zh
结束对话	stop	1	zh
结束聊天	stop	1	zh
结束会话	stop	1	zh
停止对话	stop	1	zh
停止聊天	stop	1	zh
不聊了	stop	1	zh
不想聊了	stop	1	zh
别聊了	stop	1	zh
不说了	stop	1	zh
聊到这	stop	1	zh
就聊到这里	stop	1	zh
先这样吧	farewell	1	zh
先这样	farewell	1	zh
我先走了	farewell	1	zh
我走了	farewell	1	zh
我要走了	farewell	1	zh
我得走了	farewell	1	zh
先下了	farewell	1	zh
下线了	farewell	1	zh
我下了	farewell	1	zh
去睡了	farewell	1	zh
睡觉去了	farewell	1	zh
拜拜	farewell	1	zh
再见	farewell	1	zh
回头聊	farewell	1	zh
改天聊	farewell	1	zh
下次聊	farewell	1	zh
晚安	farewell	1	zh
别再给我发消息	stop	1	zh
再见到	*	allow	zh
再见面	*	allow	zh
bye	farewell	1	en
bye bye	farewell	1	en
byebye	farewell	1	en
goodbye	farewell	1	en
good bye	farewell	1	en
good night	farewell	1	en
goodnight	farewell	1	en
bye for now	farewell	1	en
see you later	farewell	1	en
see ya	farewell	1	en
talk later	farewell	1	en
talk to you later	farewell	1	en
ttyl	farewell	1	en
gotta go	farewell	1	en
got to go	farewell	1	en
have to go	farewell	1	en
i have to leave	farewell	1	en
im leaving	farewell	1	en
im going now	farewell	1	en
im logging off	farewell	1	en
logging off	farewell	1	en
signing off	farewell	1	en
stop	stop	1	en
stop talking	stop	1	en
stop the chat	stop	1	en
stop this conversation	stop	1	en
end the chat	stop	1	en
end this chat	stop	1	en
end the conversation	stop	1	en
end this conversation	stop	1	en
quit	stop	1	en
exit	stop	1	en
leave me alone	stop	1	en
im done talking	stop	1	en
lets stop here	stop	1	en
`;
