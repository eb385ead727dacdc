import type { Queryable } from '../../server/db/database.ts';
import type { Directory } from '../organization/directory.ts';
import type { SlaContext } from '../sla/deadlines.ts';
import { previousPeriod, type ReportFilter } from './filters.ts';
import { type Kpis, summaryKpis } from './kpis.ts';
import { summaryPdf } from './pdf.ts';

/** What a report is computed with (the HTTP routes and the schedule worker share it). */
export interface ReportDeps {
  db: Queryable;
  sla: SlaContext;
  directory: Directory;
}

export interface RenderedSummary {
  scope: string;
  kpis: Kpis;
  previous: Kpis;
}

/** The summary KPIs of a filter and of the period before, with the name of the scope. */
export async function summaryOf(deps: ReportDeps, f: ReportFilter): Promise<RenderedSummary> {
  const d = deps.directory;
  const ctx = { db: deps.db, sla: deps.sla, allCommunities: [...d.communities.keys()] };
  const [kpis, previous] = await Promise.all([
    summaryKpis(ctx, f),
    // The backlog is a figure of now: the previous period's would be the same.
    summaryKpis(ctx, previousPeriod(f), { backlog: false }),
  ]);
  const communities =
    f.communities === null || f.communities.length === d.communities.size
      ? 'all communities'
      : f.communities.map((id) => d.communities.get(id)?.name ?? String(id)).join(', ');
  const team = f.team === undefined ? '' : `, team ${d.teams.get(f.team)?.name ?? f.team}`;
  return { scope: `${communities}${team}`, kpis, previous };
}

/** The PDF of the summary report of a filter. */
export async function renderSummaryPdf(
  deps: ReportDeps,
  f: ReportFilter,
  title?: string,
): Promise<RenderedSummary & { pdf: Uint8Array }> {
  const s = await summaryOf(deps, f);
  const pdf = await summaryPdf({
    organization: deps.directory.orgName,
    ...(title ? { title } : {}),
    filter: f,
    scope: s.scope,
    kpis: s.kpis,
    previous: s.previous,
  });
  return { ...s, pdf };
}
