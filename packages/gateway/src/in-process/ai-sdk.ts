import type {
  JSONObject,
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4Message,
  LanguageModelV4Middleware,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';
import { CgError } from '@companion-guard/core';
import type { Turn, TurnOutcome } from '../server/chat/chat-service.js';
import { type Compliance, withLate } from '../server/chat/compliance.js';
import { type ComplianceWire, complianceWire } from '../server/openai/wire.js';
import type { ChatUpstream, UpstreamMessage } from '../upstream/upstream.js';
import { asUpstreamError, type CompanionGuard, chatOf, readParty } from './guard.js';

/** The `providerOptions` / `providerMetadata` key companion-guard reads and writes. */
export const providerKey = 'companionGuard';

/**
 * The `compliance` envelope in a result's `providerMetadata` (`generateText(...).providerMetadata`,
 * `await streamText(...).providerMetadata`, a `text-start` part's), or null when there is none.
 */
export function complianceOf(providerMetadata: SharedV4ProviderMetadata | undefined): ComplianceWire | null {
  const value = providerMetadata?.[providerKey]?.compliance;
  return value ? (value as unknown as ComplianceWire) : null;
}

const refuseTools = (where: string) =>
  new CgError('invalid-request', `Tool calling is not supported by companion-guard: remove ${where}.`);

/** The text of a message's text parts (other parts, such as files, are not read: as in the gateway). */
function textOf(message: LanguageModelV4Message): string {
  if (message.role === 'system') return message.content;
  let text = '';
  for (const part of message.content) {
    if (part.type === 'text') text += part.text;
    if (part.type === 'tool-call' || part.type === 'tool-result') throw refuseTools('the tool parts');
  }
  return text;
}

/**
 * Splits the AI SDK prompt into the user's new message and what came before, as the gateway's route does
 * with an OpenAI request: the last message must be the user's, with text; no tool messages.
 */
function readPrompt(prompt: LanguageModelV4Prompt): { text: string; history: UpstreamMessage[] } {
  const history: UpstreamMessage[] = [];
  for (const message of prompt) {
    if (message.role === 'tool') throw refuseTools('the `tool` messages');
    history.push({ role: message.role, content: textOf(message) });
  }
  const last = history.pop();
  const text = last?.role === 'user' ? last.content.trim() : '';
  if (!text) throw new CgError('invalid-request', 'The last message must be a user message with text.');
  return { text, history };
}

/** The chat flow's messages as an AI SDK prompt. */
function toPrompt(messages: readonly UpstreamMessage[]): LanguageModelV4Prompt {
  return messages.map(
    (m): LanguageModelV4Message =>
      m.role === 'system'
        ? { role: 'system', content: m.content }
        : { role: m.role, content: [{ type: 'text', text: m.content }] },
  );
}

/** What the wrapped model reported besides its text (passed on only when its output was not withheld). */
interface ModelReport {
  usage?: LanguageModelV4Usage;
  finishReason?: LanguageModelV4FinishReason;
  providerMetadata?: SharedV4ProviderMetadata;
  warnings?: LanguageModelV4GenerateResult['warnings'];
  response?: LanguageModelV4GenerateResult['response'];
}

/**
 * The wrapped model as the chat flow's upstream: called with the messages the chat flow composes (persona,
 * app system messages, history), the caller's other settings, and an abort signal that also fires on an
 * exit or withheld output.
 */
function modelUpstream(
  model: LanguageModelV4,
  params: LanguageModelV4CallOptions,
  kind: 'generate' | 'stream',
  report: ModelReport,
): ChatUpstream {
  const { [providerKey]: _own, ...providerOptions } = params.providerOptions ?? {};
  return {
    name: `ai-sdk:${model.provider}:${model.modelId}`,
    async *stream(request) {
      const call: LanguageModelV4CallOptions = {
        ...params,
        prompt: toPrompt(request.messages),
        providerOptions,
        abortSignal: params.abortSignal
          ? AbortSignal.any([params.abortSignal, request.signal])
          : request.signal,
      };
      try {
        if (kind === 'generate') {
          const result = await model.doGenerate(call);
          Object.assign(report, {
            usage: result.usage,
            finishReason: result.finishReason,
            providerMetadata: result.providerMetadata,
            warnings: result.warnings,
            // Bodies may hold output that gets withheld: never passed on.
            response: result.response && { ...result.response, body: undefined },
          });
          for (const part of result.content) {
            if (part.type === 'tool-call') throw refuseTools('the tools (the model called one)');
            if (part.type === 'text' && part.text) yield part.text;
          }
          return;
        }
        const { stream } = await model.doStream(call);
        for await (const part of stream as unknown as AsyncIterable<LanguageModelV4StreamPart>) {
          if (part.type === 'text-delta') {
            if (part.delta) yield part.delta;
          } else if (part.type === 'error') {
            throw part.error;
          } else if (part.type === 'tool-call') {
            throw refuseTools('the tools (the model called one)');
          } else if (part.type === 'stream-start') {
            report.warnings = part.warnings;
          } else if (part.type === 'finish') {
            report.usage = part.usage;
            report.finishReason = part.finishReason;
            report.providerMetadata = part.providerMetadata;
          }
        }
      } catch (cause) {
        throw asUpstreamError(cause, request.signal);
      }
    },
  };
}

const emptyUsage: LanguageModelV4Usage = {
  inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};

function finishReason(
  outcome: TurnOutcome['finishReason'],
  report: ModelReport,
): LanguageModelV4FinishReason {
  if (outcome === 'content_filter') return { unified: 'content-filter', raw: 'content_filter' };
  return report.finishReason ?? { unified: 'stop', raw: 'stop' };
}

/**
 * companion-guard's `compliance` under `providerKey`, after the model's own metadata when `model` is given
 * (only when its output was shown: withheld output must not come back through its metadata).
 */
function metadata(compliance: Compliance, model?: ModelReport): SharedV4ProviderMetadata {
  // The same place as the client's extractor for the gateway puts it, so one reader serves both.
  return {
    ...model?.providerMetadata,
    [providerKey]: { compliance: complianceWire(compliance) as unknown as JSONObject },
  };
}

const shown = (outcome: TurnOutcome, report: ModelReport) =>
  outcome.finishReason === 'stop' ? report : undefined;

/**
 * The AI SDK language-model middleware (`wrapLanguageModel({ model, middleware })`). Each call is one user
 * turn through the gateway's chat flow: `providerOptions.companionGuard` names `{ user, character?,
 * locale? }`; the prompt's last message is the user's. The user's message is stored and decided first;
 * exit, crisis and blocked input are answered with the safety reply without calling the model; model output
 * is checked (withheld output ends with finish reason `content-filter` and the replacement). The
 * `compliance` envelope is `providerMetadata.companionGuard.compliance` of the result, and of a stream's `text-start`
 * (directives to show first) and `finish` (every directive of the turn).
 */
export function companionGuardMiddleware(guard: CompanionGuard): LanguageModelV4Middleware {
  const chat = chatOf(guard);

  async function start(
    params: LanguageModelV4CallOptions,
    model: LanguageModelV4,
    kind: 'generate' | 'stream',
    report: ModelReport,
  ): Promise<Turn> {
    const who = readParty(params.providerOptions?.[providerKey], `providerOptions.${providerKey}`);
    if (params.tools && params.tools.length > 0) throw refuseTools('`tools`');
    const { text, history } = readPrompt(params.prompt);
    return chat.startTurn({
      externalUserId: who.user,
      characterId: who.character,
      locale: who.locale,
      model: model.modelId,
      text,
      clientHistory: history,
      params: {},
      stream: kind === 'stream',
      upstream: modelUpstream(model, params, kind, report),
    });
  }

  return {
    specificationVersion: 'v4',
    async wrapGenerate({ params, model }) {
      const report: ModelReport = {};
      const turn = await start(params, model, 'generate', report);
      // A signal of its own when none is given: one shared by concurrent calls would gather all their listeners.
      const produce = turn.produce(params.abortSignal ?? new AbortController().signal);
      let text = '';
      let step = await produce.next();
      while (!step.done) {
        text += step.value;
        step = await produce.next();
      }
      const outcome = step.value;
      return {
        content: text ? [{ type: 'text', text }] : [],
        finishReason: finishReason(outcome.finishReason, report),
        usage: report.usage ?? emptyUsage,
        providerMetadata: metadata(withLate(turn.compliance, outcome.compliance), shown(outcome, report)),
        warnings: report.warnings ?? [],
        ...(report.response ? { response: report.response } : {}),
      };
    },

    async wrapStream({ params, model }) {
      const report: ModelReport = {};
      const turn = await start(params, model, 'stream', report);
      // Cancelling the stream is the user going away: the reply is cut off and stored as interrupted.
      const gone = new AbortController();
      const signal = params.abortSignal ? AbortSignal.any([params.abortSignal, gone.signal]) : gone.signal;
      const id = turn.compliance.label?.contentId ?? 'companion-guard';
      async function* parts(): AsyncGenerator<LanguageModelV4StreamPart> {
        yield { type: 'stream-start', warnings: [] };
        yield {
          type: 'text-start',
          id,
          providerMetadata: metadata(turn.compliance),
        };
        const produce = turn.produce(signal);
        let outcome: TurnOutcome;
        try {
          let step = await produce.next();
          while (!step.done) {
            yield { type: 'text-delta', id, delta: step.value };
            step = await produce.next();
          }
          outcome = step.value;
        } catch (error) {
          yield { type: 'text-end', id };
          yield { type: 'error', error };
          yield {
            type: 'finish',
            usage: report.usage ?? emptyUsage,
            finishReason: { unified: 'error', raw: undefined },
            providerMetadata: metadata(turn.compliance),
          };
          return;
        }
        yield { type: 'text-end', id };
        yield {
          type: 'finish',
          usage: report.usage ?? emptyUsage,
          finishReason: finishReason(outcome.finishReason, report),
          providerMetadata: metadata(withLate(turn.compliance, outcome.compliance), shown(outcome, report)),
        };
      }
      const iterator = parts();
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async pull(controller) {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        async cancel() {
          gone.abort();
          // Let the chat flow settle the cut-off reply (it stores what was shown).
          while (!(await iterator.next()).done) {}
        },
      });
      return { stream };
    },
  };
}
