import { useCallback, useEffect, useState } from 'react';
import { api, isAbort } from '../../api.ts';
import { Page } from '../../components/Page.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { GovernancePreview, GovernanceVersion, GovernanceVersionSummary } from './model.ts';

/**
 * Leaders edit the governance policy (autonomy levels, approval rules, guidelines) as JSON; each save is a new
 * version, with a note. docs/governance.md describes every field.
 */
export function GovernancePage() {
  const { t } = useI18n();
  return (
    <Page section="admin_governance" title={t('governanceAdmin.title')} leaderOnly>
      <GovernanceEditor />
    </Page>
  );
}

function GovernanceEditor() {
  const { t, fmt } = useI18n();
  const notify = useToast();
  const [current, setCurrent] = useState<GovernanceVersion | null>(null);
  const [versions, setVersions] = useState<GovernanceVersionSummary[]>([]);
  const [source, setSource] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<GovernancePreview | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [c, v] = await Promise.all([api.governancePolicy(signal), api.governanceVersions(signal)]);
        setCurrent(c);
        setVersions(v);
        setSource(JSON.stringify(c.policy, null, 2));
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

  const parsed = (): { ok: true; policy: unknown } | { ok: false } => {
    try {
      return { ok: true, policy: JSON.parse(source) };
    } catch (err) {
      setError(t('governanceAdmin.invalidJson', { message: err instanceof Error ? err.message : String(err) }));
      return { ok: false };
    }
  };
  const test = async () => {
    const p = parsed();
    if (!p.ok) return;
    setBusy(true);
    setError(null);
    try {
      setPreview(await api.previewGovernancePolicy(p.policy));
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    const p = parsed();
    if (!p.ok) return;
    const policy = p.policy;
    setBusy(true);
    setError(null);
    try {
      const r = await api.saveGovernancePolicy({ policy, note });
      notify(t('governanceAdmin.saved', { version: r.version }));
      setNote('');
      await load();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  if (!current) return error ? <p className="form-error">{error}</p> : <p className="muted">{t('common.loading')}</p>;
  return (
    <div className="governance-admin">
      <p className="muted small">
        {t('governanceAdmin.inForce', { version: current.version })} · {t('governanceAdmin.help')}
      </p>
      <label htmlFor="governance-source" className="field-label">
        {t('governanceAdmin.policy')}
      </label>
      <textarea
        id="governance-source"
        className="governance-source"
        rows={28}
        spellCheck={false}
        value={source}
        onChange={(e) => setSource(e.target.value)}
        data-control="governance-source"
      />
      <label htmlFor="governance-note" className="field-label">
        {t('governanceAdmin.note')}
      </label>
      <input id="governance-note" type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="approval-actions">
        <button type="button" className="btn" onClick={() => void load()} disabled={busy}>
          {t('governanceAdmin.reset')}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void test()}
          disabled={busy}
          data-action="preview-governance"
        >
          {t('governanceAdmin.test')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void save()}
          disabled={busy}
          data-action="save-governance"
        >
          {t('governanceAdmin.save')}
        </button>
      </div>
      {preview && (
        <section className="governance-preview" aria-live="polite" data-testid="governance-preview">
          <h2 className="panel-sub">
            {t('governanceAdmin.previewSummary', { n: preview.needing_approval, total: preview.replies })}
          </h2>
          <ul className="governance-versions small">
            {preview.rules.map((r) => (
              <li key={`r-${r.id}`} title={r.samples.map((x) => x.excerpt).join('\n')}>
                <strong>{r.name}</strong> · {t('governanceAdmin.previewCount', { n: r.count })}
              </li>
            ))}
            {preview.guidelines.map((g) => (
              <li key={`g-${g.id}`} title={g.samples.map((x) => x.excerpt).join('\n')}>
                <strong>{g.id}</strong> ({g.kind}, {g.severity}) · {t('governanceAdmin.previewCount', { n: g.count })}
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2 className="panel-sub">{t('governanceAdmin.versions')}</h2>
      <ul className="governance-versions small">
        {versions.map((v) => (
          <li key={v.version}>
            <strong>v{v.version}</strong> · {fmt.dateTime(v.created_at)} · {v.author ?? t('common.system')}
            {v.note ? ` · ${v.note}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
