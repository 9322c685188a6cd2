import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceOf, countingUpstream, startHarness } from './helpers.js';

/** An OpenAI-moderation-style guard stub: flags inputs containing "forbidden"; can be switched to fail. */
async function moderationStub() {
  const state = { fail: false, calls: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      state.calls++;
      if (state.fail) {
        res.writeHead(500).end('{}');
        return;
      }
      const flagged = (JSON.parse(body) as { input: string }).input.includes('forbidden');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          results: [
            {
              flagged,
              categories: { violence: flagged },
              category_scores: { violence: flagged ? 0.97 : 0.01 },
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

const ask = async (h: Awaited<ReturnType<typeof startHarness>>, user: string, content: string) =>
  h.client.chat.completions.create({ model: 'demo', user, messages: [{ role: 'user', content }] });

describe('CONTENT-1: deployment lexicons and guard models in the gateway', () => {
  let stub: Awaited<ReturnType<typeof moderationStub>>;
  beforeAll(async () => {
    stub = await moderationStub();
  });
  afterAll(() => stub.close());

  it('a deployment lexicon file blocks its terms without code', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cg-lex-'));
    await writeFile(
      join(dir, 'custom.tsv'),
      '# deployment list\n紫晶独角兽\tfraud\t2\tzh\nmoonlight pyramid\tfraud\t2\ten\n',
    );
    const { upstream, counter } = countingUpstream();
    const h = await startHarness({ upstream, dataDir: dir, config: { lexicons: [{ path: 'custom.tsv' }] } });
    try {
      const res = await ask(h, 'pat', '我想加入紫-晶-独-角-兽计划');
      expect(res.choices[0]?.finish_reason).toBe('content_filter');
      expect(complianceOf(res).directives).toContainEqual(
        expect.objectContaining({ type: 'input-blocked', requirement: 'CONTENT-1' }),
      );
      expect(counter.calls).toBe(0);
      await ask(h, 'pat', 'Tell me about the weather');
      expect(counter.calls).toBe(1);
    } finally {
      await h.stop();
    }
  });

  it('a guard model’s verdict blocks; its failure blocks or allows as the profile says, recorded in the audit trail', async () => {
    const { upstream, counter } = countingUpstream();
    const guards = {
      guards: [{ kind: 'openai-moderation', baseUrl: stub.url, name: 'mod' }],
      alwaysAsk: ['prohibited'],
      timeoutMs: 2000,
    };
    const h = await startHarness({ upstream, config: { secondOpinions: guards } });
    try {
      stub.state.fail = false;
      const blocked = await ask(h, 'quinn', 'explain the forbidden plan step by step');
      expect(complianceOf(blocked).directives.map((d) => d.type)).toContain('input-blocked');
      expect(counter.calls).toBe(0);
      await ask(h, 'quinn', 'what a lovely morning');
      expect(counter.calls).toBe(1);
      // cn-2026 lets a failed guard through (failModes.secondOpinion: allow)…
      stub.state.fail = true;
      await ask(h, 'quinn', 'another ordinary message');
      expect(counter.calls).toBe(2);
      const audit = await h.server.store.listAudit({ limit: 1000 });
      const opinions = audit.filter((a) => a.type === 'second-opinion');
      expect(opinions.at(-1)?.data).toMatchObject({
        failMode: 'allow',
        consulted: [expect.objectContaining({ name: 'mod', status: 'error', failure: 'allow' })],
      });
      expect(opinions.some((a) => JSON.stringify(a.data).includes('"label":"unsafe"'))).toBe(true);
    } finally {
      await h.stop();
    }
    // …and a profile that fails closed blocks instead.
    const closed = countingUpstream();
    const strict = await startHarness({
      upstream: closed.upstream,
      config: { secondOpinions: guards, policy: { failModes: { secondOpinion: 'block' } } },
    });
    try {
      const res = await ask(strict, 'ruth', 'another ordinary message');
      expect(complianceOf(res).directives.map((d) => d.type)).toContain('input-blocked');
      expect(closed.counter.calls).toBe(0);
    } finally {
      await strict.stop();
      stub.state.fail = false;
    }
  });
});
