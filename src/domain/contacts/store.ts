import type { Queryable } from '../../server/db/database.ts';

export interface ContactRow {
  id: number;
  display_name: string;
  vip: boolean;
  notes: string;
  merged_into: number | null;
  created_at: Date;
}

export async function getContact(db: Queryable, orgId: number, id: number): Promise<ContactRow | undefined> {
  const r = await db.query<ContactRow>(
    'select id, display_name, vip, notes, merged_into, created_at from contacts where org_id = $1 and id = $2',
    [orgId, id],
  );
  return r.rows[0];
}

/** Communities in which the customer has cases: who may see or change the customer follows from them. */
export async function contactCommunities(db: Queryable, orgId: number, contactId: number): Promise<number[]> {
  const r = await db.query<{ community_id: number }>(
    'select distinct community_id from cases where org_id = $1 and contact_id = $2',
    [orgId, contactId],
  );
  return r.rows.map((row) => row.community_id);
}

export interface SentimentWeek {
  /** Monday of the week (UTC), YYYY-MM-DD. */
  week: string;
  negative: number;
  neutral: number;
  positive: number;
}

/** The customer's messages per week and sentiment, over the cases of the given communities. */
export async function sentimentByWeek(
  db: Queryable,
  contactId: number,
  communities: number[],
  weeks = 52,
): Promise<SentimentWeek[]> {
  const r = await db.query<SentimentWeek>(
    `select to_char(date_trunc('week', m.created_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
       count(*) filter (where m.sentiment = 'negative')::int as negative,
       count(*) filter (where m.sentiment = 'neutral')::int as neutral,
       count(*) filter (where m.sentiment = 'positive')::int as positive
     from messages m join cases c on c.id = m.case_id
     where m.contact_id = $1 and m.direction = 'in' and c.community_id = any($2::int[])
       and m.created_at >= date_trunc('week', now() at time zone 'UTC') at time zone 'UTC' - make_interval(weeks => $3)
     group by 1 order by 1`,
    [contactId, communities, weeks - 1],
  );
  return r.rows;
}
