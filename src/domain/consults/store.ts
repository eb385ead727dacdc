import type { Queryable } from '../../server/db/database.ts';
import type { ConsultRow, ExpertiseRow } from './model.ts';

export async function listExpertise(db: Queryable, orgId: number): Promise<ExpertiseRow[]> {
  const r = await db.query<ExpertiseRow>(
    `select e.id, e.person_id, e.team_id, e.title, e.topics, e.languages, e.availability,
       p.name as person_name, t.name as team_name
     from expertise e
     left join people p on p.id = e.person_id
     left join teams t on t.id = e.team_id
     where e.org_id = $1 and e.active and (p.id is null or p.active)
     order by e.title, e.id`,
    [orgId],
  );
  return r.rows;
}

/** One active entry of the directory (locked for update when asked). */
export async function getExpertise(
  db: Queryable,
  orgId: number,
  id: number,
  lock = false,
): Promise<ExpertiseRow | undefined> {
  const r = await db.query<ExpertiseRow>(
    `select e.id, e.person_id, e.team_id, e.title, e.topics, e.languages, e.availability,
       p.name as person_name, t.name as team_name
     from expertise e
     left join people p on p.id = e.person_id
     left join teams t on t.id = e.team_id
     where e.org_id = $1 and e.id = $2 and e.active${lock ? ' for update of e' : ''}`,
    [orgId, id],
  );
  return r.rows[0];
}

const CONSULT_SELECT = `select k.*, a.name as asker_name, ep.name as expert_person_name, et.name as expert_team_name,
    ab.name as answered_by_name, c.language as case_language, c.topics as case_topics,
    c.community_id as case_community_id
  from consults k
  join cases c on c.id = k.case_id
  join people a on a.id = k.asker_id
  left join people ep on ep.id = k.expert_person_id
  left join teams et on et.id = k.expert_team_id
  left join people ab on ab.id = k.answered_by`;

export async function getConsult(
  db: Queryable,
  orgId: number,
  id: number,
  lock = false,
): Promise<ConsultRow | undefined> {
  const r = await db.query<ConsultRow>(
    `${CONSULT_SELECT} where k.org_id = $1 and k.id = $2${lock ? ' for update of k' : ''}`,
    [orgId, id],
  );
  return r.rows[0];
}

export async function caseConsults(db: Queryable, caseId: number): Promise<ConsultRow[]> {
  const r = await db.query<ConsultRow>(`${CONSULT_SELECT} where k.case_id = $1 order by k.id`, [caseId]);
  return r.rows;
}

/** The consults a person is asked (directly or through one of their teams), open ones first. */
export async function consultsFor(
  db: Queryable,
  orgId: number,
  personId: number,
  teamIds: number[],
  status: string | undefined,
): Promise<ConsultRow[]> {
  const r = await db.query<ConsultRow>(
    `${CONSULT_SELECT}
     where k.org_id = $1 and (k.expert_person_id = $2 or k.expert_team_id = any($3::int[]))
       and ($4::text is null or k.status = $4)
     order by (k.status = 'open') desc, k.due_at, k.id limit 200`,
    [orgId, personId, teamIds, status ?? null],
  );
  return r.rows;
}

/** The consults a person asked, newest first. */
export async function consultsAskedBy(db: Queryable, orgId: number, personId: number): Promise<ConsultRow[]> {
  const r = await db.query<ConsultRow>(
    `${CONSULT_SELECT} where k.org_id = $1 and k.asker_id = $2 order by (k.status = 'open') desc, k.id desc limit 200`,
    [orgId, personId],
  );
  return r.rows;
}

export interface TeamTurnaround {
  team_id: number | null;
  team_name: string | null;
  asked: number;
  answered: number;
  open: number;
  median_minutes: number | null;
  p90_minutes: number | null;
  /** Answered after their due time, or still open past it. */
  overdue: number;
}

/** Turnaround per team of the consults asked in [from, to): median and 90th percentile, overdue count. */
export async function turnaroundByTeam(db: Queryable, orgId: number, from: Date, to: Date, now: Date) {
  const r = await db.query<TeamTurnaround>(
    `select k.team_id, t.name as team_name, count(*)::int as asked,
       count(*) filter (where k.status = 'answered')::int as answered,
       count(*) filter (where k.status = 'open')::int as open,
       round((percentile_cont(0.5) within group (order by extract(epoch from k.answered_at - k.created_at) / 60)
         filter (where k.status = 'answered'))::numeric, 1)::float8 as median_minutes,
       round((percentile_cont(0.9) within group (order by extract(epoch from k.answered_at - k.created_at) / 60)
         filter (where k.status = 'answered'))::numeric, 1)::float8 as p90_minutes,
       count(*) filter (where (k.status = 'answered' and k.answered_at > k.due_at)
         or (k.status = 'open' and k.due_at < $4))::int as overdue
     from consults k left join teams t on t.id = k.team_id
     where k.org_id = $1 and k.created_at >= $2 and k.created_at < $3
     group by k.team_id, t.name
     order by t.name nulls last`,
    [orgId, from, to, now],
  );
  return r.rows;
}
