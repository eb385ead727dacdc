import type { Queryable } from '../../server/db/database.ts';
import { afterCursor, type InboxOrder, type InboxSort, orderBy, sortColumns } from './inbox-order.ts';
import { searchHits } from './search.ts';

export const CASE_STATUSES = ['new', 'open', 'waiting_customer', 'waiting_internal', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const ACTIVE_STATUSES: CaseStatus[] = ['new', 'open', 'waiting_customer', 'waiting_internal'];

export interface CaseRow {
  id: number;
  org_id: number;
  community_id: number;
  contact_id: number;
  status: CaseStatus;
  priority: string;
  team_id: number | null;
  assignee_id: number | null;
  tags: string[];
  channel: string;
  account_id: number | null;
  language: string | null;
  subject: string;
  sentiment: string | null;
  intent: string | null;
  topics: string[];
  urgency: string;
  routing: Record<string, unknown>;
  message_count: number;
  reopened_count: number;
  created_at: Date;
  updated_at: Date;
  last_inbound_at: Date | null;
  last_outbound_at: Date | null;
  first_response_due_at: Date | null;
  first_responded_at: Date | null;
  next_response_due_at: Date | null;
  resolution_due_at: Date | null;
  /** Set while the resolution clock is paused (waiting for the customer). */
  sla_paused_at: Date | null;
  sla_policy_id: number | null;
  escalation_level: number;
  assigned_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  /** Set when this case was merged into another one (it is closed then). */
  merged_into: number | null;
  assignee_name: string | null;
  contact_name: string;
  contact_handle: string | null;
}

const CASE_COLUMNS = `c.*, p.name as assignee_name, ct.display_name as contact_name,
    (select ci.handle from contact_identities ci where ci.contact_id = c.contact_id order by ci.id limit 1) as contact_handle`;
const CASE_FROM = `from cases c
  join contacts ct on ct.id = c.contact_id
  left join people p on p.id = c.assignee_id`;
const CASE_SELECT = `select ${CASE_COLUMNS} ${CASE_FROM}`;

export async function getCase(db: Queryable, orgId: number, id: number): Promise<CaseRow | undefined> {
  const r = await db.query<CaseRow>(`${CASE_SELECT} where c.org_id = $1 and c.id = $2`, [orgId, id]);
  return r.rows[0];
}

export type InboxView = 'mine' | 'team' | 'unassigned' | 'all' | 'sla_risk';

export interface InboxQuery {
  orgId: number;
  personId: number | null;
  teamIds: number[];
  /** Communities the caller may read; `all` for tokens with read scope. */
  communities: number[] | 'all';
  view: InboxView;
  community?: number | undefined;
  channel?: string | undefined;
  statuses: CaseStatus[];
  /** Full-text search over the case's messages and its customer's name and handles. */
  q?: string | undefined;
  /** Defaults: relevance with `q`, the next deadline in the `sla_risk` view, else the latest update. */
  sort?: InboxSort | undefined;
  /** Keyset cursor: the sort key of the last row of the previous page (see inbox-order.ts). */
  after?: (Date | number)[] | undefined;
  limit: number;
}

/** Minutes before a first-response deadline at which a case counts as "at risk". */
export const SLA_RISK_MINUTES = 30;

function inboxWhere(q: InboxQuery, params: unknown[]): string[] {
  const where = ['c.org_id = $1'];
  params.push(q.orgId);
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replaceAll('?', `$${params.length}`));
  };
  if (q.communities !== 'all') add('c.community_id = any(?::int[])', q.communities);
  if (q.community !== undefined) add('c.community_id = ?', q.community);
  if (q.channel) add('c.channel = ?', q.channel);
  add('c.status = any(?::text[])', q.statuses);
  switch (q.view) {
    case 'mine':
      add('c.assignee_id = ?', q.personId ?? -1);
      break;
    case 'team':
      add('c.team_id = any(?::int[])', q.teamIds);
      break;
    case 'unassigned':
      where.push('c.assignee_id is null');
      break;
    case 'sla_risk':
      where.push('c.first_responded_at is null');
      add(`c.first_response_due_at < now() + make_interval(mins => ?)`, SLA_RISK_MINUTES);
      break;
    case 'all':
      break;
  }
  return where;
}

/** The order a query is listed in. */
export function inboxOrder(q: Pick<InboxQuery, 'q' | 'sort' | 'view'>): InboxOrder {
  if (q.sort) return q.sort;
  if (q.q !== undefined) return 'relevance';
  return q.view === 'sla_risk' ? 'sla' : 'updated';
}

export type ListedCase = CaseRow & { [key: `sort_k${number}`]: unknown; search_rank?: number };

export async function listCases(db: Queryable, q: InboxQuery): Promise<ListedCase[]> {
  const params: unknown[] = [];
  const where = inboxWhere(q, params);
  const order = inboxOrder(q);
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  let from = CASE_FROM;
  let columns = CASE_COLUMNS;
  if (q.q !== undefined) {
    from = `from (${searchHits(q.orgId, q.q, where.join(' and '), param)}) r
      join cases c on c.id = r.case_id
      join contacts ct on ct.id = c.contact_id
      left join people p on p.id = c.assignee_id`;
    columns = `${CASE_COLUMNS}, r.rank as search_rank`;
  }
  const conditions = q.q !== undefined ? [] : where;
  if (q.after) conditions.push(afterCursor(order, q.after, param));
  const limit = param(q.limit);
  const r = await db.query<ListedCase>(
    `select ${columns}, ${sortColumns(order)} ${from}
     ${conditions.length > 0 ? `where ${conditions.join(' and ')}` : ''}
     order by ${orderBy(order)} limit ${limit}`,
    params,
  );
  return r.rows;
}

/**
 * The view counts stop at this number: the inbox shows "999+" beyond it. Counting further would read every
 * active case of a busy organization on each refresh, for a figure nobody acts on (reports give the backlog).
 */
export const COUNT_CAP = 1000;

export async function countCases(db: Queryable, q: Omit<InboxQuery, 'view' | 'limit' | 'after' | 'q' | 'sort'>) {
  const views: InboxView[] = ['mine', 'team', 'unassigned', 'all', 'sla_risk'];
  const counts: Record<string, number> = {};
  await Promise.all(
    views.map(async (view) => {
      const params: unknown[] = [];
      const where = inboxWhere({ ...q, view, limit: 0 }, params);
      const r = await db.query<{ n: number }>(
        `select count(*) as n from (select 1 from cases c where ${where.join(' and ')} limit ${COUNT_CAP}) s`,
        params,
      );
      counts[view] = r.rows[0]!.n;
    }),
  );
  return counts;
}

export interface MessageRow {
  id: number;
  channel: string;
  external_id: string | null;
  conversation_id: number | null;
  direction: 'in' | 'out' | 'note';
  kind: string;
  author_handle: string;
  author_name: string | null;
  person_id: number | null;
  person_name: string | null;
  text: string;
  in_reply_to: string | null;
  created_at: Date;
  received_at: Date;
  lang: string | null;
  sentiment: string | null;
  sentiment_score: number | null;
  intent: string | null;
  topics: string[] | null;
  urgency: string | null;
  sensitive: string[] | null;
  triage: Record<string, unknown> | null;
  meta: Record<string, unknown> | null;
  account_id: number | null;
  outbox_status: string | null;
  outbox_error: string | null;
  outbox_not_before: Date | null;
  sent_at: Date | null;
}

export const MESSAGES_PAGE = 1000;

export async function caseMessages(db: Queryable, caseId: number, afterId = 0): Promise<MessageRow[]> {
  const r = await db.query<MessageRow>(
    `select m.id, m.channel, m.external_id, m.conversation_id, m.direction, m.kind, m.author_handle, m.author_name,
       m.person_id, pp.name as person_name, m.text, m.in_reply_to, m.created_at, m.received_at, m.lang, m.sentiment,
       m.sentiment_score, m.intent, m.topics, m.urgency, m.sensitive, m.triage, m.meta, m.account_id,
       o.status as outbox_status, o.last_error as outbox_error, o.not_before as outbox_not_before, o.sent_at
     from messages m
     left join people pp on pp.id = m.person_id
     left join outbox o on o.message_id = m.id
     where m.case_id = $1 and m.id > $2
     order by m.id
     limit $3`,
    [caseId, afterId, MESSAGES_PAGE + 1],
  );
  return r.rows;
}

export async function caseEvents(db: Queryable, caseId: number) {
  const r = await db.query<{
    id: number;
    at: Date;
    kind: string;
    data: Record<string, unknown>;
    actor_person_id: number | null;
    actor_name: string | null;
  }>(
    `select e.id, e.at, e.kind, e.data, e.actor_person_id, p.name as actor_name
     from case_events e left join people p on p.id = e.actor_person_id
     where e.case_id = $1 order by e.at, e.id limit 500`,
    [caseId],
  );
  return r.rows;
}
