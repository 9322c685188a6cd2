import type { ConsoleMessageKey } from './console-i18n.js';
import type { ConsolePage } from './console-nav.js';
import { PageHeader, useConsole } from './console-ui.js';

type PlannedPageName = Extract<ConsolePage, 'audit' | 'guardians'>;

interface PlannedContent {
  readonly intro?: ConsoleMessageKey;
  /** The page describes what is built elsewhere, so it carries no "not built yet" badge. */
  readonly built?: true;
  /** Each part of the page to come: its title and what it will do. */
  readonly sections: readonly (readonly [title: ConsoleMessageKey, planned: ConsoleMessageKey])[];
}

/** What each page to come will hold; its title is `<page>Title`, what happens today `<page>Today`. */
const plannedPages: Record<PlannedPageName, PlannedContent> = {
  audit: {
    intro: 'auditIntro',
    sections: [
      ['audit.reports.title', 'audit.reports.planned'],
      ['audit.verify.title', 'audit.verify.planned'],
      ['audit.checkpoints.title', 'audit.checkpoints.planned'],
    ],
  },
  // Guardians have their own console at /guardian (guardian-app.tsx); staff do not see it.
  guardians: { built: true, sections: [['guardiansConsoleTitle', 'guardiansConsole']] },
};

/**
 * A page a later capability will fill: what will be there, and what the gateway does today. It shows no
 * data, real or made up.
 */
export function PlannedPage({ page }: { page: PlannedPageName }) {
  const { t } = useConsole();
  const { intro, built, sections } = plannedPages[page];
  return (
    <section data-testid={`page-${page}`}>
      <PageHeader
        title={t(`${page}Title`)}
        {...(built ? {} : { badge: t('plannedBadge') })}
        {...(intro ? { intro: t(intro) } : {})}
      />
      <div className="planned-grid">
        {sections.map(([title, planned]) => (
          <article key={title} className="panel planned">
            <h3>{t(title)}</h3>
            <p>{t(planned)}</p>
          </article>
        ))}
      </div>
      <aside className="panel today" aria-label={t('todayLabel')}>
        <h3>{t('todayLabel')}</h3>
        <p>{t(`${page}Today`)}</p>
      </aside>
    </section>
  );
}
