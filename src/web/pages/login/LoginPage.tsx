import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Me } from '../../api.ts';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n/index.ts';

/** Email and password; errors said plainly (wrong credentials, locked, too many attempts). */
export function LoginPage(props: { onSignedIn(me: Me): void }) {
  const { t, lang, setLang } = useI18n();
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
      const { person } = await api.login(email.trim(), password);
      props.onSignedIn(person);
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
        <p className="muted">{t('login.intro')}</p>
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
