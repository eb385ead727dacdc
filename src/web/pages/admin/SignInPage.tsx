import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, isAbort } from '../../api.ts';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { type SignInSettings, type SignInSettingsInput, signInApi } from '../account/sign-in-api.ts';

const ROLES = ['leader', 'manager', 'backup', 'expert', 'approver', 'viewer'];

/** Rules written one a line: `claim = value -> target` (e.g. `groups = passeur-leaders -> leader`). */
export function formatRules(rules: { claim: string; value: string; role?: string; community?: string }[]): string {
  return rules.map((r) => `${r.claim} = ${r.value} -> ${r.role ?? r.community}`).join('\n');
}

export function parseRules(text: string): { claim: string; value: string; target: string }[] | { badLine: number } {
  const out: { claim: string; value: string; target: string }[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const m = /^\s*([^\s=]+)\s*=\s*(.+?)\s*(?:->|→)\s*(\S+)\s*$/.exec(line);
    if (!m) return { badLine: i + 1 };
    out.push({ claim: m[1]!, value: m[2]!, target: m[3]! });
  }
  return out;
}

/** Leaders: the organization's single sign-on provider and whether leaders and approvers need a second factor. */
export function SignInPage() {
  const { t } = useI18n();
  return (
    <Page section="admin_sign_in" title={t('signIn.title')} leaderOnly>
      <SignInForm />
    </Page>
  );
}

function SignInForm() {
  const { t } = useI18n();
  const notify = useToast();
  const [settings, setSettings] = useState<SignInSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [totpRequired, setTotpRequired] = useState(false);
  const [enabled, setEnabled] = useState(false);
  const [name, setName] = useState('');
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [scopes, setScopes] = useState('openid email profile');
  const [roleRules, setRoleRules] = useState('');
  const [communityRules, setCommunityRules] = useState('');
  const [defaultRole, setDefaultRole] = useState('');
  const [autoProvision, setAutoProvision] = useState(false);
  const [domains, setDomains] = useState('');

  const adopt = useCallback((s: SignInSettings) => {
    setSettings(s);
    setTotpRequired(s.totp_required);
    setEnabled(s.oidc.enabled);
    setName(s.oidc.name);
    setIssuer(s.oidc.issuer ?? '');
    setClientId(s.oidc.client_id ?? '');
    setSecret('');
    setScopes(s.oidc.scopes);
    setRoleRules(formatRules(s.oidc.role_rules));
    setCommunityRules(formatRules(s.oidc.community_rules));
    setDefaultRole(s.oidc.default_role ?? '');
    setAutoProvision(s.oidc.auto_provision);
    setDomains(s.oidc.allowed_domains.join(', '));
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    signInApi.settings(ac.signal).then(adopt, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(t, err));
    });
    return () => ac.abort();
  }, [t, adopt]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const roles = parseRules(roleRules);
    const communities = parseRules(communityRules);
    if ('badLine' in roles) {
      setError(t('signIn.badRule', { line: roles.badLine }));
      return;
    }
    if ('badLine' in communities) {
      setError(t('signIn.badRule', { line: communities.badLine }));
      return;
    }
    const body: SignInSettingsInput = {
      totp_required: totpRequired,
      oidc: {
        enabled,
        name: name.trim(),
        issuer: issuer.trim() || null,
        client_id: clientId.trim() || null,
        ...(secret ? { client_secret: secret } : {}),
        scopes: scopes.trim().replace(/\s+/g, ' '),
        role_rules: roles.map((r) => ({ claim: r.claim, value: r.value, role: r.target })),
        community_rules: communities.map((r) => ({ claim: r.claim, value: r.value, community: r.target })),
        default_role: defaultRole || null,
        auto_provision: autoProvision,
        allowed_domains: domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
      },
    };
    setBusy(true);
    setError(null);
    try {
      adopt(await signInApi.saveSettings(body));
      notify(t('signIn.saved'));
    } catch (err) {
      setError(err instanceof ApiError && err.field ? `${err.field}: ${err.message}` : errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (!settings && !error) return <p className="placeholder">{t('common.loading')}</p>;
  const callback = `${window.location.origin}/api/v1/auth/oidc/callback`;
  return (
    <form onSubmit={submit} noValidate className="sign-in-settings">
      <fieldset className="check-group">
        <legend>{t('signIn.totpTitle')}</legend>
        <label className="check-option">
          <input
            type="checkbox"
            checked={totpRequired}
            onChange={(e) => setTotpRequired(e.target.checked)}
            data-testid="totp-required"
          />{' '}
          {t('signIn.totpRequired')}
        </label>
        <p className="muted small">{t('signIn.totpHelp')}</p>
      </fieldset>
      <fieldset className="check-group">
        <legend>{t('signIn.oidcTitle')}</legend>
        <p className="muted small">{t('signIn.oidcHelp')}</p>
        <p className="small">
          {t('signIn.callback')} <code>{callback}</code>
        </p>
        <label className="check-option">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{' '}
          {t('signIn.enabled')}
        </label>
        <div className="field">
          <label htmlFor="oidc-name">{t('signIn.name')}</label>
          <input id="oidc-name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="oidc-issuer">{t('signIn.issuer')}</label>
          <input
            id="oidc-issuer"
            type="url"
            placeholder="https://login.example.com/realms/care"
            value={issuer}
            onChange={(e) => setIssuer(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="oidc-client">{t('signIn.clientId')}</label>
          <input id="oidc-client" value={clientId} onChange={(e) => setClientId(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="oidc-secret">{t('signIn.clientSecret')}</label>
          <input
            id="oidc-secret"
            type="password"
            autoComplete="off"
            placeholder={settings?.oidc.client_secret_set ? t('signIn.secretKept') : ''}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="oidc-scopes">{t('signIn.scopes')}</label>
          <input id="oidc-scopes" value={scopes} onChange={(e) => setScopes(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="oidc-roles">{t('signIn.roleRules')}</label>
          <textarea
            id="oidc-roles"
            rows={4}
            placeholder="groups = passeur-leaders -> leader"
            value={roleRules}
            onChange={(e) => setRoleRules(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="oidc-communities">{t('signIn.communityRules')}</label>
          <textarea
            id="oidc-communities"
            rows={4}
            placeholder="groups = care-fr -> airsocial-fr"
            value={communityRules}
            onChange={(e) => setCommunityRules(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="oidc-default-role">{t('signIn.defaultRole')}</label>
          <select id="oidc-default-role" value={defaultRole} onChange={(e) => setDefaultRole(e.target.value)}>
            <option value="">{t('signIn.noDefaultRole')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {labelFor(t, 'role', r)}
              </option>
            ))}
          </select>
        </div>
        <label className="check-option">
          <input type="checkbox" checked={autoProvision} onChange={(e) => setAutoProvision(e.target.checked)} />{' '}
          {t('signIn.autoProvision')}
        </label>
        <div className="field">
          <label htmlFor="oidc-domains">{t('signIn.domains')}</label>
          <input
            id="oidc-domains"
            placeholder="example.com"
            value={domains}
            onChange={(e) => setDomains(e.target.value)}
          />
        </div>
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('signIn.save')}
      </button>
    </form>
  );
}
