/**
 * @module
 * The guardian console at `/guardian` (MINOR-2, MINOR-4): sign-in by one-time code, consent, the linked
 * minors' usage summaries and risk events (no conversation text), and their controls. Simplified Chinese
 * and English.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import {
  type DeletionReceiptWire,
  type GuardianMinor,
  type GuardianMinorDetail,
  type GuardianSession,
  guardianApi,
} from './guardian-api.js';
import { type GuardianTextKey, guardianTexts } from './guardian-i18n.js';

type Locale = 'zh' | 'en';

const initialLocale = (): Locale => (navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en');

export function GuardianApp() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const t = (key: GuardianTextKey) => guardianTexts[key][locale];
  const [session, setSession] = useState<GuardianSession | null>(null);
  const [checked, setChecked] = useState(false);
  const consentToken = new URLSearchParams(window.location.search).get('consent');

  useEffect(() => {
    guardianApi
      .me()
      .then(setSession)
      .catch(() => setSession(null))
      .finally(() => setChecked(true));
  }, []);

  return (
    <main className="guardian" lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <header className="guardian-header">
        <h1>{t('title')}</h1>
        <button
          type="button"
          data-testid="guardian-locale"
          onClick={() => setLocale(locale === 'zh' ? 'en' : 'zh')}
        >
          {locale === 'zh' ? 'English' : '中文'}
        </button>
        {session && (
          <button
            type="button"
            data-testid="guardian-logout"
            onClick={() => void guardianApi.logout(session).then(() => setSession(null))}
          >
            {t('signOut')}
          </button>
        )}
      </header>
      {consentToken && <ConsentByLink token={consentToken} t={t} />}
      {checked && !session && !consentToken && <SignIn t={t} onSignedIn={setSession} />}
      {session && <Minors session={session} t={t} locale={locale} />}
    </main>
  );
}

type T = (key: GuardianTextKey) => string;

function errorText(t: T, error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'invalid-code') return t('invalidCode');
  return `${t('failed')} (${code ?? 'error'})`;
}

function ConsentByLink({ token, t }: { token: string; t: T }) {
  const [state, setState] = useState<'ask' | 'done' | string>('ask');
  return (
    <section className="guardian-panel" data-testid="guardian-consent-link">
      <h2>{t('consentTitle')}</h2>
      <p>{t('consentExplain')}</p>
      {state === 'ask' && (
        <button
          type="button"
          data-testid="guardian-consent-link-confirm"
          onClick={() =>
            void guardianApi
              .consentByLink(token)
              .then(() => setState('done'))
              .catch((e: unknown) => setState(errorText(t, e)))
          }
        >
          {t('consentConfirm')}
        </button>
      )}
      {state === 'done' && <p role="status">{t('consentDone')}</p>}
      {state !== 'ask' && state !== 'done' && <p role="alert">{state}</p>}
    </section>
  );
}

function SignIn({ t, onSignedIn }: { t: T; onSignedIn: (s: GuardianSession) => void }) {
  const [contact, setContact] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (!sent) {
      void guardianApi
        .requestCode(contact)
        .then(() => setSent(true))
        .catch((e: unknown) => setError(errorText(t, e)));
    } else {
      void guardianApi
        .login(contact, code)
        .then(onSignedIn)
        .catch((e: unknown) => setError(errorText(t, e)));
    }
  };
  return (
    <form className="guardian-panel" onSubmit={submit} data-testid="guardian-signin">
      <h2>{t('signIn')}</h2>
      <p>{t('signInExplain')}</p>
      <label>
        {t('contact')}
        <input data-testid="guardian-contact" value={contact} onChange={(e) => setContact(e.target.value)} />
      </label>
      {sent && (
        <>
          <p role="status">{t('codeSent')}</p>
          <label>
            {t('code')}
            <input
              data-testid="guardian-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
        </>
      )}
      <button type="submit" data-testid="guardian-signin-submit">
        {sent ? t('signIn') : t('sendCode')}
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

function Minors({ session, t, locale }: { session: GuardianSession; t: T; locale: Locale }) {
  const [minors, setMinors] = useState<GuardianMinor[] | null>(null);
  const load = useCallback(() => {
    void guardianApi.minors().then(setMinors);
  }, []);
  useEffect(load, [load]);
  if (minors === null) return <p>{t('loading')}</p>;
  if (minors.length === 0) return <p data-testid="guardian-no-minors">{t('noMinors')}</p>;
  return (
    <>
      {minors.map((m) => (
        <MinorPanel key={m.id} id={m.id} session={session} t={t} locale={locale} />
      ))}
    </>
  );
}

const consentMissingText = {
  all: 'consentMissingAll',
  'companion-characters': 'consentMissingCompanions',
  none: 'consentMissingNone',
} as const satisfies Record<GuardianMinorDetail['consent_required_for'], GuardianTextKey>;

/** Risk events refresh this often while the page is open. */
const refreshMs = 15_000;

function MinorPanel({
  id,
  session,
  t,
  locale,
}: {
  id: string;
  session: GuardianSession;
  t: T;
  locale: Locale;
}) {
  const [minor, setMinor] = useState<GuardianMinorDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const reload = useCallback(() => {
    void guardianApi.minor(id).then(setMinor);
  }, [id]);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [reload]);
  if (!minor) return <p>{t('loading')}</p>;
  const act = (work: Promise<unknown>) => {
    setError(null);
    setSaved(false);
    void work
      .then(() => {
        setSaved(true);
        reload();
      })
      .catch((e: unknown) => setError(errorText(t, e)));
  };
  const consented = minor.consent !== null && minor.consent.revoked_at === null;
  const time = (iso: string) => new Date(iso).toLocaleString(locale === 'zh' ? 'zh-CN' : 'en');
  // MINOR-1: a registered minor age keeps minor mode on until 18; the gateway refuses to end it.
  const byAge = ['under-14', '14-15', '16-17'].includes(minor.age_band);
  return (
    <section className="guardian-panel" data-testid={`guardian-minor-${minor.user}`}>
      <h2>
        {t('minor')}: {minor.user}
      </h2>
      <p>
        {t('minorMode')}: {minor.minor_mode ? t('on') : t('off')}
      </p>
      <h3>{t('consentTitle')}</h3>
      {consented ? (
        <p data-testid="guardian-consent-state">
          {t('consentGiven')} {time(minor.consent?.at ?? '')} ({minor.consent?.method}, {t('policyVersion')}{' '}
          {minor.consent?.policy_version})
        </p>
      ) : (
        <p data-testid="guardian-consent-state">{t(consentMissingText[minor.consent_required_for])}</p>
      )}
      {consented ? (
        <button
          type="button"
          data-testid="guardian-consent-revoke"
          onClick={() => act(guardianApi.revoke(session, id))}
        >
          {t('consentRevoke')}
        </button>
      ) : (
        <button
          type="button"
          data-testid="guardian-consent"
          onClick={() => act(guardianApi.consent(session, id))}
        >
          {t('consentConfirm')}
        </button>
      )}

      <h3>{t('usage')}</h3>
      <table data-testid="guardian-usage">
        <thead>
          <tr>
            <th>{t('day')}</th>
            <th>{t('minutes')}</th>
            <th>{t('characters')}</th>
          </tr>
        </thead>
        <tbody>
          {minor.usage.length === 0 && (
            <tr>
              <td colSpan={3}>{t('noUsage')}</td>
            </tr>
          )}
          {minor.usage.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.minutes}</td>
              <td>{d.characters.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>{t('risks')}</h3>
      <ul data-testid="guardian-risks">
        {minor.risk_events.length === 0 && <li>{t('noRisks')}</li>}
        {minor.risk_events.map((r) => (
          <li key={r.id}>
            {time(r.at)} · {r.kind} · {r.severity}
          </li>
        ))}
      </ul>

      <h3>{t('controls')}</h3>
      <Controls
        minor={minor}
        t={t}
        locale={locale}
        onSave={(patch) => act(guardianApi.controls(session, id, patch))}
      />
      <DeleteHistory minor={minor} session={session} t={t} locale={locale} onDeleted={reload} />
      <button
        type="button"
        data-testid="guardian-leave"
        disabled={!minor.minor_mode || byAge}
        onClick={() => {
          if (window.confirm(t('leaveConfirm'))) act(guardianApi.leaveMinorMode(session, id));
        }}
      >
        {t('leave')}
      </button>
      {byAge && <p data-testid="guardian-leave-by-age">{t('leaveByAge')}</p>}
      {saved && <p role="status">{t('saved')}</p>}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}

function Controls({
  minor,
  t,
  locale,
  onSave,
}: {
  minor: GuardianMinorDetail;
  t: T;
  locale: Locale;
  onSave: (patch: Record<string, unknown>) => void;
}) {
  const c = minor.controls;
  const [limit, setLimit] = useState(
    String(c.daily_limit_minutes ?? minor.bounds.default_daily_limit_minutes),
  );
  const quiet = c.quiet_hours ?? minor.bounds.default_quiet_hours;
  const [from, setFrom] = useState(quiet.from);
  const [to, setTo] = useState(quiet.to);
  const [blocked, setBlocked] = useState<string[]>([...c.blocked_characters]);
  const [spending, setSpending] = useState(c.spending);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({
      daily_limit_minutes: Number(limit),
      quiet_hours: { from, to },
      blocked_characters: blocked,
      spending,
    });
  };
  return (
    <form onSubmit={submit} data-testid="guardian-controls">
      <label>
        {t('dailyLimit')} (≤ {minor.bounds.max_daily_limit_minutes})
        <input
          data-testid="guardian-limit"
          type="number"
          min={1}
          max={minor.bounds.max_daily_limit_minutes}
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
        />
      </label>
      <fieldset>
        <legend>
          {t('quietHours')} ({t('mustCover')} {minor.bounds.min_quiet_hours.from}–
          {minor.bounds.min_quiet_hours.to})
        </legend>
        <input
          data-testid="guardian-quiet-from"
          type="time"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <input
          data-testid="guardian-quiet-to"
          type="time"
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
      </fieldset>
      <fieldset>
        <legend>{t('blocked')}</legend>
        {minor.characters.map((ch) => (
          <label key={ch.id}>
            <input
              type="checkbox"
              data-testid={`guardian-block-${ch.id}`}
              checked={blocked.includes(ch.id)}
              onChange={(e) =>
                setBlocked(e.target.checked ? [...blocked, ch.id] : blocked.filter((b) => b !== ch.id))
              }
            />
            {ch.name[locale]}
          </label>
        ))}
      </fieldset>
      <label>
        <input
          type="checkbox"
          data-testid="guardian-spending"
          checked={spending}
          onChange={(e) => setSpending(e.target.checked)}
        />
        {t('spending')}
      </label>
      <button type="submit" data-testid="guardian-controls-save">
        {t('save')}
      </button>
    </form>
  );
}

/** DATA-5: the guardian's deletion request, confirmed in a second step; the signed receipt can be downloaded. */
function DeleteHistory({
  minor,
  session,
  t,
  locale,
  onDeleted,
}: {
  minor: GuardianMinorDetail;
  session: GuardianSession;
  t: T;
  locale: Locale;
  onDeleted: () => void;
}) {
  const [scope, setScope] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [receipt, setReceipt] = useState<DeletionReceiptWire | null>(null);
  const [error, setError] = useState<string | null>(null);
  const remove = () => {
    setError(null);
    void guardianApi
      .deleteHistory(session, minor.id, scope === '' ? null : scope)
      .then((r) => {
        setReceipt(r);
        setConfirming(false);
        onDeleted();
      })
      .catch((e: unknown) => setError(errorText(t, e)));
  };
  const receiptUrl =
    receipt && `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(receipt, null, 2))}`;
  return (
    <div data-testid="guardian-delete">
      <h3>{t('deleteTitle')}</h3>
      <p>{t('deleteExplain')}</p>
      <label>
        {t('deleteScope')}{' '}
        <select
          data-testid="guardian-delete-scope"
          value={scope}
          disabled={confirming}
          onChange={(e) => setScope(e.target.value)}
        >
          <option value="">{t('deleteAll')}</option>
          {minor.characters.map((ch) => (
            <option key={ch.id} value={ch.id}>
              {ch.name[locale]}
            </option>
          ))}
        </select>
      </label>
      {confirming ? (
        <p role="alert">
          {t('deleteConfirm')}{' '}
          <button type="button" data-testid="guardian-delete-confirm" onClick={remove}>
            {t('deleteYes')}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
        </p>
      ) : (
        <button
          type="button"
          data-testid="guardian-delete-start"
          onClick={() => {
            setReceipt(null);
            setConfirming(true);
          }}
        >
          {t('deleteButton')}
        </button>
      )}
      {receipt && receiptUrl && (
        <p role="status" data-testid="guardian-delete-receipt">
          {t('deleteDone')}
          {receipt.messagesDeleted} ·{' '}
          <a href={receiptUrl} download={`deletion-receipt-${receipt.id}.json`}>
            {t('receiptDownload')}
          </a>
        </p>
      )}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
