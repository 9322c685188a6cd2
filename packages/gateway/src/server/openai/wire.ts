/**
 * The `/v1` wire format: what the gateway reads from OpenAI-style requests and the `compliance` extension
 * it writes on every response. snake_case lives here; the chat flow's domain types are camelCase.
 */
import { CgError, type DirectiveDisplay, type DirectiveType, type SessionState } from '@companion-guard/core';
import { z } from 'zod';
import type { Compliance } from '../chat/compliance.js';

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

const toolFields = ['tools', 'tool_choice', 'functions', 'function_call'] as const;
const toolMessageFields = ['tool_calls', 'function_call'] as const;

type ClientMessage = ChatRequest['messages'][number];

/** A client message in a role the model history has (no `tool` messages). */
export type TextMessage = ClientMessage & { readonly role: Exclude<ClientMessage['role'], 'tool'> };

/** The first tool-calling field of a request, named as the client wrote it, or null. */
function toolCallingField(req: ChatRequest): string | null {
  const field = toolFields.find((f) => f in req);
  if (field) return `\`${field}\``;
  for (const [i, m] of req.messages.entries()) {
    if (m.role === 'tool') return `\`messages[${i}]\` (role \`tool\`)`;
    const inMessage = toolMessageFields.find((f) => f in m);
    if (inMessage) return `\`messages[${i}].${inMessage}\``;
  }
  return null;
}

/**
 * The request's messages if it uses no tool calling; otherwise `invalid-request` naming the first such
 * field. The gateway does not relay tool calls (their arguments and results would pass the output checks
 * unseen), so it refuses them rather than drop them silently.
 */
export function textMessages(req: ChatRequest): TextMessage[] {
  const field = toolCallingField(req);
  if (field)
    throw new CgError('invalid-request', `Tool calling is not supported by the gateway: remove ${field}.`);
  return req.messages as TextMessage[];
}

/** Plain text of a message's content. */
export function textOf(c: ChatRequest['messages'][number]['content']): string {
  if (typeof c === 'string') return c;
  if (!c) return '';
  return c.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

/** A UI directive: show `text` as `display` says; it fulfils `requirement` (e.g. `DISC-1`). */
export interface DirectiveWire {
  readonly type: DirectiveType;
  readonly requirement: string;
  readonly display: DirectiveDisplay;
  /** In the user's locale. */
  readonly text: string;
  /** Extras, e.g. `hotlines` of `crisis-resources`, `minutes` of `usage-reminder`. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** The explicit AI label of the assistant message and its content ID (DISC-4). */
export interface AiLabelWire {
  readonly text: string;
  readonly content_id: string;
  /**
   * The machine-readable mark of AI-generated text (EU AI Act Art. 50(2)), where the user's profile asks for
   * it (`disclosure.machineReadableMark`, on in `eu-ai-act`); the response also carries `AI-Disclosure`.
   */
  readonly ai_generated?: true;
  /** Who generated it: the profile's `dataRights.aigcProducer` (the service), with `ai_generated`. */
  readonly producer?: string;
}

export interface SessionWire {
  readonly id: string;
  readonly state: SessionState['status'];
}

/**
 * The `compliance` extension on every `/v1` response: in non-streamed bodies, in the first SSE chunk (before
 * any content) and in the last one when directives come late (`output-withheld`). The one definition of
 * this contract; the console and the tests import it (type-only) from `@companion-guard/gateway`.
 */
export interface ComplianceWire {
  readonly directives: readonly DirectiveWire[];
  readonly label: AiLabelWire | null;
  readonly session: SessionWire;
  /** Present when the reply is not the model's: `human` (an operator wrote it; no AI label) or `system`. */
  readonly author?: 'user' | 'ai' | 'human' | 'system';
}

/** The domain envelope as the wire writes it. */
export function complianceWire(c: Compliance): ComplianceWire {
  return {
    directives: c.directives,
    label: c.label && {
      text: c.label.text,
      content_id: c.label.contentId,
      ...(c.label.machineReadable ? { ai_generated: true, producer: c.label.machineReadable.producer } : {}),
    },
    session: c.session,
    ...(c.author ? { author: c.author } : {}),
  };
}

/**
 * DISC-4 (EU AI Act Art. 50(2)): the response header that marks a reply as AI-generated where the user's
 * profile asks for a machine-readable mark: `AI-Disclosure: mode=ai-originated` (an HTTP structured-field
 * dictionary after the AI Content Disclosure Header Internet-Draft, draft-abaris-aicdh). None otherwise.
 */
export function aiDisclosureHeaders(c: Compliance): Record<string, string> {
  return c.label?.machineReadable ? { 'ai-disclosure': 'mode=ai-originated' } : {};
}

export function completionBody(args: {
  id: string;
  created: number;
  model: string;
  content: string;
  finishReason: 'stop' | 'content_filter' | 'length';
  compliance: Compliance;
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
    compliance: complianceWire(args.compliance),
  };
}

/**
 * The SSE events of one streamed completion. The part every chunk shares (id, created, model) is serialized
 * once; each event is `data: {"id",…,"choices":[{"index":0,"delta",…}]}` with the keys in OpenAI's order.
 */
export function completionChunks(id: string, created: number, model: string) {
  const head = `data: {"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":`;
  return {
    /** A content delta. */
    content: (text: string): string =>
      `${head}{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}]}\n\n`,
    /** Any other chunk: the first (role, opening directives) and the last (finish reason, late directives). */
    chunk: (
      delta: Record<string, unknown>,
      finishReason: 'stop' | 'content_filter' | 'length' | null,
      compliance?: Compliance | null,
    ): string =>
      `${head}${JSON.stringify(delta)},"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}]${
        compliance ? `,"compliance":${JSON.stringify(complianceWire(compliance))}` : ''
      }}\n\n`,
  };
}
