import type { Queryable } from '../../server/db/database.ts';
import { caseConditions, type ReportFilter, recentCase } from './filters.ts';
import { ACTIVE } from './kpis.ts';

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

export async function drillCases(
  db: Queryable,
  f: ReportFilter,
  metric: DrillMetric,
  opts: { day?: string | undefined; limit: number },
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
    `select c.id::int as id, c.subject, c.status, c.community_id, c.created_at, count(*) over () as total
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
