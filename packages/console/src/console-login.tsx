import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Brand } from './brand.js';
import { type ConsoleTranslate, consoleKey } from './console-i18n.js';
import { ErrorNote, TextField } from './console-ui.js';
import type { StaffApiClient, StaffSession } from './staff-api.js';
import { ApiError } from './wire-read.js';

interface LoginPageProps {
  readonly api: StaffApiClient;
  readonly t: ConsoleTranslate;
  /** Shown above the form, e.g. that the previous session expired. */
  readonly notice: string | null;
  /** Why the page could not ask the gateway who is signed in, if it could not. */
  readonly loadError: unknown;
  readonly onSignedIn: (session: StaffSession) => void;
}

/**
 * Email and password; when the gateway answers `totp-required`, a second step asks for the 6-digit code
 * and posts all three again.
 */
export function LoginPage({ api, t, notice, loadError, onSignedIn }: LoginPageProps) {
  const [step, setStep] = useState<'password' | 'totp'>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(loadError);
  const codeInput = useRef<HTMLInputElement>(null);
  const emailInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (step === 'totp' ? codeInput : emailInput).current?.focus();
  }, [step]);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const totp = code.replace(/\s/g, '');
    if (step === 'totp' && !/^\d{6}$/.test(totp)) {
      setError(badCodeFormat);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await api.login(step === 'totp' ? { email, password, totp } : { email, password });
      onSignedIn(session);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'totp-required') {
        setStep('totp');
      } else {
        setError(caught);
        if (step === 'totp') setCode('');
      }
    } finally {
      setBusy(false);
    }
  }

  function restart(): void {
    setStep('password');
    setPassword('');
    setCode('');
    setError(null);
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={(event) => void submit(event)} noValidate={step === 'totp'}>
        <Brand name={t('productName')} title={t('consoleTitle')} />
        <h2>{step === 'totp' ? t('totpTitle') : t('loginTitle')}</h2>
        {notice && (
          <div className="alert alert-info" role="status" data-testid="login-notice">
            {notice}
          </div>
        )}
        {error !== null && <LoginError error={error} t={t} />}

        {step === 'password' ? (
          <>
            <p className="page-intro">{t('loginIntro')}</p>
            <TextField
              label={t('email')}
              ref={emailInput}
              type="email"
              autoComplete="username"
              required
              testId="login-email"
              value={email}
              onValue={setEmail}
            />
            <TextField
              label={t('password')}
              type="password"
              autoComplete="current-password"
              required
              testId="login-password"
              value={password}
              onValue={setPassword}
            />
          </>
        ) : (
          <>
            <p className="page-intro" data-testid="totp-prompt">
              {t('totpPrompt', { email })}
            </p>
            <TextField
              label={t('totpLabel')}
              ref={codeInput}
              className="totp-input"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              required
              testId="login-totp"
              value={code}
              onValue={setCode}
            />
          </>
        )}

        <button type="submit" className="button primary wide" data-testid="login-submit" disabled={busy}>
          {step === 'totp' ? (busy ? t('verifying') : t('verify')) : busy ? t('signingIn') : t('signIn')}
        </button>
        {step === 'totp' && (
          <button type="button" className="button ghost wide" onClick={restart}>
            {t('useOtherAccount')}
          </button>
        )}
      </form>
    </main>
  );
}

/** The error of a code that is not six digits, caught before asking the gateway. */
const badCodeFormat = Symbol('bad-code-format');

/** Sign-in failures in words; anything else as the console's usual error note. */
function LoginError({ error, t }: { error: unknown; t: ConsoleTranslate }) {
  const code = error instanceof ApiError ? error.code : error === badCodeFormat ? 'totp-format' : '';
  const key = error === badCodeFormat ? 'totpFormat' : consoleKey('login', code);
  if (!key) return <ErrorNote error={error} t={t} testId="login-error" />;
  return (
    <div className="alert alert-error" role="alert" data-testid="login-error" data-code={code}>
      {t(key)}
    </div>
  );
}
