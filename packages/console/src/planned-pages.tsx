import type { ConsoleMessageKey } from './console-i18n.js';
import { PageHeader, useConsole } from './console-ui.js';

interface PlannedSection {
  readonly title: ConsoleMessageKey;
  readonly planned: ConsoleMessageKey;
}

interface PlannedPageProps {
  readonly testId: string;
  readonly title: ConsoleMessageKey;
  readonly intro?: ConsoleMessageKey;
  readonly sections: readonly PlannedSection[];
  readonly today: ConsoleMessageKey;
}

/**
 * A page a later capability will fill: what will be there, and what the gateway does today. It shows no
 * data, real or made up.
 */
function PlannedPage({ testId, title, intro, sections, today }: PlannedPageProps) {
  const { t } = useConsole();
  return (
    <section data-testid={testId}>
      <PageHeader title={t(title)} badge={t('plannedBadge')} {...(intro ? { intro: t(intro) } : {})} />
      <div className="planned-grid">
        {sections.map((section) => (
          <article key={section.title} className="panel planned">
            <h3>{t(section.title)}</h3>
            <p>{t(section.planned)}</p>
          </article>
        ))}
      </div>
      <aside className="panel today" aria-label={t('todayLabel')}>
        <h3>{t('todayLabel')}</h3>
        <p>{t(today)}</p>
      </aside>
    </section>
  );
}

export function CompliancePage() {
  return (
    <PlannedPage
      testId="page-compliance"
      title="complianceTitle"
      intro="complianceIntro"
      sections={[
        { title: 'compliance.dashboard.title', planned: 'compliance.dashboard.planned' },
        { title: 'compliance.complaints.title', planned: 'compliance.complaints.planned' },
        { title: 'compliance.notices.title', planned: 'compliance.notices.planned' },
        { title: 'compliance.switches.title', planned: 'compliance.switches.planned' },
        { title: 'compliance.reports.title', planned: 'compliance.reports.planned' },
      ]}
      today="complianceToday"
    />
  );
}

export function AuditPage() {
  return (
    <PlannedPage
      testId="page-audit"
      title="auditTitle"
      intro="auditIntro"
      sections={[
        { title: 'audit.reports.title', planned: 'audit.reports.planned' },
        { title: 'audit.verify.title', planned: 'audit.verify.planned' },
        { title: 'audit.checkpoints.title', planned: 'audit.checkpoints.planned' },
      ]}
      today="auditToday"
    />
  );
}

export function GuardiansPage() {
  return (
    <PlannedPage
      testId="page-guardians"
      title="guardiansTitle"
      sections={[{ title: 'plannedLabel', planned: 'guardiansPlanned' }]}
      today="guardiansToday"
    />
  );
}
