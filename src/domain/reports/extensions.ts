import type { Queryable } from '../../server/db/database.ts';
import type { ReportFilter } from './filters.ts';

/**
 * Where other features add their KPIs to reports (consult turnaround, approval delay, ideas, deflection…):
 * a provider registers once at start-up with `registerKpiExtension`; the summary report then calls it with
 * the same filter and returns its result under `kpis.extensions.<name>`. A provider reads only what the
 * filter allows (its communities, period) and returns JSON.
 */
export interface KpiExtension {
  name: string;
  compute(db: Queryable, filter: ReportFilter): Promise<unknown>;
}

const extensions = new Map<string, KpiExtension>();

export function registerKpiExtension(ext: KpiExtension): void {
  extensions.set(ext.name, ext);
}

export function kpiExtensions(): KpiExtension[] {
  return [...extensions.values()];
}
