import type pg from 'pg';
import { z } from 'zod';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { publish, type RealtimeEvent } from '../../server/realtime/events.ts';
import { canDecideFeedback, canReadCommunity, canWorkCase, readableCommunities } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { lockCases, refuseMerged, workableCase } from '../cases/merge.ts';
import { notify } from '../notifications/service.ts';
import { invalidField } from '../validation.ts';
import { MIN_CASE_SCORE, MIN_ITEM_SCORE, similarity, termsOf } from './similar.ts';

/**
 * The ideas and incidents loop: from a case, a customer's suggestion is forwarded to the innovation backlog
 * (an idea) and a problem to quality (an incident), as a new item or onto a similar existing one. The owner team
 * changes the item's status with a note for customers; the change flows back to every linked case (timeline
 * event, notification to the assignee of the open ones, live update), like the status of a back-office link.
 */

export const IDEA_STATUSES = ['new', 'under_review', 'planned', 'accepted', 'declined', 'done'] as const;
export const INCIDENT_STATUSES = ['open', 'investigating', 'fixed', 'closed'] as const;
export type Kind = 'idea' | 'incident';

interface KindDef {
  table: string;
  links: string;
  fk: string;
  /** The team that owns new items (by slug), when the organization has it. */
  team: string;
  statuses: readonly string[];
  /** Statuses still offered as "similar" to a new case. */
  live: readonly string[];
  /** The column stamped the first time the item reaches one of `milestone`. */
  milestoneColumn: string;
  milestone: readonly string[];
}

export const KINDS: Record<Kind, KindDef> = {
  idea: {
    table: 'ideas',
    links: 'idea_cases',
    fk: 'idea_id',
    team: 'innovation',
    statuses: IDEA_STATUSES,
    live: ['new', 'under_review', 'planned', 'accepted'],
    milestoneColumn: 'accepted_at',
    milestone: ['planned', 'accepted', 'done'],
  },
  incident: {
    table: 'incidents',
    links: 'incident_cases',
    fk: 'incident_id',
    team: 'quality',
    statuses: INCIDENT_STATUSES,
    live: ['open', 'investigating', 'fixed'],
    milestoneColumn: 'fixed_at',
    milestone: ['fixed'],
  },
};

/** Case statuses a status change notifies the assignee of. */
const OPEN_CASE = ['new', 'open', 'waiting_customer', 'waiting_internal'];

const title = z.string().trim().min(3, 'at least 3 characters').max(200);
const description = z.string().trim().max(4000);
const topic = z
  .string()
  .trim()
  .regex(/^[a-z0-9_-]{1,64}$/, 'a topic: lower-case letters, digits, "_" or "-"');

/** Forward a case: onto an existing item (`id`), or as a new one (`title`, optional description and topic). */
export const forwardSchema = z.union([
  z.strictObject({ id: z.number().int().positive() }),
  z.strictObject({ title, description: description.optional(), topic: topic.optional() }),
]);
export type ForwardInput = z.infer<typeof forwardSchema>;

export const ideaStatusSchema = z.strictObject({
  status: z.enum(IDEA_STATUSES),
  note: z.string().trim().max(500).optional(),
});
export const incidentStatusSchema = z.strictObject({
  status: z.enum(INCIDENT_STATUSES),
  note: z.string().trim().max(500).optional(),
});
export type StatusInput = { status: string; note?: string | undefined };

export const bulkLinkSchema = z.strictObject({
  case_ids: z.array(z.number().int().positive()).min(1).max(500),
});

export const backlogQuerySchema = z.object({
  status: z.string().max(200).optional(),
  sort: z.enum(['count', 'recent']).default('count'),
});

export interface ItemRow {
  id: number;
  org_id: number;
  community_id: number | null;
  title: string;
  description: string;
  topic: string | null;
  status: string;
  status_note: string;
  owner_team_id: number | null;
  terms: string[];
  created_by: number | null;
  created_at: Date;
  status_at: Date | null;
  status_by: number | null;
  /** Distinct customers of the linked cases (the votes of an idea). */
  customers: number;
  /** Linked cases, over the whole organization. */
  cases: number;
}

const itemSelect = (k: Kind, where: string) => {
  const d = KINDS[k];
  return `select i.id, i.org_id, ${k === 'idea' ? 'i.community_id' : 'null::int as community_id'}, i.title,
      i.description, i.topic, i.status, i.status_note, i.owner_team_id, i.terms, i.created_by, i.created_at,
      i.status_at, i.status_by,
      (select count(distinct c.contact_id)::int from ${d.links} l join cases c on c.id = l.case_id
        where l.${d.fk} = i.id) as customers,
      (select count(*)::int from ${d.links} l where l.${d.fk} = i.id) as cases
    from ${d.table} i where ${where}`;
};

export function presentItem(k: Kind, i: ItemRow) {
  return {
    kind: k,
    id: i.id,
    title: i.title,
    description: i.description,
    topic: i.topic,
    community_id: i.community_id,
    status: i.status,
    status_note: i.status_note,
    owner_team_id: i.owner_team_id,
    ...(k === 'idea' ? { votes: i.customers } : {}),
    customers: i.customers,
    cases: i.cases,
    created_at: i.created_at.toISOString(),
    status_at: i.status_at?.toISOString() ?? null,
  };
}
export type PresentedItem = ReturnType<typeof presentItem>;

async function loadItem(db: Queryable, k: Kind, orgId: number, id: number, lock = false): Promise<ItemRow> {
  if (lock) {
    const l = await db.query(`select id from ${KINDS[k].table} where org_id = $1 and id = $2 for update`, [orgId, id]);
    if (l.rowCount === 0) throw notFound(k);
  }
  const r = await db.query<ItemRow>(itemSelect(k, 'i.org_id = $1 and i.id = $2'), [orgId, id]);
  const row = r.rows[0];
  if (!row) throw notFound(k);
  return row;
}

/** The customer text of a case that similarity reads: its subject and first customer messages. */
async function caseText(db: Queryable, caseId: number): Promise<string> {
  const r = await db.query<{ text: string | null }>(
    `select c.subject || ' ' || coalesce((select string_agg(m.text, ' ') from (
       select text from messages where case_id = c.id and direction = 'in' order by id limit 3) m), '') as text
     from cases c where c.id = $1`,
    [caseId],
  );
  return r.rows[0]?.text ?? '';
}

async function ownerTeam(db: Queryable, orgId: number, k: Kind): Promise<number | null> {
  const r = await db.query<{ id: number }>('select id from teams where org_id = $1 and slug = $2', [
    orgId,
    KINDS[k].team,
  ]);
  return r.rows[0]?.id ?? null;
}

interface LinkedCase {
  id: number;
  community_id: number;
}

/** Links cases to an item (inside the caller's transaction): the link, a timeline event, a live update. */
async function linkCases(
  tx: Queryable,
  person: PersonPrincipal,
  k: Kind,
  item: { id: number; title: string },
  cases: LinkedCase[],
): Promise<number[]> {
  if (cases.length === 0) return [];
  const d = KINDS[k];
  const r = await tx.query<{ case_id: number }>(
    `insert into ${d.links} (${d.fk}, case_id, org_id, linked_by)
     select $1, unnest($2::bigint[]), $3, $4 on conflict do nothing returning case_id`,
    [item.id, cases.map((c) => c.id), person.orgId, person.id],
  );
  const linked = r.rows.map((row) => Number(row.case_id));
  if (linked.length === 0) return [];
  await tx.query(
    `insert into case_events (org_id, case_id, actor_person_id, kind, data)
     select $1, unnest($2::bigint[]), $3, $4, $5`,
    [person.orgId, linked, person.id, `${k}_linked`, { [d.fk]: item.id, title: item.title }],
  );
  const byId = new Map(cases.map((c) => [c.id, c]));
  await publish(
    tx,
    linked.map((id) => ({
      type: 'case.updated' as const,
      org_id: person.orgId,
      case_id: id,
      community_id: byId.get(id)!.community_id,
    })),
  );
  return linked;
}

/**
 * Forwards a case to an idea or incident: a new one (owned by the Innovation or Quality team, its terms from the
 * title, description and the case's text) or an existing one; linking a case twice is a no-op.
 */
export async function forwardCase(
  pool: pg.Pool,
  person: PersonPrincipal,
  k: Kind,
  caseId: number,
  input: ForwardInput,
): Promise<{ item: ItemRow; created: boolean; linked: boolean }> {
  return transaction(pool, async (tx) => {
    const c = workableCase(person, (await lockCases(tx, person.orgId, [caseId])).get(caseId));
    refuseMerged(c);
    let itemId: number;
    let created = false;
    if ('id' in input) {
      itemId = (await loadItem(tx, k, person.orgId, input.id, true)).id;
    } else {
      const text = await caseText(tx, c.id);
      const itemTopic = input.topic ?? (c.topics as string[])[0] ?? null;
      const terms = termsOf(input.title, input.description, text);
      const team = await ownerTeam(tx, person.orgId, k);
      const r =
        k === 'idea'
          ? await tx.query<{ id: number }>(
              `insert into ideas (org_id, community_id, title, description, topic, owner_team_id, terms, created_by)
               values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
              [person.orgId, c.community_id, input.title, input.description ?? '', itemTopic, team, terms, person.id],
            )
          : await tx.query<{ id: number }>(
              `insert into incidents (org_id, title, description, topic, owner_team_id, terms, created_by)
               values ($1, $2, $3, $4, $5, $6, $7) returning id`,
              [person.orgId, input.title, input.description ?? '', itemTopic, team, terms, person.id],
            );
      itemId = Number(r.rows[0]!.id);
      created = true;
      await audit(tx, {
        orgId: person.orgId,
        action: `${k}.created`,
        actorPersonId: person.id,
        subjectType: k,
        subjectId: itemId,
        data: { case_id: c.id, topic: itemTopic },
      });
    }
    const current = await loadItem(tx, k, person.orgId, itemId);
    const linked = await linkCases(tx, person, k, current, [{ id: c.id, community_id: c.community_id }]);
    if (linked.length > 0) {
      await audit(tx, {
        orgId: person.orgId,
        action: `${k}.cases_linked`,
        actorPersonId: person.id,
        subjectType: k,
        subjectId: itemId,
        data: { case_ids: linked },
      });
    }
    return { item: await loadItem(tx, k, person.orgId, itemId), created, linked: linked.length > 0 };
  });
}

export type LinkOutcome = 'linked' | 'already_linked' | 'not_found' | 'forbidden' | 'merged';

/** Links several cases to an item at once (the similar cases of an incident); an outcome per case. */
export async function bulkLink(
  pool: pg.Pool,
  person: PersonPrincipal,
  k: Kind,
  itemId: number,
  caseIds: number[],
): Promise<{ item: ItemRow; results: { case_id: number; outcome: LinkOutcome }[] }> {
  return transaction(pool, async (tx) => {
    const item = await loadItem(tx, k, person.orgId, itemId, true);
    const ids = [...new Set(caseIds)];
    const found = await lockCases(tx, person.orgId, ids);
    const outcomes = new Map<number, LinkOutcome>();
    const workable: LinkedCase[] = [];
    for (const id of ids) {
      const c = found.get(id);
      if (!c || !canReadCommunity(person, c.community_id)) outcomes.set(id, 'not_found');
      else if (!canWorkCase(person, c.community_id)) outcomes.set(id, 'forbidden');
      else if (c.merged_into !== null) outcomes.set(id, 'merged');
      else workable.push({ id: c.id, community_id: c.community_id });
    }
    const linked = new Set(await linkCases(tx, person, k, item, workable));
    for (const c of workable) outcomes.set(c.id, linked.has(c.id) ? 'linked' : 'already_linked');
    if (linked.size > 0) {
      await audit(tx, {
        orgId: person.orgId,
        action: `${k}.cases_linked`,
        actorPersonId: person.id,
        subjectType: k,
        subjectId: item.id,
        data: { case_ids: [...linked] },
      });
    }
    return {
      item: await loadItem(tx, k, person.orgId, item.id),
      results: ids.map((id) => ({ case_id: id, outcome: outcomes.get(id)! })),
    };
  });
}

/**
 * Changes an item's status and customer-facing note (its owner team's members, and leaders). Every linked case
 * gets a timeline event; the assignees of the linked open cases are notified; each case is updated live.
 */
export async function setStatus(
  pool: pg.Pool,
  person: PersonPrincipal,
  k: Kind,
  itemId: number,
  input: StatusInput,
): Promise<{ item: ItemRow; cases_told: number; notified: number }> {
  const d = KINDS[k];
  return transaction(pool, async (tx) => {
    const before = await loadItem(tx, k, person.orgId, itemId, true);
    if (!canDecideFeedback(person, before.owner_team_id)) {
      throw forbidden(`changing the status of this ${k} (its owner team and leaders may)`);
    }
    const note = input.note ?? before.status_note;
    if (input.status === before.status && note === before.status_note)
      return { item: before, cases_told: 0, notified: 0 };
    await tx.query(
      `update ${d.table} set status = $2, status_note = $3, status_at = now(), status_by = $4,
         ${d.milestoneColumn} = case when $2 = any($5::text[]) then coalesce(${d.milestoneColumn}, now())
           else ${d.milestoneColumn} end
       where id = $1`,
      [itemId, input.status, note, person.id, d.milestone],
    );
    const cases = await tx.query<{ id: number; community_id: number; status: string; assignee_id: number | null }>(
      `select c.id, c.community_id, c.status, c.assignee_id from ${d.links} l join cases c on c.id = l.case_id
       where l.${d.fk} = $1 and c.merged_into is null order by c.id`,
      [itemId],
    );
    const data = {
      [d.fk]: itemId,
      title: before.title,
      status: input.status,
      previous: before.status,
      note,
    };
    const ids = cases.rows.map((c) => Number(c.id));
    if (ids.length > 0) {
      await tx.query(
        `insert into case_events (org_id, case_id, actor_person_id, kind, data)
         select $1, unnest($2::bigint[]), $3, $4, $5`,
        [person.orgId, ids, person.id, `${k}_status`, data],
      );
    }
    let notified = 0;
    for (const c of cases.rows) {
      if (!OPEN_CASE.includes(c.status) || c.assignee_id === null || c.assignee_id === person.id) continue;
      const sent = await notify(tx, {
        orgId: person.orgId,
        personIds: [c.assignee_id],
        kind: 'feedback_status',
        caseId: Number(c.id),
        data: { item_kind: k, item_id: itemId, status: input.status, by: person.id, by_name: person.name },
      });
      notified += sent.length;
    }
    await publish(
      tx,
      cases.rows.map(
        (c): RealtimeEvent => ({
          type: 'case.updated',
          org_id: person.orgId,
          case_id: Number(c.id),
          community_id: c.community_id,
        }),
      ),
    );
    await audit(tx, {
      orgId: person.orgId,
      action: `${k}.status_changed`,
      actorPersonId: person.id,
      subjectType: k,
      subjectId: itemId,
      data: { status: input.status, previous: before.status, note, cases: ids.length },
    });
    return { item: await loadItem(tx, k, person.orgId, itemId), cases_told: ids.length, notified };
  });
}

/** The backlog of one kind: counts over the whole organization, by linked customers or recency. */
export async function listBacklog(
  db: Queryable,
  person: PersonPrincipal,
  k: Kind,
  q: { status?: string[] | undefined; sort: 'count' | 'recent' },
): Promise<ItemRow[]> {
  const params: unknown[] = [person.orgId];
  let where = 'i.org_id = $1';
  if (q.status && q.status.length > 0) {
    params.push(q.status);
    where += ` and i.status = any($${params.length}::text[])`;
  }
  const order = q.sort === 'recent' ? 'created_at desc, id desc' : 'customers desc, cases desc, created_at desc';
  const r = await db.query<ItemRow>(`select * from (${itemSelect(k, where)}) x order by ${order} limit 500`, params);
  return r.rows;
}

export interface CaseRef {
  id: number;
  subject: string;
  status: string;
  community_id: number;
  contact_id: number;
  created_at: Date;
  linked_at?: Date;
}

/** An item with the linked cases the reader may read, and how many others they may not. */
export async function itemDetail(
  db: Queryable,
  person: PersonPrincipal,
  k: Kind,
  itemId: number,
): Promise<{ item: ItemRow; cases: CaseRef[]; hidden: number }> {
  const d = KINDS[k];
  const item = await loadItem(db, k, person.orgId, itemId);
  const r = await db.query<CaseRef>(
    `select c.id, c.subject, c.status, c.community_id, c.contact_id, c.created_at, l.linked_at
     from ${d.links} l join cases c on c.id = l.case_id where l.${d.fk} = $1 order by l.linked_at desc, c.id desc`,
    [itemId],
  );
  const readable = r.rows.filter((c) => canReadCommunity(person, c.community_id));
  return { item, cases: readable.slice(0, 500), hidden: r.rows.length - readable.length };
}

/** The ideas and incidents a case is linked to, with their current status and note. */
export async function caseFeedback(
  db: Queryable,
  person: PersonPrincipal,
  caseId: number,
): Promise<{ ideas: ItemRow[]; incidents: ItemRow[] }> {
  const c = await db.query<{ community_id: number }>('select community_id from cases where org_id = $1 and id = $2', [
    person.orgId,
    caseId,
  ]);
  const row = c.rows[0];
  if (!row || !canReadCommunity(person, row.community_id)) throw notFound('case');
  const [ideas, incidents] = await Promise.all(
    (['idea', 'incident'] as const).map(async (k) => {
      const d = KINDS[k];
      const r = await db.query<ItemRow>(
        `${itemSelect(k, `i.org_id = $1 and i.id in (select ${d.fk} from ${d.links} where case_id = $2)`)} order by i.id`,
        [person.orgId, caseId],
      );
      return r.rows;
    }),
  );
  return { ideas: ideas!, incidents: incidents! };
}

/**
 * Similar ideas or incidents for a case, best first (at most five): live items of the organization sharing terms
 * (the GIN index on `terms` finds them) or the case's topic, scored by term overlap and topic.
 */
export async function similarItems(
  db: Queryable,
  person: PersonPrincipal,
  k: Kind,
  caseId: number,
): Promise<{ item: ItemRow; score: number; shared: string[]; linked: boolean }[]> {
  const d = KINDS[k];
  const c = await db.query<{ community_id: number; topics: string[] }>(
    'select community_id, topics from cases where org_id = $1 and id = $2',
    [person.orgId, caseId],
  );
  const row = c.rows[0];
  if (!row || !canReadCommunity(person, row.community_id)) throw notFound('case');
  const terms = termsOf(await caseText(db, caseId));
  const r = await db.query<ItemRow>(
    `${itemSelect(k, `i.org_id = $1 and i.status = any($2::text[]) and (i.terms && $3::text[] or i.topic = any($4::text[]))`)}
     order by i.created_at desc limit 500`,
    [person.orgId, d.live, terms, row.topics],
  );
  const linked = await db.query<{ id: number }>(`select ${d.fk} as id from ${d.links} where case_id = $1`, [caseId]);
  const linkedIds = new Set(linked.rows.map((l) => Number(l.id)));
  const caseTerms = new Set(terms);
  return r.rows
    .map((item) => {
      const s = similarity(caseTerms, item.terms, item.topic !== null && row.topics.includes(item.topic));
      return { item, ...s, linked: linkedIds.has(Number(item.id)) };
    })
    .filter((s) => s.score >= MIN_ITEM_SCORE)
    .sort((a, b) => b.score - a.score || b.item.customers - a.item.customers)
    .slice(0, 5);
}

/** Suggested cases are read from this many days back. */
export const SIMILAR_CASE_DAYS = 30;

/**
 * Cases to attach to an item ("merge the similar ones"): cases of the last `days` days the reader may work,
 * not merged and not yet linked, with the item's topic or sharing its terms, scored by term overlap; best first.
 */
export async function similarCases(
  db: Queryable,
  person: PersonPrincipal,
  k: Kind,
  itemId: number,
  days = SIMILAR_CASE_DAYS,
): Promise<{ c: CaseRef; score: number; shared: string[] }[]> {
  const d = KINDS[k];
  const item = await loadItem(db, k, person.orgId, itemId);
  const readable = readableCommunities(person);
  const communities = readable === 'all' ? null : [...readable].filter((id) => canWorkCase(person, id));
  if (communities !== null && communities.length === 0) return [];
  const r = await db.query<CaseRef & { topics: string[]; text: string }>(
    `select c.id, c.subject, c.status, c.community_id, c.contact_id, c.created_at, c.topics,
       c.subject || ' ' || coalesce((select string_agg(m.text, ' ') from (
         select text from messages where case_id = c.id and direction = 'in' order by id limit 3) m), '') as text
     from cases c
     where c.org_id = $1 and c.merged_into is null and c.created_at >= now() - make_interval(days => $2)
       and ($3::int[] is null or c.community_id = any($3::int[]))
       and not exists (select 1 from ${d.links} l where l.${d.fk} = $4 and l.case_id = c.id)
     order by c.created_at desc limit 2000`,
    [person.orgId, days, communities, itemId],
  );
  const itemTerms = new Set(item.terms);
  return r.rows
    .map(({ topics, text, ...c }) => ({
      c,
      ...similarity(itemTerms, termsOf(text), item.topic !== null && topics.includes(item.topic)),
    }))
    .filter((s) => s.score >= MIN_CASE_SCORE)
    .sort((a, b) => b.score - a.score || b.c.created_at.getTime() - a.c.created_at.getTime())
    .slice(0, 200);
}

export function presentCaseRef(c: CaseRef) {
  return {
    id: Number(c.id),
    subject: c.subject,
    status: c.status,
    community_id: c.community_id,
    created_at: c.created_at.toISOString(),
    ...(c.linked_at ? { linked_at: c.linked_at.toISOString() } : {}),
  };
}

/** Parses `status=a,b` of a backlog query against the kind's statuses. */
export function parseStatuses(k: Kind, raw: string | undefined): string[] | undefined {
  if (!raw) return undefined;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.find((s) => !KINDS[k].statuses.includes(s));
  if (bad) throw invalidField('status', `unknown ${k} status "${bad}"`);
  return list;
}
