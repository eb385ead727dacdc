import pg from 'pg';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { loadSlaContext, type SlaContext } from '../sla/deadlines.ts';
import type { Dimension, ReportFilter } from './filters.ts';
import { businessMinutes, hoursOf, multirange } from './hours.ts';

/**
 * Report rollups (table `report_hours`, migration 0028): per UTC hour, what the KPIs need of that hour's
 * cases and messages, grouped four ways. Triggers on messages, cases, calendars and communities append the
 * hours a change touches to `report_dirty`; `refreshRollups` rebuilds those hours from the raw tables, exactly,
 * with the current case attributes and calendars. Durations are kept as lists (not histograms), so medians and
 * p90 stay exact. The hour in progress is never rolled up: reports read it, and the partial hours at a
 * period's edges, from the raw tables (see kpis.ts).
 */
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Advisory lock class of the rebuild (second key: the organization). */
const LOCK = 0x5e9047;
/** Hours rebuilt per transaction. */
const BATCH_HOURS = 96;

/** 0: community × team × channel; 1: community × assignee; 2: community × topic; 3: community alone. */
export type Grouping = 0 | 1 | 2 | 3;

export const floorHour = (t: number) => Math.floor(t / HOUR) * HOUR;
export const ceilHour = (t: number) => Math.ceil(t / HOUR) * HOUR;

/** The grouping that answers a filter and breakdown exactly, or null (the raw tables answer). */
export function groupingFor(f: ReportFilter, by: Dimension | undefined): Grouping | null {
  const base = by === undefined || by === 'community' || by === 'brand';
  const narrowed = f.team !== undefined || f.person !== undefined || f.channel !== undefined || f.topic !== undefined;
  // The smallest grouping that answers (community alone has the fewest rows).
  if (base && !narrowed) return 3;
  if (f.person === undefined && f.topic === undefined && (base || by === 'team' || by === 'channel')) return 0;
  if (f.team === undefined && f.channel === undefined && f.topic === undefined && (base || by === 'person')) return 1;
  // By topic under a topic filter, a case lists its other topics too: only the cases know them.
  if (f.topic !== undefined && by === 'topic') return null;
  if (f.team === undefined && f.channel === undefined && f.person === undefined && (base || by === 'topic')) return 2;
  return null;
}

/** The breakdown key of a rollup row (alias `r`), typed as `dimensionKey(by).typed` is for a case. */
export function rollupKey(by: Dimension | undefined): { key: string; join: string } {
  switch (by) {
    case undefined:
      return { key: `''`, join: '' };
    case 'community':
      return { key: 'r.community_id', join: '' };
    case 'brand':
      return { key: 'co.brand_id', join: 'join communities co on co.id = r.community_id' };
    case 'team':
      return { key: 'r.team_id', join: '' };
    case 'person':
      return { key: 'r.assignee_id', join: '' };
    case 'channel':
      return { key: 'r.channel collate "C"', join: '' };
    case 'topic':
      return { key: 'r.topic collate "C"', join: '' };
  }
}

/** SQL conditions on rollup rows (alias `r`) for the filter; values are appended to `params`. */
export function rollupConditions(f: ReportFilter, grp: Grouping, params: unknown[]): string[] {
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`r.org_id = ${add(f.orgId)}`, `r.grp = ${grp}`];
  if (f.communities !== null) where.push(`r.community_id = any(${add(f.communities)}::int[])`);
  if (f.team !== undefined) where.push(`r.team_id = ${add(f.team)}`);
  if (f.person !== undefined) where.push(`r.assignee_id = ${add(f.person)}`);
  if (f.channel !== undefined) where.push(`r.channel = ${add(f.channel)}`);
  if (f.topic !== undefined) where.push(`r.topic = ${add(f.topic)}`);
  return where;
}

/** How a period splits: whole rolled-up hours [from, to), and the raw ranges around them. */
export interface RollupPlan {
  grp: Grouping;
  from: Date;
  to: Date;
  edges: [Date, Date][];
}

export function planRollup(f: ReportFilter, by: Dimension | undefined, builtBefore: Date | null): RollupPlan | null {
  if (builtBefore === null) return null;
  const grp = groupingFor(f, by);
  if (grp === null) return null;
  const from = ceilHour(f.from.getTime());
  const to = Math.min(floorHour(f.to.getTime()), builtBefore.getTime());
  if (to <= from) return null;
  const edges: [Date, Date][] = [];
  if (f.from.getTime() < from) edges.push([f.from, new Date(from)]);
  if (to < f.to.getTime()) edges.push([new Date(to), f.to]);
  return { grp, from: new Date(from), to: new Date(to), edges };
}

/** A condition that `col` falls in one of the plan's raw ranges (values appended to `params`). */
export function edgeCondition(plan: RollupPlan, col: string, params: unknown[]): string {
  if (plan.edges.length === 0) return 'false';
  return `(${plan.edges
    .map(([a, b]) => {
      params.push(a, b);
      return `(${col} >= $${params.length - 1} and ${col} < $${params.length})`;
    })
    .join(' or ')})`;
}

/** More dirty hours than this (after an upgrade, a bulk import, a calendar change) are rebuilt in the background. */
const MAX_INLINE_HOURS = 240;
const inFlight = new Map<number, { promise: Promise<Date>; background: boolean }>();

/**
 * Brings the organization's rollups up to date and returns the instant before which they are complete (the
 * start of the database's current hour). Null — read the raw tables — when `db` is not a pool (inside a
 * transaction) or while a long rebuild runs in the background. Concurrent callers share one rebuild.
 */
export async function ensureRollups(db: Queryable, orgId: number, sla?: SlaContext): Promise<Date | null> {
  if (!(db instanceof pg.Pool)) return null;
  const running = inFlight.get(orgId);
  if (running) return running.background ? null : running.promise;
  const pending = await db.query<{ n: number }>(
    `select count(distinct hour)::int as n from report_dirty where org_id = $1 and hour < date_trunc('hour', now(), 'UTC')`,
    [orgId],
  );
  const background = pending.rows[0]!.n > MAX_INLINE_HOURS;
  if (inFlight.has(orgId)) return ensureRollups(db, orgId, sla);
  const promise = refreshRollups(db, orgId, sla).then((r) => r.builtBefore);
  inFlight.set(orgId, { promise, background });
  const done = () => inFlight.delete(orgId);
  promise.then(done, done);
  return background ? null : promise;
}

/** Rebuilds every dirty hour of the organization before its current hour. */
export async function refreshRollups(
  pool: pg.Pool,
  orgId: number,
  sla?: SlaContext,
): Promise<{ hours: number; builtBefore: Date }> {
  let hours = 0;
  // Read from the pool (it runs its queries in parallel), once, and only when some hour is to be rebuilt.
  let loading: Promise<SlaContext> | undefined;
  const slaOf = () => {
    loading ??= loadSlaContext(pool, orgId);
    return loading;
  };
  const context = sla;
  for (;;) {
    const r = await transaction(pool, async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1, $2)', [LOCK, orgId]);
      const picked = await tx.query<{ hour: Date; cut: Date }>(
        `with cut as (select date_trunc('hour', now(), 'UTC') as cut),
         picked as (
           select distinct d.hour from report_dirty d, cut where d.org_id = $1 and d.hour < cut.cut
           order by d.hour limit ${BATCH_HOURS})
         delete from report_dirty d using picked
         where d.org_id = $1 and d.hour = picked.hour
         returning d.hour, (select cut from cut) as cut`,
        [orgId],
      );
      if (picked.rows.length === 0) {
        const cut = await tx.query<{ cut: Date }>(`select date_trunc('hour', now(), 'UTC') as cut`);
        return { built: 0, cut: cut.rows[0]!.cut };
      }
      const list = [...new Set(picked.rows.map((row) => row.hour.getTime()))].sort((a, b) => a - b);
      await rebuildHours(tx, orgId, context ?? (await slaOf()), list);
      return { built: list.length, cut: picked.rows[0]!.cut };
    });
    hours += r.built;
    if (r.built < BATCH_HOURS) return { hours, builtBefore: r.cut };
  }
}

interface RowAttrs {
  h: Date;
  community_id: number;
  team_id: number | null;
  channel: string | null;
  assignee_id: number | null;
  topics: string[] | null;
}

type Row = Record<string, unknown> & { hour: string; grp: Grouping; community_id: number };

function emptyRow(hour: string, grp: Grouping, a: RowAttrs, topic: string | null): Row {
  return {
    org_id: 0,
    hour,
    grp,
    community_id: a.community_id,
    team_id: grp === 0 ? a.team_id : null,
    channel: grp === 0 ? a.channel : null,
    assignee_id: grp === 1 ? a.assignee_id : null,
    topic: grp === 2 ? topic : null,
    msg_in: 0,
    msg_out: 0,
    msg_ooh: 0,
    pos: 0,
    neu: 0,
    neg: 0,
    created: 0,
    frt_min: [] as number[],
    frt_bmin: [] as number[],
    frt_met: 0,
    frt_late: 0,
    frt_open_due: [] as string[],
    resolved: 0,
    res_min: [] as number[],
    res_bmin: [] as number[],
    res_met: 0,
    res_late: 0,
    reopened: 0,
  };
}

async function rebuildHours(tx: pg.PoolClient, orgId: number, sla: SlaContext, list: number[]): Promise<void> {
  const hours = list.map((t) => new Date(t));
  const min = hours[0]!;
  const max = new Date(list[list.length - 1]! + HOUR);
  const communities = [...sla.communities.keys()];
  const withCalendar = [...hoursOf(sla, communities, min, max)].filter(([, h]) => h !== null);
  const params = [orgId, min, max, hours];
  const msgs = await tx.query<
    RowAttrs & { msg_in: number; msg_out: number; ooh: number; pos: number; neu: number; neg: number }
  >(
    `with bh as (select * from unnest($5::int[], $6::tstzmultirange[]) as b(community_id, open))
       select date_trunc('hour', m.created_at, 'UTC') as h, c.community_id, c.team_id, c.channel, c.assignee_id, c.topics,
         (count(*) filter (where m.direction = 'in'))::int as msg_in,
         (count(*) filter (where m.direction = 'out' and m.kind <> 'auto_ack'))::int as msg_out,
         (count(*) filter (where m.direction = 'out' and m.kind <> 'auto_ack' and bh.open is not null
           and not (bh.open @> m.created_at)))::int as ooh,
         (count(*) filter (where m.direction = 'in' and m.sentiment = 'positive'))::int as pos,
         (count(*) filter (where m.direction = 'in' and m.sentiment = 'neutral'))::int as neu,
         (count(*) filter (where m.direction = 'in' and m.sentiment = 'negative'))::int as neg
       from messages m join cases c on c.id = m.case_id left join bh on bh.community_id = c.community_id
       where m.org_id = $1 and m.created_at >= $2 and m.created_at < $3 and m.direction in ('in', 'out')
         and date_trunc('hour', m.created_at, 'UTC') = any($4::timestamptz[])
         and c.org_id = $1 and c.merged_into is null
       group by 1, 2, 3, 4, 5, 6`,
    [...params, withCalendar.map(([id]) => id), withCalendar.map(([, h]) => multirange(h!))],
  );
  const created = await tx.query<
    RowAttrs & { a: number; b: number | null; frt: number | null; met: boolean; late: boolean; due: Date | null }
  >(
    `select date_trunc('hour', c.created_at, 'UTC') as h, c.community_id, c.team_id, c.channel, c.assignee_id, c.topics,
         (extract(epoch from c.created_at) * 1000)::float8 as a, (extract(epoch from c.first_responded_at) * 1000)::float8 as b,
         case when c.first_responded_at is not null
           then (date_part('epoch', greatest(c.first_responded_at - c.created_at, interval '0')) / 60)::float8 end as frt,
         coalesce(c.first_response_due_at is not null and c.first_responded_at <= c.first_response_due_at, false) as met,
         coalesce(c.first_response_due_at is not null and c.first_responded_at > c.first_response_due_at, false) as late,
         case when c.first_responded_at is null then c.first_response_due_at end as due
       from cases c
       where c.org_id = $1 and c.merged_into is null and c.created_at >= $2 and c.created_at < $3
         and date_trunc('hour', c.created_at, 'UTC') = any($4::timestamptz[])`,
    params,
  );
  const resolved = await tx.query<
    RowAttrs & { a: number; b: number; res: number; met: boolean; late: boolean; reopened: boolean }
  >(
    `select date_trunc('hour', c.resolved_at, 'UTC') as h, c.community_id, c.team_id, c.channel, c.assignee_id, c.topics,
         (extract(epoch from c.created_at) * 1000)::float8 as a, (extract(epoch from c.resolved_at) * 1000)::float8 as b,
         (date_part('epoch', greatest(c.resolved_at - c.created_at, interval '0')) / 60)::float8 as res,
         coalesce(c.resolution_due_at is not null and c.resolved_at <= c.resolution_due_at, false) as met,
         coalesce(c.resolution_due_at is not null and c.resolved_at > c.resolution_due_at, false) as late,
         c.reopened_count > 0 as reopened
       from cases c
       where c.org_id = $1 and c.merged_into is null and c.resolved_at >= $2 and c.resolved_at < $3
         and date_trunc('hour', c.resolved_at, 'UTC') = any($4::timestamptz[])`,
    params,
  );

  // Business minutes: each community's calendar over the span of the durations of this batch.
  let lo = min.getTime();
  for (const r of created.rows) lo = Math.min(lo, r.a);
  for (const r of resolved.rows) lo = Math.min(lo, r.a);
  let hi = max.getTime();
  for (const r of created.rows) if (r.b !== null) hi = Math.max(hi, r.b);
  const business = hoursOf(sla, communities, new Date(lo - DAY), new Date(hi + DAY));
  const bmin = (community: number, a: number, b: number) =>
    businessMinutes(business.get(community) ?? null, Number(a), Number(b));

  const rows = new Map<string, Row>();
  const rowsOf = (a: RowAttrs): Row[] => {
    const hour = a.h.toISOString();
    const topics = a.topics && a.topics.length > 0 ? a.topics : [null];
    const keys: [Grouping, string, string | null][] = [
      [0, `${a.team_id}|${a.channel}`, null],
      [1, `${a.assignee_id}`, null],
      [3, '', null],
      ...topics.map((t): [Grouping, string, string | null] => [2, `${t}`, t]),
    ];
    return keys.map(([grp, k, topic]) => {
      const id = `${hour}|${grp}|${a.community_id}|${k}`;
      let row = rows.get(id);
      if (!row) {
        row = emptyRow(hour, grp, a, topic);
        rows.set(id, row);
      }
      return row;
    });
  };
  const num = (row: Row, col: string, v: number) => {
    row[col] = (row[col] as number) + v;
  };
  const push = (row: Row, col: string, v: unknown) => {
    (row[col] as unknown[]).push(v);
  };
  for (const m of msgs.rows) {
    for (const row of rowsOf(m)) {
      num(row, 'msg_in', m.msg_in);
      num(row, 'msg_out', m.msg_out);
      num(row, 'msg_ooh', m.ooh);
      num(row, 'pos', m.pos);
      num(row, 'neu', m.neu);
      num(row, 'neg', m.neg);
    }
  }
  for (const c of created.rows) {
    const b = c.b === null ? null : bmin(c.community_id, c.a, c.b);
    for (const row of rowsOf(c)) {
      num(row, 'created', 1);
      if (c.frt !== null) push(row, 'frt_min', c.frt);
      if (b !== null) push(row, 'frt_bmin', b);
      if (c.met) num(row, 'frt_met', 1);
      if (c.late) num(row, 'frt_late', 1);
      if (c.due !== null) push(row, 'frt_open_due', c.due.toISOString());
    }
  }
  for (const c of resolved.rows) {
    const b = bmin(c.community_id, c.a, c.b);
    for (const row of rowsOf(c)) {
      num(row, 'resolved', 1);
      push(row, 'res_min', c.res);
      push(row, 'res_bmin', b);
      if (c.met) num(row, 'res_met', 1);
      if (c.late) num(row, 'res_late', 1);
      if (c.reopened) num(row, 'reopened', 1);
    }
  }

  await tx.query(
    'delete from report_hours where org_id = $1 and grp in (0, 1, 2, 3) and hour = any($2::timestamptz[])',
    [orgId, hours],
  );
  // In the order reports read them (grouping, hour), so a period's rows of one grouping share few pages.
  const all = [...rows.values()].sort((x, y) => x.grp - y.grp || (x.hour < y.hour ? -1 : x.hour > y.hour ? 1 : 0));
  for (const r of all) r.org_id = orgId;
  for (let i = 0; i < all.length; i += 5000) {
    await tx.query('insert into report_hours select * from jsonb_populate_recordset(null::report_hours, $1::jsonb)', [
      JSON.stringify(all.slice(i, i + 5000)),
    ]);
  }
}

/** Rebuilds the dirty hours of every organization (the background pass of the report worker). */
export async function refreshAllRollups(pool: pg.Pool): Promise<number> {
  const orgs = await pool.query<{ org_id: number }>(
    `select distinct org_id from report_dirty where hour < date_trunc('hour', now(), 'UTC')`,
  );
  let hours = 0;
  for (const { org_id } of orgs.rows) hours += (await refreshRollups(pool, org_id)).hours;
  return hours;
}

const offsetFormat = new Map<string, Intl.DateTimeFormat>();

/** Whether the time zone's offset is a whole number of hours throughout [from, to) (days cut on hour buckets). */
export function wholeHourZone(tz: string, from: Date, to: Date): boolean {
  let fmt = offsetFormat.get(tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    offsetFormat.set(tz, fmt);
  }
  for (let t = from.getTime(); ; t = Math.min(t + DAY / 4, to.getTime())) {
    const name = fmt.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    if (!/^GMT(?:[+-]\d\d:00)?$/.test(name)) return false;
    if (t >= to.getTime()) return true;
  }
}
