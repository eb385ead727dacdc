import type { Queryable } from '../../server/db/database.ts';
import type { Directory } from '../organization/directory.ts';
import { Anonymizer } from './anonymize.ts';

/** Where the past case's number stood in a text; replaced by the replay's own (`T<item id>`) when stored. */
export const CASE_NUMBER = '{{case.id}}';

/** One message of a replay as the trainee sees it: anonymized, without ids that lead back to the case. */
export interface ReplayMessage {
  direction: 'in' | 'out';
  author: string;
  text: string;
  /** Minutes after the first message of the replay (the real times would identify the case). */
  minute: number;
}

export interface Snapshot {
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
}

/**
 * Past cases a replay can be made of: resolved or closed, not anonymized by retention (their text is gone), not
 * merged, with a customer message answered by a reply. Varied: the most recent case of each intent × urgency
 * first, then the second of each, and so on; cases this person already practised come last.
 */
export async function pickReplayCases(
  db: Queryable,
  orgId: number,
  opts: { communityId: number; personId: number; topic?: string | undefined; count: number },
): Promise<number[]> {
  const r = await db.query<{ id: number }>(
    `select id from (
       select c.id, c.resolved_at,
         row_number() over (partition by coalesce(c.intent, ''), c.urgency order by coalesce(c.resolved_at, c.closed_at) desc, c.id desc) as rn,
         exists (select 1 from training_items ti join training_sessions ts on ts.id = ti.session_id
                 where ti.source_case_id = c.id and ts.person_id = $3) as practised
       from cases c
       where c.org_id = $1 and c.community_id = $2 and c.status in ('resolved', 'closed')
         and c.anonymized_at is null and c.merged_into is null
         and ($4::text is null or $4 = any(c.topics))
         and exists (select 1 from messages m where m.case_id = c.id and m.direction = 'out' and m.kind <> 'note')
         and exists (select 1 from messages m where m.case_id = c.id and m.direction = 'in')
     ) x
     order by practised, rn, resolved_at desc nulls last, id desc
     limit $5`,
    [orgId, opts.communityId, opts.personId, opts.topic ?? null, opts.count],
  );
  return r.rows.map((row) => Number(row.id));
}

/** How many past cases of a community could be replayed, and their topics. */
export async function replayStock(db: Queryable, orgId: number, communityId: number) {
  const r = await db.query<{ topic: string | null; n: number }>(
    `select t.topic, count(*)::int as n
     from cases c left join lateral unnest(case when cardinality(c.topics) = 0 then array[null::text] else c.topics end) t(topic) on true
     where c.org_id = $1 and c.community_id = $2 and c.status in ('resolved', 'closed')
       and c.anonymized_at is null and c.merged_into is null
       and exists (select 1 from messages m where m.case_id = c.id and m.direction = 'out' and m.kind <> 'note')
       and exists (select 1 from messages m where m.case_id = c.id and m.direction = 'in')
     group by t.topic`,
    [orgId, communityId],
  );
  const total = await db.query<{ n: number }>(
    `select count(*)::int as n from cases c
     where c.org_id = $1 and c.community_id = $2 and c.status in ('resolved', 'closed')
       and c.anonymized_at is null and c.merged_into is null
       and exists (select 1 from messages m where m.case_id = c.id and m.direction = 'out' and m.kind <> 'note')
       and exists (select 1 from messages m where m.case_id = c.id and m.direction = 'in')`,
    [orgId, communityId],
  );
  return {
    available: total.rows[0]?.n ?? 0,
    topics: r.rows
      .filter((row) => row.topic !== null)
      .map((row) => ({ topic: row.topic as string, count: row.n }))
      .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic)),
  };
}

/**
 * The anonymized snapshot of a past case: the customer's messages up to the team's first reply (what the trainee
 * answers), and that reply as the hidden reference. Internal notes never enter a replay.
 */
export async function snapshotCase(db: Queryable, directory: Directory, caseId: number): Promise<Snapshot | null> {
  const c = await db.query<{
    id: number;
    channel: string;
    account_id: number | null;
    language: string | null;
    intent: string | null;
    urgency: string;
    sentiment: string | null;
    topics: string[];
    tags: string[];
    contact_id: number;
    display_name: string;
  }>(
    `select c.id, c.channel, c.account_id, c.language, c.intent, c.urgency, c.sentiment, c.topics, c.tags,
       c.contact_id, ct.display_name
     from cases c join contacts ct on ct.id = c.contact_id
     where c.id = $1 and c.org_id = $2`,
    [caseId, directory.orgId],
  );
  const row = c.rows[0];
  if (!row) return null;
  const msgs = await db.query<{
    direction: 'in' | 'out';
    author_handle: string;
    author_name: string | null;
    person_name: string | null;
    text: string;
    created_at: Date;
    sensitive: string[] | null;
    urgency: string | null;
    sentiment: string | null;
    lang: string | null;
  }>(
    `select m.direction, m.author_handle, m.author_name, p.name as person_name, m.text, m.created_at, m.sensitive,
       m.urgency, m.sentiment, m.lang
     from messages m left join people p on p.id = m.person_id
     where m.case_id = $1 and m.direction in ('in', 'out') and m.kind <> 'note'
     order by m.created_at, m.id`,
    [caseId],
  );
  const firstReply = msgs.rows.findIndex((m) => m.direction === 'out');
  const asked = msgs.rows.slice(0, firstReply);
  if (firstReply <= 0 || asked.length === 0) return null;
  const reply = msgs.rows[firstReply]!;
  const identities = await db.query<{ handle: string; name: string | null }>(
    'select handle, name from contact_identities where contact_id = $1',
    [row.contact_id],
  );
  const inbound = msgs.rows.filter((m) => m.direction === 'in');
  const anon = new Anonymizer({
    customers: [
      {
        name: row.display_name,
        handles: [...identities.rows.map((i) => i.handle), ...inbound.map((m) => m.author_handle)],
      },
      ...identities.rows.filter((i) => i.name).map((i) => ({ name: i.name, handles: [] })),
      ...inbound.filter((m) => m.author_name).map((m) => ({ name: m.author_name, handles: [] })),
    ],
    agents: [...new Set(msgs.rows.flatMap((m) => (m.person_name ? [m.person_name] : [])))],
    brandHandles: [...directory.accounts.values()].map((a) => a.handle),
  });
  // The case's own number (« Dossier 59 ») would lead back to it: it becomes the replay's, filled in once stored.
  const ownNumber = new RegExp(
    `(?<=(?:dossier|case|fall|caso|ticket|vorgang|n°|#)\\W{0,3})${Number(row.id)}(?![\\p{N}])`,
    'giu',
  );
  const text = (t: string) => anon.text(t).replace(ownNumber, CASE_NUMBER);
  const start = asked[0]!.created_at.getTime();
  const account = row.account_id === null ? undefined : directory.accounts.get(row.account_id);
  const last = asked.filter((m) => m.direction === 'in').at(-1);
  return {
    source_case_id: Number(row.id),
    channel: row.channel,
    account_id: row.account_id,
    // Governance judges a reply by the triage of the customer message it answers, as for a real reply.
    language: last?.lang ?? null,
    intent: row.intent,
    urgency: last?.urgency ?? 'normal',
    sentiment: last?.sentiment ?? null,
    sensitive: last?.sensitive ?? [],
    topics: row.topics,
    tags: row.tags,
    contact: { name: 'Customer A', handle: anon.handle(inbound[0]?.author_handle || '@customer') },
    thread: asked.map((m) => ({
      direction: m.direction,
      author: m.direction === 'in' ? anon.handle(m.author_handle) : (account?.handle ?? ''),
      text: text(m.text),
      minute: Math.round((m.created_at.getTime() - start) / 60_000),
    })),
    reference_text: text(reply.text),
  };
}
