import { type ReactNode, useState } from 'react';
import { type AgeBand, ageBands, type StatsDayView, type StatsView } from './assessment-wire.js';
import { Chart, type ChartPoint } from './charts.js';
import { ChoiceField, ErrorNote, PageHeader, useConsole, useLoader } from './console-ui.js';
import './dashboard.css';

const ranges = ['30', '90', '365'] as const;
type Range = (typeof ranges)[number];

const pad = (n: number) => String(n).padStart(2, '0');
/** `YYYY-MM-DD` of a date in the browser's calendar. */
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The last `days` days up to today. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: dayOf(from), to: dayOf(today) };
}

interface Bucket {
  readonly label: string;
  readonly registered: number;
  readonly mau: number;
  readonly incidents: number;
  readonly answers: number;
  readonly answerSeconds: number;
}

/** Days, or months for ranges over two months (stocks at the month's end, flows summed). */
function buckets(days: readonly StatsDayView[]): Bucket[] {
  const monthly = days.length > 62;
  const out = new Map<string, Bucket>();
  for (const d of days) {
    const label = monthly ? d.day.slice(0, 7) : d.day.slice(5);
    const prior = out.get(label);
    out.set(label, {
      label,
      registered: d.registeredUsers,
      mau: d.monthlyActiveUsers,
      incidents: (prior?.incidents ?? 0) + d.incidents,
      answers: (prior?.answers ?? 0) + d.firstHumanAnswers,
      answerSeconds: (prior?.answerSeconds ?? 0) + (d.firstHumanMeanSeconds ?? 0) * d.firstHumanAnswers,
    });
  }
  return [...out.values()];
}

/**
 * Compliance: the dashboard (ASSESS-1, ASSESS-2) from `GET /api/stats`: user scale against the assessment
 * thresholds, crises and the time to a human answer, age structure, and the assessment triggers recorded.
 */
export function DashboardPanel() {
  const { api, t, locale } = useConsole();
  const [range, setRange] = useState<Range>('30');
  const stats = useLoader(() => {
    const { from, to } = lastDays(Number(range));
    return api.stats(from, to);
  });
  const numberFormat = (n: number) => Math.round(n).toLocaleString(locale === 'zh' ? 'zh-CN' : 'en');
  return (
    <section className="desk-panel" data-testid="dashboard">
      <PageHeader title={t('dashboardTitle')} intro={t('dashboardIntro')} />
      <ChoiceField
        label={t('dashboardRange')}
        testId="dashboard-range"
        options={ranges}
        optionLabel={(r) => t('dashboardRangeDays', { days: r })}
        value={range}
        onChange={(r) => {
          setRange(r);
          stats.reload();
        }}
      />
      {stats.error !== null && <ErrorNote error={stats.error} t={t} testId="dashboard-error" />}
      {stats.data && <Figures stats={stats.data} format={numberFormat} />}
    </section>
  );
}

function Figures({ stats, format }: { stats: StatsView; format: (n: number) => string }) {
  const { t } = useConsole();
  const { totals, thresholds } = stats;
  const series = buckets(stats.days);
  const points = (pick: (b: Bucket) => number | null): ChartPoint[] =>
    series.map((b) => ({ label: b.label, value: pick(b) }));
  const registeredReached = totals.registeredUsers >= thresholds.registeredUsers;
  const mauReached = stats.days.some((d) => d.monthlyActiveUsers >= thresholds.monthlyActiveUsers);
  const seconds = (s: number | null) =>
    s === null ? t('figuresNone') : t('dashboardSeconds', { s: String(s) });
  const bandLabel = (band: AgeBand) => t(`ageBand.${band}`);
  return (
    <>
      <p className="muted" data-testid="dashboard-period">
        {t('dashboardPeriod', { from: stats.from, to: stats.to, zone: stats.timeZone })}
      </p>
      <dl className="figures-grid">
        <Figure
          label={t('dashboardRegistered')}
          value={format(totals.registeredUsers)}
          testId="figure-registered"
        >
          <Flag reached={registeredReached} threshold={format(thresholds.registeredUsers)} />
        </Figure>
        <Figure label={t('dashboardMau')} value={format(totals.monthlyActiveUsers)} testId="figure-mau">
          <Flag reached={mauReached} threshold={format(thresholds.monthlyActiveUsers)} />
        </Figure>
        <Figure
          label={t('dashboardPeakDau')}
          value={format(totals.peakDailyActiveUsers)}
          testId="figure-dau"
        />
        <Figure
          label={t('dashboardIncidents')}
          value={t('dashboardIncidentsValue', {
            critical: format(totals.incidentsCritical),
            high: format(totals.incidentsHigh),
          })}
          testId="figure-incidents"
        />
        <Figure
          label={t('dashboardFirstHuman')}
          value={seconds(totals.firstHumanMeanSeconds)}
          testId="figure-first-human"
        />
        <Figure
          label={t('dashboardWithin5m')}
          value={`${format(totals.firstHumanWithin5m)} / ${format(totals.firstHumanAnswers)}`}
          testId="figure-within-5m"
        />
        <Figure label={t('dashboardUsage')} value={format(totals.usageMinutes)} testId="figure-usage" />
      </dl>
      <div className="chart-grid">
        <Chart
          kind="line"
          title={t('dashboardRegistered')}
          points={points((b) => b.registered)}
          threshold={{
            value: thresholds.registeredUsers,
            label: t('dashboardThreshold', { n: format(thresholds.registeredUsers) }),
          }}
          format={format}
          testId="chart-registered"
        />
        <Chart
          kind="line"
          title={t('dashboardMau')}
          points={points((b) => b.mau)}
          threshold={{
            value: thresholds.monthlyActiveUsers,
            label: t('dashboardThreshold', { n: format(thresholds.monthlyActiveUsers) }),
          }}
          format={format}
          testId="chart-mau"
        />
        <Chart
          kind="bar"
          title={t('dashboardIncidentsChart')}
          points={points((b) => b.incidents)}
          format={format}
          testId="chart-incidents"
        />
        <Chart
          kind="line"
          title={t('dashboardFirstHumanChart')}
          points={points((b) => (b.answers > 0 ? Math.round(b.answerSeconds / b.answers) : null))}
          format={format}
          testId="chart-first-human"
        />
        <Chart
          kind="bar"
          title={t('dashboardAgeStructure')}
          points={ageBands.map((band) => ({ label: bandLabel(band), value: stats.registeredByBand[band] }))}
          format={format}
          testId="chart-age"
        />
      </div>
      <h3>{t('dashboardTriggers')}</h3>
      {stats.triggers.length === 0 ? (
        <p className="muted" data-testid="dashboard-no-triggers">
          {t('dashboardNoTriggers')}
        </p>
      ) : (
        <ul className="trigger-list" data-testid="dashboard-triggers">
          {stats.triggers.map((g) => (
            <li key={g.key} data-testid="trigger" data-kind={g.kind}>
              <span className="badge badge-flag">{g.day}</span>{' '}
              {t(
                `trigger.${g.kind === 'launch' ? 'launch' : g.kind === 'monthly-active-users' ? 'mau' : 'registered'}`,
                {
                  subject: g.subject ?? '',
                  value: g.value === null ? '' : format(g.value),
                },
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Flag({ reached, threshold }: { reached: boolean; threshold: string }) {
  const { t } = useConsole();
  return (
    <span
      className={`badge ${reached ? 'badge-flag' : 'badge-off'}`}
      data-testid="threshold-flag"
      data-reached={reached}
    >
      {t(reached ? 'dashboardReached' : 'dashboardBelow', { n: threshold })}
    </span>
  );
}

function Figure({
  label,
  value,
  testId,
  children,
}: {
  label: string;
  value: string;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
      {children}
    </div>
  );
}
