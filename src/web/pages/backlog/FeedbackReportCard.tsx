import { Link } from '../../components/Link.tsx';
import { useI18n } from '../../i18n/context.tsx';

interface FeedbackKpi {
  ideas: { forwarded: number; created: number; accepted: number };
  incidents: {
    raised: number;
    cases_linked: number;
    fixed: number;
    resolution_hours: { median: number | null; p90: number | null };
  };
}

/** The reports' ideas and incidents section: `kpis.extensions.feedback` of the summary (docs/metrics.md). */
export function FeedbackReportCard(props: { kpi: unknown }) {
  const { t, fmt } = useI18n();
  const kpi = props.kpi as FeedbackKpi | undefined;
  if (!kpi?.ideas || !kpi.incidents) return null;
  const hours = (v: number | null) => (v === null ? '—' : fmt.number(v));
  const rows: [string, string, string][] = [
    ['ideas-forwarded', t('feedbackReport.ideasForwarded'), fmt.number(kpi.ideas.forwarded)],
    ['ideas-created', t('feedbackReport.ideasCreated'), fmt.number(kpi.ideas.created)],
    ['ideas-accepted', t('feedbackReport.ideasAccepted'), fmt.number(kpi.ideas.accepted)],
    ['incidents-raised', t('feedbackReport.incidentsRaised'), fmt.number(kpi.incidents.raised)],
    ['incidents-cases', t('feedbackReport.incidentCases'), fmt.number(kpi.incidents.cases_linked)],
    ['incidents-fixed', t('feedbackReport.incidentsFixed'), fmt.number(kpi.incidents.fixed)],
    [
      'incidents-resolution',
      t('feedbackReport.resolution'),
      t('feedbackReport.hours', {
        median: hours(kpi.incidents.resolution_hours.median),
        p90: hours(kpi.incidents.resolution_hours.p90),
      }),
    ],
  ];
  return (
    <section className="card" aria-labelledby="report-feedback" data-testid="report-feedback">
      <h2 className="card-title" id="report-feedback">
        {t('feedback.title')}
      </h2>
      <dl className="facts feedback-facts">
        {rows.map(([key, label, value]) => (
          <div key={key} data-kpi={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        <Link href="/backlog">{t('backlog.pageTitle')}</Link>
      </p>
    </section>
  );
}
