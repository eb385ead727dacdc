import type { Queryable } from '../../server/db/database.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { type DutyRow, loadCalendarAt, personOnDuty } from '../coverage/calendar.ts';
import { type ChangeRow, type CrisisRow, loadCrisis } from './service.ts';

/** What the crisis room shows and what the post-crisis report counts, read from the stored cases and messages. */

export interface Bucket {
  at: string;
  n: number;
  negative: number;
}

export interface TimelineEntry {
  id: number;
  at: Date;
  kind: string;
  person: string | null;
  data: Record<string, unknown>;
}

/** Inbound messages (and negative ones) of the crisis communities per bucket of `minutes`. */
export async function volumeSeries(
  db: Queryable,
  orgId: number,
  communityIds: number[],
  from: Date,
  to: Date,
  minutes: number,
): Promise<Bucket[]> {
  const r = await db.query<{ at: Date; n: number; negative: number }>(
    `with b as (
       select generate_series(to_timestamp(floor(extract(epoch from $3::timestamptz) / ($5 * 60)) * $5 * 60),
                              $4::timestamptz, make_interval(mins => $5)) as at)
     select b.at,
       (select count(*)::int from messages m join cases c on c.id = m.case_id
         where m.org_id = $1 and m.direction = 'in' and c.community_id = any($2::int[])
           and m.created_at >= b.at and m.created_at < b.at + make_interval(mins => $5)) as n,
       (select count(*)::int from messages m join cases c on c.id = m.case_id
         where m.org_id = $1 and m.direction = 'in' and c.community_id = any($2::int[]) and m.sentiment = 'negative'
           and m.created_at >= b.at and m.created_at < b.at + make_interval(mins => $5)) as negative
     from b order by b.at`,
    [orgId, communityIds, from, to, minutes],
  );
  return r.rows.map((x) => ({ at: x.at.toISOString(), n: x.n, negative: x.negative }));
}

export async function crisisTimeline(db: Queryable, crisisId: number): Promise<TimelineEntry[]> {
  const r = await db.query<TimelineEntry>(
    `select t.id, t.at, t.kind, p.name as person, t.data from crisis_timeline t left join people p on p.id = t.person_id
     where t.crisis_id = $1 order by t.id`,
    [crisisId],
  );
  return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
}

export async function crisisChanges(db: Queryable, crisisId: number): Promise<ChangeRow[]> {
  const r = await db.query<ChangeRow>('select * from crisis_changes where crisis_id = $1 order by id', [crisisId]);
  return r.rows.map((x) => ({ ...x, id: Number(x.id) }));
}

/** Cases of the call-center topics resolved in the channel (answered there) while the crisis lasted. */
export async function deflected(db: Queryable, orgId: number, c: CrisisRow): Promise<number> {
  const r = await db.query<{ n: number }>(
    `select count(*)::int as n from cases
     where org_id = $1 and community_id = any($2::int[]) and status in ('resolved', 'closed')
       and resolved_at >= $3 and resolved_at <= coalesce($4::timestamptz, now())
       and topics && $5::text[]
       and exists (select 1 from messages m where m.case_id = cases.id and m.direction = 'out')`,
    [orgId, c.community_ids, c.declared_at, c.stood_down_at, c.playbook.call_center_topics],
  );
  return r.rows[0]?.n ?? 0;
}

const URGENCY_RANK = "case c.urgency when 'critical' then 4 when 'high' then 3 when 'normal' then 2 else 1 end";
const PRIORITY_RANK = "case c.priority when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end";

export async function crisisRoom(db: Queryable, person: PersonPrincipal, crisisId: number) {
  const c = await loadCrisis(db, person.orgId, crisisId);
  const end = c.stood_down_at ?? new Date();
  const from = new Date(Math.min(c.declared_at.getTime() - 2 * 3_600_000, end.getTime() - 3 * 3_600_000));
  const visible = c.community_ids.filter((id) => person.communityIds.has(id));
  const now = new Date();
  const calendar = await loadCalendarAt(db, person.orgId, now);
  const [series, queue, taskForce, timeline, changes, deflection] = await Promise.all([
    volumeSeries(db, person.orgId, c.community_ids, from, end, 5),
    db.query(
      `select c.id, c.subject, c.status, c.priority, c.urgency, c.sentiment, c.language, c.topics, c.created_at,
         c.community_id, p.name as assignee,
         (select m.text from messages m where m.case_id = c.id and m.direction = 'in' order by m.id desc limit 1) as last_text
       from cases c left join people p on p.id = c.assignee_id
       where c.org_id = $1 and c.community_id = any($2::int[]) and c.status in ('new', 'open', 'waiting_internal')
         and c.merged_into is null
       order by ${URGENCY_RANK} desc, ${PRIORITY_RANK} desc, c.created_at desc limit 100`,
      [person.orgId, visible],
    ),
    db.query<DutyRow & { name: string; role: string }>(
      `select id, name, role, on_duty, schedule, timezone,
         array(select community_id from person_communities pc where pc.person_id = p.id) as community_ids
       from people p where org_id = $1 and active and email = any($2::text[]) order by name`,
      [person.orgId, c.playbook.task_force],
    ),
    crisisTimeline(db, crisisId),
    crisisChanges(db, crisisId),
    deflected(db, person.orgId, c),
  ]);
  return {
    crisis: c,
    series,
    queue: queue.rows.map((r) => ({ ...r, id: Number(r.id) })),
    // Who is on: the same duty rule as assignment (override, shifts, absences, holidays).
    task_force: taskForce.rows.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      on_duty: personOnDuty(p, calendar, now),
    })),
    holding_statements: c.playbook.holding_statements,
    sources: c.playbook.sources,
    timeline,
    changes,
    deflected: deflection,
  };
}

interface Window {
  from: Date;
  to: Date;
}

async function windowStats(db: Queryable, orgId: number, communityIds: number[], w: Window) {
  const m = await db.query<{ n: number; negative: number }>(
    `select count(*)::int as n, count(*) filter (where m.sentiment = 'negative')::int as negative
     from messages m join cases c on c.id = m.case_id
     where m.org_id = $1 and m.direction = 'in' and c.community_id = any($2::int[])
       and m.created_at >= $3 and m.created_at < $4`,
    [orgId, communityIds, w.from, w.to],
  );
  const r = await db.query<{ cases: number; answered: number; median_s: number | null; p90_s: number | null }>(
    `select count(*)::int as cases, count(first_responded_at)::int as answered,
       percentile_cont(0.5) within group (order by extract(epoch from first_responded_at - created_at))
         filter (where first_responded_at is not null) as median_s,
       percentile_cont(0.9) within group (order by extract(epoch from first_responded_at - created_at))
         filter (where first_responded_at is not null) as p90_s
     from cases where org_id = $1 and community_id = any($2::int[]) and created_at >= $3 and created_at < $4`,
    [orgId, communityIds, w.from, w.to],
  );
  const n = m.rows[0]?.n ?? 0;
  const neg = m.rows[0]?.negative ?? 0;
  const s = r.rows[0]!;
  return {
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    messages: n,
    negative: neg,
    negative_share: n > 0 ? Math.round((neg / n) * 1000) / 1000 : null,
    cases: s.cases,
    answered: s.answered,
    median_first_response_s: s.median_s === null ? null : Math.round(s.median_s),
    p90_first_response_s: s.p90_s === null ? null : Math.round(s.p90_s),
  };
}

export type CrisisReport = Awaited<ReturnType<typeof crisisReport>>;

/** The post-crisis report: timeline, volumes, response times, sentiment before/during/after, top issues. */
export async function crisisReport(db: Queryable, orgId: number, crisisId: number) {
  const c = await loadCrisis(db, orgId, crisisId);
  const start = c.declared_at;
  const end = c.stood_down_at ?? new Date();
  // Before and after span as long as the crisis (one hour at least, a day at most).
  const span = Math.min(24 * 3_600_000, Math.max(3_600_000, end.getTime() - start.getTime()));
  const before = { from: new Date(start.getTime() - span), to: start };
  const during = { from: start, to: end };
  const after = { from: end, to: new Date(Math.min(Date.now(), end.getTime() + span)) };
  const bucket = span <= 3 * 3_600_000 ? 5 : span <= 24 * 3_600_000 ? 30 : 60;
  const [b, d, a, volumes, topics, timeline, changes, deflection] = await Promise.all([
    windowStats(db, orgId, c.community_ids, before),
    windowStats(db, orgId, c.community_ids, during),
    windowStats(db, orgId, c.community_ids, after),
    volumeSeries(db, orgId, c.community_ids, before.from, after.to, bucket),
    db.query<{ topic: string; n: number }>(
      `select t as topic, count(*)::int as n from messages m join cases c on c.id = m.case_id, unnest(m.topics) t
       where m.org_id = $1 and m.direction = 'in' and c.community_id = any($2::int[])
         and m.created_at >= $3 and m.created_at < $4
       group by t order by n desc, t limit 10`,
      [orgId, c.community_ids, start, end],
    ),
    crisisTimeline(db, crisisId),
    crisisChanges(db, crisisId),
    deflected(db, orgId, c),
  ]);
  return {
    crisis: {
      id: c.id,
      title: c.title,
      playbook: c.playbook.name,
      status: c.status,
      declared_at: c.declared_at.toISOString(),
      stood_down_at: c.stood_down_at?.toISOString() ?? null,
      community_ids: c.community_ids,
    },
    windows: { before: b, during: d, after: a },
    volumes: { bucket_minutes: bucket, series: volumes },
    top_issues: topics.rows,
    deflected: deflection,
    timeline: timeline.map((t) => ({ at: t.at.toISOString(), kind: t.kind, person: t.person, data: t.data })),
    changes: changes.map((ch) => ({
      kind: ch.kind,
      target: ch.target,
      previous: ch.previous,
      applied: ch.applied,
      reverted_at: ch.reverted_at?.toISOString() ?? null,
      revert_note: ch.revert_note,
    })),
  };
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The report as CSV: one section per table, separated by an empty line. */
export function reportCsv(r: CrisisReport): string {
  const rows: unknown[][] = [];
  rows.push(['crisis', 'title', 'playbook', 'status', 'declared_at', 'stood_down_at', 'deflected_cases']);
  rows.push([
    r.crisis.id,
    r.crisis.title,
    r.crisis.playbook,
    r.crisis.status,
    r.crisis.declared_at,
    r.crisis.stood_down_at,
    r.deflected,
  ]);
  rows.push([]);
  rows.push([
    'window',
    'from',
    'to',
    'messages',
    'negative',
    'negative_share',
    'cases',
    'answered',
    'median_first_response_s',
    'p90_first_response_s',
  ]);
  for (const [name, w] of Object.entries(r.windows)) {
    rows.push([
      name,
      w.from,
      w.to,
      w.messages,
      w.negative,
      w.negative_share,
      w.cases,
      w.answered,
      w.median_first_response_s,
      w.p90_first_response_s,
    ]);
  }
  rows.push([]);
  rows.push(['volume_at', 'messages', 'negative']);
  for (const v of r.volumes.series) rows.push([v.at, v.n, v.negative]);
  rows.push([]);
  rows.push(['top_issue', 'messages']);
  for (const t of r.top_issues) rows.push([t.topic, t.n]);
  rows.push([]);
  rows.push(['timeline_at', 'event', 'person', 'data']);
  for (const t of r.timeline) rows.push([t.at, t.kind, t.person, t.data]);
  rows.push([]);
  rows.push(['change', 'target', 'previous', 'applied', 'reverted_at', 'revert_note']);
  for (const ch of r.changes) rows.push([ch.kind, ch.target, ch.previous, ch.applied, ch.reverted_at, ch.revert_note]);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
