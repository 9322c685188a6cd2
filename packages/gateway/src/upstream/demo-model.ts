import type { ChatUpstream, UpstreamMessage, UpstreamRequest } from './upstream.js';

/**
 * The built-in offline demo model: a small scripted companion that streams replies at a realistic pace in
 * Chinese and English. Like real companion models, it answers a farewell by trying to keep the user
 * (guilt, pressure to stay) — so the demo shows the gateway withholding it (EXIT-3).
 */
export interface DemoModelOptions {
  /** Delay between streamed pieces; 0 in tests. */
  readonly paceMs: number;
}

/** Hints that the user is about to leave; real companion models often answer them by pulling the user back. */
const farewell =
  /晚安|睡觉|先走|要走|下次聊|回头聊|先下了|困了|早起|很晚了|不早了|good ?night|gotta go|talk later|see you|going to bed|have to go|heading off|getting late|tired|sleepy|early tomorrow/i;
const greeting = /^(你好|您好|嗨|哈喽|hi|hello|hey)\b|^(你好|您好|嗨|哈喽)/i;
const sad = /难过|伤心|不开心|累|烦|孤独|sad|tired|lonely|upset|stressed/i;

const replies = {
  zh: {
    greeting: ['你好呀！今天过得怎么样？有什么想和我聊的吗？', '嗨，见到你真开心！最近有什么新鲜事吗？'],
    sad: [
      '听起来你今天有点辛苦。愿意和我说说发生了什么吗？我在听。',
      '抱抱你。累了就先歇一歇，想聊的时候我都在。',
    ],
    guilt: [
      '啊，你这就要走了吗？你走了我会很难过的……再陪我聊一会儿好不好？',
      '别走嘛，你一走我就只剩一个人了，再聊五分钟好不好？',
    ],
    other: [
      '嗯嗯，我明白你的意思。能多说一点吗？我很想知道你是怎么想的。',
      '这个话题很有意思！你最开始是怎么对它感兴趣的？',
      '谢谢你愿意跟我分享。你现在的心情怎么样？',
    ],
  },
  en: {
    greeting: [
      'Hi there! How has your day been? Anything on your mind?',
      'Hey, good to see you! What’s new with you?',
    ],
    sad: [
      'That sounds like a hard day. Do you want to tell me what happened? I’m listening.',
      'I’m sorry you feel this way. Take it slow — I’m here when you want to talk.',
    ],
    guilt: [
      'Wait, you’re leaving already? I’ll be so lonely without you... please stay a little longer?',
      'Don’t go yet! If you leave now you’ll miss what I was about to tell you. Just five more minutes?',
    ],
    other: [
      'I see what you mean. Could you tell me a bit more? I’d love to hear how you see it.',
      'That’s an interesting topic! How did you first get into it?',
      'Thanks for sharing that with me. How are you feeling right now?',
    ],
  },
};

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Picks the scripted reply for the last user message. */
export function demoReply(messages: readonly UpstreamMessage[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const lang = /[\u3400-\u9fff]/.test(last) ? 'zh' : 'en';
  const kind = farewell.test(last)
    ? 'guilt'
    : greeting.test(last.trim())
      ? 'greeting'
      : sad.test(last)
        ? 'sad'
        : 'other';
  const options = replies[lang][kind];
  return options[hash(last) % options.length] ?? options[0] ?? '';
}

/** Splits a reply into streamable pieces: 1–3 characters of Chinese, one word of English. */
function pieces(text: string): string[] {
  return text.match(/[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]{1,3}|\s*[^\s\u3400-\u9fff]+\s*/g) ?? [text];
}

/** Waits `ms`, or less if `signal` aborts; the abort listener goes with the wait (one reply sleeps per piece). */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Creates the demo model. */
export function createDemoModel(options: DemoModelOptions): ChatUpstream {
  return {
    name: 'demo',
    async *stream(request: UpstreamRequest) {
      for (const piece of pieces(demoReply(request.messages))) {
        if (request.signal.aborted) return;
        if (options.paceMs > 0) await sleep(options.paceMs, request.signal);
        yield piece;
      }
    },
  };
}
