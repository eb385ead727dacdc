import type { Queryable } from '../../server/db/database.ts';
import { type KpiExtension, registerKpiExtension } from '../reports/extensions.ts';
import { caseConditions, type ReportFilter } from '../reports/filters.ts';

/**
 * KPIs of the ideas and incidents loop (docs/metrics.md), under `kpis.extensions.feedback` of the report summary.
 * An idea or incident counts in a report when at least one of its linked cases passes the report filter
 * (communities, team, person, channel, topic); links count by their case.
 */
export interface FeedbackKpis {
  ideas: {
    /** Cases forwarded to an idea in the period (new idea or a vote on an existing one). */
    forwarded: number;
    /** Ideas created in the period. */
    created: number;
    /** Ideas first planned, accepted or done in the period. */
    accepted: number;
  };
  incidents: {
    /** Incidents raised in the period. */
    raised: number;
    /** Cases linked to an incident in the period. */
    cases_linked: number;
    /** Incidents first marked fixed in the period. */
    fixed: number;
    /** Hours from raised to first fixed, of the incidents fixed in the period. */
    resolution_hours: { median: number | null; p90: number | null };
  };
}

type Num = string | number | null;
const n = (v: Num) => (v === null ? 0 : Number(v));
const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v.toFixed(2)));

export async function feedbackKpis(db: Queryable, f: ReportFilter): Promise<FeedbackKpis> {
  const params: unknown[] = [];
  const where = caseConditions(f, params).join(' and ');
  params.push(f.from, f.to);
  const from = `$${params.length - 1}`;
  const to = `$${params.length}`;
  const inPeriod = (col: string) => `${col} >= ${from} and ${col} < ${to}`;
  const ideas = await db.query<{ forwarded: Num; created: Num; accepted: Num }>(
    `with lc as (select l.idea_id, l.linked_at from idea_cases l join cases c on c.id = l.case_id where ${where})
     select
       (select count(*) from lc where ${inPeriod('lc.linked_at')}) as forwarded,
       (select count(*) from ideas i where i.id in (select idea_id from lc) and ${inPeriod('i.created_at')}) as created,
       (select count(*) from ideas i where i.id in (select idea_id from lc) and ${inPeriod('i.accepted_at')}) as accepted`,
    params,
  );
  const incidents = await db.query<{ raised: Num; cases_linked: Num; fixed: Num; hours: number[] | null }>(
    `with lc as (select l.incident_id, l.linked_at from incident_cases l join cases c on c.id = l.case_id where ${where}),
     fixed as (select i.* from incidents i where i.id in (select incident_id from lc) and ${inPeriod('i.fixed_at')})
     select
       (select count(*) from incidents i where i.id in (select incident_id from lc) and ${inPeriod('i.created_at')}) as raised,
       (select count(*) from lc where ${inPeriod('lc.linked_at')}) as cases_linked,
       (select count(*) from fixed) as fixed,
       (select percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from fixed_at - created_at) / 3600)
        from fixed) as hours`,
    params,
  );
  const i = ideas.rows[0]!;
  const k = incidents.rows[0]!;
  return {
    ideas: { forwarded: n(i.forwarded), created: n(i.created), accepted: n(i.accepted) },
    incidents: {
      raised: n(k.raised),
      cases_linked: n(k.cases_linked),
      fixed: n(k.fixed),
      resolution_hours: { median: round(k.hours?.[0]), p90: round(k.hours?.[1]) },
    },
  };
}

export const feedbackKpiExtension: KpiExtension = { name: 'feedback', compute: feedbackKpis };

/** Adds the feedback KPIs to the report summary (called once at start-up, when the routes are registered). */
export function registerFeedbackKpis(): void {
  registerKpiExtension(feedbackKpiExtension);
}
