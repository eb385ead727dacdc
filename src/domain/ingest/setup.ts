import type pg from 'pg';
import { loadTriager } from '../../triage/index.ts';
import { type Directory, loadDirectory } from '../organization/directory.ts';
import { RoutingEngine } from '../routing/router.ts';
import { currentPolicy } from '../routing/store.ts';
import { loadSlaContext } from '../sla/deadlines.ts';
import type { IngestDeps } from './service.ts';

/** Everything `ingest()` needs, for tools that ingest without a running server (import, benchmarks). */
export async function ingestDepsFor(pool: pg.Pool, orgId: number): Promise<IngestDeps & { directoryNow: Directory }> {
  const directory = await loadDirectory(pool, orgId);
  const triager = await loadTriager();
  const routing = new RoutingEngine(directory, await currentPolicy(pool, orgId));
  const sla = await loadSlaContext(pool, orgId);
  return {
    pool,
    directory: () => directory,
    directoryNow: directory,
    triager: () => triager,
    router: () => routing,
    sla: () => sla,
  };
}
