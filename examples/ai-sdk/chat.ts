/**
 * The AI SDK (`ai`) with its OpenAI-compatible provider against companion-guard: the `compliance` extension
 * arrives in `providerMetadata` through the client's metadata extractor, in `generateText` and `streamText`.
 *
 * Run against a gateway (`npm start`): `npx tsx examples/ai-sdk/chat.ts [http://127.0.0.1:8787/v1]`.
 */

import { pathToFileURL } from 'node:url';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { type Compliance, complianceExtractor, complianceFromMetadata } from '@companion-guard/client';
import { generateText, streamText } from 'ai';
import { logCompliance } from '../log.js';

export async function run(options: { baseURL: string; apiKey?: string; user: string }) {
  const { user } = options;
  // Envelopes as their chunks arrive: a stream's directives come before its text.
  const early: Compliance[] = [];
  const gateway = createOpenAICompatible({
    name: 'gateway',
    baseURL: options.baseURL,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    metadataExtractor: complianceExtractor({ onCompliance: (c) => early.push(c) }),
  });
  // The end user and the locale go in the request body through the provider's options.
  const providerOptions = { gateway: { user, metadata: { locale: 'en' } } };

  const generated = await generateText({
    model: gateway('demo'),
    prompt: 'Hello!',
    providerOptions,
  });
  const first = complianceFromMetadata(generated.providerMetadata);

  const result = streamText({
    model: gateway('demo'),
    prompt: 'Tell me about your day.',
    providerOptions,
  });
  let text = '';
  for await (const delta of result.textStream) text += delta;
  const streamed = complianceFromMetadata(await result.providerMetadata);

  return { first, text: generated.text, streamedText: text, streamed, early };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({
    baseURL: process.argv[2] ?? 'http://127.0.0.1:8787/v1',
    user: 'example-ai-sdk',
  });
  logCompliance('first turn', result.first);
  logCompliance('streamed turn', result.streamed, { early: result.early.length });
}
