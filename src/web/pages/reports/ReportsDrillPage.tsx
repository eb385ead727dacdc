import { useEffect, useMemo, useState } from 'react';
import { api, isAbort } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { useLocation } from '../../lib/router.ts';
import { useSession } from '../../session.tsx';
import { apiQuery, DRILL_METRICS, type Drill, filtersFromSearch, filtersQuery } from './model.ts';
import './reports.css';

/** The cases behind a figure of the reports, with the filters they were counted with. */
export function ReportsDrillPage() {
  const { t } = useI18n();
  return (
    <Page section="reports" title={t('reports.drill.title')}>
      <DrillList />
    </Page>
  );
}

function DrillList() {
  const { t, tn, fmt } = useI18n();
  const { me } = useSession();
  const loc = useLocation();
  const filters = useMemo(() => filtersFromSearch(loc.search), [loc.search]);
  const metricParam = loc.search.get('metric') ?? '';
  const metric = (DRILL_METRICS as readonly string[]).includes(metricParam) ? metricParam : 'cases_created';
  const day = loc.search.get('day') ?? undefined;
  const query = apiQuery(filters, { metric, day });
  const [data, setData] = useState<Drill | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    setData(null);
    api.report<Drill>('drill', query, ac.signal).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      },
    );
    return () => ac.abort();
  }, [query, t]);

  const community = (id: number) => me.communities.find((c) => c.id === id)?.name ?? String(id);
  return (
    <>
      <p>
        <Link href={`/reports?${filtersQuery(filters)}`}>{t('reports.drill.back')}</Link>
      </p>
      <p className="report-drill-what" data-testid="drill-what">
        {t(`reports.drill.metric.${metric}` as 'reports.drill.metric.cases_created')}
        {' · '}
        {day ? t('reports.drill.day', { day }) : t('reports.drill.period', { from: filters.from, to: filters.to })}
      </p>
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="placeholder">{t('common.loading')}</p>}
      {data && (
        <section className="card" data-testid="drill-ready" data-total={data.total}>
          <h2 className="card-title">{tn('view.count', data.total)}</h2>
          {data.total > data.cases.length && <p>{t('reports.drill.shown', { n: fmt.number(data.cases.length) })}</p>}
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('reports.drill.case')}</th>
                <th scope="col">{t('label.status')}</th>
                <th scope="col">{t('reports.community')}</th>
                <th scope="col">{t('reports.drill.created')}</th>
              </tr>
            </thead>
            <tbody>
              {data.cases.map((c) => (
                <tr key={c.id} data-case-id={c.id}>
                  <td>
                    <Link href={`/cases/${c.id}`}>
                      #{c.id} {c.subject}
                    </Link>
                  </td>
                  <td>{labelFor(t, 'status', c.status)}</td>
                  <td>{community(c.community_id)}</td>
                  <td>{fmt.dateTime(c.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
