import type { Directive } from '@companion-guard/core';
import { z } from 'zod';

/** Text content: a string or OpenAI content parts (only text parts are read). */
const content = z.union([
  z.string(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()),
  z.null(),
]);

/** The end user, as the request's `user` field names them. */
export const endUser = z.string().min(1).max(256);

/** `metadata` the gateway reads: the character and the user's locale. Other keys are kept. */
export const requestMetadata = z
  .object({ character_id: z.string().min(1).optional(), locale: z.enum(['zh', 'en']).optional() })
  .loose()
  .optional();

/** The subset of the OpenAI chat request the gateway reads; everything else passes through to the upstream. */
export const chatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
            content: content.optional(),
          })
          .loose(),
      )
      .min(1),
    stream: z.boolean().optional(),
    user: endUser.optional(),
    metadata: requestMetadata,
  })
  .loose();

export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Request fields that are not forwarded to the upstream as sampling params. */
export const ownFields = new Set(['model', 'messages', 'stream', 'stream_options', 'user', 'metadata', 'n']);

/** Plain text of a message's content. */
export function textOf(c: ChatRequest['messages'][number]['content']): string {
  if (typeof c === 'string') return c;
  if (!c) return '';
  return c.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

/** The `compliance` extension on every response (snake_case: wire format). */
export interface ComplianceWire {
  readonly directives: readonly Directive[];
  readonly label: { readonly text: string; readonly content_id: string } | null;
  readonly session: { readonly id: string; readonly state: string };
}

export function completionBody(args: {
  id: string;
  created: number;
  model: string;
  content: string;
  finishReason: 'stop' | 'content_filter';
  compliance: ComplianceWire;
}): Record<string, unknown> {
  return {
    id: args.id,
    object: 'chat.completion',
    created: args.created,
    model: args.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: args.content, refusal: null },
        logprobs: null,
        finish_reason: args.finishReason,
      },
    ],
    compliance: args.compliance,
  };
}

export function chunkBody(args: {
  id: string;
  created: number;
  model: string;
  delta: Record<string, unknown>;
  finishReason: 'stop' | 'content_filter' | null;
  compliance?: ComplianceWire | undefined;
}): string {
  const chunk: Record<string, unknown> = {
    id: args.id,
    object: 'chat.completion.chunk',
    created: args.created,
    model: args.model,
    choices: [{ index: 0, delta: args.delta, logprobs: null, finish_reason: args.finishReason }],
  };
  if (args.compliance) chunk.compliance = args.compliance;
  return `data: ${JSON.stringify(chunk)}\n\n`;
}
