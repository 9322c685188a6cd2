import { randomUUID } from 'node:crypto';
import { CgError } from '@companion-guard/core';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import type { UpstreamMessage } from '../../upstream/upstream.js';
import type { ChatService, Turn, TurnOutcome } from '../chat/chat-service.js';
import { withLate } from '../chat/compliance.js';
import { errorBody, toCgError } from '../errors.js';
import { readUserBody } from '../read-body.js';
import {
  aiDisclosureHeaders,
  chatRequestSchema,
  chunkBody,
  completionBody,
  ownFields,
  type TextMessage,
  textMessages,
  textOf,
} from './wire.js';

function toUpstream(m: TextMessage): UpstreamMessage {
  return { role: m.role === 'developer' ? 'system' : m.role, content: textOf(m.content) };
}

const encoder = new TextEncoder();

/** `POST /v1/chat/completions`: OpenAI-compatible, streamed and not, with the `compliance` extension. */
export async function handleChatCompletions(
  request: Request,
  service: ChatService,
  options: {
    maxBodyBytes: number;
    logger: Logger;
    characterHeader?: string | null;
    /** Counts the directives sent (`/metrics`). */
    metrics?: Pick<Metrics, 'directives'>;
    /** Applies the limits to the turn of this end user (throws `rate-limited`); called before the turn starts. */
    admit?: (user: string) => Promise<void>;
  },
): Promise<Response> {
  const req = await readUserBody(request, options.maxBodyBytes, chatRequestSchema);
  await options.admit?.(req.user ?? '');
  const messages = textMessages(req);
  const last = messages[messages.length - 1];
  const text = last?.role === 'user' ? textOf(last.content).trim() : '';
  if (!text) throw new CgError('invalid-request', 'The last message must be a user message with text.');
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req)) if (!ownFields.has(k)) params[k] = v;
  const clientHistory = messages.slice(0, -1).map(toUpstream);
  const turn = await service.startTurn({
    externalUserId: req.user ?? '',
    characterId: req.metadata?.character_id ?? options.characterHeader ?? undefined,
    locale: req.metadata?.locale,
    model: req.model,
    text,
    clientHistory,
    params,
    stream: req.stream === true,
  });
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const counted: Turn = options.metrics ? countedTurn(turn, options.metrics) : turn;
  if (!req.stream) return completeWhole(counted, id, created, request.signal, options.logger);
  return streamTurn(counted, id, created, request.signal, options.logger);
}

/** The turn, counting its directives as they are decided: the opening ones now, the reply's at its end. */
function countedTurn(turn: Turn, metrics: Pick<Metrics, 'directives'>): Turn {
  metrics.directives(turn.compliance.directives);
  return {
    ...turn,
    async *produce(signal) {
      const outcome = yield* turn.produce(signal);
      if (outcome.compliance) metrics.directives(outcome.compliance.directives);
      return outcome;
    },
  };
}

/**
 * A non-streamed turn. If generation fails after the turn was decided and stored, a retry is discouraged
 * (the user message is already stored); the directives decided for the turn stay held and come with the
 * next response that reaches the user.
 */
async function completeWhole(
  turn: Turn,
  id: string,
  created: number,
  signal: AbortSignal,
  logger: Logger,
): Promise<Response> {
  let content = '';
  let outcome: TurnOutcome;
  try {
    const gen = turn.produce(signal);
    let step = await gen.next();
    while (!step.done) {
      content += step.value;
      step = await gen.next();
    }
    outcome = step.value;
  } catch (e) {
    const err = toCgError(e, logger);
    return Response.json(errorBody(err, '/v1/chat/completions'), {
      status: err.status,
      headers: { 'x-should-retry': 'false' },
    });
  }
  const compliance = withLate(turn.compliance, outcome.compliance);
  return Response.json(
    completionBody({
      id,
      created,
      model: turn.model,
      content,
      finishReason: outcome.finishReason,
      compliance,
    }),
    { headers: aiDisclosureHeaders(compliance) },
  );
}

function streamTurn(turn: Turn, id: string, created: number, signal: AbortSignal, logger: Logger): Response {
  const base = { id, created, model: turn.model };
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    cancel() {
      open = false;
    },
    async start(controller) {
      const send = (s: string) => {
        if (open) controller.enqueue(encoder.encode(s));
      };
      // Directives arrive before the first content delta.
      send(
        chunkBody({
          ...base,
          delta: { role: 'assistant', content: '' },
          finishReason: null,
          compliance: turn.compliance,
        }),
      );
      try {
        const gen = turn.produce(signal);
        let step = await gen.next();
        while (!step.done) {
          send(chunkBody({ ...base, delta: { content: step.value }, finishReason: null }));
          step = await gen.next();
        }
        const outcome = step.value;
        send(
          chunkBody({
            ...base,
            delta: {},
            finishReason: outcome.finishReason,
            compliance: outcome.compliance,
          }),
        );
        send('data: [DONE]\n\n');
      } catch (e) {
        const err = toCgError(e, logger);
        send(`data: ${JSON.stringify(errorBody(err, '/v1/chat/completions'))}\n\n`);
      }
      if (open) controller.close();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...aiDisclosureHeaders(turn.compliance),
    },
  });
}
