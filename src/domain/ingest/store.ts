import type pg from 'pg';
import type { Queryable } from '../../server/db/database.ts';
import type { CaseClocks, ClockColumns } from '../sla/deadlines.ts';
import { truncateText } from './model.ts';

/**
 * The SQL of the ingest path. Every statement takes a whole batch (one JSON parameter or a few arrays),
 * so storing a thousand messages costs a handful of round trips.
 */

export interface StoredRef {
  channel: string;
  external_id: string;
  id: number;
  case_id: number;
  conversation_id: number | null;
}

export async function findMessages(db: Queryable, orgId: number, channels: string[], externalIds: string[]) {
  const r = await db.query<StoredRef>(
    `select m.channel, m.external_id, m.id, m.case_id, m.conversation_id
     from unnest($2::text[], $3::text[]) as k(channel, external_id)
     join messages m on m.org_id = $1 and m.channel = k.channel and m.external_id = k.external_id`,
    [orgId, channels, externalIds],
  );
  return r.rows;
}

export async function findIdentities(db: Queryable, orgId: number, channels: string[], handles: string[]) {
  const r = await db.query<{ channel: string; handle: string; contact_id: number }>(
    `select ci.channel, ci.handle, ci.contact_id
     from unnest($2::text[], $3::text[]) as k(channel, handle)
     join contact_identities ci on ci.org_id = $1 and ci.channel = k.channel and ci.handle = k.handle`,
    [orgId, channels, handles],
  );
  return r.rows;
}

/** Ids for `cases` new cases and `conversations` new conversations, in one round trip. */
export async function reserveIds(db: Queryable, cases: number, conversations: number) {
  if (cases === 0 && conversations === 0) return { cases: [] as number[], conversations: [] as number[] };
  const r = await db.query<{ cases: string[]; conversations: string[] }>(
    `select array(select nextval(pg_get_serial_sequence('cases', 'id')) from generate_series(1, $1)) as cases,
       array(select nextval(pg_get_serial_sequence('conversations', 'id')) from generate_series(1, $2)) as conversations`,
    [cases, conversations],
  );
  return { cases: r.rows[0]!.cases.map(Number), conversations: r.rows[0]!.conversations.map(Number) };
}

/**
 * Creates the contacts of identities not known yet, each with its identity, in one statement. An identity
 * another transaction created first is left to it, and no contact is created for it. Returns the contact of
 * every identity asked for, keyed by (channel, handle).
 */
export async function createContacts(
  db: Queryable,
  orgId: number,
  rows: { channel: string; handle: string; name: string | null; display_name: string }[],
): Promise<{ channel: string; handle: string; contact_id: number }[]> {
  if (rows.length === 0) return [];
  // The identities go in first and the contacts of those inserted follow; the foreign key is checked at the end
  // of the statement, when both exist.
  const r = await db.query<{ channel: string; handle: string; contact_id: number }>(
    `with x as materialized (
       select x.*, nextval(pg_get_serial_sequence('contacts', 'id')) as id
       from jsonb_to_recordset($2::jsonb) as x(channel text, handle text, name text, display_name text)
     ), i as (
       insert into contact_identities (org_id, contact_id, channel, handle, name)
       select $1, x.id, x.channel, x.handle, x.name from x
       on conflict (org_id, channel, handle) do nothing
       returning contact_id, channel, handle
     ), c as (
       insert into contacts (id, org_id, display_name) overriding system value
       select x.id, $1, x.display_name from x join i on i.contact_id = x.id
     )
     select channel, handle, contact_id from i`,
    [orgId, JSON.stringify(rows)],
  );
  if (r.rows.length === rows.length) return r.rows;
  // Created meanwhile by another transaction, committed since (the insert waited for it).
  const made = new Set(r.rows.map((x) => `${x.channel}\u0001${x.handle}`));
  const lost = rows.filter((x) => !made.has(`${x.channel}\u0001${x.handle}`));
  const found = await findIdentities(
    db,
    orgId,
    lost.map((x) => x.channel),
    lost.map((x) => x.handle),
  );
  return [...r.rows, ...found];
}

export interface ConversationRef {
  id: number;
  channel: string;
  root_external_id: string;
  contact_id: number;
  case_id: number;
}

export interface OpenCaseRef {
  id: number;
  contact_id: number;
  community_id: number;
}

/**
 * The threading facts of a batch in one round trip (one snapshot): the stored parents of its replies, the
 * conversations of its thread roots (channel, root external id, customer), and the most recently active
 * unresolved case of each of its customers per community (new conversations attach to it).
 */
export async function findThreading(
  db: Queryable,
  orgId: number,
  parents: { channel: string; external_id: string }[],
  roots: { channel: string; root: string; contact: number }[],
  contactIds: number[],
): Promise<{ parents: StoredRef[]; conversations: ConversationRef[]; openCases: OpenCaseRef[] }> {
  const r = await db.query<{ parents: StoredRef[]; conversations: ConversationRef[]; open_cases: OpenCaseRef[] }>(
    `select
       coalesce((select json_agg(t) from (
         select m.channel, m.external_id, m.id, m.case_id, m.conversation_id
         from unnest($2::text[], $3::text[]) as k(channel, external_id)
         join messages m on m.org_id = $1 and m.channel = k.channel and m.external_id = k.external_id) t), '[]') as parents,
       coalesce((select json_agg(t) from (
         select c.id, c.channel, c.root_external_id, c.contact_id, c.case_id
         from jsonb_to_recordset($4::jsonb) as k(channel text, root text, contact bigint)
         join conversations c on c.org_id = $1 and c.channel = k.channel and c.root_external_id = k.root
           and c.contact_id = k.contact) t), '[]') as conversations,
       coalesce((select json_agg(t) from (
         select distinct on (contact_id, community_id) id, contact_id, community_id
         from cases
         where org_id = $1 and contact_id = any($5::bigint[]) and status not in ('resolved', 'closed')
         order by contact_id, community_id, updated_at desc) t), '[]') as open_cases`,
    [orgId, parents.map((p) => p.channel), parents.map((p) => p.external_id), JSON.stringify(roots), contactIds],
  );
  const row = r.rows[0]!;
  return { parents: row.parents, conversations: row.conversations, openCases: row.open_cases };
}

export interface CaseState extends CaseClocks {
  id: number;
}

/** Locks the cases a batch attaches to (in id order, so concurrent batches cannot deadlock). */
export async function lockCases(db: Queryable, ids: number[]) {
  if (ids.length === 0) return [];
  const r = await db.query<CaseState>(
    `select id, status, community_id, priority, sla_policy_id, first_response_due_at, first_responded_at,
       next_response_due_at, resolution_due_at, sla_paused_at
     from cases where id = any($1::bigint[]) order by id for update`,
    [ids],
  );
  return r.rows;
}

export interface NewCaseRow {
  id: number;
  community_id: number;
  contact_id: number;
  priority: string;
  team_id: number | null;
  assignee_id: number | null;
  assigned_at: string | null;
  tags: string[];
  channel: string;
  account_id: number | null;
  language: string;
  subject: string;
  sentiment: string;
  intent: string;
  topics: string[];
  urgency: string;
  routing: unknown;
  message_count: number;
  created_at: string;
  last_inbound_at: string;
  sla_policy_id: number | null;
  first_response_due_at: string | null;
  resolution_due_at: string | null;
  /** The customer texts of the case, for its search vector. */
  search_text: string;
}

export async function insertCases(db: Queryable, orgId: number, rows: NewCaseRow[]) {
  if (rows.length === 0) return;
  await db.query(
    `insert into cases (id, org_id, community_id, contact_id, status, priority, team_id, assignee_id, assigned_at, tags,
       channel, account_id, language, subject, sentiment, intent, topics, urgency, routing, message_count, created_at,
       updated_at, last_inbound_at, sla_policy_id, first_response_due_at, resolution_due_at, search)
     overriding system value
     select x.id, $1, x.community_id, x.contact_id, 'new', x.priority, x.team_id, x.assignee_id, x.assigned_at, x.tags,
       x.channel, x.account_id, x.language, x.subject, x.sentiment, x.intent, x.topics, x.urgency, x.routing,
       x.message_count, x.created_at, x.created_at, x.last_inbound_at, x.sla_policy_id, x.first_response_due_at,
       x.resolution_due_at, passeur_search_vector(x.search_text)
     from jsonb_to_recordset($2::jsonb) as x(id bigint, community_id int, contact_id bigint, priority text, team_id int,
       assignee_id int, assigned_at timestamptz, tags text[], channel text, account_id int, language text, subject text,
       sentiment text, intent text, topics text[], urgency text, routing jsonb, message_count int, created_at timestamptz,
       last_inbound_at timestamptz, sla_policy_id int, first_response_due_at timestamptz, resolution_due_at timestamptz,
       search_text text)`,
    [orgId, JSON.stringify(rows)],
  );
}

/** Inserts conversations; returns false when another transaction created one of them first. */
export async function insertConversations(
  db: Queryable,
  orgId: number,
  rows: { id: number; channel: string; root: string; contact_id: number; case_id: number; account_id: number | null }[],
): Promise<boolean> {
  if (rows.length === 0) return true;
  const r = await db.query(
    `insert into conversations (id, org_id, channel, root_external_id, contact_id, case_id, account_id)
     overriding system value
     select x.id, $1, x.channel, x.root, x.contact_id, x.case_id, x.account_id
     from jsonb_to_recordset($2::jsonb) as x(id bigint, channel text, root text, contact_id bigint, case_id bigint,
       account_id int)
     on conflict (org_id, channel, root_external_id, contact_id) do nothing`,
    [orgId, JSON.stringify(rows)],
  );
  return r.rowCount === rows.length;
}

export interface NewMessageRow {
  channel: string;
  external_id: string;
  conversation_id: number;
  case_id: number;
  account_id: number | null;
  contact_id: number;
  kind: string;
  author_handle: string;
  author_name: string | null;
  text: string;
  in_reply_to: string | null;
  created_at: string;
  lang: string;
  sentiment: string;
  sentiment_score: number;
  intent: string;
  topics: string[];
  urgency: string;
  sensitive: string[];
  triage: unknown;
  meta: unknown;
}

/** Inserts inbound messages; returns the ids of those stored (a duplicate committed meanwhile is skipped). */
export async function insertMessages(db: Queryable, orgId: number, rows: NewMessageRow[]) {
  const r = await db.query<{ id: number; channel: string; external_id: string }>(
    `insert into messages (org_id, channel, external_id, conversation_id, case_id, account_id, contact_id, direction, kind,
       author_handle, author_name, text, in_reply_to, created_at, lang, sentiment, sentiment_score, intent, topics,
       urgency, sensitive, triage, meta)
     select $1, x.channel, x.external_id, x.conversation_id, x.case_id, x.account_id, x.contact_id, 'in', x.kind,
       x.author_handle, x.author_name, x.text, x.in_reply_to, x.created_at, x.lang, x.sentiment, x.sentiment_score,
       x.intent, x.topics, x.urgency, x.sensitive, x.triage, x.meta
     from jsonb_to_recordset($2::jsonb) as x(channel text, external_id text, conversation_id bigint, case_id bigint,
       account_id int, contact_id bigint, kind text, author_handle text, author_name text, text text, in_reply_to text,
       created_at timestamptz, lang text, sentiment text, sentiment_score real, intent text, topics text[], urgency text,
       sensitive text[], triage jsonb, meta jsonb)
     on conflict (org_id, channel, external_id) do nothing
     returning id, channel, external_id`,
    [orgId, JSON.stringify(rows)],
  );
  return r.rows;
}

export interface CaseUpdateRow {
  id: number;
  added: number;
  status: string;
  reopened: number;
  last_inbound_at: string;
  sentiment: string;
  intent: string;
  topics: string[];
  urgency: string;
  /** SLA clock columns to change (only those present). */
  clocks: ClockColumns;
  /** The new customer texts, appended to the case's search vector. */
  search_text: string;
}

/**
 * The end of a batch in one statement: the attached cases updated, the case events inserted, and the realtime
 * events published (NOTIFY `channel`, delivered at commit).
 */
export async function finishBatch(
  db: Queryable,
  orgId: number,
  caseUpdates: CaseUpdateRow[],
  caseEvents: { case_id: number; kind: string; data: unknown }[],
  notify: { channel: string; payloads: string[] },
) {
  await db.query(
    `with updated as (
       update cases c set
         message_count = c.message_count + x.added,
         status = x.status,
         reopened_count = c.reopened_count + x.reopened,
         resolved_at = case when x.reopened > 0 then null else c.resolved_at end,
         closed_at = case when x.reopened > 0 then null else c.closed_at end,
         last_inbound_at = greatest(c.last_inbound_at, x.last_inbound_at),
         updated_at = now(),
         sentiment = x.sentiment, intent = x.intent, topics = x.topics,
         first_response_due_at = case when x.clocks ? 'first_response_due_at'
           then (x.clocks->>'first_response_due_at')::timestamptz else c.first_response_due_at end,
         next_response_due_at = case when x.clocks ? 'next_response_due_at'
           then (x.clocks->>'next_response_due_at')::timestamptz else c.next_response_due_at end,
         resolution_due_at = case when x.clocks ? 'resolution_due_at'
           then (x.clocks->>'resolution_due_at')::timestamptz else c.resolution_due_at end,
         sla_paused_at = case when x.clocks ? 'sla_paused_at' then (x.clocks->>'sla_paused_at')::timestamptz else c.sla_paused_at end,
         search = coalesce(c.search, ''::tsvector) || passeur_search_vector(x.search_text),
         -- A calmer follow-up does not lower the urgency of an open case; a reopened case starts afresh.
         urgency = case when x.reopened > 0 then x.urgency
           else (array['low', 'normal', 'high', 'critical'])[greatest(
             array_position(array['low', 'normal', 'high', 'critical'], c.urgency),
             array_position(array['low', 'normal', 'high', 'critical'], x.urgency))] end
       from jsonb_to_recordset($1::jsonb) as x(id bigint, added int, status text, reopened int, last_inbound_at timestamptz,
         sentiment text, intent text, topics text[], urgency text, clocks jsonb, search_text text)
       where c.id = x.id
     ), events as (
       insert into case_events (org_id, case_id, kind, data)
       select $2, x.case_id, x.kind, x.data from jsonb_to_recordset($3::jsonb) as x(case_id bigint, kind text, data jsonb)
     )
     select count(pg_notify($4, p)) from unnest($5::text[]) as p`,
    [JSON.stringify(caseUpdates), orgId, JSON.stringify(caseEvents), notify.channel, notify.payloads],
  );
}

export async function insertDeadLetter(
  db: Queryable,
  row: { orgId: number | null; source: string; reason: string; payload: string },
) {
  await db.query('insert into dead_letters (org_id, source, reason, payload) values ($1, $2, $3, $4)', [
    row.orgId,
    row.source,
    truncateText(row.reason, 4000),
    row.payload,
  ]);
}

export type Tx = pg.PoolClient;
