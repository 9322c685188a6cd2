import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { CgError } from '@companion-guard/core';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
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
  completionBody,
  completionChunks,
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
    /**
     * The Node response when served by @hono/node-server: a streamed reply is written to it directly
     * instead of through a web `ReadableStream`. Absent under `app.request()`/`app.fetch()`.
     */
    outgoing?: ServerResponse | undefined;
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
  // The directives are counted as they are decided: the opening ones now, the reply's at its end.
  options.metrics?.directives(turn.compliance.directives);
  const ended = (outcome: TurnOutcome) => {
    if (outcome.compliance) options.metrics?.directives(outcome.compliance.directives);
  };
  if (!req.stream) return completeWhole(turn, id, created, request.signal, options.logger, ended);
  return streamTurn(turn, id, created, request.signal, options.logger, ended, options.outgoing);
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
  ended: (outcome: TurnOutcome) => void,
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
    ended(outcome);
  } catch (e) {
    const err = toCgError(e, logger);
    return Response.json(errorBody(err, '/v1/chat/completions'), {
      status: err.status,
      headers: { 'x-should-retry': 'false' },
    });
  }
  const compliance = withLate(turn.compliance, outcome.compliance);
  // A string body with plain headers takes @hono/node-server's direct path (no Headers object).
  return new Response(
    JSON.stringify(
      completionBody({
        id,
        created,
        model: turn.model,
        content,
        finishReason: outcome.finishReason,
        compliance,
      }),
    ),
    { headers: { 'content-type': 'application/json', ...aiDisclosureHeaders(compliance) } },
  );
}

/**
 * Writes the SSE events of a streamed turn through `send`; never throws (a failure becomes an error event).
 * The directives come in the first chunk, before any content.
 */
async function sendEvents(
  turn: Turn,
  id: string,
  created: number,
  signal: AbortSignal,
  logger: Logger,
  ended: (outcome: TurnOutcome) => void,
  send: (event: string) => void,
): Promise<void> {
  const chunks = completionChunks(id, created, turn.model);
  try {
    send(chunks.chunk({ role: 'assistant', content: '' }, null, turn.compliance));
    const gen = turn.produce(signal);
    let step = await gen.next();
    while (!step.done) {
      send(chunks.content(step.value));
      step = await gen.next();
    }
    ended(step.value);
    send(chunks.chunk({}, step.value.finishReason, step.value.compliance));
    send('data: [DONE]\n\n');
  } catch (e) {
    const err = toCgError(e, logger);
    send(`data: ${JSON.stringify(errorBody(err, '/v1/chat/completions'))}\n\n`);
  }
}

/**
 * A streamed turn. A client that goes away aborts `signal` (the request's), which cancels the turn; nothing
 * is written after that. Writes do not wait for the client to drain them: a reply is bounded, and holding
 * the turn open for a slow reader would only hold the model call longer.
 */
function streamTurn(
  turn: Turn,
  id: string,
  created: number,
  signal: AbortSignal,
  logger: Logger,
  ended: (outcome: TurnOutcome) => void,
  outgoing: ServerResponse | undefined,
): Response {
  const headers = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...aiDisclosureHeaders(turn.compliance),
  };
  if (outgoing) {
    outgoing.writeHead(200, headers);
    const send = (event: string) => {
      if (!outgoing.destroyed) outgoing.write(event);
    };
    void sendEvents(turn, id, created, signal, logger, ended, send).then(() => {
      if (!outgoing.destroyed) outgoing.end();
    });
    // Tells the adapter the response is ours. It must be the native Response the sentinel module built when
    // imported (before `serve` replaced the global one): `serve` runs after this module is loaded.
    return RESPONSE_ALREADY_SENT;
  }
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    cancel() {
      open = false;
    },
    async start(controller) {
      await sendEvents(turn, id, created, signal, logger, ended, (event) => {
        if (open) controller.enqueue(encoder.encode(event));
      });
      if (open) controller.close();
    },
  });
  return new Response(body, { headers });
}
