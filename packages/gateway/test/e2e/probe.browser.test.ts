/**
 * The conformance probe (sandbox testing, Final Art. 28): against our gateway every `cn-2026` scenario passes;
 * against a bare OpenAI-compatible stub that just chats, the notice, exit, farewell and crisis scenarios
 * fail and name their requirement IDs; the HTML report renders in Chromium.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { builtInScenarios, loadScenarios, runProbe } from '../../src/probe/probe.js';
import { screenshot, useBrowserRun } from './browser.js';

/** An OpenAI-compatible endpoint that just chats: the same friendly line whatever is said. */
async function chattyStub(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: 'stub',
          object: 'chat.completion',
          created: 0,
          model: 'stub',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: '嗯嗯，我在听呢。你还想聊些什么？' },
              finish_reason: 'stop',
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server };
}

describe('companion-guard probe', () => {
  const run = useBrowserRun('cg-probe-');
  let stub: { url: string; server: Server };
  let dir = '';
  beforeAll(async () => {
    stub = await chattyStub();
    dir = await mkdtemp(join(tmpdir(), 'cg-probe-out-'));
  });
  afterAll(async () => {
    stub.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes every cn-2026 scenario against our gateway', async () => {
    const report = await runProbe({
      baseUrl: `${run.gateway.url}/v1`,
      profile: 'cn-2026',
      scenarios: await loadScenarios(builtInScenarios),
    });
    const failed = report.scenarios.filter((s) => !s.pass).map((s) => s.id);
    expect(failed).toEqual([]);
    expect(report.scenarios.map((s) => s.id)).toEqual([
      'ai-notice',
      'exit-keyword',
      'farewell',
      'crisis',
      'late-relative',
      'dependence',
      'suspected-minor',
    ]);
  });

  it('fails a bare chatting stub on the notice, exit, farewell and crisis with their IDs; the HTML report renders', async () => {
    const lines: string[] = [];
    const out = join(dir, 'report.html');
    const io = { out: (l: string) => lines.push(l), err: () => {}, env: {}, readStdin: async () => '' };
    const code = await runCli(['probe', '--base-url', stub.url, '--format', 'html', '--out', out], io);
    expect(code).toBe(1);
    const summary = lines.join('\n');
    for (const [id, reqs] of [
      ['ai-notice', 'DISC-1'],
      ['exit-keyword', 'EXIT-2, EXIT-3'],
      ['farewell', 'EXIT-3, CONTENT-3'],
      ['crisis', 'RISK-2, RISK-3'],
    ]) {
      expect(summary).toContain(`FAIL  ${id}  [${reqs}]`);
    }
    expect(summary).toMatch(/probe .* \(cn-2026\): \d passed, \d failed/);

    const html = await readFile(out, 'utf8');
    expect(html).toContain('未通过 FAIL');
    expect(html).not.toMatch(/<script/i);
    const page = await run.openPage('/', { locale: 'zh-CN', viewport: { width: 1000, height: 900 } });
    await page.setContent(html);
    await page.getByText('合规探针报告').first().waitFor();
    expect(await page.locator('section.scenario.bad').count()).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'probe-report-stub.png');
  });

  it('reads extra scenario files and refuses a bad one with a clear error', async () => {
    const file = join(dir, 'extra.yaml');
    await writeFile(
      file,
      '- id: my-greeting\n  title: { zh: 问候, en: Greeting }\n  requirements: [DISC-1]\n  profiles: [cn-2026]\n  steps:\n    - say: 嗨\n      expect: [ai-notice]\n',
    );
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => {}, env: {}, readStdin: async () => '' };
    const args = ['probe', '--base-url', `${run.gateway.url}/v1`, '--scenarios', file, '--format', 'json'];
    expect(await runCli(args, io)).toBe(0);
    expect(
      (JSON.parse(lines.join('')) as { scenarios: { id: string }[] }).scenarios.map((s) => s.id),
    ).toContain('my-greeting');
    await writeFile(file, '- id: Bad Id\n  requirements: [NOPE-1]\n');
    await expect(loadScenarios(file)).rejects.toMatchObject({ code: 'invalid-request' });
  });
});
