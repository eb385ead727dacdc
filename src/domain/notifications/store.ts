import type { Queryable } from '../../server/db/database.ts';
import type { NotificationRow } from './model.ts';

export interface ListedNotification extends NotificationRow {
  case_subject: string | null;
  case_community_id: number | null;
}

/** A person's notifications, newest first; keyset pagination on the id. */
export async function listNotifications(
  db: Queryable,
  personId: number,
  q: { unread: boolean; before?: number | undefined; limit: number },
): Promise<ListedNotification[]> {
  const r = await db.query<ListedNotification>(
    `select n.id, n.person_id, n.kind, n.case_id, n.data, n.created_at, n.read_at, n.email_status,
       c.subject as case_subject, c.community_id as case_community_id
     from notifications n left join cases c on c.id = n.case_id
     where n.person_id = $1 and ($2::boolean = false or n.read_at is null) and ($3::bigint is null or n.id < $3)
     order by n.id desc limit $4`,
    [personId, q.unread, q.before ?? null, q.limit],
  );
  return r.rows;
}

export async function unreadCount(db: Queryable, personId: number): Promise<number> {
  const r = await db.query<{ n: number }>(
    'select count(*)::int as n from notifications where person_id = $1 and read_at is null',
    [personId],
  );
  return r.rows[0]!.n;
}

/** Marks some (or all) of a person's notifications read; returns how many changed. */
export async function markRead(db: Queryable, personId: number, ids: number[] | 'all'): Promise<number> {
  const r = await db.query(
    `update notifications set read_at = now()
     where person_id = $1 and read_at is null and ($2::boolean or id = any($3::bigint[]))`,
    [personId, ids === 'all', ids === 'all' ? [] : ids],
  );
  return r.rowCount ?? 0;
}

export async function notifyPreferences(db: Queryable, personId: number): Promise<unknown> {
  const r = await db.query<{ notify: unknown }>('select notify from people where id = $1', [personId]);
  return r.rows[0]?.notify ?? {};
}

export async function setEmailKinds(db: Queryable, personId: number, kinds: string[]): Promise<void> {
  await db.query(`update people set notify = notify || jsonb_build_object('email', $2::jsonb) where id = $1`, [
    personId,
    JSON.stringify(kinds),
  ]);
}
