import type { Queryable } from '../../server/db/database.ts';

/**
 * The advocate ranking of a community (docs/advocates.md), computed from the customers' messages of a period:
 * nothing of it is stored. Each inbound message counts in the community of its case; a contact merged into
 * another counts as that other one (its messages usually moved with the merge; rows that did not are followed
 * through `merged_into`).
 */

/** The weights of the score; the formula is in docs/advocates.md, keep both in step. */
export const WEIGHTS = { helping: 3, positive: 2, active_days: 1, negative: -3 } as const;
export const DEFAULT_DAYS = 90;
export const DEFAULT_MIN_MESSAGES = 2;

export interface Signals {
  /** Inbound messages of the contact in the community's cases over the period. */
  messages: number;
  /** Of them, positive (sentiment positive or intent praise). */
  positive: number;
  /** Of them, written in another customer's case (answering someone else's thread) and not negative. */
  helping: number;
  /** Of them, negative. */
  negative: number;
  /** Distinct days (in the community's time zone) with at least one message. */
  active_days: number;
}

export function scoreOf(s: Signals): number {
  return (
    WEIGHTS.helping * s.helping +
    WEIGHTS.positive * s.positive +
    WEIGHTS.active_days * s.active_days +
    WEIGHTS.negative * s.negative
  );
}

/** Whether a contact's signals make them an advocate: enough activity, something good, a positive score. */
export function qualifies(s: Signals, minMessages: number): boolean {
  return s.messages >= minMessages && s.positive + s.helping >= 1 && scoreOf(s) > 0;
}

export interface RankedContact extends Signals {
  contact_id: number;
  score: number;
  last_message_at: Date;
}

/**
 * Contacts merged into others (few), resolved to the contact they ended in: `final(id, final)`. The partial
 * index `contacts_merged` keeps this small whatever the number of contacts.
 */
export const FINAL_CONTACTS = `merged(id, final, depth) as (
    select id, merged_into, 1 from contacts where org_id = $1 and merged_into is not null
    union all
    select mg.id, ct.merged_into, mg.depth + 1 from merged mg join contacts ct on ct.id = mg.final
    where ct.merged_into is not null and mg.depth < 20
  ),
  final as (select distinct on (id) id, final from merged order by id, depth desc)`;

const SCORE = `(${WEIGHTS.helping} * a.helping + ${WEIGHTS.positive} * a.positive + ${WEIGHTS.active_days} * a.active_days + (${WEIGHTS.negative}) * a.negative)`;

export interface RankOptions {
  from: Date;
  to: Date;
  minMessages: number;
  /** The best `limit` of each community. */
  limit: number;
}

/**
 * The qualifying advocates of the communities `$2` (int[]) over [`$3`, `$4`), with at least `$5` messages: one
 * row per (community, contact); days are counted in each community's time zone. The period's inbound messages come from the covering
 * index `messages_in_org_created` (no heap visit), joined to their case for its community and its customer.
 * Contacts excluded in a community are left out there.
 */
export const ADVOCATES_SQL = `with recursive ${FINAL_CONTACTS},
  m as (
    select c.community_id, coalesce(fa.final, m.contact_id) as contact_id,
      coalesce(fc.final, c.contact_id) as case_contact, m.sentiment, m.intent, m.created_at, co.timezone
    from messages m
    join cases c on c.id = m.case_id
    join communities co on co.id = c.community_id
    left join final fa on fa.id = m.contact_id
    left join final fc on fc.id = c.contact_id
    where m.org_id = $1 and m.direction = 'in' and m.created_at >= $3 and m.created_at < $4
      and m.contact_id is not null and c.community_id = any($2::int[])
  ),
  -- Per day first, then per contact: both group by hashing (a count(distinct day) would sort every message).
  d as (
    select community_id, contact_id, (created_at at time zone timezone)::date as day, count(*) as messages,
      count(*) filter (where sentiment = 'positive' or intent = 'praise') as positive,
      count(*) filter (where contact_id <> case_contact and sentiment is distinct from 'negative') as helping,
      count(*) filter (where sentiment = 'negative') as negative,
      max(created_at) as last_message_at
    from m group by 1, 2, 3
  ),
  a as (
    select community_id, contact_id, sum(messages)::int as messages, sum(positive)::int as positive,
      sum(helping)::int as helping, sum(negative)::int as negative, count(*)::int as active_days,
      max(last_message_at) as last_message_at
    from d group by 1, 2
  ),
  excluded as (
    select s.community_id, coalesce(f.final, s.contact_id) as contact_id from advocate_status s
    left join final f on f.id = s.contact_id
    where s.community_id = any($2::int[]) and s.excluded_at is not null
  )
  select a.community_id, a.contact_id, a.messages, a.positive, a.helping, a.negative, a.active_days,
    a.last_message_at, ${SCORE}::int as score
  from a
  where a.messages >= $5 and a.positive + a.helping >= 1 and ${SCORE} > 0
    and not exists (select 1 from excluded x where x.community_id = a.community_id and x.contact_id = a.contact_id)`;

/**
 * Ranks the advocates of the given communities, best first in each: one pass over the period's messages for
 * all of them.
 */
export async function rankCommunities(
  db: Queryable,
  orgId: number,
  communityIds: number[],
  o: RankOptions,
): Promise<Map<number, RankedContact[]>> {
  const r = await db.query<RankedContact & { community_id: number }>(
    `select * from (
       select q.*, row_number() over (partition by q.community_id
         order by q.score desc, q.helping desc, q.positive desc, q.last_message_at desc, q.contact_id) as rank
       from (${ADVOCATES_SQL}) q
     ) x where x.rank <= $6 order by x.community_id, x.rank`,
    [orgId, communityIds, o.from, o.to, o.minMessages, o.limit],
  );
  const out = new Map<number, RankedContact[]>(communityIds.map((id) => [id, []]));
  for (const row of r.rows) {
    const { community_id, rank: _rank, ...rest } = row as typeof row & { rank: number };
    out.get(community_id)?.push({ ...rest, contact_id: Number(rest.contact_id) });
  }
  return out;
}

/** The contact a (possibly merged) contact ended in. */
export async function finalContact(db: Queryable, orgId: number, contactId: number): Promise<number | undefined> {
  const r = await db.query<{ id: number }>(
    `with recursive chain(id, depth) as (
       select id, 0 from contacts where org_id = $1 and id = $2
       union all
       select ct.merged_into, chain.depth + 1 from chain join contacts ct on ct.id = chain.id
       where ct.merged_into is not null and chain.depth < 20
     )
     select id from chain order by depth desc limit 1`,
    [orgId, contactId],
  );
  return r.rows[0] ? Number(r.rows[0].id) : undefined;
}

/** Each given contact with every contact merged into it (directly or not): `family(id, root)`. */
export const FAMILY = `family(id, root) as (
    select x, x from unnest($1::bigint[]) x
    union
    select ct.id, family.root from contacts ct join family on ct.merged_into = family.id
  )`;
