import { type MouseEvent, useCallback, useEffect, useMemo, useState } from 'react';
import type { Locale } from './api.js';
import { Brand, LanguageButton } from './brand.js';
import { CharactersPage } from './characters-page.js';
import { CompliancePage } from './compliance-page.js';
import { consoleTranslator } from './console-i18n.js';
import { LoginPage } from './console-login.js';
import {
  type ConsolePage,
  consoleBase,
  homePage,
  mayOpen,
  pageFromPath,
  pagePath,
  pagesFor,
} from './console-nav.js';
import {
  ConsoleContext,
  type ConsoleContextValue,
  ErrorNote,
  PageHeader,
  useAction,
  useConsole,
} from './console-ui.js';
import { CrisisQueuePage } from './crisis-queue-page.js';
import { detectLocale } from './i18n.js';
import { KeysPage } from './keys-page.js';
import { loadLocale, saveLocale } from './local-store.js';
import { PlannedPage } from './planned-pages.js';
import { createStaffApiClient, type StaffSession } from './staff-api.js';
import { StaffPage } from './staff-page.js';
import './console.css';

function initialLocale(): Locale {
  const languages = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return loadLocale() ?? detectLocale(languages);
}

/** The page's path, following links inside the console and the browser's back and forward buttons. */
function usePath(): [string, (path: string, replace?: boolean) => void] {
  const [path, setPath] = useState(() => window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: string, replace = false) => {
    if (replace) window.history.replaceState(null, '', next);
    else if (next !== window.location.pathname) window.history.pushState(null, '', next);
    setPath(next);
  }, []);
  return [path, navigate];
}

/**
 * The staff console at `/console`: asks the gateway who is signed in (the session cookie is HttpOnly),
 * then shows the login page or the shell for the staff member's role.
 */
export function ConsoleApp() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const t = useMemo(() => consoleTranslator(locale), [locale]);
  /** `undefined` while the page asks the gateway. */
  const [session, setSession] = useState<StaffSession | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [path, navigate] = usePath();
  const api = useMemo(
    () =>
      createStaffApiClient({
        onUnauthorized: () => {
          setSession(null);
          setExpired(true);
        },
      }),
    [],
  );

  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
    document.title = `companion-guard · ${t('consoleTitle')}`;
  }, [locale, t]);

  useEffect(() => {
    api.me().then(setSession, (error: unknown) => {
      setLoadError(error);
      setSession(null);
    });
  }, [api]);

  function toggleLocale(): void {
    const next: Locale = locale === 'zh' ? 'en' : 'zh';
    setLocale(next);
    saveLocale(next);
  }

  if (session === undefined) {
    return (
      <main className="login" aria-busy="true">
        <p className="loading">{t('loading')}</p>
      </main>
    );
  }

  if (session === null) {
    return (
      <>
        <LanguageButton t={t} onToggle={toggleLocale} floating />
        <LoginPage
          key={expired ? 'expired' : 'fresh'}
          api={api}
          t={t}
          notice={expired ? t('sessionExpired') : null}
          loadError={loadError}
          onSignedIn={(signedIn) => {
            setExpired(false);
            setLoadError(null);
            setSession(signedIn);
          }}
        />
      </>
    );
  }

  const context: ConsoleContextValue = { api, locale, t, session };
  return (
    <ConsoleContext.Provider value={context}>
      <Shell
        path={path}
        navigate={navigate}
        onToggleLocale={toggleLocale}
        onSignedOut={() => {
          setExpired(false);
          setSession(null);
          // Whoever signs in next starts on their own start page, not on this one's last page.
          navigate(consoleBase, true);
        }}
      />
    </ConsoleContext.Provider>
  );
}

interface ShellProps {
  readonly path: string;
  readonly navigate: (path: string, replace?: boolean) => void;
  readonly onToggleLocale: () => void;
  readonly onSignedOut: () => void;
}

/** Header with who is signed in, navigation by role, and the current page. */
function Shell({ path, navigate, onToggleLocale, onSignedOut }: ShellProps) {
  const { api, t, session } = useConsole();
  const signOut = useAction();
  const pages = pagesFor(session.role);
  const requested = pageFromPath(path);
  const current: ConsolePage | null = requested === 'home' ? homePage(session.role) : requested;

  useEffect(() => {
    if (requested === 'home') navigate(pagePath(homePage(session.role)), true);
  }, [requested, session.role, navigate]);

  function follow(event: MouseEvent<HTMLAnchorElement>, page: ConsolePage): void {
    // Let the browser open new tabs and windows itself.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(pagePath(page));
  }

  async function leave(): Promise<void> {
    if (await signOut.run(() => api.logout())) onSignedOut();
  }

  const roleName = t(`role.${session.role}`);
  return (
    <div className="console">
      <header className="topbar">
        <Brand name={t('productName')} title={t('consoleTitle')} />
        <div className="controls">
          <p className="who">
            <span className="visually-hidden">{t('signedInAs')} </span>
            <span className="who-email" data-testid="shell-email">
              {session.email}
            </span>
            <span className="badge badge-role" data-testid="shell-role" data-role={session.role}>
              {roleName}
            </span>
          </p>
          <LanguageButton t={t} onToggle={onToggleLocale} />
          <button
            type="button"
            className="button ghost"
            data-testid="sign-out"
            disabled={signOut.busy}
            onClick={() => void leave()}
          >
            {t('signOut')}
          </button>
        </div>
      </header>
      <nav className="console-nav" aria-label={t('navLabel')}>
        <ul>
          {pages.map((page) => (
            <li key={page}>
              <a
                href={pagePath(page)}
                data-testid={`nav-${page}`}
                aria-current={page === current ? 'page' : undefined}
                onClick={(event) => follow(event, page)}
              >
                {t(`nav.${page}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="console-main" id="console-main">
        {signOut.error !== null && <ErrorNote error={signOut.error} t={t} />}
        <CurrentPage
          key={current ?? path}
          page={current}
          onHome={() => navigate(pagePath(pages[0] ?? 'guardians'))}
        />
      </main>
    </div>
  );
}

function CurrentPage({ page, onHome }: { page: ConsolePage | null; onHome: () => void }) {
  const { t, session } = useConsole();
  if (page === null) {
    return (
      <DeadEnd testId="page-not-found" title={t('notFoundTitle')} text={t('notFoundText')} onHome={onHome} />
    );
  }
  if (!mayOpen(session.role, page)) {
    return (
      <DeadEnd
        testId="page-not-permitted"
        title={t('notPermittedTitle')}
        text={t('notPermittedText', { role: t(`role.${session.role}`) })}
        onHome={onHome}
      />
    );
  }
  switch (page) {
    case 'queue':
      return <CrisisQueuePage />;
    case 'staff':
      return <StaffPage />;
    case 'characters':
      return <CharactersPage />;
    case 'keys':
      return <KeysPage />;
    case 'compliance':
      return <CompliancePage />;
    default:
      return <PlannedPage page={page} />;
  }
}

/** A page that is not there or not for this role, with the way back to the start page. */
function DeadEnd({
  testId,
  title,
  text,
  onHome,
}: {
  testId: string;
  title: string;
  text: string;
  onHome: () => void;
}) {
  const { t } = useConsole();
  return (
    <section data-testid={testId}>
      <PageHeader title={title} intro={text} />
      <button type="button" className="button primary" onClick={onHome}>
        {t('goHome')}
      </button>
    </section>
  );
}
