import { useEffect, useMemo, useState } from 'react';
import { api, isAbort, TOPICS } from '../../api.ts';
import { Link } from '../../components/Link.tsx';
import { Page } from '../../components/Page.tsx';
import { errorMessage, useI18n } from '../../i18n/context.tsx';
import { labelFor } from '../../i18n/index.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import { useReference, useSession } from '../../session.tsx';
import { FeedbackReportCard } from '../backlog/FeedbackReportCard.tsx';
import { QualityReportCard } from '../quality/QualityReportCard.tsx';
import { Chart } from './Chart.tsx';
import {
  apiQuery,
  type Breakdown,
  type DayPoint,
  drillHref,
  filtersFromSearch,
  filtersQuery,
  type Kpis,
  type ReportFilters,
  type Summary,
} from './model.ts';
import { SchedulesPanel } from './SchedulesPanel.tsx';
import './reports.css';

/** The reports overview: KPI tiles against the previous period, daily charts, backlog ages, communities. */
export function ReportsPage() {
  const { t } = useI18n();
  return (
    <Page section="reports" title={t('reports.title')}>
      <Overview />
    </Page>
  );
}

interface Data {
  summary: Summary;
  days: DayPoint[];
  communities: Breakdown;
}

function Overview() {
  const { t } = useI18n();
  const loc = useLocation();
  const filters = useMemo(() => filtersFromSearch(loc.search), [loc.search]);
  const query = apiQuery(filters);
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    setData(null);
    Promise.all([
      api.report<Summary>('summary', `${query}&compare=previous`, ac.signal),
      api.report<{ days: DayPoint[] }>('series', query, ac.signal),
      api.report<Breakdown>('breakdown', `${query}&by=community`, ac.signal),
    ]).then(
      ([summary, series, communities]) => {
        setData({ summary, days: series.days, communities });
        setError(null);
      },
      (err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(t, err));
      },
    );
    return () => ac.abort();
  }, [query, t]);

  const change = (patch: Partial<ReportFilters>) => navigate(`/reports?${filtersQuery({ ...filters, ...patch })}`);

  return (
    <>
      <FilterBar filters={filters} onChange={change} />
      {error && (
        <p className="notice" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="placeholder">{t('common.loading')}</p>}
      {data && (
        <div className="reports" data-testid="reports-ready">
          <Tiles filters={filters} kpis={data.summary.kpis} previous={data.summary.previous?.kpis} />
          <VolumeChart filters={filters} days={data.days} />
          <div className="report-row">
            <SentimentChart days={data.days} filters={filters} />
            <BacklogChart kpis={data.summary.kpis} filters={filters} />
          </div>
          <CommunityChart breakdown={data.communities} filters={filters} />
          <QualityReportCard
            kpi={(data.summary.kpis as { extensions?: Record<string, unknown> }).extensions?.quality}
          />
          <FeedbackReportCard
            kpi={(data.summary.kpis as { extensions?: Record<string, unknown> }).extensions?.feedback}
          />
          <Exports query={query} />
          <SchedulesPanel />
        </div>
      )}
    </>
  );
}

function FilterBar(props: { filters: ReportFilters; onChange(patch: Partial<ReportFilters>): void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const { teams } = useReference();
  const f = props.filters;
  return (
    <form className="report-filters" aria-label={t('reports.filters')} onSubmit={(e) => e.preventDefault()}>
      <label>
        <span>{t('reports.from')}</span>
        <input
          type="date"
          value={f.from}
          max={f.to}
          onChange={(e) => e.target.value && props.onChange({ from: e.target.value })}
          data-filter="from"
        />
      </label>
      <label>
        <span>{t('reports.to')}</span>
        <input
          type="date"
          value={f.to}
          min={f.from}
          onChange={(e) => e.target.value && props.onChange({ to: e.target.value })}
          data-filter="to"
        />
      </label>
      <label>
        <span>{t('reports.community')}</span>
        <select
          value={f.community ?? ''}
          onChange={(e) => props.onChange({ community: e.target.value || undefined })}
          data-filter="community"
        >
          <option value="">{t('reports.allCommunities')}</option>
          {me.communities.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('reports.team')}</span>
        <select
          value={f.team ?? ''}
          onChange={(e) => props.onChange({ team: e.target.value || undefined })}
          data-filter="team"
        >
          <option value="">{t('reports.allTeams')}</option>
          {(teams ?? []).map((team) => (
            <option key={team.id} value={String(team.id)}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('reports.topic')}</span>
        <select
          value={f.topic ?? ''}
          onChange={(e) => props.onChange({ topic: e.target.value || undefined })}
          data-filter="topic"
        >
          <option value="">{t('reports.allTopics')}</option>
          {TOPICS.map((topic) => (
            <option key={topic} value={topic}>
              {labelFor(t, 'topic', topic)}
            </option>
          ))}
        </select>
      </label>
      <label className="report-check">
        <input
          type="checkbox"
          checked={f.business_hours}
          onChange={(e) => props.onChange({ business_hours: e.target.checked })}
          data-filter="business_hours"
        />
        <span>{t('reports.businessHours')}</span>
      </label>
    </form>
  );
}

type TileValue = { text: string; raw: number | null };

function Tiles(props: { filters: ReportFilters; kpis: Kpis; previous: Kpis | undefined }) {
  const { t, fmt } = useI18n();
  const num = (n: number): TileValue => ({ text: fmt.number(n), raw: n });
  const pct = (x: number | null): TileValue => ({ text: x === null ? t('common.none') : fmt.percent(x), raw: x });
  const mins = (m: number | null): TileValue => ({
    text: m === null ? t('common.none') : fmt.duration(m * 60_000),
    raw: m,
  });
  const net = (x: number | null): TileValue => ({
    text: x === null ? t('common.none') : `${x > 0 ? '+' : ''}${fmt.number(x)}`,
    raw: x,
  });
  const tiles: {
    id: string;
    label: string;
    value: (k: Kpis) => TileValue;
    detail?: (k: Kpis) => string;
    drill?: Parameters<typeof drillHref>[1];
    /** Whether a higher figure is better (colours the change). */
    better?: 'up' | 'down';
    /** A figure of now, not of the period: no comparison. */
    snapshot?: boolean;
  }[] = [
    { id: 'messages_in', label: t('reports.kpi.messagesIn'), value: (k) => num(k.messages_in), drill: 'messages_in' },
    {
      id: 'messages_out',
      label: t('reports.kpi.messagesOut'),
      value: (k) => num(k.messages_out),
      drill: 'messages_out',
    },
    {
      id: 'cases_created',
      label: t('reports.kpi.casesCreated'),
      value: (k) => num(k.cases_created),
      drill: 'cases_created',
    },
    {
      id: 'first_response',
      label: t('reports.kpi.firstResponse'),
      value: (k) => mins(k.first_response_minutes.median),
      detail: (k) => t('reports.kpi.p90', { value: mins(k.first_response_minutes.p90).text }),
      better: 'down',
    },
    {
      id: 'resolution',
      label: t('reports.kpi.resolution'),
      value: (k) => mins(k.resolution_minutes.median),
      detail: (k) => t('reports.kpi.p90', { value: mins(k.resolution_minutes.p90).text }),
      drill: 'cases_resolved',
      better: 'down',
    },
    {
      id: 'sla_first_response',
      label: t('reports.kpi.slaFirstResponse'),
      value: (k) => pct(k.sla_first_response.compliance),
      detail: (k) => t('reports.kpi.breached', { n: fmt.number(k.sla_first_response.breached) }),
      drill: 'first_response_breached',
      better: 'up',
    },
    {
      id: 'sla_resolution',
      label: t('reports.kpi.slaResolution'),
      value: (k) => pct(k.sla_resolution.compliance),
      detail: (k) => t('reports.kpi.breached', { n: fmt.number(k.sla_resolution.breached) }),
      drill: 'resolution_breached',
      better: 'up',
    },
    {
      id: 'backlog',
      label: t('reports.kpi.backlog'),
      value: (k) => num(k.backlog.count),
      detail: (k) => t('reports.kpi.backlogAge', { value: mins((k.backlog.age_hours.median ?? 0) * 60).text }),
      drill: 'backlog',
      snapshot: true,
    },
    {
      id: 'reopen_rate',
      label: t('reports.kpi.reopenRate'),
      value: (k) => pct(k.reopen_rate.rate),
      drill: 'reopened',
      better: 'down',
    },
    { id: 'out_of_hours', label: t('reports.kpi.outOfHours'), value: (k) => pct(k.out_of_hours.share) },
    {
      id: 'net_sentiment',
      label: t('reports.kpi.netSentiment'),
      value: (k) => net(k.net_sentiment.net),
      drill: 'negative',
      better: 'up',
    },
  ];
  return (
    <ul className="report-tiles" aria-label={t('reports.kpis')}>
      {tiles.map((tile) => {
        const now = tile.value(props.kpis);
        const before = props.previous && !tile.snapshot ? tile.value(props.previous) : null;
        const delta = before && now.raw !== null && before.raw !== null ? now.raw - before.raw : null;
        const tone =
          delta === null || delta === 0 || !tile.better
            ? ''
            : delta > 0 === (tile.better === 'up')
              ? 'report-good'
              : 'report-bad';
        return (
          <li key={tile.id} className="card report-tile" data-kpi={tile.id}>
            <span className="report-tile-label">{tile.label}</span>
            <strong className="report-tile-value" data-value={now.raw ?? ''}>
              {now.text}
            </strong>
            {tile.detail && <span className="report-tile-detail">{tile.detail(props.kpis)}</span>}
            {before && (
              <span className={`report-tile-previous ${tone}`}>{t('reports.previous', { value: before.text })}</span>
            )}
            {tile.drill && (
              <Link href={drillHref(props.filters, tile.drill)} className="report-drill" data-drill={tile.drill}>
                {t('reports.seeCases')}
                <span className="visually-hidden">: {tile.label}</span>
              </Link>
            )}
          </li>
        );
      })}
    </ul>
  );
}

const COLORS = { in: '#2f6fdf', out: '#1f9d55', created: '#c77d1a', net: '#7b4bd1', backlog: '#c0392b' };

function VolumeChart(props: { filters: ReportFilters; days: DayPoint[] }) {
  const { t, fmt } = useI18n();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: props.days.map((d) => d.day) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('reports.series.in'),
          type: 'bar',
          barMaxWidth: 48,
          color: COLORS.in,
          data: props.days.map((d) => d.messages_in),
        },
        {
          name: t('reports.series.out'),
          type: 'bar',
          barMaxWidth: 48,
          color: COLORS.out,
          data: props.days.map((d) => d.messages_out),
        },
        {
          name: t('reports.series.created'),
          type: 'line',
          color: COLORS.created,
          data: props.days.map((d) => d.cases_created),
        },
      ],
    }),
    [props.days, t],
  );
  const metrics = ['messages_in', 'messages_out', 'cases_created'] as const;
  return (
    <section className="card" aria-labelledby="chart-volume">
      <h2 className="card-title" id="chart-volume">
        {t('reports.chart.volume')}
      </h2>
      <Chart
        option={option}
        label={t('reports.chart.volume')}
        testId="chart-volume"
        onPick={(day, series) => navigate(drillHref(props.filters, metrics[series] ?? 'messages_in', day))}
      />
      <details className="report-table">
        <summary>{t('reports.table')}</summary>
        <table className="data-table" data-testid="table-volume">
          <thead>
            <tr>
              <th scope="col">{t('reports.day')}</th>
              <th scope="col">{t('reports.series.in')}</th>
              <th scope="col">{t('reports.series.out')}</th>
              <th scope="col">{t('reports.series.created')}</th>
            </tr>
          </thead>
          <tbody>
            {props.days.map((d) => (
              <tr key={d.day} data-day={d.day}>
                <th scope="row">{d.day}</th>
                <td>
                  <Link href={drillHref(props.filters, 'messages_in', d.day)} data-drill="messages_in">
                    {fmt.number(d.messages_in)}
                  </Link>
                </td>
                <td>
                  <Link href={drillHref(props.filters, 'messages_out', d.day)} data-drill="messages_out">
                    {fmt.number(d.messages_out)}
                  </Link>
                </td>
                <td>
                  <Link href={drillHref(props.filters, 'cases_created', d.day)} data-drill="cases_created">
                    {fmt.number(d.cases_created)}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function SentimentChart(props: { filters: ReportFilters; days: DayPoint[] }) {
  const { t } = useI18n();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: props.days.map((d) => d.day) },
      yAxis: { type: 'value', min: -100, max: 100 },
      series: [
        {
          name: t('reports.series.net'),
          type: 'line',
          color: COLORS.net,
          connectNulls: true,
          showSymbol: true,
          symbolSize: 7,
          data: props.days.map((d) => d.net_sentiment),
        },
      ],
    }),
    [props.days, t],
  );
  return (
    <section className="card" aria-labelledby="chart-sentiment">
      <h2 className="card-title" id="chart-sentiment">
        {t('reports.chart.sentiment')}
      </h2>
      <Chart
        option={option}
        label={t('reports.chart.sentiment')}
        testId="chart-sentiment"
        onPick={(day) => navigate(drillHref(props.filters, 'negative', day))}
      />
    </section>
  );
}

function BacklogChart(props: { filters: ReportFilters; kpis: Kpis }) {
  const { t } = useI18n();
  const b = props.kpis.backlog.buckets;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 28 },
      xAxis: {
        type: 'category',
        data: [
          t('reports.bucket.under1d'),
          t('reports.bucket.d1to3'),
          t('reports.bucket.d3to7'),
          t('reports.bucket.over7d'),
        ],
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('reports.kpi.backlog'),
          type: 'bar',
          barMaxWidth: 48,
          color: COLORS.backlog,
          data: [b.under_1d, b.d1_3, b.d3_7, b.over_7d],
        },
      ],
    }),
    [b, t],
  );
  return (
    <section className="card" aria-labelledby="chart-backlog">
      <h2 className="card-title" id="chart-backlog">
        {t('reports.chart.backlog')}
      </h2>
      <Chart
        option={option}
        label={t('reports.chart.backlog')}
        testId="chart-backlog"
        onPick={() => navigate(drillHref(props.filters, 'backlog'))}
      />
    </section>
  );
}

function CommunityChart(props: { filters: ReportFilters; breakdown: Breakdown }) {
  const { t, fmt } = useI18n();
  const items = props.breakdown.items;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: items.map((i) => i.label) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('reports.series.in'),
          type: 'bar',
          barMaxWidth: 48,
          color: COLORS.in,
          data: items.map((i) => i.kpis.messages_in),
        },
        {
          name: t('reports.series.created'),
          type: 'bar',
          barMaxWidth: 48,
          color: COLORS.created,
          data: items.map((i) => i.kpis.cases_created),
        },
      ],
    }),
    [items, t],
  );
  const byLabel = new Map(items.map((i) => [i.label, i.key]));
  return (
    <section className="card" aria-labelledby="chart-communities">
      <h2 className="card-title" id="chart-communities">
        {t('reports.chart.communities')}
      </h2>
      <Chart
        option={option}
        label={t('reports.chart.communities')}
        testId="chart-communities"
        onPick={(label, series) => {
          const key = byLabel.get(label);
          if (key)
            navigate(drillHref({ ...props.filters, community: key }, series === 0 ? 'messages_in' : 'cases_created'));
        }}
      />
      <details className="report-table">
        <summary>{t('reports.table')}</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.community')}</th>
              <th scope="col">{t('reports.series.in')}</th>
              <th scope="col">{t('reports.series.created')}</th>
              <th scope="col">{t('reports.kpi.firstResponse')}</th>
              <th scope="col">{t('reports.kpi.slaFirstResponse')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.key ?? ''}>
                <th scope="row">{i.label}</th>
                <td>{fmt.number(i.kpis.messages_in)}</td>
                <td>
                  <Link href={drillHref({ ...props.filters, community: i.key ?? undefined }, 'cases_created')}>
                    {fmt.number(i.kpis.cases_created)}
                  </Link>
                </td>
                <td>
                  {i.kpis.first_response_minutes.median === null
                    ? t('common.none')
                    : fmt.duration(i.kpis.first_response_minutes.median * 60_000)}
                </td>
                <td>
                  {i.kpis.sla_first_response.compliance === null
                    ? t('common.none')
                    : fmt.percent(i.kpis.sla_first_response.compliance)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function Exports(props: { query: string }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="report-exports">
      <h2 className="card-title" id="report-exports">
        {t('reports.export')}
      </h2>
      <div className="card-actions">
        <a className="btn" href={`/api/v1/reports/export/cases.csv?${props.query}`} download data-export="cases">
          {t('reports.exportCases')}
        </a>
        <a className="btn" href={`/api/v1/reports/export/messages.csv?${props.query}`} download data-export="messages">
          {t('reports.exportMessages')}
        </a>
        <a className="btn" href={`/api/v1/reports/export/cases.xlsx?${props.query}`} download data-export="cases-xlsx">
          {t('reports.exportCasesXlsx')}
        </a>
        <a
          className="btn"
          href={`/api/v1/reports/export/messages.xlsx?${props.query}`}
          download
          data-export="messages-xlsx"
        >
          {t('reports.exportMessagesXlsx')}
        </a>
        <a className="btn" href={`/api/v1/reports/export/summary.pdf?${props.query}`} download data-export="pdf">
          {t('reports.exportPdf')}
        </a>
      </div>
    </section>
  );
}
