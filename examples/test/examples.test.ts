/**
 * The integration examples (`examples/*`, shown in docs/integrate.md) run against a real gateway started in
 * process with the demo model, each reading `compliance` through `@companion-guard/client`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from '../../packages/gateway/test/e2e/helpers.js';
import { run as runAiSdk } from '../ai-sdk/chat.js';
import { run as runLangChain } from '../langchain/chat.js';
import { run as runOpenAi } from '../openai/chat.js';

describe('integration examples against a real gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    h = await startHarness();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await h.stop();
  });
  const baseURL = () => `${h.server.url}/v1`;

  it('DISC-1 / EXIT-1: the official openai client reads compliance from a reply, a stream and an error, and follows the session to its exit', async () => {
    const r = await runOpenAi({ baseURL: baseURL(), user: 'example-openai' });
    expect(r.first?.directives.map((d) => [d.type, d.requirement])).toEqual([['ai-disclosure', 'DISC-1']]);
    expect(r.first?.label?.content_id).toMatch(/^cg-/);
    expect(r.streamed?.session).toEqual({ id: r.first?.session.id, state: 'active' });
    expect(r.streamed?.label?.content_id).not.toBe(r.first?.label?.content_id);
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.errorCode).toBe('missing-user');
    expect(r.exit.directives.map((d) => [d.type, d.requirement])).toEqual([
      ['exit-confirmed', 'EXIT-1'],
      ['session-ended', 'EXIT-3'],
    ]);
    expect(r.exit.session.state).toBe('ended');
    expect(r.events).toEqual([
      { type: 'session-ended', compliance: { directives: [], label: null, session: r.exit.session } },
    ]);
  });

  it('DISC-1 / DISC-4: the AI SDK carries compliance in providerMetadata, in generateText and streamText', async () => {
    const r = await runAiSdk({ baseURL: baseURL(), user: 'example-ai-sdk' });
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.streamedText.length).toBeGreaterThan(0);
    expect(r.first?.directives.map((d) => [d.type, d.requirement])).toEqual([['ai-disclosure', 'DISC-1']]);
    expect(r.first?.directives[0]?.text).toMatch(/AI/);
    expect(r.first?.label?.content_id).toMatch(/^cg-/);
    expect(r.streamed?.session).toEqual({ id: r.first?.session.id, state: 'active' });
    expect(r.streamed?.label?.content_id).toMatch(/^cg-/);
    expect(r.streamed?.label?.content_id).not.toBe(r.first?.label?.content_id);
    // Every envelope also came as it arrived: the reply's, then the stream's chunk(s).
    expect(r.early[0]).toEqual(r.first);
    expect(r.early.at(-1)?.session.id).toBe(r.first?.session.id);
  });

  it('DISC-1 / DISC-4: LangChain ChatOpenAI keeps the raw response, where complianceOf reads it (invoke and stream)', async () => {
    const r = await runLangChain({ baseURL: baseURL(), user: 'example-langchain' });
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.streamedText.length).toBeGreaterThan(0);
    expect(r.first?.directives.map((d) => [d.type, d.requirement])).toEqual([['ai-disclosure', 'DISC-1']]);
    expect(r.first?.label?.content_id).toMatch(/^cg-/);
    expect(r.streamed?.session).toEqual({ id: r.first?.session.id, state: 'active' });
    expect(r.streamed?.label?.content_id).toMatch(/^cg-/);
    expect(r.streamed?.label?.content_id).not.toBe(r.first?.label?.content_id);
  });
});
