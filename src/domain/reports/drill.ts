import type { Queryable } from '../../server/db/database.ts';
import { caseConditions, type ReportFilter, recentCase } from './filters.ts';
import { ACTIVE, type KpiPart, type Kpis, summaryKpis } from './kpis.ts';

/**
 * The cases behind a figure: for each drillable KPI, the same conditions as the KPI (docs/metrics.md), newest
 * first, optionally narrowed to one local day of a daily series.
 */
export const DRILL_METRICS = [
  'cases_created',
  'first_response_breached',
  'cases_resolved',
  'resolution_breached',
  'reopened',
  'backlog',
  'messages_in',
  'messages_out',
  'negative',
] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];

export interface DrillCase {
  id: number;
  subject: string;
  status: string;
  community_id: number;
  created_at: string;
}

/** Metrics whose total is a KPI: counted from the rollups instead of from every matching case. */
const TOTALS: Partial<Record<DrillMetric, [KpiPart, (k: Kpis) => number]>> = {
  cases_created: ['created', (k) => k.cases_created],
  first_response_breached: ['created', (k) => k.sla_first_response.breached],
  cases_resolved: ['resolved', (k) => k.cases_resolved],
  resolution_breached: ['resolved', (k) => k.sla_resolution.breached],
  reopened: ['resolved', (k) => k.reopen_rate.reopened],
  backlog: ['backlog', (k) => k.backlog.count],
};

export async function drillCases(
  db: Queryable,
  f: ReportFilter,
  metric: DrillMetric,
  opts: { day?: string | undefined; limit: number; kpis?: Parameters<typeof summaryKpis>[0] | undefined },
): Promise<{ total: number; cases: DrillCase[] }> {
  const total = TOTALS[metric];
  if (opts.kpis && total && !opts.day) {
    const [kpis, page] = await Promise.all([
      summaryKpis(opts.kpis, f, { parts: [total[0]] }),
      drillPage(db, f, metric, { limit: opts.limit, counted: false }),
    ]);
    return { total: total[1](kpis), cases: page.cases };
  }
  return drillPage(db, f, metric, { day: opts.day, limit: opts.limit, counted: true });
}

/** The newest cases behind a figure, and (when `counted`) how many there are in all. */
async function drillPage(
  db: Queryable,
  f: ReportFilter,
  metric: DrillMetric,
  opts: { day?: string | undefined; limit: number; counted: boolean },
): Promise<{ total: number; cases: DrillCase[] }> {
  const params: unknown[] = [];
  const where = caseConditions(f, params);
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const inPeriod = (col: string) => {
    const parts = [`${col} >= ${add(f.from)}`, `${col} < ${add(f.to)}`];
    if (opts.day) {
      const day = add(opts.day);
      const tz = add(f.tz);
      parts.push(
        `${col} >= (${day}::date::timestamp at time zone ${tz})`,
        `${col} < ((${day}::date + 1)::timestamp at time zone ${tz})`,
      );
    }
    return parts.join(' and ');
  };
  const messagesWith = (cond: string) =>
    `${recentCase(add(f.from))} and exists (select 1 from messages m where m.case_id = c.id and ${cond} and ${inPeriod('m.created_at')})`;
  switch (metric) {
    case 'cases_created':
      where.push(inPeriod('c.created_at'));
      break;
    case 'first_response_breached': {
      where.push(inPeriod('c.created_at'));
      const now = add(f.now);
      where.push(
        `c.first_response_due_at is not null and (c.first_responded_at > c.first_response_due_at
          or (c.first_responded_at is null and c.first_response_due_at <= ${now}))`,
      );
      break;
    }
    case 'cases_resolved':
      where.push(inPeriod('c.resolved_at'));
      break;
    case 'resolution_breached':
      where.push(inPeriod('c.resolved_at'), 'c.resolution_due_at is not null and c.resolved_at > c.resolution_due_at');
      break;
    case 'reopened':
      where.push(inPeriod('c.resolved_at'), 'c.reopened_count > 0');
      break;
    case 'backlog':
      where.push(`c.status = any(${add(ACTIVE)}::text[])`, `c.created_at <= ${add(f.now)}`);
      break;
    case 'messages_in':
      where.push(messagesWith(`m.direction = 'in'`));
      break;
    case 'messages_out':
      where.push(messagesWith(`m.direction = 'out' and m.kind <> 'auto_ack'`));
      break;
    case 'negative':
      where.push(messagesWith(`m.direction = 'in' and m.sentiment = 'negative'`));
      break;
  }
  const limit = add(opts.limit);
  const r = await db.query<DrillCase & { total: string; created_at: Date }>(
    `select c.id::int as id, c.subject, c.status, c.community_id, c.created_at,
       ${opts.counted ? 'count(*) over ()' : '0'} as total
     from cases c where ${where.join(' and ')} order by c.id desc limit ${limit}`,
    params,
  );
  return {
    total: r.rows.length === 0 ? 0 : Number(r.rows[0]!.total),
    cases: r.rows.map((row) => ({
      id: Number(row.id),
      subject: row.subject,
      status: row.status,
      community_id: row.community_id,
      created_at: row.created_at.toISOString(),
    })),
  };
}
