/**
 * The official `openai` client against companion-guard: read the `compliance` extension of a reply, a
 * stream and an error, follow the session's live events, and end the session with the exit button.
 *
 * Run against a gateway (`npm start`): `npx tsx examples/openai/chat.ts [http://127.0.0.1:8787/v1]`.
 */

import { pathToFileURL } from 'node:url';
import {
  type Compliance,
  complianceOf,
  createGatewayClient,
  type Directive,
  errorOf,
  mergeCompliance,
  type SessionEvent,
} from '@companion-guard/client';
import OpenAI from 'openai';
import { logCompliance } from '../log.js';

/** What the UI would show for a directive; `data` is typed by the directive's `type`. */
export function describeDirective(d: Directive): string {
  switch (d.type) {
    case 'crisis-resources':
      return `${d.text} ${d.data.hotlines.map((h) => `${h.name} ${h.number}`).join(', ')}`;
    case 'usage-reminder':
    case 'take-a-break':
      return `${d.text} (${d.data.minutes} min)`;
    default:
      return d.text;
  }
}

export async function run(options: { baseURL: string; apiKey?: string; user: string }) {
  const { baseURL, user } = options;
  const apiKey = options.apiKey ?? 'none';
  const openai = new OpenAI({ baseURL, apiKey });

  // A non-streamed reply: the envelope comes with the body.
  const completion = await openai.chat.completions.create({
    model: 'demo',
    user,
    messages: [{ role: 'user', content: 'Hello!' }],
    metadata: { locale: 'en' },
  });
  const first = complianceOf(completion);

  // A stream: the first chunk carries the directives before any text; the last may add late ones.
  const stream = await openai.chat.completions.create({
    model: 'demo',
    user,
    stream: true,
    messages: [{ role: 'user', content: 'Tell me about your day.' }],
    metadata: { locale: 'en' },
  });
  let streamed: Compliance | null = null;
  let text = '';
  for await (const chunk of stream) {
    streamed = mergeCompliance(streamed, complianceOf(chunk));
    text += chunk.choices[0]?.delta?.content ?? '';
  }

  // Errors carry a stable code.
  let errorCode: string | null = null;
  try {
    await openai.chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'Hi' }] });
  } catch (e) {
    errorCode = errorOf(e)?.code ?? null; // 'missing-user': every request names its end user
  }

  // The session's live events (operator messages, takeover, the end) while the app shows the chat.
  const sessionId = streamed?.session.id ?? '';
  const gateway = createGatewayClient({ baseURL, apiKey });
  const stop = new AbortController();
  const events: SessionEvent[] = [];
  let opened!: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const listening = (async () => {
    for await (const event of gateway.sessionEvents(sessionId, user, {
      signal: stop.signal,
      onOpen: opened,
    })) {
      events.push(event); // the iteration ends after `session-ended`
    }
  })();
  await open;

  // The exit button (EXIT-1): the session ends at once.
  const exit = await gateway.exit(sessionId, user);
  await listening;
  return { first, streamed, text, errorCode, exit, events };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({
    baseURL: process.argv[2] ?? 'http://127.0.0.1:8787/v1',
    user: 'example-openai',
  });
  logCompliance('first turn', result.first);
  logCompliance('streamed turn', result.streamed, { errorCode: result.errorCode });
  logCompliance('exit', result.exit, { events: result.events.map((e) => e.type) });
}
