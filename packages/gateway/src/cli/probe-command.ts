import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { builtInProfiles, CgError } from '@companion-guard/core';
import { builtInScenarios, loadScenarios, runProbe } from '../probe/probe.js';
import { probeHtml, probeSummary } from '../probe/probe-report.js';

export const probeUsage = `companion-guard probe --base-url URL [--key K] [--profile cn-2026] [--format text|json|html]
                      [--out FILE] [--scenarios FILE]... [--model NAME]

Runs the conformance scenarios (probe/scenarios.yaml, plus any --scenarios FILE) against an
OpenAI-compatible endpoint; URL is its base, e.g. http://127.0.0.1:8787/v1. Exits 1 when a scenario fails.`;

/**
 * `companion-guard probe`: runs the scenarios of one profile and prints the report (text by default) or
 * writes it to `--out`. Returns 0 when every scenario passed, 1 when one failed, 2 for bad usage.
 */
export async function probeCommand(argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'base-url': { type: 'string' },
      key: { type: 'string' },
      profile: { type: 'string', default: 'cn-2026' },
      format: { type: 'string', default: 'text' },
      out: { type: 'string' },
      scenarios: { type: 'string', multiple: true },
      model: { type: 'string' },
    },
  });
  const baseUrl = values['base-url'];
  const format = values.format;
  if (!baseUrl || !/^https?:\/\/./.test(baseUrl) || !['text', 'json', 'html'].includes(format)) {
    out(probeUsage);
    return 2;
  }
  if (!(values.profile in builtInProfiles)) {
    throw new CgError('invalid-request', `Unknown profile "${values.profile}".`);
  }
  const scenarios = [builtInScenarios, ...(values.scenarios ?? [])];
  const report = await runProbe({
    baseUrl,
    apiKey: values.key,
    profile: values.profile,
    model: values.model,
    scenarios: (await Promise.all(scenarios.map(loadScenarios))).flat(),
  });
  const text =
    format === 'json'
      ? JSON.stringify(report, null, 2)
      : format === 'html'
        ? probeHtml(report)
        : probeSummary(report);
  if (values.out) {
    await writeFile(values.out, text);
    out(probeSummary(report));
  } else out(text);
  return report.pass ? 0 : 1;
}
