import type { BenchOptions } from '../src/cli/commands/bench.ts';
import { drillCases } from '../src/domain/reports/drill.ts';
import { previousPeriod, type ReportFilter } from '../src/domain/reports/filters.ts';
import { computeKpis, dailySeries, summaryKpis } from '../src/domain/reports/kpis.ts';
import { refreshRollups } from '../src/domain/reports/rollup.ts';
import { loadSlaContext } from '../src/domain/sla/deadlines.ts';
import { generateDataset } from './dataset.ts';
import { benchDatabase, progress } from './support.ts';

/**
 * `passeur bench reports`: p50/p95 of each report page's queries at `--messages` stored messages (default
 * 1,000,000), with the functions the API uses. A page is what its screen loads at once: the overview is the
 * summary of the period and of the previous one, the daily series and the breakdown by community, in parallel.
 */
const RUNS = 20;
const DAY = 86_400_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(run: (i: number) => Promise<unknown>): Promise<{ p50_ms: number; p95_ms: number }> {
  await run(0);
  const times: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const t = performance.now();
    await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50_ms: Number(percentile(times, 50).toFixed(2)), p95_ms: Number(percentile(times, 95).toFixed(2)) };
}

export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const n = opts.messages ?? 1_000_000;
  const db = await benchDatabase({ poolSize: 8 });
  try {
    const data = await generateDataset(db.pool, n);
    progress(`reports bench: dataset generated in ${data.seconds.toFixed(1)} s`);
    const pool = db.pool;
    // Business hours for half the communities (Paris office hours, Christmas closed), around the clock for the others.
    const cal = await pool.query<{ id: number }>(
      `insert into calendars (org_id, name, timezone, hours, holidays) values ($1, 'Office', 'Europe/Paris', $2, '["12-25"]')
       returning id`,
      [data.orgId, JSON.stringify(Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [['09:00', '18:00']]])))],
    );
    await pool.query('update communities set calendar_id = $1 where org_id = $2 and id % 2 = 0', [
      cal.rows[0]!.id,
      data.orgId,
    ]);
    const sla = await loadSlaContext(pool, data.orgId);
    // The rollups of every stored hour, built once as after an upgrade (the worker's job in a running server).
    const built = performance.now();
    const rollup = await refreshRollups(pool, data.orgId, sla);
    const rollupSeconds = (performance.now() - built) / 1000;
    progress(`reports bench: rollups of ${rollup.hours} hours built in ${rollupSeconds.toFixed(1)} s`);
    const all = (
      await pool.query<{ id: number }>('select id from communities where org_id = $1', [data.orgId])
    ).rows.map((r) => r.id);
    const managers = (
      await pool.query<{ communities: number[] }>(
        `select array(select community_id from person_communities where person_id = p.id) as communities
         from people p where p.org_id = $1 and p.role = 'manager' order by p.id`,
        [data.orgId],
      )
    ).rows.map((r) => r.communities);
    const teams = (await pool.query<{ id: number }>('select id from teams where org_id = $1', [data.orgId])).rows.map(
      (r) => r.id,
    );
    const ctx = { db: pool, sla, allCommunities: all };
    const now = new Date();
    const filter = (i: number, over: Partial<ReportFilter> = {}): ReportFilter => ({
      orgId: data.orgId,
      // Shifted a little each run, as different people ask for different periods (no result cache).
      from: new Date(now.getTime() - 30 * DAY - (i % 5) * 3_600_000),
      to: now,
      communities: null,
      businessHours: false,
      tz: 'Europe/Paris',
      now,
      ...over,
    });
    const overview = (f: ReportFilter) =>
      Promise.all([
        summaryKpis(ctx, f),
        summaryKpis(ctx, previousPeriod(f), { backlog: false }),
        dailySeries(ctx, f),
        computeKpis(ctx, f, 'community'),
      ]);
    const pages: Record<string, { p50_ms: number; p95_ms: number }> = {};
    const page = async (name: string, fn: (i: number) => Promise<unknown>) => {
      pages[name] = await measure(fn);
      progress(`  ${name}: p50 ${pages[name].p50_ms} ms, p95 ${pages[name].p95_ms} ms`);
    };
    await page('overview', (i) => overview(filter(i)));
    await page('summary', (i) => summaryKpis(ctx, filter(i)));
    await page('series', (i) => dailySeries(ctx, filter(i)));
    await page('overview_business_hours', (i) => overview(filter(i, { businessHours: true })));
    await page('overview_manager', (i) => overview(filter(i, { communities: managers[i % managers.length]! })));
    await page('overview_team_filter', (i) => overview(filter(i, { team: teams[i % teams.length]! })));
    await page('overview_7_days', (i) => overview(filter(i, { from: new Date(now.getTime() - 7 * DAY - i * 60_000) })));
    await page('breakdown_team', (i) => computeKpis(ctx, filter(i), 'team'));
    await page('breakdown_topic', (i) => computeKpis(ctx, filter(i), 'topic'));
    await page('breakdown_person', (i) => computeKpis(ctx, filter(i), 'person'));
    await page('drill', (i) =>
      drillCases(pool, filter(i), i % 2 ? 'first_response_breached' : 'cases_created', { limit: 200, kpis: ctx }),
    );
    const cases30 = await pool.query<{ n: string }>(
      `select count(*) as n from cases where org_id = $1 and created_at >= $2`,
      [data.orgId, new Date(now.getTime() - 30 * DAY)],
    );
    return {
      name: 'reports',
      db: db.kind,
      messages: data.messages,
      cases: data.cases,
      period_days: 30,
      cases_in_period: Number(cases30.rows[0]!.n),
      generate_s: Number(data.seconds.toFixed(1)),
      rollup_hours: rollup.hours,
      rollup_build_s: Number(rollupSeconds.toFixed(1)),
      pages,
    };
  } finally {
    await db.cleanup();
  }
}
