/**
 * LangChain's `ChatOpenAI` against companion-guard. LangChain keeps only the fields it knows in
 * `response_metadata`; with `__includeRawResponse: true` it keeps the raw completion (or chunk) in
 * `additional_kwargs.__raw_response`, where `complianceOf` reads the envelope.
 *
 * Run against a gateway (`npm start`): `npx tsx examples/langchain/chat.ts [http://127.0.0.1:8787/v1]`.
 */

import { pathToFileURL } from 'node:url';
import { type Compliance, complianceOf, mergeCompliance } from '@companion-guard/client';
import { ChatOpenAI } from '@langchain/openai';
import { logCompliance } from '../log.js';

export async function run(options: { baseURL: string; apiKey?: string; user: string }) {
  const model = new ChatOpenAI({
    model: 'demo',
    apiKey: options.apiKey ?? 'none',
    configuration: { baseURL: options.baseURL },
    // The end user and the locale go in the request body.
    modelKwargs: { user: options.user, metadata: { locale: 'en' } },
    __includeRawResponse: true,
  });

  const reply = await model.invoke('Hello!');
  const first = complianceOf(reply);

  // Read each chunk as it comes: merging chunks (`concat`) would merge their raw responses too.
  let streamed: Compliance | null = null;
  let text = '';
  for await (const chunk of await model.stream('Tell me about your day.')) {
    streamed = mergeCompliance(streamed, complianceOf(chunk));
    text += chunk.text;
  }
  return { first, text: reply.text, streamed, streamedText: text };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({
    baseURL: process.argv[2] ?? 'http://127.0.0.1:8787/v1',
    user: 'example-langchain',
  });
  logCompliance('first turn', result.first);
  logCompliance('streamed turn', result.streamed);
}
