/**
 * @module
 * The guardian console at `/guardian` (MINOR-2, MINOR-4): sign-in by one-time code, consent, the linked
 * minors' usage summaries and risk events (no conversation text), and their controls. Simplified Chinese
 * and English. It uses the staff console's components and styles (console-ui.tsx, brand.tsx, console.css).
 */
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Brand, LanguageButton } from './brand.js';
import { Field, TextField } from './console-ui.js';
import {
  type DeletionReceiptWire,
  type GuardianMinor,
  type GuardianMinorDetail,
  type GuardianSession,
  guardianApi,
} from './guardian-api.js';
import { type GuardianTextKey, guardianTexts } from './guardian-i18n.js';
import './console.css';

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
    <div className="console guardian" lang={locale === 'zh' ? 'zh-CN' : 'en'}>
      <header className="topbar">
        <Brand name={t('productName')} title={t('title')} />
        <div className="controls">
          <LanguageButton
            t={t}
            testId="guardian-locale"
            onToggle={() => setLocale(locale === 'zh' ? 'en' : 'zh')}
          />
          {session && (
            <button
              type="button"
              className="button ghost"
              data-testid="guardian-logout"
              onClick={() => void guardianApi.logout(session).then(() => setSession(null))}
            >
              {t('signOut')}
            </button>
          )}
        </div>
      </header>
      <main className="console-main">
        {consentToken && <ConsentByLink token={consentToken} t={t} />}
        {checked && !session && !consentToken && <SignIn t={t} onSignedIn={setSession} />}
        {session && <Minors session={session} t={t} locale={locale} />}
      </main>
    </div>
  );
}

type T = (key: GuardianTextKey) => string;

function errorText(t: T, error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'invalid-code') return t('invalidCode');
  return `${t('failed')} (${code ?? 'error'})`;
}

/** A success note (announced politely) or an error (announced at once), in the console's alert styles. */
function Note({ kind, children }: { kind: 'ok' | 'info' | 'error'; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

function ConsentByLink({ token, t }: { token: string; t: T }) {
  const [state, setState] = useState<'ask' | 'done' | string>('ask');
  return (
    <section className="login-card guardian-card" data-testid="guardian-consent-link">
      <h2>{t('consentTitle')}</h2>
      <p className="page-intro">{t('consentExplain')}</p>
      {state === 'ask' && (
        <button
          type="button"
          className="button primary wide"
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
      {state === 'done' && <Note kind="ok">{t('consentDone')}</Note>}
      {state !== 'ask' && state !== 'done' && <Note kind="error">{state}</Note>}
    </section>
  );
}

function SignIn({ t, onSignedIn }: { t: T; onSignedIn: (s: GuardianSession) => void }) {
  const [contact, setContact] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  // The code field appears after "Send code"; typing the code is the next step.
  useEffect(() => {
    if (sent) codeInput.current?.focus();
  }, [sent]);
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
    <form className="login-card guardian-card" onSubmit={submit} data-testid="guardian-signin">
      <h2>{t('signIn')}</h2>
      <p className="page-intro">{t('signInExplain')}</p>
      <TextField
        label={t('contact')}
        testId="guardian-contact"
        autoComplete="email"
        value={contact}
        onValue={setContact}
      />
      {sent && (
        <>
          <Note kind="info">{t('codeSent')}</Note>
          <TextField
            label={t('code')}
            testId="guardian-code"
            className="totp-input"
            inputMode="numeric"
            autoComplete="one-time-code"
            ref={codeInput}
            value={code}
            onValue={setCode}
          />
        </>
      )}
      <button type="submit" className="button primary wide" data-testid="guardian-signin-submit">
        {sent ? t('signIn') : t('sendCode')}
      </button>
      {error && <Note kind="error">{error}</Note>}
    </form>
  );
}

function Minors({ session, t, locale }: { session: GuardianSession; t: T; locale: Locale }) {
  const [minors, setMinors] = useState<GuardianMinor[] | null>(null);
  const load = useCallback(() => {
    void guardianApi.minors().then(setMinors);
  }, []);
  useEffect(load, [load]);
  if (minors === null) return <p className="loading">{t('loading')}</p>;
  if (minors.length === 0)
    return (
      <p className="panel empty-list" data-testid="guardian-no-minors">
        {t('noMinors')}
      </p>
    );
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

/** Where the outcome of the last action is shown: next to the button that started it. */
type ActionPlace = 'consent' | 'controls' | 'leave';

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
  const [outcome, setOutcome] = useState<{ place: ActionPlace; error: string | null } | null>(null);
  const reload = useCallback(() => {
    void guardianApi.minor(id).then(setMinor);
  }, [id]);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [reload]);
  if (!minor) return <p className="loading">{t('loading')}</p>;
  const act = (place: ActionPlace, work: Promise<unknown>) => {
    setOutcome(null);
    void work
      .then(() => {
        setOutcome({ place, error: null });
        reload();
      })
      .catch((e: unknown) => setOutcome({ place, error: errorText(t, e) }));
  };
  const outcomeAt = (place: ActionPlace) =>
    outcome?.place === place &&
    (outcome.error === null ? (
      <Note kind="ok">{t('saved')}</Note>
    ) : (
      <Note kind="error">{outcome.error}</Note>
    ));
  const consented = minor.consent !== null && minor.consent.revoked_at === null;
  const time = (iso: string) => new Date(iso).toLocaleString(locale === 'zh' ? 'zh-CN' : 'en');
  // MINOR-1: a registered minor age keeps minor mode on until 18; the gateway refuses to end it.
  const byAge = ['under-14', '14-15', '16-17'].includes(minor.age_band);
  const headingId = `guardian-minor-${minor.id}`;
  return (
    <section
      className="guardian-minor"
      aria-labelledby={headingId}
      data-testid={`guardian-minor-${minor.user}`}
    >
      <div className="page-header">
        <h2 id={headingId}>
          {t('minor')}: {minor.user}
        </h2>
        <p className="page-intro">
          {t('minorMode')}:{' '}
          <span className={`badge ${minor.minor_mode ? 'badge-on' : 'badge-off'}`}>
            {minor.minor_mode ? t('on') : t('off')}
          </span>
        </p>
      </div>

      <section className="panel">
        <h3>{t('consentTitle')}</h3>
        {consented ? (
          <p data-testid="guardian-consent-state">
            {t('consentGiven')} {time(minor.consent?.at ?? '')} ({minor.consent?.method}, {t('policyVersion')}{' '}
            {minor.consent?.policy_version})
          </p>
        ) : (
          <p data-testid="guardian-consent-state">{t(consentMissingText[minor.consent_required_for])}</p>
        )}
        <div className="panel-actions">
          {consented ? (
            <button
              type="button"
              className="button ghost"
              data-testid="guardian-consent-revoke"
              onClick={() => act('consent', guardianApi.revoke(session, id))}
            >
              {t('consentRevoke')}
            </button>
          ) : (
            <button
              type="button"
              className="button primary"
              data-testid="guardian-consent"
              onClick={() => act('consent', guardianApi.consent(session, id))}
            >
              {t('consentConfirm')}
            </button>
          )}
        </div>
        {outcomeAt('consent')}
      </section>

      <section className="panel">
        <h3>{t('usage')}</h3>
        <table className="data-table" data-testid="guardian-usage">
          <caption className="visually-hidden">{t('usage')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('day')}</th>
              <th scope="col">{t('minutes')}</th>
              <th scope="col">{t('characters')}</th>
            </tr>
          </thead>
          <tbody>
            {minor.usage.length === 0 && (
              <tr>
                <td colSpan={3} className="empty-list">
                  {t('noUsage')}
                </td>
              </tr>
            )}
            {minor.usage.map((d) => (
              <tr key={d.day}>
                <th scope="row" data-label={t('day')}>
                  {d.day}
                </th>
                <td data-label={t('minutes')}>{d.minutes}</td>
                <td data-label={t('characters')}>{d.characters.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel">
        <h3>{t('risks')}</h3>
        <ul className="guardian-list" data-testid="guardian-risks">
          {minor.risk_events.length === 0 && <li className="empty-list">{t('noRisks')}</li>}
          {minor.risk_events.map((r) => (
            <li key={r.id}>
              {time(r.at)} · {r.kind} · {r.severity}
            </li>
          ))}
        </ul>
      </section>

      <Controls
        minor={minor}
        t={t}
        locale={locale}
        outcome={outcomeAt('controls')}
        onSave={(patch) => act('controls', guardianApi.controls(session, id, patch))}
      />
      <DeleteHistory minor={minor} session={session} t={t} locale={locale} onDeleted={reload} />
      <section className="panel">
        <h3>{t('minorMode')}</h3>
        {byAge && <p data-testid="guardian-leave-by-age">{t('leaveByAge')}</p>}
        <div className="panel-actions">
          <button
            type="button"
            className="button danger"
            data-testid="guardian-leave"
            disabled={!minor.minor_mode || byAge}
            onClick={() => {
              if (window.confirm(t('leaveConfirm'))) act('leave', guardianApi.leaveMinorMode(session, id));
            }}
          >
            {t('leave')}
          </button>
        </div>
        {outcomeAt('leave')}
      </section>
    </section>
  );
}

function Controls({
  minor,
  t,
  locale,
  outcome,
  onSave,
}: {
  minor: GuardianMinorDetail;
  t: T;
  locale: Locale;
  /** The outcome of the last save, shown below the button. */
  outcome: ReactNode;
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
    <form className="panel form-grid" onSubmit={submit} data-testid="guardian-controls">
      <h3>{t('controls')}</h3>
      <TextField
        label={`${t('dailyLimit')} (≤ ${minor.bounds.max_daily_limit_minutes})`}
        testId="guardian-limit"
        type="number"
        min={1}
        max={minor.bounds.max_daily_limit_minutes}
        value={limit}
        onValue={setLimit}
      />
      <fieldset className="guardian-fieldset">
        <legend className="field-label">
          {t('quietHours')} ({t('mustCover')} {minor.bounds.min_quiet_hours.from}–
          {minor.bounds.min_quiet_hours.to})
        </legend>
        <div className="guardian-pair">
          <TextField
            label={t('quietFrom')}
            testId="guardian-quiet-from"
            type="time"
            value={from}
            onValue={setFrom}
          />
          <TextField label={t('quietTo')} testId="guardian-quiet-to" type="time" value={to} onValue={setTo} />
        </div>
      </fieldset>
      <fieldset className="guardian-fieldset field-wide">
        <legend className="field-label">{t('blocked')}</legend>
        <div className="guardian-choices">
          {minor.characters.map((ch) => (
            <label key={ch.id} className="checkbox">
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
        </div>
      </fieldset>
      <label className="checkbox field-wide">
        <input
          type="checkbox"
          data-testid="guardian-spending"
          checked={spending}
          onChange={(e) => setSpending(e.target.checked)}
        />
        {t('spending')}
      </label>
      <div className="form-actions">
        <button type="submit" className="button primary" data-testid="guardian-controls-save">
          {t('save')}
        </button>
      </div>
      {outcome}
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
    <section className="panel form-grid" data-testid="guardian-delete">
      <h3>{t('deleteTitle')}</h3>
      <p className="field-wide">{t('deleteExplain')}</p>
      <Field label={t('deleteScope')}>
        {(props) => (
          <select
            {...props}
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
        )}
      </Field>
      {confirming ? (
        <div className="alert alert-error guardian-confirm" role="alert">
          <p>{t('deleteConfirm')}</p>
          <div className="panel-actions">
            <button
              type="button"
              className="button danger"
              data-testid="guardian-delete-confirm"
              onClick={remove}
            >
              {t('deleteYes')}
            </button>
            <button type="button" className="button ghost" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="form-actions">
          <button
            type="button"
            className="button danger"
            data-testid="guardian-delete-start"
            onClick={() => {
              setReceipt(null);
              setConfirming(true);
            }}
          >
            {t('deleteButton')}
          </button>
        </div>
      )}
      {receipt && receiptUrl && (
        <p className="alert alert-ok field-wide" role="status" data-testid="guardian-delete-receipt">
          {t('deleteDone')}
          {receipt.messagesDeleted} ·{' '}
          <a href={receiptUrl} download={`deletion-receipt-${receipt.id}.json`}>
            {t('receiptDownload')}
          </a>
        </p>
      )}
      {error && <Note kind="error">{error}</Note>}
    </section>
  );
}
