import type { Queryable } from '../../server/db/database.ts';
import type { ReplyCheck } from '../governance/service.ts';
import type { ReplayMessage } from './snapshot.ts';

export interface SessionRow {
  id: number;
  org_id: number;
  person_id: number;
  person_name: string;
  community_id: number;
  topic: string | null;
  created_by: number;
  created_at: Date;
  completed_at: Date | null;
  items: number;
  answered: number;
}

export interface ItemRow {
  id: number;
  session_id: number;
  position: number;
  source_case_id: number;
  channel: string;
  account_id: number | null;
  language: string | null;
  intent: string | null;
  urgency: string;
  sentiment: string | null;
  sensitive: string[];
  topics: string[];
  tags: string[];
  contact: { name: string; handle: string };
  thread: ReplayMessage[];
  reference_text: string;
  opened_at: Date | null;
  answer_text: string | null;
  canned_reply_id: number | null;
  answered_at: Date | null;
  seconds_to_answer: number | null;
  verdict: ReplyCheck | null;
  self_assessment: number | null;
  leader_score: number | null;
  leader_comment: string | null;
  scored_by: number | null;
  scored_at: Date | null;
  /** From the session. */
  person_id: number;
  community_id: number;
  org_id: number;
}

const SESSION_SELECT = `select s.id, s.org_id, s.person_id, p.name as person_name, s.community_id, s.topic, s.created_by,
    s.created_at, s.completed_at,
    (select count(*)::int from training_items i where i.session_id = s.id) as items,
    (select count(*)::int from training_items i where i.session_id = s.id and i.answered_at is not null) as answered
  from training_sessions s join people p on p.id = s.person_id`;

export async function getSession(db: Queryable, orgId: number, id: number): Promise<SessionRow | undefined> {
  const r = await db.query<SessionRow>(`${SESSION_SELECT} where s.org_id = $1 and s.id = $2`, [orgId, id]);
  return r.rows[0];
}

/** Sessions of one person, or of some communities (null: all), newest first. */
export async function listSessions(
  db: Queryable,
  orgId: number,
  filter: { personId?: number | undefined; communityIds: number[] | null; orPersonId?: number | undefined },
  limit: number,
): Promise<SessionRow[]> {
  const r = await db.query<SessionRow>(
    `${SESSION_SELECT}
     where s.org_id = $1 and ($2::int is null or s.person_id = $2)
       and ($3::int[] is null or s.community_id = any($3) or s.person_id = $4)
     order by s.created_at desc, s.id desc limit $5`,
    [orgId, filter.personId ?? null, filter.communityIds, filter.orPersonId ?? null, limit],
  );
  return r.rows;
}

const ITEM_SELECT = `select i.*, s.person_id, s.community_id, s.org_id
  from training_items i join training_sessions s on s.id = i.session_id`;

export async function getItem(db: Queryable, orgId: number, id: number): Promise<ItemRow | undefined> {
  const r = await db.query<ItemRow>(`${ITEM_SELECT} where s.org_id = $1 and i.id = $2`, [orgId, id]);
  return r.rows[0];
}

export async function sessionItems(db: Queryable, sessionId: number): Promise<ItemRow[]> {
  const r = await db.query<ItemRow>(`${ITEM_SELECT} where i.session_id = $1 order by i.position`, [sessionId]);
  return r.rows;
}

export async function lockItem(db: Queryable, id: number): Promise<ItemRow | undefined> {
  const r = await db.query<ItemRow>(`${ITEM_SELECT} where i.id = $1 for update of i`, [id]);
  return r.rows[0];
}

/** Names of people by id, for presenters. */
export async function peopleNames(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const r = await db.query<{ id: number; name: string }>('select id, name from people where id = any($1::int[])', [
    [...new Set(ids)],
  ]);
  return new Map(r.rows.map((row) => [row.id, row.name]));
}
