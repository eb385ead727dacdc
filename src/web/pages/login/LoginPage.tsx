import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Me } from '../../api.ts';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n/index.ts';
import { currentLocation } from '../../lib/router.ts';
import { signInApi } from '../account/sign-in-api.ts';

/** Reasons the server gives for a refused single sign-on (`/login?sso_error=…`), each explained on the page. */
const SSO_ERRORS = new Set([
  'sso_not_configured',
  'sso_state',
  'sso_denied',
  'sso_failed',
  'sso_email_unverified',
  'sso_domain',
  'sso_unknown_user',
  'sso_no_role',
  'sso_conflict',
]);

/**
 * Email and password, then the authenticator code when the person has one; or the organization's single sign-on.
 * Errors said plainly (wrong credentials, locked, too many attempts, why the provider's sign-in was refused).
 */
export function LoginPage(props: { onSignedIn(me: Me): void }) {
  const { t, lang, setLang } = useI18n();
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [sso, setSso] = useState<{ name: string } | null>(null);
  const ssoError = currentLocation().search.get('sso_error');
  const next = currentLocation().search.get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => emailRef.current?.focus(), []);
  useEffect(() => {
    const ac = new AbortController();
    signInApi.providers(ac.signal).then(
      (p) => setSso(p.oidc),
      () => {},
    );
    return () => ac.abort();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError(t('login.missing'));
      (email.trim() ? passwordRef : emailRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await api.login(email.trim(), password);
      if (answer.person) props.onSignedIn(answer.person);
      else {
        setPassword('');
        setStep('code');
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setError(t('login.invalid'));
        setPassword('');
        passwordRef.current?.focus();
      } else if (err instanceof ApiError && err.code === 'locked') {
        setError(t('login.locked', { minutes: Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60)) }));
      } else if (err instanceof ApiError && err.status === 429) {
        setError(t('login.limited', { seconds: err.retryAfter ?? 5 }));
      } else {
        setError(errorMessage(t, err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <main className="login-card" aria-labelledby="login-title">
        <div className="login-brand">
          <span className="logo" aria-hidden="true">
            P
          </span>
          <span className="brand-name">{t('app.name')}</span>
          <span className="login-tagline">{t('app.tagline')}</span>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        {step === 'code' ? (
          <SecondStep
            onSignedIn={props.onSignedIn}
            onRestart={() => {
              setStep('password');
              setError(null);
            }}
          />
        ) : (
          <>
            <p className="muted">{t('login.intro')}</p>
            {ssoError && (
              <p className="form-error" role="alert" data-testid="sso-error">
                {SSO_ERRORS.has(ssoError) ? t(`login.${ssoError}` as 'login.sso_failed') : t('login.sso_failed')}
              </p>
            )}
            <form onSubmit={submit} noValidate aria-describedby={error ? 'login-error' : undefined}>
              <div className="field">
                <label htmlFor="login-email">{t('login.email')}</label>
                <input
                  ref={emailRef}
                  id="login-email"
                  name="email"
                  type="email"
                  autoComplete="username"
                  inputMode="email"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  aria-invalid={error !== null && !email.trim() ? true : undefined}
                  required
                />
              </div>
              <div className="field">
                <label htmlFor="login-password">{t('login.password')}</label>
                <input
                  ref={passwordRef}
                  id="login-password"
                  name="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  required
                />
              </div>
              {error && (
                <p id="login-error" className="form-error" role="alert">
                  {error}
                </p>
              )}
              <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
                {busy ? t('login.submitting') : t('login.submit')}
              </button>
            </form>
            {sso && (
              <div className="login-sso">
                <p className="muted small">{t('login.or')}</p>
                <a
                  className="btn btn-block"
                  href={`/api/v1/auth/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}`}
                  data-testid="sso-start"
                >
                  {t('login.sso', { name: sso.name })}
                </a>
              </div>
            )}
          </>
        )}
        <label className="login-lang">
          <span>{t('shell.language')}</span>
          <select value={lang} onChange={(e) => setLang(e.target.value as Language)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
      </main>
    </div>
  );
}

/** The code step: six digits from the authenticator app, or one of the recovery codes. */
function SecondStep(props: { onSignedIn(me: Me): void; onRestart(): void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'code' | 'recovery'>('code');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) {
      setError(mode === 'code' ? t('login.codeMissing') : t('login.recoveryMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { person } = await signInApi.secondFactor(mode === 'code' ? { code: v } : { recovery_code: v });
      props.onSignedIn(person);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'sign_in_expired') {
        props.onRestart();
        return;
      }
      if (err instanceof ApiError && err.code === 'invalid_code') setError(t('login.codeInvalid'));
      else if (err instanceof ApiError && err.code === 'locked')
        setError(t('login.locked', { minutes: Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60)) }));
      else if (err instanceof ApiError && err.status === 429)
        setError(t('login.limited', { seconds: err.retryAfter ?? 5 }));
      else if (err instanceof ApiError && err.field === 'code') setError(t('login.codeInvalid'));
      else setError(errorMessage(t, err));
      setValue('');
      inputRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby={error ? 'code-error' : 'code-help'}>
      <p id="code-help" className="muted">
        {mode === 'code' ? t('login.codeIntro') : t('login.recoveryIntro')}
      </p>
      <div className="field">
        <label htmlFor="login-code">{mode === 'code' ? t('login.code') : t('login.recoveryCode')}</label>
        <input
          ref={inputRef}
          id="login-code"
          name="code"
          type="text"
          autoComplete="one-time-code"
          inputMode={mode === 'code' ? 'numeric' : 'text'}
          maxLength={mode === 'code' ? 7 : 20}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error ? true : undefined}
          required
        />
      </div>
      {error && (
        <p id="code-error" className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('login.submitting') : t('login.verify')}
      </button>
      <p className="login-alt">
        <button
          type="button"
          className="btn btn-quiet btn-small"
          onClick={() => {
            setMode(mode === 'code' ? 'recovery' : 'code');
            setValue('');
            setError(null);
            inputRef.current?.focus();
          }}
        >
          {mode === 'code' ? t('login.useRecovery') : t('login.useCode')}
        </button>
        <button type="button" className="btn btn-quiet btn-small" onClick={props.onRestart}>
          {t('login.restart')}
        </button>
      </p>
    </form>
  );
}
