import { useState } from 'react';
import { api, type CaseDetail } from '../../api.ts';
import { useToast } from '../../components/Toasts.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { safeHttpUrl } from '../../lib/url.ts';
import { useSession } from '../../session.tsx';

/** Records of other systems (CRM, claims, helpdesk) this case is followed in, with the status they report. */
export function LinksPanel(props: { c: CaseDetail; onChanged(): void }) {
  const { t, fmt } = useI18n();
  const { canWork } = useSession();
  const notify = useToast();
  const links = props.c.links ?? [];
  const [adding, setAdding] = useState(false);
  const [system, setSystem] = useState('');
  const [externalId, setExternalId] = useState('');
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (props.c.links === undefined) return null;

  const submit = async () => {
    if (!system.trim() || !externalId.trim()) {
      setError(t('links.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.addLink(props.c.id, {
        system: system.trim(),
        external_id: externalId.trim(),
        ...(url.trim() ? { url: url.trim() } : {}),
      });
      notify(t('links.added'));
      setSystem('');
      setExternalId('');
      setUrl('');
      setAdding(false);
      props.onChanged();
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="links-title" data-testid="links-panel">
      <h2 id="links-title" className="panel-title">
        {t('links.title')}
      </h2>
      {links.length === 0 ? (
        <p className="muted small">{t('links.none')}</p>
      ) : (
        <ul className="links">
          {links.map((l) => {
            const href = safeHttpUrl(l.url);
            return (
              <li key={l.id} data-link-id={l.id}>
                <span className="link-ref">
                  <span className="link-system">{l.system}</span>
                  {href ? (
                    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                      {l.external_id}
                    </a>
                  ) : (
                    <span>{l.external_id}</span>
                  )}
                </span>
                {l.status ? (
                  <span className="link-status" title={l.status_at ? fmt.dateTime(l.status_at) : undefined}>
                    <span className="pill pill-link">{l.status}</span>
                    {l.status_at && <span className="muted small"> {fmt.dateTime(l.status_at)}</span>}
                  </span>
                ) : (
                  <span className="muted small">{t('links.noStatus')}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {canWork &&
        (adding ? (
          <form
            className="mini-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <label>
              <span>{t('links.system')}</span>
              <input
                type="text"
                value={system}
                placeholder="crm"
                maxLength={40}
                onChange={(e) => setSystem(e.target.value)}
              />
            </label>
            <label>
              <span>{t('links.externalId')}</span>
              <input type="text" value={externalId} maxLength={200} onChange={(e) => setExternalId(e.target.value)} />
            </label>
            <label>
              <span>{t('links.url')}</span>
              <input type="url" value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} />
            </label>
            {error && (
              <p className="form-error" role="alert">
                {error}
              </p>
            )}
            <span className="mini-form-buttons">
              <button type="button" className="btn btn-small" onClick={() => setAdding(false)}>
                {t('common.cancel')}
              </button>
              <button type="submit" className="btn btn-small btn-primary" disabled={busy}>
                {t('links.add')}
              </button>
            </span>
          </form>
        ) : (
          <button type="button" className="btn btn-small" onClick={() => setAdding(true)} data-action="add-link">
            {t('links.addOpen')}
          </button>
        ))}
    </section>
  );
}
