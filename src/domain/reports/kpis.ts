import type { Queryable } from '../../server/db/database.ts';
import type { SlaContext } from '../sla/deadlines.ts';
import { kpiExtensions } from './extensions.ts';
import {
  caseConditions,
  type Dimension,
  dimensionKey,
  type KeyType,
  type ReportFilter,
  recentCase,
} from './filters.ts';
import { businessMinutes, durationWindow, hoursOf, multirange, type OpenHours } from './hours.ts';
import {
  edgeCondition,
  ensureRollups,
  groupingFor,
  planRollup,
  type RollupPlan,
  rollupConditions,
  rollupKey,
  wholeHourZone,
} from './rollup.ts';

/**
 * The KPIs of docs/metrics.md, computed from cases and messages with the report filter: four grouped queries
 * (cases created, cases resolved, messages, backlog) whose rows are combined per breakdown key. Durations
 * are wall-clock minutes computed by PostgreSQL, or business minutes computed here from each community's
 * calendar when the filter asks for business hours. Whole past hours are read from the rollups of
 * rollup.ts when one of their groupings answers the filter; the partial hours at the period's edges, the
 * hour in progress and the filters no grouping answers are read from cases and messages.
 */
export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface Kpis {
  messages_in: number;
  messages_out: number;
  cases_created: number;
  cases_resolved: number;
  first_response_minutes: Distribution;
  resolution_minutes: Distribution;
  sla_first_response: { met: number; breached: number; pending: number; compliance: number | null };
  sla_resolution: { met: number; breached: number; compliance: number | null };
  backlog: {
    count: number;
    age_hours: { median: number | null; p90: number | null };
    buckets: { under_1d: number; d1_3: number; d3_7: number; over_7d: number };
  };
  reopen_rate: { reopened: number; resolved: number; rate: number | null };
  out_of_hours: { messages_out: number; out_of_hours: number; share: number | null };
  net_sentiment: { positive: number; neutral: number; negative: number; net: number | null };
  /** KPIs contributed by other features (see extensions.ts), by name. */
  extensions?: Record<string, unknown>;
}

export const ACTIVE = ['new', 'open', 'waiting_customer', 'waiting_internal'];

/** The four groups of KPIs, each one query: cases created, cases resolved, messages, backlog. */
export type KpiPart = 'created' | 'resolved' | 'messages' | 'backlog';
export interface KpiOptions {
  /** false: skip the backlog (a figure of now). */
  backlog?: boolean;
  /** Only these groups (and no extensions); default all. */
  parts?: KpiPart[];
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks of a sorted list. */
export function percentileCont(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round = (n: number | null, digits = 2) => (n === null ? null : Number(n.toFixed(digits)));
const ratio = (a: number, b: number) => (b === 0 ? null : round(a / b, 4));

export function emptyKpis(): Kpis {
  return {
    messages_in: 0,
    messages_out: 0,
    cases_created: 0,
    cases_resolved: 0,
    first_response_minutes: { count: 0, median: null, p90: null },
    resolution_minutes: { count: 0, median: null, p90: null },
    sla_first_response: { met: 0, breached: 0, pending: 0, compliance: null },
    sla_resolution: { met: 0, breached: 0, compliance: null },
    backlog: {
      count: 0,
      age_hours: { median: null, p90: null },
      buckets: { under_1d: 0, d1_3: 0, d3_7: 0, over_7d: 0 },
    },
    reopen_rate: { reopened: 0, resolved: 0, rate: null },
    out_of_hours: { messages_out: 0, out_of_hours: 0, share: null },
    net_sentiment: { positive: 0, neutral: 0, negative: 0, net: null },
  };
}

type Num = string | number | null;
interface MessageRow {
  k: string | null;
  msg_in: Num;
  msg_out: Num;
  ooh: Num;
  pos: Num;
  neu: Num;
  neg: Num;
}
const n = (v: Num) => (v === null ? 0 : Number(v));
const pct = (v: number[] | null, i: number) => round(v?.[i] ?? null);

interface Ctx {
  db: Queryable;
  sla: SlaContext;
  /** Every community of the organization (for business hours when the filter is not narrowed). */
  allCommunities: number[];
  /** false: read cases and messages only (the reference the rollups are tested against). */
  rollups?: boolean;
}

/** The rollup plan of a filter: rollups brought up to date first; null when the raw tables answer alone. */
async function rollupPlanOf(
  ctx: Pick<Ctx, 'db' | 'rollups'> & { sla?: SlaContext },
  f: ReportFilter,
  by: Dimension | undefined,
): Promise<RollupPlan | null> {
  if (ctx.rollups === false || groupingFor(f, by) === null) return null;
  return planRollup(f, by, await ensureRollups(ctx.db, f.orgId, ctx.sla));
}

function periodParams(f: ReportFilter, by: Dimension | undefined) {
  const params: unknown[] = [];
  const where = caseConditions(f, params);
  const { key, join } = dimensionKey(by);
  params.push(f.from, f.to);
  const from = `$${params.length - 1}`;
  const to = `$${params.length}`;
  return { params, where: where.join(' and '), key, join, from, to };
}

/** Wall-clock or business durations (minutes) of rows [key, community, a, b] in ms, per key, sorted. */
function durationsByKey(
  rows: { k: string | null; community_id: number; a: number; b: number }[],
  hours: Map<number, OpenHours | null> | null,
): Map<string | null, number[]> {
  const out = new Map<string | null, number[]>();
  for (const r of rows) {
    const minutes = businessMinutes(hours?.get(r.community_id) ?? null, Number(r.a), Number(r.b));
    let list = out.get(r.k);
    if (!list) {
      list = [];
      out.set(r.k, list);
    }
    list.push(minutes);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/** KPIs per breakdown key (the empty string when `by` is undefined). */
export async function computeKpis(
  ctx: Ctx,
  f: ReportFilter,
  by?: Dimension,
  opts: KpiOptions = {},
): Promise<Map<string | null, Kpis>> {
  const communities = f.communities ?? ctx.allCommunities;
  const out = new Map<string | null, Kpis>();
  const get = (k: string | null) => {
    let v = out.get(k);
    if (!v) {
      v = emptyKpis();
      out.set(k, v);
    }
    return v;
  };
  const business = f.businessHours;
  const window = durationWindow(f.from, f.to, f.now);
  const durationHours = business ? hoursOf(ctx.sla, communities, window.from, window.to) : null;
  // Out of hours is about the period only, whatever the toggle; communities without a calendar never are.
  const periodHours = hoursOf(ctx.sla, communities, f.from, f.to);
  const withCalendar = [...periodHours].filter((e): e is [number, OpenHours] => e[1] !== null);
  const plan = await rollupPlanOf(ctx, f, by);

  /**
   * A distribution and SLA counts from rollup rows (`src`: k, n, v, bv, met, late, due) and the raw rows of
   * the edges; business minutes of the edges are computed here and passed in (`edge`).
   */
  // Without a breakdown every row has the same key: no grouping (an ordered-set aggregate then skips a sort).
  const groupBy = by === undefined ? '' : 'group by k';
  const groupBy1 = by === undefined ? '' : 'group by 1';
  const rolledDurations = async (
    srcSql: string,
    params: unknown[],
    edge: { k: string | null; community_id: number; a: number; b: number }[] | null,
    type: KeyType,
  ) => {
    const pparams = [...params];
    let extra = '';
    if (edge) {
      const list = [...durationsByKey(edge, durationHours)].flatMap(([k, l]) => l.map((v) => [k, v] as const));
      pparams.push(
        list.map(([k]) => (k === null ? null : String(k))),
        list.map(([, v]) => v),
      );
      extra = ` union all select * from unnest($${pparams.length - 1}::text[]::${type}[], $${pparams.length}::float8[])`;
    }
    params.push(f.now);
    const now = `$${params.length}`;
    const [sums, pcts] = await Promise.all([
      ctx.db.query<{ k: string | null; n: Num; met: Num; late: Num; reopened: Num; past: Num; future: Num }>(
        // One pass: each row joined to its (few) open due instants; its counts taken on its first line only.
        `select ${by === undefined ? `''` : 'k::text'} as k, sum(n) filter (where i = 1) as n,
           sum(met) filter (where i = 1) as met, sum(late) filter (where i = 1) as late,
           sum(reopened) filter (where i = 1) as reopened,
           count(*) filter (where d <= ${now}) as past, count(*) filter (where d > ${now}) as future
         from (${srcSql}) s
           cross join lateral (select d, i from unnest(case when cardinality(s.due) = 0 then array[null::timestamptz]
             else s.due end) with ordinality as u(d, i)) u
         ${groupBy}`,
        params,
      ),
      ctx.db.query<{ k: string | null; counted: Num; pct: number[] | null }>(
        `select ${by === undefined ? `''` : 'k::text'} as k, count(*) as counted,
           percentile_cont(array[0.5, 0.9]) within group (order by v) as pct
         from (select k, unnest(${business ? 'bv' : 'v'}) as v from (${srcSql}) s${extra}) x ${groupBy}`,
        pparams,
      ),
    ]);
    const byKey = new Map(pcts.rows.map((r) => [r.k, r]));
    return sums.rows.map((r) => ({ ...r, counted: byKey.get(r.k)?.counted ?? 0, pct: byKey.get(r.k)?.pct ?? null }));
  };

  /**
   * What every rolled-up query needs: the rollup rows' conditions, key and hour range, and the raw rows'
   * conditions, key and edge ranges on `col`, all in one parameter list.
   */
  const rolledParts = (plan: RollupPlan, col: string) => {
    const params: unknown[] = [];
    const rwhere = rollupConditions(f, plan.grp, params).join(' and ');
    const rk = rollupKey(by);
    params.push(plan.from, plan.to);
    const range = `r.hour >= $${params.length - 1} and r.hour < $${params.length}`;
    const where = caseConditions(f, params).join(' and ');
    const { typed: key, join, type } = dimensionKey(by);
    const edges = edgeCondition(plan, col, params);
    return { params, rwhere, rk, range, where, key, join, type, edges };
  };

  /** In business hours, the instants of the edges' cases from `col` to `end` (their minutes are counted here). */
  const businessEdges = async (plan: RollupPlan, col: string, end: string) => {
    if (!business) return null;
    if (plan.edges.length === 0) return [];
    const params: unknown[] = [];
    const where = caseConditions(f, params).join(' and ');
    const { typed: key, join } = dimensionKey(by);
    const edges = edgeCondition(plan, col, params);
    const r = await ctx.db.query<{ k: string | null; community_id: number; a: number; b: number }>(
      `select ${key} as k, c.community_id, (extract(epoch from c.created_at) * 1000)::float8 as a,
         (extract(epoch from ${end}) * 1000)::float8 as b
       from cases c ${join} where ${where} and ${edges} and ${end} is not null`,
      params,
    );
    return r.rows;
  };

  const createdRolled = async (plan: RollupPlan) => {
    const { params, rwhere, rk, range, where, key, join, type, edges } = rolledParts(plan, 'c.created_at');
    const edge = await businessEdges(plan, 'c.created_at', 'c.first_responded_at');
    const r = await rolledDurations(
      `select ${rk.key} as k, r.created as n, r.frt_min as v, r.frt_bmin as bv, r.frt_met as met, r.frt_late as late,
         0 as reopened, r.frt_open_due as due
       from report_hours r ${rk.join} where ${rwhere} and ${range}
       union all
       select ${key}, 1, case when c.first_responded_at is not null
           then array[date_part('epoch', greatest(c.first_responded_at - c.created_at, interval '0')) / 60]::float8[]
           else '{}'::float8[] end, '{}'::float8[],
         (c.first_response_due_at is not null and c.first_responded_at <= c.first_response_due_at)::int,
         (c.first_response_due_at is not null and c.first_responded_at > c.first_response_due_at)::int, 0,
         case when c.first_response_due_at is not null and c.first_responded_at is null
           then array[c.first_response_due_at] else '{}'::timestamptz[] end
       from cases c ${join} where ${where} and ${edges}`,
      params,
      edge,
      type,
    );
    for (const row of r) {
      if (n(row.n) === 0) continue;
      const k = get(row.k);
      k.cases_created = n(row.n);
      k.first_response_minutes = { count: n(row.counted), median: pct(row.pct, 0), p90: pct(row.pct, 1) };
      const met = n(row.met);
      const breached = n(row.late) + n(row.past);
      k.sla_first_response = { met, breached, pending: n(row.future), compliance: ratio(met, met + breached) };
    }
  };

  const resolvedRolled = async (plan: RollupPlan) => {
    const { params, rwhere, rk, range, where, key, join, type, edges } = rolledParts(plan, 'c.resolved_at');
    const edge = await businessEdges(plan, 'c.resolved_at', 'c.resolved_at');
    const r = await rolledDurations(
      `select ${rk.key} as k, r.resolved as n, r.res_min as v, r.res_bmin as bv, r.res_met as met, r.res_late as late,
         r.reopened, '{}'::timestamptz[] as due
       from report_hours r ${rk.join} where ${rwhere} and ${range}
       union all
       select ${key}, 1, array[date_part('epoch', greatest(c.resolved_at - c.created_at, interval '0')) / 60]::float8[],
         '{}'::float8[],
         (c.resolution_due_at is not null and c.resolved_at <= c.resolution_due_at)::int,
         (c.resolution_due_at is not null and c.resolved_at > c.resolution_due_at)::int,
         (c.reopened_count > 0)::int, '{}'::timestamptz[]
       from cases c ${join} where ${where} and ${edges}`,
      params,
      edge,
      type,
    );
    for (const row of r) {
      const count = n(row.n);
      if (count === 0) continue;
      const k = get(row.k);
      k.cases_resolved = count;
      k.resolution_minutes = { count, median: pct(row.pct, 0), p90: pct(row.pct, 1) };
      const met = n(row.met);
      const breached = n(row.late);
      k.sla_resolution = { met, breached, compliance: ratio(met, met + breached) };
      const reopened = n(row.reopened);
      k.reopen_rate = { reopened, resolved: count, rate: ratio(reopened, count) };
    }
  };

  const created = async () => {
    if (plan) return createdRolled(plan);
    const q = periodParams(f, by);
    q.params.push(f.now);
    const now = `$${q.params.length}`;
    const r = await ctx.db.query<{
      k: string | null;
      created: Num;
      responded: Num;
      frt: number[] | null;
      met: Num;
      breached: Num;
      pending: Num;
    }>(
      `select ${q.key} as k, count(*) as created,
         count(*) filter (where c.first_responded_at is not null) as responded,
         percentile_cont(array[0.5, 0.9]) within group (order by date_part('epoch', greatest(c.first_responded_at - c.created_at, interval '0')) / 60)
           filter (where c.first_responded_at is not null) as frt,
         count(*) filter (where c.first_response_due_at is not null and c.first_responded_at <= c.first_response_due_at) as met,
         count(*) filter (where c.first_response_due_at is not null and (c.first_responded_at > c.first_response_due_at
           or (c.first_responded_at is null and c.first_response_due_at <= ${now}))) as breached,
         count(*) filter (where c.first_response_due_at is not null and c.first_responded_at is null and c.first_response_due_at > ${now}) as pending
       from cases c ${q.join}
       where ${q.where} and c.created_at >= ${q.from} and c.created_at < ${q.to}
       ${groupBy1}`,
      q.params,
    );
    for (const row of r.rows) {
      const k = get(row.k);
      k.cases_created = n(row.created);
      k.first_response_minutes = { count: n(row.responded), median: pct(row.frt, 0), p90: pct(row.frt, 1) };
      const met = n(row.met);
      const breached = n(row.breached);
      k.sla_first_response = { met, breached, pending: n(row.pending), compliance: ratio(met, met + breached) };
    }
    if (business) {
      const d = await ctx.db.query<{ k: string | null; community_id: number; a: number; b: number }>(
        `select ${q.key} as k, c.community_id, (extract(epoch from c.created_at) * 1000)::float8 as a,
           (extract(epoch from c.first_responded_at) * 1000)::float8 as b
         from cases c ${q.join}
         where ${q.where} and c.created_at >= ${q.from} and c.created_at < ${q.to} and c.first_responded_at is not null`,
        q.params.slice(0, -1),
      );
      for (const [key, list] of durationsByKey(d.rows, durationHours)) {
        get(key).first_response_minutes = {
          count: list.length,
          median: round(percentileCont(list, 0.5)),
          p90: round(percentileCont(list, 0.9)),
        };
      }
    }
  };

  const resolved = async () => {
    if (plan) return resolvedRolled(plan);
    const q = periodParams(f, by);
    const r = await ctx.db.query<{
      k: string | null;
      resolved: Num;
      res: number[] | null;
      met: Num;
      breached: Num;
      reopened: Num;
    }>(
      `select ${q.key} as k, count(*) as resolved,
         percentile_cont(array[0.5, 0.9]) within group (order by date_part('epoch', greatest(c.resolved_at - c.created_at, interval '0')) / 60) as res,
         count(*) filter (where c.resolution_due_at is not null and c.resolved_at <= c.resolution_due_at) as met,
         count(*) filter (where c.resolution_due_at is not null and c.resolved_at > c.resolution_due_at) as breached,
         count(*) filter (where c.reopened_count > 0) as reopened
       from cases c ${q.join}
       where ${q.where} and c.resolved_at >= ${q.from} and c.resolved_at < ${q.to}
       ${groupBy1}`,
      q.params,
    );
    for (const row of r.rows) {
      const k = get(row.k);
      const count = n(row.resolved);
      k.cases_resolved = count;
      k.resolution_minutes = { count, median: pct(row.res, 0), p90: pct(row.res, 1) };
      const met = n(row.met);
      const breached = n(row.breached);
      k.sla_resolution = { met, breached, compliance: ratio(met, met + breached) };
      const reopened = n(row.reopened);
      k.reopen_rate = { reopened, resolved: count, rate: ratio(reopened, count) };
    }
    if (business) {
      const d = await ctx.db.query<{ k: string | null; community_id: number; a: number; b: number }>(
        `select ${q.key} as k, c.community_id, (extract(epoch from c.created_at) * 1000)::float8 as a,
           (extract(epoch from c.resolved_at) * 1000)::float8 as b
         from cases c ${q.join}
         where ${q.where} and c.resolved_at >= ${q.from} and c.resolved_at < ${q.to}`,
        q.params,
      );
      for (const [key, list] of durationsByKey(d.rows, durationHours)) {
        get(key).resolution_minutes = {
          count: list.length,
          median: round(percentileCont(list, 0.5)),
          p90: round(percentileCont(list, 0.9)),
        };
      }
    }
  };

  const messages = async () => {
    if (plan) return messagesRolled(plan);
    const q = periodParams(f, by);
    q.params.push(
      withCalendar.map(([id]) => id),
      withCalendar.map(([, h]) => multirange(h)),
    );
    const ids = `$${q.params.length - 1}`;
    const ranges = `$${q.params.length}`;
    const r = await ctx.db.query<MessageRow>(
      `with bh as (select * from unnest(${ids}::int[], ${ranges}::tstzmultirange[]) as b(community_id, open))
       select ${q.key} as k,
         count(*) filter (where m.direction = 'in') as msg_in,
         count(*) filter (where m.direction = 'out' and m.kind <> 'auto_ack') as msg_out,
         count(*) filter (where m.direction = 'out' and m.kind <> 'auto_ack' and bh.open is not null and not (bh.open @> m.created_at)) as ooh,
         count(*) filter (where m.direction = 'in' and m.sentiment = 'positive') as pos,
         count(*) filter (where m.direction = 'in' and m.sentiment = 'neutral') as neu,
         count(*) filter (where m.direction = 'in' and m.sentiment = 'negative') as neg
       from messages m join cases c on c.id = m.case_id ${q.join}
         left join bh on bh.community_id = c.community_id
       where m.org_id = $1 and m.created_at >= ${q.from} and m.created_at < ${q.to} and m.direction in ('in', 'out')
         and ${q.where} and ${recentCase(q.from)}
       ${groupBy1}`,
      q.params,
    );
    setMessages(r.rows);
  };

  const messagesRolled = async (plan: RollupPlan) => {
    const { params, rwhere, rk, range, where, key, join, edges } = rolledParts(plan, 'm.created_at');
    params.push(
      withCalendar.map(([id]) => id),
      withCalendar.map(([, h]) => multirange(h)),
    );
    const ids = `$${params.length - 1}`;
    const ranges = `$${params.length}`;
    const r = await ctx.db.query<MessageRow>(
      `with bh as (select * from unnest(${ids}::int[], ${ranges}::tstzmultirange[]) as b(community_id, open))
       select ${by === undefined ? `''` : 'k::text'} as k, sum(msg_in) as msg_in, sum(msg_out) as msg_out, sum(ooh) as ooh, sum(pos) as pos, sum(neu) as neu,
         sum(neg) as neg
       from (
         select ${rk.key} as k, r.msg_in, r.msg_out, r.msg_ooh as ooh, r.pos, r.neu, r.neg
         from report_hours r ${rk.join} where ${rwhere} and ${range}
         union all
         select ${key}, (m.direction = 'in')::int, (m.direction = 'out' and m.kind <> 'auto_ack')::int,
           (m.direction = 'out' and m.kind <> 'auto_ack' and bh.open is not null and not (bh.open @> m.created_at))::int,
           (m.direction = 'in' and m.sentiment = 'positive')::int, (m.direction = 'in' and m.sentiment = 'neutral')::int,
           (m.direction = 'in' and m.sentiment = 'negative')::int
         from messages m join cases c on c.id = m.case_id ${join} left join bh on bh.community_id = c.community_id
         where m.org_id = $1 and ${edges} and m.direction in ('in', 'out') and ${where}
       ) x
       ${groupBy}`,
      params,
    );
    setMessages(r.rows);
  };

  function setMessages(rows: MessageRow[]) {
    for (const row of rows) {
      const k = get(row.k);
      k.messages_in = n(row.msg_in);
      k.messages_out = n(row.msg_out);
      const ooh = n(row.ooh);
      k.out_of_hours = { messages_out: k.messages_out, out_of_hours: ooh, share: ratio(ooh, k.messages_out) };
      const positive = n(row.pos);
      const negative = n(row.neg);
      const neutral = n(row.neu);
      const total = positive + negative + neutral;
      k.net_sentiment = {
        positive,
        neutral,
        negative,
        net: total === 0 ? null : round(((positive - negative) / total) * 100, 1),
      };
    }
  }

  const backlog = async () => {
    const params: unknown[] = [];
    const where = caseConditions(f, params);
    const { typed, join } = dimensionKey(by);
    params.push(f.now, ACTIVE);
    const now = `$${params.length - 1}::timestamptz`;
    // Grouped on the typed key (cheaper to sort than text), returned as text like every breakdown key.
    const r = await ctx.db.query<{ k: string | null; count: Num; age: number[] | null; b1: Num; b3: Num; b7: Num }>(
      `select ${by === undefined ? `''` : `(${typed})::text`} as k, count(*) as count,
         percentile_cont(array[0.5, 0.1]) within group (order by date_part('epoch', c.created_at)) as age,
         count(*) filter (where c.created_at > ${now} - interval '1 day') as b1,
         count(*) filter (where c.created_at <= ${now} - interval '1 day' and c.created_at > ${now} - interval '3 days') as b3,
         count(*) filter (where c.created_at <= ${now} - interval '3 days' and c.created_at > ${now} - interval '7 days') as b7
       from cases c ${join}
       where ${where.join(' and ')} and c.status = any($${params.length}::text[]) and c.created_at <= ${now}
       ${by === undefined ? '' : `group by ${typed}`}`,
      params,
    );
    // The median and p90 of ages are now minus the median and p10 of creation instants (sorting the instants
    // themselves is cheaper than computing each age first).
    const nowS = f.now.getTime() / 1000;
    const ageHours = (v: number[] | null, i: number) => (v?.[i] == null ? null : round((nowS - v[i]!) / 3600));
    for (const row of r.rows) {
      const k = get(row.k);
      const count = n(row.count);
      const [b1, b3, b7] = [n(row.b1), n(row.b3), n(row.b7)];
      k.backlog = {
        count,
        age_hours: { median: ageHours(row.age, 0), p90: ageHours(row.age, 1) },
        buckets: { under_1d: b1, d1_3: b3, d3_7: b7, over_7d: count - b1 - b3 - b7 },
      };
    }
  };

  const want = (part: KpiPart) => (opts.parts ?? ['created', 'resolved', 'messages', 'backlog']).includes(part);
  await Promise.all([
    want('created') ? created() : undefined,
    want('resolved') ? resolved() : undefined,
    want('messages') ? messages() : undefined,
    opts.backlog === false || !want('backlog') ? undefined : backlog(),
  ]);
  if (by === undefined && opts.parts === undefined) {
    const extensions: Record<string, unknown> = {};
    for (const ext of kpiExtensions()) extensions[ext.name] = await ext.compute(ctx.db, f);
    if (Object.keys(extensions).length > 0) get('').extensions = extensions;
  }
  return out;
}

/** The KPIs of the whole filter (no breakdown); `backlog: false` skips the backlog (a figure of now). */
export async function summaryKpis(ctx: Ctx, f: ReportFilter, opts: KpiOptions = {}): Promise<Kpis> {
  return (await computeKpis(ctx, f, undefined, opts)).get('') ?? emptyKpis();
}

export interface DayPoint {
  day: string;
  messages_in: number;
  messages_out: number;
  cases_created: number;
  cases_resolved: number;
  /** (positive − negative) / inbound messages with a sentiment, in %, null without any. */
  net_sentiment: number | null;
}

/** Daily series over the period, days cut in the filter's time zone; every day present, zeros included. */
type SeriesRows = [
  { d: number; msg_in: Num; msg_out: Num; pos: Num; neg: Num; sent: Num }[],
  { d: number; count: Num }[],
  { d: number; count: Num }[],
];

async function rawSeries(db: Queryable, f: ReportFilter): Promise<SeriesRows> {
  const params: unknown[] = [];
  const where = caseConditions(f, params).join(' and ');
  params.push(f.from, f.to, f.tz);
  const [from, to, tz] = [`$${params.length - 2}`, `$${params.length - 1}`, `$${params.length}`];
  // Days since 1970-01-01 in the time zone (cheaper than formatting each row), formatted below.
  const day = (col: string) => `((${col} at time zone ${tz})::date - date '1970-01-01')`;
  const [msgs, created, resolved] = await Promise.all([
    db.query<{ d: number; msg_in: Num; msg_out: Num; pos: Num; neg: Num; sent: Num }>(
      `select ${day('m.created_at')} as d,
         count(*) filter (where m.direction = 'in') as msg_in,
         count(*) filter (where m.direction = 'out' and m.kind <> 'auto_ack') as msg_out,
         count(*) filter (where m.direction = 'in' and m.sentiment = 'positive') as pos,
         count(*) filter (where m.direction = 'in' and m.sentiment = 'negative') as neg,
         count(*) filter (where m.direction = 'in' and m.sentiment is not null) as sent
       from messages m join cases c on c.id = m.case_id
       where m.org_id = $1 and m.created_at >= ${from} and m.created_at < ${to} and m.direction in ('in', 'out')
         and ${where} and ${recentCase(from)}
       group by 1`,
      params,
    ),
    db.query<{ d: number; count: Num }>(
      `select ${day('c.created_at')} as d, count(*) as count from cases c
       where ${where} and c.created_at >= ${from} and c.created_at < ${to} group by 1`,
      params,
    ),
    db.query<{ d: number; count: Num }>(
      `select ${day('c.resolved_at')} as d, count(*) as count from cases c
       where ${where} and c.resolved_at >= ${from} and c.resolved_at < ${to} group by 1`,
      params,
    ),
  ]);
  return [msgs.rows, created.rows, resolved.rows];
}

async function rolledSeries(db: Queryable, f: ReportFilter, plan: RollupPlan): Promise<SeriesRows> {
  const params: unknown[] = [];
  const rwhere = rollupConditions(f, plan.grp, params).join(' and ');
  params.push(plan.from, plan.to);
  const range = `r.hour >= $${params.length - 1} and r.hour < $${params.length}`;
  const where = caseConditions(f, params).join(' and ');
  params.push(f.tz);
  const tz = `$${params.length}`;
  const day = (col: string) => `((${col} at time zone ${tz})::date - date '1970-01-01')`;
  const r = await db.query<{
    d: number;
    msg_in: Num;
    msg_out: Num;
    pos: Num;
    neg: Num;
    sent: Num;
    created: Num;
    resolved: Num;
  }>(
    `select d, sum(msg_in) as msg_in, sum(msg_out) as msg_out, sum(pos) as pos, sum(neg) as neg, sum(sent) as sent,
       sum(created) as created, sum(resolved) as resolved
     from (
       select ${day('r.hour')} as d, r.msg_in, r.msg_out, r.pos, r.neg, r.pos + r.neu + r.neg as sent, r.created, r.resolved
       from report_hours r where ${rwhere} and ${range}
       union all
       select ${day('m.created_at')}, (m.direction = 'in')::int, (m.direction = 'out' and m.kind <> 'auto_ack')::int,
         (m.direction = 'in' and m.sentiment = 'positive')::int, (m.direction = 'in' and m.sentiment = 'negative')::int,
         (m.direction = 'in' and m.sentiment is not null)::int, 0, 0
       from messages m join cases c on c.id = m.case_id
       where m.org_id = $1 and ${edgeCondition(plan, 'm.created_at', params)} and m.direction in ('in', 'out') and ${where}
       union all
       select ${day('c.created_at')}, 0, 0, 0, 0, 0, 1, 0 from cases c
       where ${where} and ${edgeCondition(plan, 'c.created_at', params)}
       union all
       select ${day('c.resolved_at')}, 0, 0, 0, 0, 0, 0, 1 from cases c
       where ${where} and ${edgeCondition(plan, 'c.resolved_at', params)}
     ) x
     group by d`,
    params,
  );
  return [
    r.rows,
    r.rows.map((row) => ({ d: row.d, count: row.created })),
    r.rows.map((row) => ({ d: row.d, count: row.resolved })),
  ];
}

export async function dailySeries(
  ctx: Pick<Ctx, 'db' | 'rollups'> & { sla?: SlaContext },
  f: ReportFilter,
): Promise<DayPoint[]> {
  // Hour rollups cut days exactly only in zones whose offset is a whole number of hours.
  const plan = wholeHourZone(f.tz, f.from, f.to) ? await rollupPlanOf(ctx, f, undefined) : null;
  const [msgs, created, resolved] = plan ? await rolledSeries(ctx.db, f, plan) : await rawSeries(ctx.db, f);
  const days = new Map<string, DayPoint>();
  for (const d of daysOf(f)) {
    days.set(d, { day: d, messages_in: 0, messages_out: 0, cases_created: 0, cases_resolved: 0, net_sentiment: null });
  }
  const at = (d: number) => days.get(new Date(d * 86_400_000).toISOString().slice(0, 10));
  for (const r of msgs) {
    const p = at(r.d);
    if (!p) continue;
    p.messages_in = n(r.msg_in);
    p.messages_out = n(r.msg_out);
    const sent = n(r.sent);
    p.net_sentiment = sent === 0 ? null : round(((n(r.pos) - n(r.neg)) / sent) * 100, 1);
  }
  for (const r of created) {
    const p = at(r.d);
    if (p) p.cases_created = n(r.count);
  }
  for (const r of resolved) {
    const p = at(r.d);
    if (p) p.cases_resolved = n(r.count);
  }
  return [...days.values()];
}

const dayFormat = new Map<string, Intl.DateTimeFormat>();

/** The local days (YYYY-MM-DD) the period touches in the filter's time zone. */
export function daysOf(f: Pick<ReportFilter, 'from' | 'to' | 'tz'>): string[] {
  let fmt = dayFormat.get(f.tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone: f.tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormat.set(f.tz, fmt);
  }
  const out: string[] = [];
  for (let t = f.from.getTime(); t < f.to.getTime(); t += 3_600_000) {
    const d = fmt.format(new Date(t));
    if (out[out.length - 1] !== d) out.push(d);
  }
  const last = fmt.format(new Date(f.to.getTime() - 1));
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}
