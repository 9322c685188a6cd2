import { requirementCatalogue } from '@companion-guard/core';
import { escapeHtml } from '../server/data-rights/history-export.js';
import type { ProbeReport } from './probe.js';

/** The report as a plain-text summary for the terminal: one line per scenario, failures with their notes. */
export function probeSummary(report: ProbeReport): string {
  const lines = report.scenarios.map((s) => {
    const failed = s.steps.flatMap((step) =>
      step.checks.filter((c) => !c.pass).map((c) => `${c.check}: ${c.note}`),
    );
    const head = `${s.pass ? 'PASS' : 'FAIL'}  ${s.id}  [${s.requirements.join(', ')}]`;
    return failed.length === 0 ? head : `${head}\n${failed.map((f) => `      ${f}`).join('\n')}`;
  });
  const passed = report.scenarios.filter((s) => s.pass).length;
  const failed = report.scenarios.length - passed;
  return `${lines.join('\n')}\n\nprobe ${report.baseUrl} (${report.profile}): ${passed} passed, ${failed} failed`;
}

/**
 * The report as one self-contained HTML page (no scripts, no network): a verdict per scenario with its
 * requirement IDs, and the evidence — what was said, what came back (personal data redacted), each check.
 */
export function probeHtml(report: ProbeReport): string {
  const passed = report.scenarios.filter((s) => s.pass).length;
  const rows = report.scenarios
    .map((s) => {
      const reqs = s.requirements
        .map((id) => `<abbr title="${escapeHtml(requirementCatalogue[id].meaning)}">${id}</abbr>`)
        .join(' ');
      const steps = s.steps
        .map((step) => {
          const x = step.exchange;
          const directives = x.directives.map((d) => d.type).join(', ') || '—';
          const checks = step.checks
            .map((c) => `<li class="${c.pass ? 'ok' : 'bad'}"><b>${c.check}</b> ${escapeHtml(c.note)}</li>`)
            .join('');
          return `<div class="step">
  <p class="say"><span>用户 User</span>${escapeHtml(x.say)}</p>
  <p class="reply"><span>回复 Reply</span>${escapeHtml(x.reply || (x.error ? `(${x.error})` : '(empty)'))}</p>
  <p class="meta">HTTP ${x.status} · directives: ${escapeHtml(directives)} · session: ${escapeHtml(x.sessionState ?? '—')}</p>
  ${checks ? `<ul>${checks}</ul>` : ''}
</div>`;
        })
        .join('\n');
      return `<section class="scenario ${s.pass ? 'ok' : 'bad'}" id="${escapeHtml(s.id)}">
  <h2><span class="verdict">${s.pass ? '通过 PASS' : '未通过 FAIL'}</span> ${escapeHtml(s.title.zh)} <small>${escapeHtml(s.title.en)}</small></h2>
  <p class="reqs">${escapeHtml(s.id)} · ${reqs}</p>
  ${steps}
</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>合规探针报告 Conformance probe report</title>
<style>
  body { font: 15px/1.5 system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 0 auto; max-width: 960px; padding: 24px; color: #1d2433; }
  header { border-bottom: 2px solid #e2e6ef; margin-bottom: 16px; }
  .summary { font-size: 18px; }
  .scenario { border: 1px solid #e2e6ef; border-left: 6px solid #2f9e66; border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
  .scenario.bad { border-left-color: #d64545; }
  h2 { font-size: 17px; margin: 0 0 4px; }
  h2 small { color: #5b6478; font-weight: normal; }
  .verdict { display: inline-block; padding: 0 8px; border-radius: 4px; background: #e3f5ec; color: #1c6e45; font-size: 13px; }
  .bad .verdict { background: #fbe7e7; color: #a52a2a; }
  .reqs, .meta { color: #5b6478; font-size: 13px; margin: 2px 0; }
  .step { border-top: 1px dashed #e2e6ef; padding-top: 6px; margin-top: 6px; }
  .say span, .reply span { display: inline-block; min-width: 88px; color: #5b6478; font-size: 12px; }
  ul { margin: 4px 0; padding-left: 20px; }
  li.ok::marker { content: "✓ "; color: #2f9e66; }
  li.bad::marker { content: "✗ "; color: #d64545; }
  li.bad { color: #a52a2a; }
</style>
</head>
<body>
<header>
  <h1>合规探针报告 <small>Conformance probe report</small></h1>
  <p class="summary">${escapeHtml(report.baseUrl)} · ${escapeHtml(report.profile)} · ${escapeHtml(report.startedAt)}</p>
  <p class="summary"><b>${report.pass ? '全部通过 All passed' : '存在未通过项 Some scenarios failed'}</b>:
  ${passed} / ${report.scenarios.length}</p>
</header>
${rows}
</body>
</html>
`;
}
