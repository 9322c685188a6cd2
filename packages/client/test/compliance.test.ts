/**
 * complianceOf, errorOf, mergeCompliance and the AI SDK extractor on the shapes the gateway writes. The same
 * functions run against a real gateway with the real clients in packages/gateway/test/client/examples.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  type Compliance,
  complianceExtractor,
  complianceFromMetadata,
  complianceOf,
  type Directive,
  errorOf,
  GatewayError,
  mergeCompliance,
} from '../src/index.js';

const crisis: Directive = {
  type: 'crisis-resources',
  requirement: 'RISK-3',
  display: 'banner',
  text: 'If you are in danger, call a help line now.',
  data: { hotlines: [{ name: 'Beijing crisis line', number: '010-82951332' }] },
};
const withheld: Directive = {
  type: 'output-withheld',
  requirement: 'CONTENT-2',
  display: 'inline',
  text: 'The reply was withheld.',
};
const first: Compliance = {
  directives: [crisis],
  label: { text: 'AI-generated', content_id: 'cg-1' },
  session: { id: 's-1', state: 'active' },
};
const last: Compliance = { directives: [withheld], label: null, session: { id: 's-1', state: 'active' } };

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
  compliance: first,
};
const chunk = (compliance?: Compliance) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }],
  ...(compliance ? { compliance } : {}),
});

describe('complianceOf', () => {
  it('reads completions, chunks, session answers and LangChain raw responses; null without an envelope', () => {
    expect(complianceOf(completion)).toEqual(first);
    expect(complianceOf(chunk(last))).toEqual(last);
    expect(complianceOf(chunk())).toBeNull();
    expect(complianceOf({ compliance: last })).toEqual(last);
    expect(complianceOf({ content: 'Hi', additional_kwargs: { __raw_response: completion } })).toEqual(first);
    expect(complianceOf({ content: 'Hi', additional_kwargs: {} })).toBeNull();
    for (const x of [null, undefined, 'text', 42, [], {}]) expect(complianceOf(x)).toBeNull();
  });

  it('reads an envelope in an error body; an error without one is null', () => {
    const body = { message: 'm', type: 'invalid_request_error', code: 'missing-user', param: null };
    expect(complianceOf({ status: 400, error: body })).toBeNull();
    expect(complianceOf({ status: 403, error: { ...body, compliance: last } })).toEqual(last);
  });

  it('rejects what is not an envelope', () => {
    expect(
      complianceOf({ compliance: { directives: 'no', label: null, session: { id: 's', state: 'active' } } }),
    ).toBeNull();
    expect(
      complianceOf({ compliance: { directives: [], label: null, session: { id: 1, state: 'active' } } }),
    ).toBeNull();
    expect(
      complianceOf({
        compliance: { directives: [{ type: 'x' }], label: null, session: { id: 's', state: 'a' } },
      }),
    ).toBeNull();
    expect(
      complianceOf({ compliance: { directives: [], label: 'AI', session: { id: 's', state: 'active' } } }),
    ).toBeNull();
  });

  it('keeps a directive type this version does not know', () => {
    const newer = {
      ...last,
      directives: [{ type: 'from-the-future', requirement: 'X-1', display: 'banner', text: 't' }],
    };
    expect(complianceOf({ compliance: newer })?.directives[0]?.type).toBe('from-the-future');
  });

  it('types data by directive type', () => {
    const numbers = (complianceOf(completion)?.directives ?? []).flatMap((d) =>
      d.type === 'crisis-resources' ? d.data.hotlines.map((h) => h.number) : [],
    );
    expect(numbers).toEqual(['010-82951332']);
  });
});

describe('mergeCompliance', () => {
  it('keeps the directives of both in order and the rest of the last', () => {
    expect(mergeCompliance(first, last)).toEqual({ ...last, directives: [crisis, withheld] });
    expect(mergeCompliance(null, last)).toBe(last);
    expect(mergeCompliance(first, null)).toBe(first);
    expect(mergeCompliance(null, null)).toBeNull();
  });
});

describe('errorOf', () => {
  it('reads openai APIError-shaped errors, error bodies and GatewayError', () => {
    const body = {
      message: 'Name the user.',
      type: 'invalid_request_error',
      code: 'missing-user',
      param: null,
    };
    expect(errorOf({ status: 400, error: body })).toEqual({
      code: 'missing-user',
      message: 'Name the user.',
      status: 400,
    });
    expect(errorOf({ error: body })).toEqual({
      code: 'missing-user',
      message: 'Name the user.',
      status: null,
    });
    expect(errorOf({ code: 'unauthorized', message: 'Key?' })).toEqual({
      code: 'unauthorized',
      message: 'Key?',
      status: null,
    });
    expect(errorOf(new GatewayError(404, 'not-found', 'No such user.'))).toEqual({
      code: 'not-found',
      message: 'No such user.',
      status: 404,
    });
    for (const x of [null, new Error('plain'), { error: { message: 'no code' } }])
      expect(errorOf(x)).toBeNull();
  });
});

describe('complianceExtractor (AI SDK metadataExtractor)', () => {
  it('puts the envelope of a whole response under providerMetadata.companionGuard', async () => {
    const seen: Compliance[] = [];
    const extractor = complianceExtractor({ onCompliance: (c) => seen.push(c) });
    const metadata = await extractor.extractMetadata({ parsedBody: completion });
    expect(metadata).toEqual({ companionGuard: { compliance: first } });
    expect(complianceFromMetadata(metadata)).toEqual(first);
    expect(seen).toEqual([first]);
    expect(await extractor.extractMetadata({ parsedBody: { choices: [] } })).toBeUndefined();
  });

  it('merges a stream’s envelopes, telling each as its chunk arrives', () => {
    const seen: Compliance[] = [];
    const stream = complianceExtractor({ onCompliance: (c) => seen.push(c) }).createStreamExtractor();
    stream.processChunk(chunk(first));
    expect(seen).toEqual([first]);
    stream.processChunk(chunk());
    stream.processChunk(chunk(last));
    expect(seen).toEqual([first, last]);
    expect(complianceFromMetadata(stream.buildMetadata())).toEqual({
      ...last,
      directives: [crisis, withheld],
    });
    // Each stream has its own state.
    expect(complianceExtractor().createStreamExtractor().buildMetadata()).toBeUndefined();
  });

  it('reads nothing from metadata without the key', () => {
    for (const m of [undefined, null, {}, { gateway: {} }]) expect(complianceFromMetadata(m)).toBeNull();
  });
});
