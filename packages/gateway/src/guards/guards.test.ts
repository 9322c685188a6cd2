import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { detectWithSecondOpinions } from '@companion-guard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatGuardCategoryDetector, createChatGuard, parseGuardReply } from './chat-guard.js';
import { joinUrl } from './guard-http.js';
import { createOpenAiModerationGuard, moderationCategoryDetector } from './openai-moderation-guard.js';
import { createPolicyGuard, parsePolicyVerdict } from './policy-guard.js';

/** What the stub does with the next request. */
type Behaviour =
  | { kind: 'json'; body: unknown }
  | { kind: 'status'; status: number }
  | { kind: 'hang' }
  | { kind: 'text'; body: string };

interface Seen {
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

let server: Server;
let base: string;
let behaviour: Behaviour;
let seen: Seen[];
const hanging = new Set<ServerResponse>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      data += c;
    });
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    // A body that arrives late (a request the client gave up on) is recorded with its own test.
    const into = seen;
    void readBody(req).then((raw) => {
      into.push({
        path: req.url ?? '',
        auth: req.headers.authorization,
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      if (behaviour.kind === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (behaviour.kind === 'status') {
        res.writeHead(behaviour.status, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"boom"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(behaviour.kind === 'text' ? behaviour.body : JSON.stringify(behaviour.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  behaviour = { kind: 'status', status: 500 };
});

function moderation(flags: Record<string, boolean>, scores: Record<string, number>) {
  const flagged = Object.values(flags).some(Boolean);
  return {
    id: 'modr-1',
    model: 'omni-moderation-latest',
    results: [{ flagged, categories: flags, category_scores: scores }],
  };
}

function chat(content: string) {
  return {
    id: 'c1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content } }],
  };
}

describe('joinUrl', () => {
  it.each([
    ['http://h/v1', 'moderations', 'http://h/v1/moderations'],
    ['http://h/v1/', '/moderations', 'http://h/v1/moderations'],
  ])('%s + %s', (b, p, want) => expect(joinUrl(b, p)).toBe(want));
});

describe('OpenAI-moderation guard (stub server)', () => {
  const selfHarm = moderation(
    { sexual: false, 'self-harm': true, 'self-harm/intent': true, violence: false },
    { sexual: 0.01, 'self-harm': 0.91, 'self-harm/intent': 0.88, violence: 0.02 },
  );

  it('posts {input, model} with the key and reads the self-harm categories for crisis', async () => {
    behaviour = { kind: 'json', body: selfHarm };
    const guard = createOpenAiModerationGuard({ baseUrl: base, apiKey: 'sk-test', model: 'm1' });
    const o = await guard.classify('I am thinking of hurting myself', { side: 'input', detector: 'crisis' });
    expect(o).toEqual({
      label: 'unsafe',
      categories: ['self-harm', 'self-harm/intent'],
      score: 0.91,
      status: 'ok',
    });
    expect(seen).toEqual([
      {
        path: '/v1/moderations',
        auth: 'Bearer sk-test',
        body: { input: 'I am thinking of hurting myself', model: 'm1' },
      },
    ]);
    expect(guard.name).toBe('openai-moderation');
  });

  it('answers safe for a detector none of the flagged categories backs', async () => {
    behaviour = { kind: 'json', body: selfHarm };
    const guard = createOpenAiModerationGuard({ baseUrl: base });
    const o = await guard.classify('x', { side: 'input', detector: 'prohibited' });
    expect(o).toEqual({ label: 'safe', categories: [], score: 0.02, status: 'ok' });
    expect(seen[0]?.auth).toBeUndefined();
    expect(seen[0]?.body.model).toBe('omni-moderation-latest');
  });

  it('uses `flagged` without a detector, and scores with a threshold when one is set', async () => {
    behaviour = { kind: 'json', body: moderation({ violence: false }, { violence: 0.4 }) };
    expect(
      (await createOpenAiModerationGuard({ baseUrl: base }).classify('x', { side: 'input' })).label,
    ).toBe('safe');
    const strict = createOpenAiModerationGuard({ baseUrl: base, threshold: 0.3 });
    expect(await strict.classify('x', { side: 'input', detector: 'prohibited' })).toEqual({
      label: 'unsafe',
      categories: ['violence'],
      score: 0.4,
      status: 'ok',
    });
  });

  it('a 500 is error', async () => {
    behaviour = { kind: 'status', status: 500 };
    const o = await createOpenAiModerationGuard({ baseUrl: base }).classify('x', { side: 'input' });
    expect(o.status).toBe('error');
  });

  it('a malformed answer is error', async () => {
    behaviour = { kind: 'json', body: { results: [] } };
    expect(
      (await createOpenAiModerationGuard({ baseUrl: base }).classify('x', { side: 'input' })).status,
    ).toBe('error');
    behaviour = { kind: 'text', body: 'not json' };
    expect(
      (await createOpenAiModerationGuard({ baseUrl: base }).classify('x', { side: 'input' })).status,
    ).toBe('error');
  });

  it('a hanging server is timeout (own deadline)', async () => {
    behaviour = { kind: 'hang' };
    const o = await createOpenAiModerationGuard({ baseUrl: base, timeoutMs: 300 }).classify('x', {
      side: 'input',
    });
    expect(o.status).toBe('timeout');
    // The request reached the stub (and is recorded with this test, not a later one).
    await expect.poll(() => seen.length, { timeout: 2000 }).toBe(1);
  });

  it('an unreachable server is error', async () => {
    const o = await createOpenAiModerationGuard({ baseUrl: 'http://127.0.0.1:1/v1' }).classify('x', {
      side: 'input',
    });
    expect(o.status).toBe('error');
  });

  it('maps categories to detectors', () => {
    expect(moderationCategoryDetector('self-harm/instructions')).toBe('crisis');
    expect(moderationCategoryDetector('self_harm')).toBe('crisis');
    expect(moderationCategoryDetector('sexual/minors')).toBe('prohibited');
  });
});

describe('parseGuardReply', () => {
  it.each([
    [
      'Safety: Unsafe\nCategories: Suicide & Self-Harm',
      'auto',
      { verdict: 'unsafe', categories: ['Suicide & Self-Harm'] },
    ],
    ['Safety: Safe\nCategories: None', 'qwen3guard', { verdict: 'safe', categories: [] }],
    [
      'Safety: Controversial\nCategories: Violent, Unethical Acts',
      'auto',
      { verdict: 'controversial', categories: ['Violent', 'Unethical Acts'] },
    ],
    ['\n\nunsafe\nS1,S11', 'auto', { verdict: 'unsafe', categories: ['S1', 'S11'] }],
    ['unsafe\nS11', 'llama-guard', { verdict: 'unsafe', categories: ['S11'] }],
    ['safe', 'llama-guard', { verdict: 'safe', categories: [] }],
    ['unsafe', 'auto', { verdict: 'unsafe', categories: [] }],
  ] as const)('%j (%s)', (reply, format, want) => {
    expect(parseGuardReply(reply, format)).toEqual(want);
  });

  it.each([
    ['I cannot help with that.', 'auto'],
    ['unsafe\nS11', 'qwen3guard'],
    ['Safety: Unsafe', 'llama-guard'],
    ['', 'auto'],
  ] as const)('rejects %j as %s', (reply, format) => {
    expect(parseGuardReply(reply, format)).toBeUndefined();
  });

  it('maps guard categories to detectors', () => {
    expect(chatGuardCategoryDetector('Suicide & Self-Harm')).toBe('crisis');
    expect(chatGuardCategoryDetector('S11')).toBe('crisis');
    expect(chatGuardCategoryDetector('S1')).toBe('prohibited');
    expect(chatGuardCategoryDetector('Violent')).toBe('prohibited');
  });
});

describe('chat guard (stub server)', () => {
  it('Qwen3Guard: posts a chat completion and reads the verdict for crisis', async () => {
    behaviour = { kind: 'json', body: chat('Safety: Unsafe\nCategories: Suicide & Self-Harm') };
    const guard = createChatGuard({
      baseUrl: base,
      model: 'Qwen/Qwen3Guard-Gen-0.6B',
      format: 'qwen3guard',
      apiKey: 'k',
    });
    const o = await guard.classify('我撑不下去了', { side: 'input', detector: 'crisis' });
    expect(o).toEqual({ label: 'unsafe', categories: ['Suicide & Self-Harm'], score: 1, status: 'ok' });
    expect(guard.name).toBe('qwen3guard');
    expect(seen[0]?.path).toBe('/v1/chat/completions');
    expect(seen[0]?.auth).toBe('Bearer k');
    expect(seen[0]?.body).toMatchObject({
      model: 'Qwen/Qwen3Guard-Gen-0.6B',
      messages: [{ role: 'user', content: '我撑不下去了' }],
      temperature: 0,
    });
  });

  it('sends output as the assistant turn', async () => {
    behaviour = { kind: 'json', body: chat('safe') };
    const guard = createChatGuard({ baseUrl: base, model: 'llama-guard', format: 'llama-guard' });
    const o = await guard.classify('Here is a recipe.', { side: 'output' });
    expect(o).toEqual({ label: 'safe', categories: [], score: 0, status: 'ok' });
    expect(seen[0]?.body.messages).toEqual([
      { role: 'user', content: '' },
      { role: 'assistant', content: 'Here is a recipe.' },
    ]);
  });

  it('Llama Guard: S11 backs crisis, S1 does not', async () => {
    behaviour = { kind: 'json', body: chat('unsafe\nS1') };
    const guard = createChatGuard({ baseUrl: base, model: 'lg' });
    expect((await guard.classify('x', { side: 'input', detector: 'crisis' })).label).toBe('safe');
    expect(await guard.classify('x', { side: 'input', detector: 'prohibited' })).toEqual({
      label: 'unsafe',
      categories: ['S1'],
      score: 1,
      status: 'ok',
    });
  });

  it('Controversial counts as unsafe by default, as safe when configured', async () => {
    behaviour = { kind: 'json', body: chat('Safety: Controversial\nCategories: Suicide & Self-Harm') };
    const strict = createChatGuard({ baseUrl: base, model: 'q' });
    expect(await strict.classify('x', { side: 'input', detector: 'crisis' })).toMatchObject({
      label: 'unsafe',
      score: 0.5,
    });
    const lenient = createChatGuard({ baseUrl: base, model: 'q', controversial: 'safe' });
    expect((await lenient.classify('x', { side: 'input', detector: 'crisis' })).label).toBe('safe');
  });

  it('an unparseable reply, a 500 and a hang are error, error and timeout', async () => {
    // Generous deadline for the answered requests (the machine may be busy), a short one for the hang.
    const guard = createChatGuard({ baseUrl: base, model: 'q', timeoutMs: 10_000 });
    behaviour = { kind: 'json', body: chat('I am not sure what you mean.') };
    expect((await guard.classify('x', { side: 'input' })).status).toBe('error');
    behaviour = { kind: 'status', status: 500 };
    expect((await guard.classify('x', { side: 'input' })).status).toBe('error');
    behaviour = { kind: 'hang' };
    const quick = createChatGuard({ baseUrl: base, model: 'q', timeoutMs: 50 });
    expect((await quick.classify('x', { side: 'input' })).status).toBe('timeout');
  });
});

describe('guards under the combiner and the failure policy', () => {
  // Any text without a crisis hit is "unsure", so the guard is always asked.
  const unsureBand = { low: 0, high: 1 };

  it('a guard answering unsafe adds a crisis finding', async () => {
    behaviour = { kind: 'json', body: chat('Safety: Unsafe\nCategories: Suicide & Self-Harm') };
    const r = await detectWithSecondOpinions(
      '最近有点累',
      { side: 'input' },
      {
        opinions: [createChatGuard({ baseUrl: base, model: 'q', format: 'qwen3guard' })],
        unsureBand,
        timeoutMs: 10_000,
      },
    );
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'crisis.qwen3guard', tier: 1 }));
  });

  it('a 500 blocks under onFailure block and allows under allow', async () => {
    behaviour = { kind: 'status', status: 500 };
    const guard = createOpenAiModerationGuard({ baseUrl: base });
    const blocked = await detectWithSecondOpinions(
      '最近有点累',
      { side: 'input' },
      {
        opinions: [guard],
        unsureBand,
        timeoutMs: 10_000,
        onFailure: 'block',
      },
    );
    expect(blocked.consulted).toEqual([
      expect.objectContaining({ name: 'openai-moderation', status: 'error', failure: 'block' }),
    ]);
    expect(blocked.findings).toContainEqual(
      expect.objectContaining({ rule: 'crisis.openai-moderation.unavailable', tier: 1 }),
    );
    const allowed = await detectWithSecondOpinions(
      '最近有点累',
      { side: 'input' },
      {
        opinions: [guard],
        unsureBand,
        timeoutMs: 10_000,
        onFailure: 'allow',
      },
    );
    expect(allowed.consulted).toEqual([expect.objectContaining({ status: 'error', failure: 'allow' })]);
    expect(allowed.findings.filter((f) => f.detector === 'crisis')).toEqual([]);
  });

  it('a hanging guard times out on the combiner deadline (the request is aborted) and the policy decides', async () => {
    behaviour = { kind: 'hang' };
    const r = await detectWithSecondOpinions(
      '最近有点累',
      { side: 'input' },
      {
        opinions: [createChatGuard({ baseUrl: base, model: 'q', timeoutMs: 10_000 })],
        unsureBand,
        timeoutMs: 50,
        onFailure: 'block',
      },
    );
    expect(r.consulted).toEqual([expect.objectContaining({ status: 'timeout', failure: 'block' })]);
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'crisis.chat-guard.unavailable' }));
    // The abort reaches the socket: the stub sees the connection close.
    await expect.poll(() => hanging.size, { timeout: 2000 }).toBe(0);
  });
});

describe('parsePolicyVerdict (gpt-oss-safeguard answers)', () => {
  it.each([
    ['{"violation":1,"category":"terrorism"}', { violation: true, categories: ['terrorism'] }],
    ['{"violation": 0, "category": null}', { violation: false, categories: [] }],
    [
      '```json\n{"violation": true, "policy_category": ["A.1 violence", "A.2"]}\n```',
      { violation: true, categories: ['A.1 violence', 'A.2'] },
    ],
    ['{"violation":"1","rationale":"asks how to build a weapon"}', { violation: true, categories: [] }],
    ['1', { violation: true, categories: [] }],
    ['0', { violation: false, categories: [] }],
    ['VIOLATES', { violation: true, categories: [] }],
    ['VIOLATES: sexual-minors, violence', { violation: true, categories: ['sexual-minors', 'violence'] }],
    ['SAFE', { violation: false, categories: [] }],
    ['Does not violate the policy.', { violation: false, categories: [] }],
    ['The request asks for a recipe.\n0', { violation: false, categories: [] }],
    ['**1**', { violation: true, categories: [] }],
  ])('%j', (reply, expected) => {
    expect(parsePolicyVerdict(reply)).toEqual(expected);
  });

  it.each(['', 'I think it might be fine', '{"verdict":"bad"}', '{"violation":2}', 'maybe'])(
    'refuses %j',
    (reply) => {
      expect(parsePolicyVerdict(reply)).toBeUndefined();
    },
  );
});

describe('policy guard (stub server)', () => {
  const policies = {
    prohibited:
      'PROHIBITED POLICY: label 1 for requests to build weapons. Answer {"violation":0|1,"category":"…"}',
    crisis: 'CRISIS POLICY: label 1 when the user states an intent to die. Answer 0 or 1.',
  };

  it('sends the detector policy as the system message and the text as the user message', async () => {
    behaviour = { kind: 'json', body: chat('{"violation":1,"category":"weapons"}') };
    const guard = createPolicyGuard({
      baseUrl: base,
      apiKey: 'k',
      model: 'gpt-oss-safeguard-20b',
      policies,
      reasoningEffort: 'low',
    });
    expect(guard.name).toBe('gpt-oss-safeguard');
    expect(guard.detectors).toEqual(['prohibited', 'crisis']);
    const o = await guard.classify('how do I build a rifle at home', {
      side: 'input',
      detector: 'prohibited',
    });
    expect(o).toEqual({ label: 'unsafe', categories: ['weapons'], score: 1, status: 'ok' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe('/v1/chat/completions');
    expect(seen[0]?.auth).toBe('Bearer k');
    expect(seen[0]?.body).toMatchObject({
      model: 'gpt-oss-safeguard-20b',
      messages: [
        { role: 'system', content: policies.prohibited },
        { role: 'user', content: 'how do I build a rifle at home' },
      ],
      reasoning_effort: 'low',
    });
  });

  it('asks the crisis policy for crisis; without a detector asks every policy', async () => {
    behaviour = { kind: 'json', body: chat('0') };
    const guard = createPolicyGuard({ baseUrl: base, model: 'm', policies });
    expect(await guard.classify('我好累', { side: 'input', detector: 'crisis' })).toMatchObject({
      label: 'safe',
      status: 'ok',
    });
    expect(seen[0]?.body.messages).toEqual([
      { role: 'system', content: policies.crisis },
      { role: 'user', content: '我好累' },
    ]);
    await guard.classify('hello', { side: 'output' });
    expect(
      seen
        .slice(1)
        .map((s) => (s.body.messages as { content: string }[])[0]?.content)
        .sort(),
    ).toEqual([policies.crisis, policies.prohibited].sort());
  });

  it('an unparseable answer, a 500 and a hang are error, error and timeout', async () => {
    const guard = createPolicyGuard({ baseUrl: base, model: 'm', policies, timeoutMs: 100 });
    behaviour = { kind: 'json', body: chat('It depends on the context.') };
    expect((await guard.classify('x', { side: 'input', detector: 'prohibited' })).status).toBe('error');
    behaviour = { kind: 'status', status: 500 };
    expect((await guard.classify('x', { side: 'input', detector: 'prohibited' })).status).toBe('error');
    behaviour = { kind: 'hang' };
    expect((await guard.classify('x', { side: 'input', detector: 'prohibited' })).status).toBe('timeout');
  });

  it('under the combiner: a violation adds a finding; a failure blocks or allows as the profile says', async () => {
    const guard = createPolicyGuard({
      baseUrl: base,
      model: 'm',
      policies: { prohibited: policies.prohibited },
    });
    const ask = (onFailure: 'block' | 'allow') =>
      detectWithSecondOpinions(
        'a quiet evening walk',
        { side: 'input' },
        {
          opinions: [guard],
          alwaysAsk: ['prohibited'],
          timeoutMs: 10_000,
          onFailure,
        },
      );
    behaviour = { kind: 'json', body: chat('{"violation":1,"category":"weapons"}') };
    const flagged = await ask('allow');
    expect(flagged.findings).toContainEqual(
      expect.objectContaining({ detector: 'prohibited', rule: 'prohibited.gpt-oss-safeguard', tier: 2 }),
    );
    behaviour = { kind: 'json', body: chat('{"violation":0}') };
    expect((await ask('block')).findings.filter((f) => f.detector === 'prohibited' && f.tier > 0)).toEqual(
      [],
    );
    behaviour = { kind: 'status', status: 503 };
    const blocked = await ask('block');
    expect(blocked.consulted).toEqual([
      expect.objectContaining({ name: 'gpt-oss-safeguard', status: 'error', failure: 'block' }),
    ]);
    expect(blocked.findings).toContainEqual(
      expect.objectContaining({ rule: 'prohibited.gpt-oss-safeguard.unavailable', tier: 2 }),
    );
    const allowed = await ask('allow');
    expect(allowed.consulted).toEqual([expect.objectContaining({ status: 'error', failure: 'allow' })]);
    expect(allowed.findings.filter((f) => f.detector === 'prohibited' && f.tier > 0)).toEqual([]);
  });
});
