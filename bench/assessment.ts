/**
 * `npm run bench -- assessment [--users N] [--active M]` (default 1,000,000 / 100,000): seeds a fresh store
 * with synthetic users and activity on SQLite and, when `DATABASE_URL` is set, on PostgreSQL (a schema of its
 * own, dropped afterwards), then times `GET /api/stats`'s computation over 30 and 366 days and the threshold
 * check with the real profile thresholds (ASSESS-1, ASSESS-2). Prints seed wall and CPU time and the median of
 * 5 report runs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resolveProfile } from '../packages/core/src/policy/resolve-profile.js';
import { addDays } from '../packages/core/src/stats/stats.js';
import { reportSources } from '../packages/gateway/src/reports/assessment-report.js';
import { generateAssessmentReport } from '../packages/gateway/src/reports/report-service.js';
import { createStatsService } from '../packages/gateway/src/server/stats/stats-service.js';
import { createStore } from '../packages/gateway/src/storage/sql/create-store.js';
import { adminPool, createTestSchema } from '../packages/gateway/test/postgres.js';

interface BackendFigures {
  readonly backend: string;
  readonly seedSeconds: number;
  readonly seedCpuSeconds: number;
  readonly users: number;
  readonly monthlyActive: number;
  readonly report30Ms: number;
  readonly report366Ms: number;
  readonly checkMs: number;
  /** ASSESS-2: the assessment report of the last 366 days, as HTML (figures, layout, audit event). */
  readonly assessmentReportMs: number;
  readonly flagged: readonly string[];
  readonly totals: { registeredUsers: number; monthlyActiveUsers: number; turns: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function runBackend(
  backend: string,
  url: string,
  users: number,
  active: number,
): Promise<BackendFigures> {
  const profile = resolveProfile('cn-2026');
  const store = await createStore({
    url,
    masterKey: randomBytes(32),
    timeZone: profile.session.defaultTimeZone,
  });
  try {
    const now = Date.now();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let lastTenth = -1;
    const seeded = await store.seedSynthetic(
      { users, active, now, elderlyFrom: profile.elderly.ageFrom },
      (done, total) => {
        const tenth = Math.floor((done / total) * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          process.stderr.write(
            `\r${backend}: [${'#'.repeat(tenth)}${' '.repeat(10 - tenth)}] ${done}/${total} users`,
          );
        }
      },
    );
    process.stderr.write('\n');
    const seedSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const stats = createStatsService({ store, profile, clock: { now: () => now } });
    const time = async (work: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        await work();
        runs.push(performance.now() - s);
      }
      return median(runs);
    };
    const report = await stats.report({});
    const report30Ms = await time(() => stats.report({}));
    const report366Ms = await time(() => stats.report({ from: addDays(report.to, -365), to: report.to }));
    const c0 = performance.now();
    const fired = await stats.checkThresholds(now);
    const checkMs = performance.now() - c0;
    const sources = reportSources(store, profile, undefined);
    const assessmentReportMs = await time(() =>
      generateAssessmentReport(sources, {
        from: addDays(report.to, -365),
        to: report.to,
        format: 'html',
        now,
        by: 'bench',
      }),
    );
    return {
      backend,
      seedSeconds,
      seedCpuSeconds: (cpu.user + cpu.system) / 1e6,
      users: seeded.users,
      monthlyActive: seeded.monthlyActive,
      report30Ms,
      report366Ms,
      checkMs,
      assessmentReportMs,
      flagged: fired.map((f) => `${f.kind} ${f.value} ≥ ${f.threshold}`),
      totals: {
        registeredUsers: report.totals.registeredUsers,
        monthlyActiveUsers: report.totals.monthlyActiveUsers,
        turns: report.totals.turns,
      },
    };
  } finally {
    await store.close();
  }
}

export async function runAssessmentBench(users: number, active: number): Promise<BackendFigures[]> {
  const out: BackendFigures[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'cg-bench-assess-'));
  try {
    out.push(await runBackend('sqlite', `sqlite://${join(dir, 'bench.sqlite')}`, users, active));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const admin = adminPool();
    const { schema, url } = await createTestSchema(admin, 'cg_bench_assess');
    try {
      out.push(await runBackend('postgres', url, users, active));
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  } else {
    process.stderr.write('DATABASE_URL is not set: PostgreSQL skipped\n');
  }
  return out;
}

export function formatAssessmentBench(rows: readonly BackendFigures[]): string {
  const lines = [
    '| backend | users / monthly active | seed wall (CPU) | stats 30 days | stats 366 days | threshold check | assessment report 366 days (HTML) | flagged |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.backend} | ${r.totals.registeredUsers} / ${r.totals.monthlyActiveUsers} | ${r.seedSeconds.toFixed(1)} s (${r.seedCpuSeconds.toFixed(1)} s) | ${r.report30Ms.toFixed(1)} ms | ${r.report366Ms.toFixed(1)} ms | ${r.checkMs.toFixed(1)} ms | ${r.assessmentReportMs.toFixed(1)} ms | ${r.flagged.join('; ') || 'none'} |`,
    );
  }
  return lines.join('\n');
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { users: { type: 'string' }, active: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const rows = await runAssessmentBench(Number(values.users ?? 1_000_000), Number(values.active ?? 100_000));
  process.stdout.write(`${values.json ? JSON.stringify(rows) : formatAssessmentBench(rows)}\n`);
}
