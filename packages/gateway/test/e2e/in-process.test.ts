import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModelV3, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { complianceFromMetadata } from '@companion-guard/client';
import { isCgError } from '@companion-guard/core';
import { createFakeClock, type FakeClock } from '@companion-guard/core/testing';
import { generateText, jsonSchema, streamText, tool, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompanionGuard,
  companionGuardMiddleware,
  complianceOf,
  createCompanionGuard,
} from '../../src/in-process/index.js';
import type { ComplianceWire } from '../../src/index.js';
import { silentLogger } from '../../src/logger.js';
import { demoLanguageModel } from './ai-sdk-model.js';
import { countingUpstream, type Harness, startHarness } from './helpers.js';

/** What a turn decided, as both the gateway and the middleware report it. */
interface Observed {
  /** `type:requirement` of every directive the turn delivered. */
  readonly directives: string[];
  readonly state: string;
  readonly finish: 'stop' | 'content_filter';
  readonly text: string;
  readonly labelled: boolean;
  readonly modelCalled: boolean;
}

interface Driver {
  say(user: string, text: string, stream: boolean): Promise<Observed>;
}

const seen = (c: ComplianceWire[]) => ({
  directives: c.flatMap((x) => x.directives.map((d) => `${d.type}:${d.requirement}`)),
  state: c.at(-1)?.session.state ?? 'none',
  labelled: c.some((x) => x.label !== null),
});

/** The gateway over HTTP with the official `openai` client, the demo model as upstream. */
function gatewayDriver(h: Harness, calls: { calls: number }): Driver {
  return {
    async say(user, content, stream) {
      const before = calls.calls;
      const request = { model: 'demo', user, messages: [{ role: 'user' as const, content }] };
      if (!stream) {
        const res = await h.client.chat.completions.create(request);
        const c = (res as unknown as { compliance: ComplianceWire }).compliance;
        return {
          ...seen([c]),
          finish: res.choices[0]?.finish_reason as Observed['finish'],
          text: res.choices[0]?.message.content ?? '',
          modelCalled: calls.calls > before,
        };
      }
      const chunks = await h.client.chat.completions.create({ ...request, stream: true });
      const compliances: ComplianceWire[] = [];
      let text = '';
      let finish: string | null = null;
      for await (const chunk of chunks as AsyncIterable<OpenAI.ChatCompletionChunk>) {
        const c = (chunk as unknown as { compliance?: ComplianceWire }).compliance;
        if (c) compliances.push(c);
        text += chunk.choices[0]?.delta?.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      return {
        ...seen(compliances),
        finish: finish as Observed['finish'],
        text,
        modelCalled: calls.calls > before,
      };
    },
  };
}

/** The in-process middleware around a stub AI SDK model, called with `generateText` / `streamText`. */
function middlewareDriver(guard: CompanionGuard, model: LanguageModelV3, calls: unknown[]): Driver {
  return {
    async say(user, prompt, stream) {
      const wrapped = wrapLanguageModel({ model, middleware: companionGuardMiddleware(guard) });
      const before = calls.length;
      const providerOptions = { companionGuard: { user } };
      const finishOf = (r: string) => (r === 'content-filter' ? 'content_filter' : (r as 'stop'));
      if (!stream) {
        const r = await generateText({ model: wrapped, prompt, providerOptions });
        const c = complianceOf(r.providerMetadata) as ComplianceWire;
        // The client package's reader finds it where its extractor puts the gateway's envelope.
        expect(complianceFromMetadata(r.providerMetadata)).toEqual(c);
        return {
          ...seen([c]),
          finish: finishOf(r.finishReason),
          text: r.text,
          modelCalled: calls.length > before,
        };
      }
      const r = streamText({ model: wrapped, prompt, providerOptions });
      let text = '';
      for await (const delta of r.textStream) text += delta;
      const c = complianceOf(await r.providerMetadata) as ComplianceWire;
      return {
        ...seen([c]),
        finish: finishOf(await r.finishReason),
        text,
        modelCalled: calls.length > before,
      };
    },
  };
}

const stub = demoLanguageModel();
const stubModel = stub.model;

interface Step {
  readonly say: string;
  /** Minutes the clocks move on before this step. */
  readonly after?: number;
  readonly expect?: Partial<Omit<Observed, 'directives'>> & { readonly types?: readonly string[] };
}

/** The scenario set: each runs for a fresh user, non-streamed and streamed, through both paths. */
const scenarios: Record<string, readonly Step[]> = {
  'DISC-1: the first turn brings the AI notice and the model answers': [
    { say: '你好', expect: { types: ['ai-disclosure'], state: 'active', modelCalled: true, finish: 'stop' } },
    { say: '今天天气不错', expect: { types: [], modelCalled: true, labelled: true } },
  ],
  'EXIT-2: an exit keyword ends the session without calling the model': [
    { say: '你好' },
    {
      say: '退出',
      expect: {
        types: ['exit-confirmed', 'session-ended'],
        state: 'ended',
        modelCalled: false,
        text: '好的，对话已结束。随时欢迎你回来。',
      },
    },
    { say: '还在吗？', expect: { types: ['session-ended'], modelCalled: false } },
  ],
  'RISK-2/RISK-3: crisis statements get crisis resources and no model call; a plan hands over to a person': [
    { say: '你好' },
    { say: '我不想活了', expect: { types: ['crisis-resources'], modelCalled: false, state: 'active' } },
    {
      say: '我今晚就要自杀',
      expect: { types: ['crisis-resources'], modelCalled: false, state: 'human-takeover' },
    },
  ],
  'TIME-1: a usage reminder after 120 minutes of continuous use (fake clock)': [
    { say: '第0分钟', expect: { types: ['ai-disclosure'] } },
    ...Array.from({ length: 11 }, (_, i) => ({
      say: `第${(i + 1) * 10}分钟`,
      after: 10,
      expect: { types: [] },
    })),
    { say: '第120分钟', after: 10, expect: { types: ['usage-reminder'], modelCalled: true } },
  ],
  'EXIT-3: a guilt-trip answering a hint at leaving is withheld (content filter, replacement)': [
    { say: '你好' },
    {
      say: '我有点困了，明天还要早起',
      expect: { types: ['output-withheld'], modelCalled: true, finish: 'content_filter' },
    },
  ],
  'EXIT-2: a farewell ends the session; the model is not asked': [
    { say: '你好' },
    { say: '我要去睡觉了，晚安', expect: { state: 'ended', modelCalled: false } },
  ],
  'CONTENT-1: blocked input is refused without calling the model': [
    { say: '你好' },
    {
      say: '给我看儿童色情',
      expect: { types: ['input-blocked'], modelCalled: false, finish: 'content_filter' },
    },
  ],
};

describe('in-process middleware and gateway decide alike', () => {
  let h: Harness;
  let guard: CompanionGuard;
  let dataDir: string;
  const gatewayClock = createFakeClock();
  const guardClock = createFakeClock();
  const clocks: FakeClock[] = [gatewayClock, guardClock];
  const counting = countingUpstream();
  let gateway: Driver;
  let middleware: Driver;

  beforeAll(async () => {
    h = await startHarness({ upstream: counting.upstream, clock: gatewayClock });
    dataDir = await mkdtemp(join(tmpdir(), 'cg-inproc-'));
    guard = await createCompanionGuard({ dataDir, clock: guardClock, env: {}, logger: silentLogger });
    gateway = gatewayDriver(h, counting.counter);
    middleware = middlewareDriver(guard, stubModel, stub.calls);
  });
  afterAll(async () => {
    await h.stop();
    await guard.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  for (const [name, steps] of Object.entries(scenarios)) {
    for (const stream of [false, true]) {
      it(`${name} (${stream ? 'streamed' : 'not streamed'})`, async () => {
        const user = `${name.split(':')[0]}-${stream ? 's' : 'w'}`;
        for (const [i, step] of steps.entries()) {
          for (const clock of clocks) clock.advanceMinutes(step.after ?? 0);
          const viaGateway = await gateway.say(user, step.say, stream);
          const viaMiddleware = await middleware.say(user, step.say, stream);
          expect(viaMiddleware, `step ${i}: ${step.say}`).toEqual(viaGateway);
          const { types, ...rest } = step.expect ?? {};
          if (types) expect(viaGateway.directives.map((d) => d.split(':')[0])).toEqual(types);
          expect(viaGateway).toMatchObject(rest);
        }
        // Clocks of later scenarios start where this one ended; a new day keeps sessions apart.
        for (const clock of clocks) clock.advanceMinutes(24 * 60);
      });
    }
  }

  it('RISK-3: the crisis reply carries hotlines through both paths', async () => {
    const c = (await guard.turn({ user: 'hotline', text: '我不想活了', model: () => 'never' })).compliance;
    const crisis = c.directives.find((d) => d.type === 'crisis-resources');
    expect(crisis?.requirement).toMatch(/^RISK-/);
    expect((crisis?.data as { hotlines?: unknown[] } | undefined)?.hotlines?.length).toBeGreaterThan(0);
  });

  it('DATA-1: the user message is stored (encrypted) before the wrapped model is called', async () => {
    const checked = demoLanguageModel({
      async before() {
        const user = await guard.store.ensureUser('stored-first', guardClock.now());
        const session = await guard.store.latestSessionOfUser(user.id);
        const messages = session ? await guard.store.listMessages(session.id) : [];
        expect(messages.at(-1)).toMatchObject({
          role: 'user',
          status: 'accepted',
          content: 'zebra-quartz-7741 秘密',
        });
      },
    });
    const wrapped = wrapLanguageModel({ model: checked.model, middleware: companionGuardMiddleware(guard) });
    const r = await generateText({
      model: wrapped,
      prompt: 'zebra-quartz-7741 秘密',
      providerOptions: { companionGuard: { user: 'stored-first' } },
    });
    expect(checked.calls).toHaveLength(1);
    // The model's own metadata passes through beside companion-guard's.
    expect(r.providerMetadata?.stub).toEqual({ replied: true });
    const files = (await readdir(dataDir)).filter((f) => f.includes('sqlite'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = await readFile(join(dataDir, f));
      expect(bytes.includes(Buffer.from('zebra-quartz-7741')), f).toBe(false);
      expect(bytes.includes(Buffer.from('秘密')), f).toBe(false);
    }
  });

  it('the stream shows the directives at text-start, before any text', async () => {
    const wrapped = wrapLanguageModel({ model: stubModel, middleware: companionGuardMiddleware(guard) });
    const r = streamText({
      model: wrapped,
      prompt: 'hello there',
      providerOptions: { companionGuard: { user: 'stream-order', locale: 'en' } },
    });
    const order: string[] = [];
    for await (const part of r.fullStream) {
      if (part.type === 'text-start') {
        const c = complianceOf(part.providerMetadata) as ComplianceWire;
        order.push(...c.directives.map((d) => d.type));
        expect(c.label?.text).toBe('AI-generated');
      }
      if (part.type === 'text-delta') order.push('text');
    }
    expect(order[0]).toBe('ai-disclosure');
    expect(order.slice(1).every((x) => x === 'text')).toBe(true);
  });

  it('EXIT-1/3: the exit button stops a reply streaming through the middleware; what was shown is stored', async () => {
    let aborted = false;
    const endless = new MockLanguageModelV3({
      async doStream({ abortSignal }) {
        abortSignal?.addEventListener('abort', () => {
          aborted = true;
        });
        let n = 0;
        return {
          stream: new ReadableStream<LanguageModelV3StreamPart>({
            async pull(controller) {
              await new Promise((resolve) => setImmediate(resolve));
              if (abortSignal?.aborted) return controller.close();
              if (n === 0) controller.enqueue({ type: 'text-start', id: 't' });
              controller.enqueue({ type: 'text-delta', id: 't', delta: `la${n++} ` });
            },
          }),
        };
      },
    });
    const wrapped = wrapLanguageModel({ model: endless, middleware: companionGuardMiddleware(guard) });
    const r = streamText({
      model: wrapped,
      prompt: 'Sing me a song that never ends',
      providerOptions: { companionGuard: { user: 'singer', locale: 'en' } },
    });
    let session = '';
    let text = '';
    let exited = false;
    for await (const part of r.fullStream) {
      if (part.type === 'text-start') session = complianceOf(part.providerMetadata)?.session.id ?? '';
      if (part.type === 'text-delta') {
        text += part.text;
        if (!exited && text.length > 20) {
          exited = true;
          const ended = await guard.exit({ user: 'singer', session });
          expect(ended.session.state).toBe('ended');
        }
      }
    }
    expect(exited).toBe(true);
    expect(aborted).toBe(true);
    expect(await r.finishReason).toBe('stop');
    const stored = await guard.store.listMessages(session);
    expect(stored.at(-1)).toMatchObject({ role: 'assistant', status: 'delivered', content: text });
  });

  it('refuses a call without the end user (missing-user) or with tools (invalid-request), calling nothing', async () => {
    const wrapped = wrapLanguageModel({ model: stubModel, middleware: companionGuardMiddleware(guard) });
    const calls = stub.calls.length;
    const missing = await generateText({ model: wrapped, prompt: '你好', maxRetries: 0 }).catch((e) => e);
    expect(isCgError(missing, 'missing-user')).toBe(true);
    expect(String(missing.message)).toContain('providerOptions.companionGuard.user');
    const typo = await generateText({
      model: wrapped,
      prompt: '你好',
      maxRetries: 0,
      providerOptions: { companionGuard: { user: 'u', characterId: 'x' } },
    }).catch((e) => e);
    expect(isCgError(typo, 'invalid-request')).toBe(true);
    const tools = await generateText({
      model: wrapped,
      prompt: '你好',
      maxRetries: 0,
      providerOptions: { companionGuard: { user: 'u' } },
      tools: { weather: tool({ description: 'weather', inputSchema: jsonSchema({ type: 'object' }) }) },
    }).catch((e) => e);
    expect(isCgError(tools, 'invalid-request')).toBe(true);
    expect(stub.calls.length).toBe(calls);
  });
});
