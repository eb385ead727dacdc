import type { Queryable } from '../../server/db/database.ts';
import { type KpiExtension, registerKpiExtension } from '../reports/extensions.ts';
import type { ReportFilter } from '../reports/filters.ts';
import { ADVOCATES_SQL, DEFAULT_MIN_MESSAGES } from './ranking.ts';

/**
 * KPIs of advocates (docs/metrics.md), under `kpis.extensions.advocates` of the report summary. They follow the
 * report's communities and period only (team, person, channel and topic describe cases, not customers).
 */
export interface AdvocateKpis {
  /** Customers who qualify as advocates over the period, per community (a customer in two counts twice). */
  advocates: number;
  /** Thank-yous recorded in the period. */
  thanked: number;
  /** Advocates asked to share the official sources of a crisis in the period. */
  asked_to_share: number;
}

export async function advocateKpis(db: Queryable, f: ReportFilter): Promise<AdvocateKpis> {
  const communities =
    f.communities ??
    (await db.query<{ id: number }>('select id from communities where org_id = $1', [f.orgId])).rows.map((r) => r.id);
  const [advocates, actions] = await Promise.all([
    db.query<{ n: number }>(`select count(*)::int as n from (${ADVOCATES_SQL}) q`, [
      f.orgId,
      communities,
      f.from,
      f.to,
      DEFAULT_MIN_MESSAGES,
    ]),
    db.query<{ thanked: number; asked: number }>(
      `select count(*) filter (where kind = 'thanked')::int as thanked,
         count(*) filter (where kind = 'asked_to_share')::int as asked
       from advocate_actions where org_id = $1 and community_id = any($2::int[])
         and created_at >= $3 and created_at < $4`,
      [f.orgId, communities, f.from, f.to],
    ),
  ]);
  return {
    advocates: advocates.rows[0]?.n ?? 0,
    thanked: actions.rows[0]?.thanked ?? 0,
    asked_to_share: actions.rows[0]?.asked ?? 0,
  };
}

export const advocateKpiExtension: KpiExtension = { name: 'advocates', compute: advocateKpis };

/** Adds the advocate KPIs to the report summary (called once at start-up, when the routes are registered). */
export function registerAdvocateKpis(): void {
  registerKpiExtension(advocateKpiExtension);
}
