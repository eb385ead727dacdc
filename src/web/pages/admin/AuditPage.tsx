import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, isAbort, type Person } from '../../api.ts';
import { Page } from '../../components/Page.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import type { AuditEntry, AuditFilters } from '../consults/model.ts';

const PAGE = 50;

function queryOf(f: AuditFilters): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (typeof v === 'string' && v.trim()) q.set(k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v.trim());
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The audit log for leaders: search by actor, action, subject and dates, newest first; export as CSV. */
export function AuditPage() {
  const { t, fmt } = useI18n();
  const [people, setPeople] = useState<Person[]>([]);
  const [draft, setDraft] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    api.people(ac.signal).then(setPeople, () => undefined);
    return () => ac.abort();
  }, []);

  const load = useCallback(
    async (f: AuditFilters, before: number | undefined, signal?: AbortSignal) => {
      try {
        const iso = (v: string | undefined) => (v ? new Date(v).toISOString() : undefined);
        const page = await api.audit(
          { ...f, from: iso(f.from), to: iso(f.to), ...(before ? { before } : {}), limit: PAGE },
          signal,
        );
        setItems((prev) => (before && prev ? [...prev, ...page.items] : page.items));
        setNext(page.next_before);
        setError(null);
      } catch (err) {
        if (!isAbort(err)) setError(errorMessage(t, err));
      }
    },
    [t],
  );

  useEffect(() => {
    const ac = new AbortController();
    void load(filters, undefined, ac.signal);
    return () => ac.abort();
  }, [filters, load]);

  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setItems(null);
    setFilters({ ...draft });
  };

  return (
    <Page section="admin_audit" title={t('audit.title')} leaderOnly>
      <p className="muted">{t('audit.intro')}</p>
      <form className="audit-filters" onSubmit={submit} aria-label={t('audit.filters')}>
        <label>
          <span>{t('audit.actor')}</span>
          <select value={draft.actor_person_id ?? ''} onChange={set('actor_person_id')}>
            <option value="">{t('common.any')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('audit.action')}</span>
          <input type="text" value={draft.action ?? ''} placeholder="consult.*" onChange={set('action')} />
        </label>
        <label>
          <span>{t('audit.subjectType')}</span>
          <input type="text" value={draft.subject_type ?? ''} placeholder="case" onChange={set('subject_type')} />
        </label>
        <label>
          <span>{t('audit.subjectId')}</span>
          <input type="text" value={draft.subject_id ?? ''} onChange={set('subject_id')} />
        </label>
        <label>
          <span>{t('audit.from')}</span>
          <input type="datetime-local" value={draft.from ?? ''} onChange={set('from')} />
        </label>
        <label>
          <span>{t('audit.to')}</span>
          <input type="datetime-local" value={draft.to ?? ''} onChange={set('to')} />
        </label>
        <span className="audit-buttons">
          <button type="submit" className="btn btn-primary">
            {t('audit.search')}
          </button>
          <a className="btn" href={`/api/v1/audit/export.csv${queryOf(filters)}`} download>
            {t('audit.export')}
          </a>
        </span>
      </form>
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
      {items === null ? (
        <p className="placeholder">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('audit.none')}</p>
      ) : (
        <table className="data-table audit-table">
          <caption className="visually-hidden">{t('audit.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.subject')}</th>
              <th scope="col">{t('audit.data')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-audit-id={e.id}>
                <td>{fmt.dateTime(e.at)}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.actor
                    ? e.actor.kind === 'person'
                      ? (e.actor.name ?? `#${e.actor.id}`)
                      : t('audit.token', { id: e.actor.id })
                    : t('common.system')}
                </td>
                <td>{e.subject ? `${e.subject.type} ${e.subject.id ?? ''}` : t('common.none')}</td>
                <td>
                  <code className="audit-data">{JSON.stringify(e.data)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== null && (
        <button type="button" className="btn" onClick={() => void load(filters, next)}>
          {t('audit.more')}
        </button>
      )}
    </Page>
  );
}
