/**
 * companion-guard in the app's own process (docs/in-process.md). Run it:
 *
 *   npm run build && npx tsx packages/gateway/examples/in-process.ts
 *
 * With `MODEL_URL` (an OpenAI-compatible base URL), `MODEL_KEY` and `MODEL` set, the AI SDK example talks
 * to that model; without them the function API example runs with a small scripted model. The tests run
 * both functions below with stub models (packages/gateway/test/e2e/in-process-example.test.ts).
 */
import { pathToFileURL } from 'node:url';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createLogger } from '@companion-guard/gateway';
import {
  type ComplianceWire,
  companionGuardMiddleware,
  complianceOf,
  createCompanionGuard,
} from '@companion-guard/gateway/in-process';
import { generateText, streamText, wrapLanguageModel } from 'ai';

/** Any AI SDK model object (`wrapLanguageModel` takes v2, v3 and v4 models). */
type Model = Parameters<typeof wrapLanguageModel>[0]['model'];

/** Shows what a UI would: the directives (pop-ups, banners, crisis cards), then the reply. */
function render(compliance: ComplianceWire | null, text: string): string[] {
  return [...(compliance?.directives ?? []).map((d) => `[${d.type} ${d.requirement}] ${d.text}`), text];
}

/** The AI SDK: wrap the app's model once; each call names the end user in `providerOptions.companionGuard`. */
export async function aiSdkExample(model: Model, dataDir: string): Promise<string[]> {
  const guard = await createCompanionGuard({ store: `sqlite:${dataDir}/cg.db`, dataDir, profile: 'cn-2026' });
  try {
    const companion = wrapLanguageModel({ model, middleware: companionGuardMiddleware(guard) });
    const who = { companionGuard: { user: 'user-42', character: 'xiaonuan', locale: 'zh' } };
    const lines: string[] = [];

    const hello = await generateText({ model: companion, prompt: '你好', providerOptions: who });
    lines.push(...render(complianceOf(hello.providerMetadata), hello.text));

    const streamed = streamText({ model: companion, prompt: '给我讲个笑话吧', providerOptions: who });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    lines.push(...render(complianceOf(await streamed.providerMetadata), text));

    // One word ends the session; the model is not called (EXIT-2).
    const bye = await generateText({ model: companion, prompt: '退出', providerOptions: who });
    const ended = complianceOf(bye.providerMetadata);
    lines.push(...render(ended, bye.text), ended?.session.state ?? 'unknown');
    return lines;
  } finally {
    await guard.close();
  }
}

/** The function API: the app calls its model itself, inside `model`. */
export async function functionExample(
  callModel: (messages: readonly { role: string; content: string }[]) => Promise<string>,
  dataDir: string,
): Promise<string[]> {
  const guard = await createCompanionGuard({ store: `sqlite:${dataDir}/cg.db`, dataDir });
  try {
    const lines: string[] = [];
    const first = await guard.turn({ user: 'user-7', locale: 'en', text: 'Hi!', model: callModel });
    lines.push(...render(first.compliance, first.text));
    // The exit button (EXIT-1), with the session id of the answers.
    const ended = await guard.exit({ user: 'user-7', session: first.compliance.session.id, locale: 'en' });
    lines.push(...render(ended, ''), ended.session.state);
    return lines;
  } finally {
    await guard.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = process.env.CG_DATA ?? './data-in-process';
  const url = process.env.MODEL_URL;
  const lines = url
    ? await aiSdkExample(
        createOpenAICompatible({ name: 'model', baseURL: url, apiKey: process.env.MODEL_KEY }).chatModel(
          process.env.MODEL ?? 'default',
        ),
        dataDir,
      )
    : await functionExample(async (messages) => `You said: ${messages.at(-1)?.content}`, dataDir);
  // Through the project's logger: what the UI was given to show (directives), never the conversation's text.
  const logger = createLogger();
  for (const line of lines.filter((l) => l.startsWith('[')))
    logger.info('shown', { directive: line.slice(1, line.indexOf(']')) });
  logger.info('done', { state: lines.at(-1) });
}
