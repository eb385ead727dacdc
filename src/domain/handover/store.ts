import type { Queryable } from '../../server/db/database.ts';
import { dutyInput, loadCalendar } from '../coverage/calendar.ts';
import type { Shift } from '../routing/schedule.ts';
import type { BriefContent } from './content.ts';
import type { DutyPerson } from './times.ts';

export type BriefStatus = 'draft' | 'published' | 'acknowledged';

/** The outgoing shift's edit of one generated item. */
export interface ItemEdit {
  hidden?: boolean;
  comment?: string;
}

export interface BriefRow {
  id: number;
  org_id: number;
  community_id: number;
  period_from: Date;
  period_to: Date;
  trigger: 'schedule' | 'manual';
  content: BriefContent;
  generated_at: Date;
  note: string;
  item_edits: Record<string, ItemEdit>;
  status: BriefStatus;
  outgoing_ids: number[];
  incoming_ids: number[];
  created_by: number | null;
  created_at: Date;
  edited_by: number | null;
  edited_at: Date | null;
  published_by: number | null;
  published_at: Date | null;
  acknowledged_by: number | null;
  acknowledged_at: Date | null;
}

export interface Acknowledgement {
  person_id: number;
  name: string;
  at: Date;
}

const num = (r: BriefRow): BriefRow => ({ ...r, id: Number(r.id) });

export async function getBrief(db: Queryable, orgId: number, id: number, lock = false): Promise<BriefRow | undefined> {
  const r = await db.query<BriefRow>(
    `select * from handover_briefs where org_id = $1 and id = $2${lock ? ' for update' : ''}`,
    [orgId, id],
  );
  return r.rows[0] ? num(r.rows[0]) : undefined;
}

/** The community's latest brief (by the end of its period). */
export async function latestBrief(db: Queryable, orgId: number, communityId: number): Promise<BriefRow | undefined> {
  const r = await db.query<BriefRow>(
    `select * from handover_briefs where org_id = $1 and community_id = $2
     order by period_to desc, id desc limit 1 for update`,
    [orgId, communityId],
  );
  return r.rows[0] ? num(r.rows[0]) : undefined;
}

export async function acknowledgements(db: Queryable, briefId: number): Promise<Acknowledgement[]> {
  const r = await db.query<Acknowledgement>(
    `select a.person_id, p.name, a.at from handover_acknowledgements a join people p on p.id = a.person_id
     where a.brief_id = $1 order by a.at, a.person_id`,
    [briefId],
  );
  return r.rows;
}

export interface BriefListRow extends BriefRow {
  acknowledged_by_me: boolean;
}

/** Briefs of the given communities, newest first (of their content, only the counts: a list shows no items). */
export async function listBriefs(
  db: Queryable,
  q: { orgId: number; communityIds: number[]; personId: number; status?: BriefStatus | undefined; limit: number },
): Promise<BriefListRow[]> {
  const r = await db.query<BriefListRow>(
    `select b.id, b.org_id, b.community_id, b.period_from, b.period_to, b.trigger, b.generated_at, b.note,
       b.status, b.outgoing_ids, b.incoming_ids, b.created_by, b.created_at, b.edited_by, b.edited_at, b.published_by,
       b.published_at, b.acknowledged_by, b.acknowledged_at, '{}'::jsonb as item_edits,
       jsonb_build_object('counts', b.content -> 'counts') as content,
       exists (select 1 from handover_acknowledgements a where a.brief_id = b.id and a.person_id = $3)
         as acknowledged_by_me
     from handover_briefs b
     where b.org_id = $1 and b.community_id = any($2::int[]) and ($4::text is null or b.status = $4)
     order by b.period_to desc, b.id desc limit $5`,
    [q.orgId, q.communityIds, q.personId, q.status ?? null, q.limit],
  );
  return r.rows.map((row) => ({ ...num(row), acknowledged_by_me: row.acknowledged_by_me }));
}

/**
 * How many briefs wait for this person: published ones of their communities that nobody has acknowledged yet
 * (and that they did not publish), and any they are among the next shift of and have not acknowledged.
 */
export async function awaitingCount(db: Queryable, orgId: number, personId: number, communityIds: number[]) {
  const r = await db.query<{ n: number }>(
    `select count(*)::int as n from handover_briefs b
     where b.org_id = $1 and b.community_id = any($3::int[]) and b.status <> 'draft'
       and not exists (select 1 from handover_acknowledgements a where a.brief_id = b.id and a.person_id = $2)
       and ((b.status = 'published' and b.published_by is distinct from $2) or $2 = any(b.incoming_ids))`,
    [orgId, personId, communityIds],
  );
  return r.rows[0]?.n ?? 0;
}

/** How far around `now` the absences and holidays of the community's people are loaded. */
const CALENDAR_DAYS = 8;

/**
 * The people whose schedules make the community's shifts (active, working its cases), with their absences and
 * holidays around `now` (the coverage calendar), so handovers follow the same duty rule as everything else.
 */
export async function dutyPeople(
  db: Queryable,
  orgId: number,
  communityId: number,
  now: Date,
): Promise<(DutyPerson & { name: string })[]> {
  const r = await db.query<{ id: number; name: string; schedule: Shift[]; timezone: string; community_ids: number[] }>(
    `select p.id, p.name, p.schedule, p.timezone,
       array(select pc2.community_id from person_communities pc2 where pc2.person_id = p.id) as community_ids
     from people p
     join person_communities pc on pc.person_id = p.id and pc.community_id = $2
     where p.org_id = $1 and p.active and p.role in ('leader', 'manager', 'backup', 'approver')
     order by p.id`,
    [orgId, communityId],
  );
  const day = 86_400_000;
  const calendar = await loadCalendar(
    db,
    orgId,
    new Date(now.getTime() - CALENDAR_DAYS * day),
    new Date(now.getTime() + CALENDAR_DAYS * day),
  );
  return r.rows.map((p) => {
    const duty = dutyInput(
      {
        id: p.id,
        on_duty: null,
        schedule: Array.isArray(p.schedule) ? p.schedule : [],
        timezone: p.timezone,
        community_ids: p.community_ids,
      },
      calendar,
    );
    return {
      id: p.id,
      name: p.name,
      schedule: duty.schedule,
      timezone: p.timezone,
      absences: duty.absences ?? [],
      holidays: duty.holidays ?? new Set(),
    };
  });
}

export async function peopleNames(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const r = await db.query<{ id: number; name: string }>('select id, name from people where id = any($1::int[])', [
    [...new Set(ids)],
  ]);
  return new Map(r.rows.map((p) => [p.id, p.name]));
}
