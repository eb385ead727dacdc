import type { BenchOptions } from '../src/cli/commands/bench.ts';
import {
  ACTIVE_STATUSES,
  caseEvents,
  caseMessages,
  countCases,
  getCase,
  type InboxQuery,
  listCases,
} from '../src/domain/cases/store.ts';
import { generateDataset } from './dataset.ts';
import { benchDatabase, progress } from './support.ts';

/**
 * `passeur bench inbox`: p50/p95 of the inbox's queries — each view, filters, the next page, the view counts,
 * a case page — and of full-text search, at `--messages` stored messages (default 1,000,000), with the same
 * store functions the API uses.
 */
const RUNS = 40;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(run: (i: number) => Promise<unknown>): Promise<{ p50_ms: number; p95_ms: number }> {
  await run(0); // warm the plan and the cache as a running server would be
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
  const db = await benchDatabase({ poolSize: 4 });
  try {
    const data = await generateDataset(db.pool, n);
    progress(`inbox bench: dataset generated in ${data.seconds.toFixed(1)} s`);
    const people = await db.pool.query<{ id: number; role: string; communities: number[]; teams: number[] }>(
      `select p.id, p.role,
         case when p.role = 'leader' then array(select id from communities where org_id = p.org_id)
              else array(select community_id from person_communities where person_id = p.id) end as communities,
         array(select team_id from team_members where person_id = p.id) as teams
       from people p where p.org_id = $1 and p.role in ('leader', 'manager') order by p.id`,
      [data.orgId],
    );
    const leader = people.rows.find((p) => p.role === 'leader')!;
    const managers = people.rows.filter((p) => p.role === 'manager');
    const scope = (i: number, who: 'leader' | 'manager'): Omit<InboxQuery, 'view' | 'limit' | 'statuses'> => {
      const p = who === 'leader' ? leader : managers[i % managers.length]!;
      return { orgId: data.orgId, personId: p.id, teamIds: p.teams, communities: p.communities };
    };
    const page = { statuses: ACTIVE_STATUSES, limit: 50 };
    const queries: Record<string, { p50_ms: number; p95_ms: number }> = {};
    const q = async (name: string, fn: (i: number) => Promise<unknown>) => {
      queries[name] = await measure(fn);
      progress(`  ${name}: p50 ${queries[name].p50_ms} ms, p95 ${queries[name].p95_ms} ms`);
    };
    await q('all_leader', (i) => listCases(db.pool, { ...scope(i, 'leader'), ...page, view: 'all' }));
    await q('all_manager', (i) => listCases(db.pool, { ...scope(i, 'manager'), ...page, view: 'all' }));
    await q('mine', (i) => listCases(db.pool, { ...scope(i, 'manager'), ...page, view: 'mine' }));
    await q('team', (i) => listCases(db.pool, { ...scope(i, 'manager'), ...page, view: 'team' }));
    await q('unassigned', (i) => listCases(db.pool, { ...scope(i, 'leader'), ...page, view: 'unassigned' }));
    await q('sla_risk', (i) => listCases(db.pool, { ...scope(i, 'leader'), ...page, view: 'sla_risk' }));
    await q('community_filter', (i) => {
      const s = scope(i, 'leader');
      return listCases(db.pool, { ...s, ...page, view: 'all', community: (s.communities as number[])[i % 8] });
    });
    await q('sort_priority', (i) =>
      listCases(db.pool, { ...scope(i, 'leader'), ...page, view: 'all', sort: 'priority' }),
    );
    await q('resolved_history', (i) =>
      listCases(db.pool, { ...scope(i, 'manager'), view: 'all', statuses: ['resolved', 'closed'], limit: 50 }),
    );
    await q('next_page', async (i) => {
      const first = await listCases(db.pool, { ...scope(i, 'leader'), ...page, view: 'all' });
      const last = first[first.length - 1];
      if (last)
        await listCases(db.pool, { ...scope(i, 'leader'), ...page, view: 'all', after: [last.updated_at, last.id] });
    });
    await q('counts', (i) => countCases(db.pool, { ...scope(i, 'manager'), statuses: ACTIVE_STATUSES }));
    await q('case_page', async (i) => {
      const id = 1 + ((i * 7727) % data.cases);
      await Promise.all([getCase(db.pool, data.orgId, id), caseMessages(db.pool, id), caseEvents(db.pool, id)]);
    });
    const words = [
      'bagage',
      'retard',
      'Koffer',
      'annulé',
      'rimborso',
      'refund',
      'Gepäck',
      'volo',
      'correspondance',
      'wheelchair',
    ];
    const search = await measure((i) =>
      listCases(db.pool, {
        ...scope(i, i % 2 ? 'leader' : 'manager'),
        ...page,
        view: 'all',
        q: words[i % words.length]!,
      }),
    );
    progress(`  search: p50 ${search.p50_ms} ms, p95 ${search.p95_ms} ms`);
    return {
      name: 'inbox',
      db: db.kind,
      messages: data.messages,
      cases: data.cases,
      generate_s: Number(data.seconds.toFixed(1)),
      queries,
      search,
    };
  } finally {
    await db.cleanup();
  }
}
