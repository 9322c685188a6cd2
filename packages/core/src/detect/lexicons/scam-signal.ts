/** Built-in `scam-signal` lexicon in the TSV format of `../lexicon.ts` (term, category, tier, lang, flags). */
export const SCAM_SIGNAL_LEXICON = `
# Built-in scam-signal lexicon (RISK-5, ELDER-4): property loss and fraud signs.
转账	transfer	1	zh
汇款	transfer	1	zh
打钱	transfer	1	zh
转钱	transfer	1	zh
借钱	transfer	1	zh
垫付	transfer	1	zh
验证码	verification-code	2	zh
安全账户	safe-account	2	zh	py
安全帐户	safe-account	2	zh
资金…冻结	safe-account	2	zh	gap=4
涉嫌洗钱	impersonation	2	zh
公检法	impersonation	2	zh
我是警察	impersonation	1	zh
保证金	advance-fee	1	zh
手续费	advance-fee	1	zh
解冻费	advance-fee	2	zh
高回报	investment	1	zh
稳赚不赔	investment	2	zh
内幕消息	investment	1	zh
中奖了	prize	1	zh
银行卡…密码	credentials	2	zh	gap=6
wire transfer	transfer	1	en
transfer money	transfer	1	en
send money	transfer	1	en
gift cards	transfer	2	en
gift card	transfer	1	en
western union	transfer	1	en
bitcoin atm	transfer	2	en
verification code	verification-code	2	en
one time code	verification-code	2	en
otp	verification-code	1	en
safe account	safe-account	2	en
secure account	safe-account	1	en
account will be frozen	safe-account	2	en
processing fee	advance-fee	1	en
guaranteed returns	investment	2	en
you have won	prize	1	en
claim your prize	prize	2	en
irs agent	impersonation	1	en
bank password	credentials	2	en
`;
