import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, isAbort } from '../../api.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { signInApi, type TotpSetup, type TotpStatus } from './sign-in-api.ts';

/** The signed-in person's own security settings: the authenticator app (second factor). */
export function SecurityPage() {
  const { t } = useI18n();
  return (
    <Page section="security" title={t('security.title')}>
      <TotpSettings />
    </Page>
  );
}

/**
 * Shown instead of the app when the organization requires a second factor for the person's role and it is not set
 * up yet: only this can be done (the server refuses the rest), then the app opens.
 */
export function EnrolPage(props: { onDone(): void; signOut(): void }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t('security.enrolTitle')} · ${t('app.name')}`;
  }, [t]);
  return (
    <div className="login-page">
      <main className="login-card enrol-card" aria-labelledby="enrol-title">
        <h1 id="enrol-title">{t('security.enrolTitle')}</h1>
        <p className="muted">{t('security.enrolIntro')}</p>
        <TotpSettings onEnabled={props.onDone} continueLabel={t('security.continue')} />
        <p className="login-alt">
          <button type="button" className="btn btn-quiet btn-small" onClick={props.signOut}>
            {t('shell.logout')}
          </button>
        </p>
      </main>
    </div>
  );
}

/**
 * Setting up the authenticator app: scan the QR code (or type the key), confirm with a code, keep the recovery
 * codes (shown this once). Turning it off asks for a code or the password, unless the organization requires it.
 */
function TotpSettings(props: { onEnabled?(): void; continueLabel?: string }) {
  const { t } = useI18n();
  const notify = useToast();
  const [status, setStatus] = useState<TotpStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setStatus(await signInApi.totp(signal));
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [t],
  );
  useEffect(() => {
    const ac = new AbortController();
    void load(ac.signal);
    return () => ac.abort();
  }, [load]);

  const begin = async () => {
    try {
      setSetup(await signInApi.setupTotp());
    } catch (err) {
      notify(errorMessage(t, err), 'error');
    }
  };

  if (error)
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  if (!status) return <p className="placeholder">{t('common.loading')}</p>;

  if (recovery)
    return (
      <section className="notice notice-ok secret-box" role="status" data-testid="recovery-codes">
        <p>{t('security.enabled')}</p>
        <p>{t('security.recoveryOnce')}</p>
        <ul className="recovery-codes">
          {recovery.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <p className="secret-line">
          <CopyButton text={recovery.join('\n')} label={t('security.copyRecovery')} />
          {props.onEnabled ? (
            <button type="button" className="btn btn-primary" onClick={props.onEnabled}>
              {props.continueLabel ?? t('security.continue')}
            </button>
          ) : (
            <button type="button" className="btn" onClick={() => setRecovery(null)}>
              {t('security.done')}
            </button>
          )}
        </p>
      </section>
    );

  if (status.enabled) return <TotpEnabled status={status} onDisabled={() => void load()} />;

  return (
    <section aria-labelledby="totp-title">
      <h2 id="totp-title">{t('security.totpTitle')}</h2>
      <p className="muted small">{status.required ? t('security.requiredIntro') : t('security.optionalIntro')}</p>
      {setup ? (
        <Enrol
          setup={setup}
          onEnabled={(codes) => {
            setRecovery(codes);
            setSetup(null);
            void load();
          }}
        />
      ) : (
        <button type="button" className="btn btn-primary" onClick={begin} data-testid="totp-begin">
          {t('security.begin')}
        </button>
      )}
    </section>
  );
}

function Enrol(props: { setup: TotpSetup; onEnabled(codes: string[]): void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { setup } = props;
  // The QR code is an SVG the server drew from the otpauth URI; shown as an image, never as markup.
  const qr = `data:image/svg+xml;utf8,${encodeURIComponent(setup.qr_svg)}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\s*\d{3}\s?\d{3}\s*$/.test(code)) {
      setError(t('security.codeShape'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { recovery_codes } = await signInApi.enableTotp(code.trim());
      props.onEnabled(recovery_codes);
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'invalid_code' ? t('security.codeWrong') : errorMessage(t, err));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="totp-enrol">
      <ol className="totp-steps">
        <li>
          <p>{t('security.scan')}</p>
          <img src={qr} alt={t('security.qrAlt')} width={180} height={180} className="totp-qr" />
          <p className="small">
            {t('security.manualKey')} <code data-testid="totp-secret">{setup.secret}</code>{' '}
            <CopyButton text={setup.secret} label={t('security.copyKey')} />
          </p>
        </li>
        <li>
          <form onSubmit={submit} noValidate>
            <div className="field">
              <label htmlFor="totp-code">{t('security.confirmCode')}</label>
              <input
                id="totp-code"
                name="code"
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'totp-code-error' : undefined}
              />
            </div>
            {error && (
              <p id="totp-code-error" className="form-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('security.enable')}
            </button>
          </form>
        </li>
      </ol>
    </div>
  );
}

function TotpEnabled(props: { status: TotpStatus; onDisabled(): void }) {
  const { t } = useI18n();
  const notify = useToast();
  const [proof, setProof] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!proof) return;
    setBusy(true);
    setError(null);
    try {
      const body = /^\s*\d{3}\s?\d{3}\s*$/.test(proof) ? { code: proof.trim() } : { password: proof };
      await signInApi.disableTotp(body);
      notify(t('security.disabled'));
      props.onDisabled();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('security.proofWrong') : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="totp-title">
      <h2 id="totp-title">{t('security.totpTitle')}</h2>
      <p className="notice notice-ok" data-testid="totp-on">
        {t('security.on', { count: props.status.recovery_codes_left })}
      </p>
      {props.status.required ? (
        <p className="muted small">{t('security.requiredKeep')}</p>
      ) : (
        <form onSubmit={submit} noValidate className="totp-disable">
          <div className="field">
            <label htmlFor="totp-proof">{t('security.disableProof')}</label>
            <input
              id="totp-proof"
              type="password"
              autoComplete="current-password"
              value={proof}
              onChange={(e) => setProof(e.target.value)}
            />
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn" disabled={busy || !proof}>
            {t('security.disable')}
          </button>
        </form>
      )}
    </section>
  );
}
