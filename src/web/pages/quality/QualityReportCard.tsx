import { Link } from '../../components/Link.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { criterionLabel } from './labels.ts';
import type { QaScore } from './quality-api.ts';

interface QualityKpi {
  total: QaScore;
  people: (QaScore & { person_id: number; name: string })[];
  communities: (QaScore & { community_id: number })[];
}

/** The reports' QA section: `kpis.extensions.quality` of the summary (reviews, mean score, most failed, by person). */
export function QualityReportCard(props: { kpi: unknown }) {
  const { t, fmt } = useI18n();
  const kpi = props.kpi as QualityKpi | undefined;
  if (!kpi?.total) return null;
  const mean = (v: number | null) => (v === null ? '—' : fmt.number(v));
  const failed = (s: QaScore) =>
    s.most_failed.length === 0 ? '—' : s.most_failed.map((f) => `${criterionLabel(t, f)} (${f.fails})`).join(', ');
  return (
    <section className="card" aria-labelledby="report-quality" data-testid="report-quality">
      <h2 className="card-title" id="report-quality">
        {t('quality.scores')}
      </h2>
      <p data-total-reviews={kpi.total.reviews}>
        {t('quality.total', { n: kpi.total.reviews, mean: mean(kpi.total.mean_score) })} · {t('quality.mostFailed')}
        {': '}
        {failed(kpi.total)}
      </p>
      {kpi.people.length > 0 && (
        <table className="data-table">
          <caption>{t('quality.byPerson')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('quality.author')}</th>
              <th scope="col">{t('quality.reviewsCol')}</th>
              <th scope="col">{t('quality.meanCol')}</th>
              <th scope="col">{t('quality.mostFailed')}</th>
            </tr>
          </thead>
          <tbody>
            {kpi.people.map((p) => (
              <tr key={p.person_id}>
                <td>{p.name}</td>
                <td>{fmt.number(p.reviews)}</td>
                <td>{mean(p.mean_score)}</td>
                <td>{failed(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link href="/quality">{t('quality.pageTitle')}</Link>
      </p>
    </section>
  );
}
