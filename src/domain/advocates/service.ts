import type pg from 'pg';
import { z } from 'zod';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { canExcludeAdvocate, canReadAdvocates, canThankAdvocate } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { type GovernanceDeps, type SubmittedReply, submitReply } from '../governance/service.ts';
import type { Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';
import {
  DEFAULT_DAYS,
  DEFAULT_MIN_MESSAGES,
  FAMILY,
  finalContact,
  type RankedContact,
  rankCommunities,
  WEIGHTS,
} from './ranking.ts';

/**
 * Advocates: customers who speak well of the brand or help other customers, ranked per community
 * (`ranking.ts`); people thank them (optionally with a reply through governance and the outbox), highlight them,
 * and leaders leave some out of the ranking. Every action is recorded, audited and shown in the contact's history.
 */

export const rankingQuerySchema = z.object({
  community_id: z.coerce.number().int().positive().optional(),
  days: z.coerce.number().int().min(1).max(365).default(DEFAULT_DAYS),
  min_messages: z.coerce.number().int().min(1).max(100).default(DEFAULT_MIN_MESSAGES),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RankingQuery = z.infer<typeof rankingQuerySchema>;

export const ACTION_KINDS = ['thanked', 'highlighted', 'unhighlighted', 'excluded', 'included'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number] | 'asked_to_share';

export const actionSchema = z.strictObject({
  community_id: z.number().int().positive(),
  contact_id: z.number().int().positive(),
  kind: z.enum(ACTION_KINDS),
  note: z.string().trim().max(500).optional(),
  /** Thanked: a reply to the contact's latest positive message, through governance and the outbox. */
  reply_text: z.string().trim().min(1).max(5000).optional(),
  acknowledge_warnings: z.boolean().optional(),
});
export type ActionInput = z.infer<typeof actionSchema>;

export interface PersonStamp {
  at: string;
  by: string | null;
}

export interface ActionRow {
  id: number;
  community_id: number;
  contact_id: number;
  kind: ActionKind;
  note: string;
  person: string | null;
  crisis_id: number | null;
  case_id: number | null;
  message_id: number | null;
  approval_id: number | null;
  outcome: string;
  created_at: Date;
}

export function presentAction(a: ActionRow) {
  return {
    id: Number(a.id),
    community_id: a.community_id,
    contact_id: Number(a.contact_id),
    kind: a.kind,
    note: a.note,
    by: a.person,
    crisis_id: a.crisis_id,
    case_id: a.case_id === null ? null : Number(a.case_id),
    message_id: a.message_id === null ? null : Number(a.message_id),
    approval_id: a.approval_id === null ? null : Number(a.approval_id),
    outcome: a.outcome,
    at: a.created_at.toISOString(),
  };
}
export type PresentedAction = ReturnType<typeof presentAction>;

const ACTION_SELECT = `select a.id, a.community_id, a.contact_id, a.kind, a.note, p.name as person, a.crisis_id,
    a.case_id, a.message_id, a.approval_id, a.outcome, a.created_at
  from advocate_actions a left join people p on p.id = a.person_id`;

interface Details {
  name: Map<number, string>;
  handles: Map<number, { channel: string; handle: string }[]>;
  highlighted: Map<number, PersonStamp>;
  lastAction: Map<number, PresentedAction>;
  lastThanked: Map<number, PresentedAction>;
}

/** Names, handles, highlight and last actions of ranked contacts (each with the contacts merged into it). */
async function details(db: Queryable, communityId: number, ids: number[]): Promise<Details> {
  const [names, handles, status, actions] = await Promise.all([
    db.query<{ id: number; display_name: string }>('select id, display_name from contacts where id = any($1)', [ids]),
    db.query<{ root: number; channel: string; handle: string }>(
      `with recursive ${FAMILY}
       select f.root, i.channel, i.handle from family f join contact_identities i on i.contact_id = f.id
       order by f.root, i.id`,
      [ids],
    ),
    db.query<{ root: number; highlighted_at: Date; by: string | null }>(
      `with recursive ${FAMILY}
       select distinct on (f.root) f.root, s.highlighted_at, p.name as by
       from family f join advocate_status s on s.contact_id = f.id and s.community_id = $2
       left join people p on p.id = s.highlighted_by
       where s.highlighted_at is not null order by f.root, s.highlighted_at desc`,
      [ids, communityId],
    ),
    db.query<ActionRow & { root: number; rn_any: number; rn_thanked: number }>(
      `with recursive ${FAMILY},
       x as (
         select f.root, a.id,
           row_number() over (partition by f.root order by a.id desc) as rn_any,
           row_number() over (partition by f.root, a.kind = 'thanked' order by a.id desc) as rn_thanked
         from family f join advocate_actions a on a.contact_id = f.id and a.community_id = $2
       )
       select x.root, x.rn_any, x.rn_thanked, y.* from x join (${ACTION_SELECT}) y on y.id = x.id
       where x.rn_any = 1 or (x.rn_thanked = 1 and y.kind = 'thanked')`,
      [ids, communityId],
    ),
  ]);
  const d: Details = {
    name: new Map(names.rows.map((r) => [Number(r.id), r.display_name])),
    handles: new Map(),
    highlighted: new Map(
      status.rows.map((r) => [Number(r.root), { at: r.highlighted_at.toISOString(), by: r.by }] as const),
    ),
    lastAction: new Map(),
    lastThanked: new Map(),
  };
  for (const h of handles.rows) {
    const root = Number(h.root);
    d.handles.set(root, [...(d.handles.get(root) ?? []), { channel: h.channel, handle: h.handle }]);
  }
  for (const a of actions.rows) {
    const root = Number(a.root);
    if (Number(a.rn_any) === 1) d.lastAction.set(root, presentAction(a));
    if (a.kind === 'thanked' && Number(a.rn_thanked) === 1) d.lastThanked.set(root, presentAction(a));
  }
  return d;
}

function presentAdvocate(r: RankedContact, rank: number, d: Details) {
  return {
    rank,
    contact_id: r.contact_id,
    name: d.name.get(r.contact_id) ?? '',
    handles: d.handles.get(r.contact_id) ?? [],
    signals: {
      messages: r.messages,
      positive: r.positive,
      helping: r.helping,
      negative: r.negative,
      active_days: r.active_days,
    },
    score: r.score,
    last_message_at: r.last_message_at.toISOString(),
    highlighted: d.highlighted.get(r.contact_id) ?? null,
    last_action: d.lastAction.get(r.contact_id) ?? null,
    last_thanked: d.lastThanked.get(r.contact_id) ?? null,
  };
}
export type PresentedAdvocate = ReturnType<typeof presentAdvocate>;

async function excludedOf(db: Queryable, communityId: number) {
  const r = await db.query<{ contact_id: number; name: string; excluded_at: Date; by: string | null; reason: string }>(
    `select s.contact_id, ct.display_name as name, s.excluded_at, p.name as by, s.exclude_reason as reason
     from advocate_status s join contacts ct on ct.id = s.contact_id left join people p on p.id = s.excluded_by
     where s.community_id = $1 and s.excluded_at is not null and ct.merged_into is null
     order by s.excluded_at desc limit 200`,
    [communityId],
  );
  return r.rows.map((x) => ({
    contact_id: Number(x.contact_id),
    name: x.name,
    excluded_at: x.excluded_at.toISOString(),
    by: x.by,
    reason: x.reason,
  }));
}

/** The ranking of each community asked for (one, or every one the reader reads), best first. */
export async function listAdvocates(db: Queryable, directory: Directory, person: PersonPrincipal, q: RankingQuery) {
  let ids: number[];
  if (q.community_id !== undefined) {
    if (!directory.communities.has(q.community_id)) throw notFound('community');
    if (!canReadAdvocates(person, q.community_id)) throw forbidden('reading the advocates of this community');
    ids = [q.community_id];
  } else {
    ids = [...directory.communities.keys()].filter((id) => canReadAdvocates(person, id)).sort((a, b) => a - b);
  }
  const to = new Date();
  const from = new Date(to.getTime() - q.days * 86_400_000);
  const ranked = await rankCommunities(db, person.orgId, ids, {
    from,
    to,
    minMessages: q.min_messages,
    limit: q.limit,
  });
  const communities = await Promise.all(
    ids.map(async (id) => {
      const list = ranked.get(id) ?? [];
      const [d, excluded] = await Promise.all([
        details(
          db,
          id,
          list.map((r) => r.contact_id),
        ),
        excludedOf(db, id),
      ]);
      return {
        id,
        name: directory.communities.get(id)!.name,
        advocates: list.map((r, i) => presentAdvocate(r, i + 1, d)),
        excluded,
      };
    }),
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    days: q.days,
    min_messages: q.min_messages,
    weights: WEIGHTS,
    communities,
  };
}

/** Whether the contact wrote in a case of the community (they may be ranked, and acted on, there). */
async function knownInCommunity(db: Queryable, contactId: number, communityId: number): Promise<boolean> {
  const r = await db.query(
    `select 1 from messages m join cases c on c.id = m.case_id
     where m.contact_id = $1 and m.direction = 'in' and c.community_id = $2 limit 1`,
    [contactId, communityId],
  );
  return (r.rowCount ?? 0) > 0;
}

/**
 * The contact (followed to the one it was merged into) as an advocate of a community the person may act in;
 * 404 when it does not exist or never wrote there.
 */
export async function advocateContact(db: Queryable, person: PersonPrincipal, contactId: number, communityId: number) {
  const id = await finalContact(db, person.orgId, contactId);
  if (id === undefined || !(await knownInCommunity(db, id, communityId))) throw notFound('contact in this community');
  return id;
}

/**
 * Where a message to the advocate can go: their own most recent case in the community (their latest positive
 * message's case first) that has a brand account to answer from. None: the action is a task done by hand.
 */
export async function replyPath(
  db: Queryable,
  directory: Directory,
  contactId: number,
  communityId: number,
): Promise<{ case_id: number; status: string; account: string } | null> {
  const r = await db.query<{ id: number; status: string; channel: string; account_id: number | null }>(
    `select c.id, c.status, c.channel, c.account_id from (
       select m.case_id, bool_or(m.sentiment = 'positive' or m.intent = 'praise') as positive, max(m.id) as last
       from messages m where m.contact_id = $1 and m.direction = 'in' group by m.case_id
     ) x join cases c on c.id = x.case_id
     where c.community_id = $2 and c.contact_id = $1 and c.merged_into is null and c.anonymized_at is null
     order by x.positive desc, x.last desc limit 20`,
    [contactId, communityId],
  );
  for (const c of r.rows) {
    const chosen = directory.accounts.get(c.account_id ?? -1);
    const account = (chosen?.kind === 'account' ? chosen : undefined) ?? directory.accountOf(communityId, c.channel);
    if (account && account.communityId === communityId && !account.paused) {
      return { case_id: Number(c.id), status: c.status, account: account.handle };
    }
  }
  return null;
}

/** Sends a message to an advocate in their case, through governance (guidelines, approvals) and the outbox. */
export async function messageAdvocate(
  deps: GovernanceDeps,
  person: PersonPrincipal,
  path: { case_id: number; status: string },
  text: string,
  acknowledgeWarnings: boolean | undefined,
): Promise<SubmittedReply> {
  // A resolved case stays resolved: thanking a customer opens no new need.
  return submitReply(deps, person, path.case_id, {
    text,
    resolve: path.status === 'resolved' || path.status === 'closed',
    acknowledgeWarnings,
  });
}

export interface RecordInput {
  communityId: number;
  contactId: number;
  kind: ActionKind;
  note?: string | undefined;
  crisisId?: number | undefined;
  caseId?: number | undefined;
  messageId?: number | undefined;
  approvalId?: number | undefined;
  outcome: 'recorded' | 'queued' | 'awaiting_approval' | 'task';
}

/** Records an action (and the state it changes) with its audit record, in the caller's transaction. */
export async function recordAction(tx: Queryable, person: PersonPrincipal, a: RecordInput): Promise<ActionRow> {
  if (a.kind === 'highlighted' || a.kind === 'unhighlighted' || a.kind === 'excluded' || a.kind === 'included') {
    const on = a.kind === 'highlighted' || a.kind === 'excluded';
    const col = a.kind === 'highlighted' || a.kind === 'unhighlighted' ? 'highlighted' : 'excluded';
    const reason = col === 'excluded' ? (on ? (a.note ?? '') : '') : null;
    // The state is kept on the contact and on every contact merged into it, so a merge never revives an old one.
    await tx.query(
      `with recursive ${FAMILY}
       insert into advocate_status (org_id, community_id, contact_id, ${col}_at, ${col}_by, exclude_reason)
       select $3, $2, f.id, case when $4 then now() end, case when $4 then $5::int end, coalesce($6, '')
       from family f
       on conflict (community_id, contact_id) do update set ${col}_at = excluded.${col}_at,
         ${col}_by = excluded.${col}_by, updated_at = now()
         ${reason === null ? '' : ', exclude_reason = excluded.exclude_reason'}`,
      [[a.contactId], a.communityId, person.orgId, on, person.id, reason],
    );
  }
  const r = await tx.query<{ id: number }>(
    `insert into advocate_actions (org_id, community_id, contact_id, kind, note, person_id, crisis_id, case_id,
       message_id, approval_id, outcome)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [
      person.orgId,
      a.communityId,
      a.contactId,
      a.kind,
      a.note ?? '',
      person.id,
      a.crisisId ?? null,
      a.caseId ?? null,
      a.messageId ?? null,
      a.approvalId ?? null,
      a.outcome,
    ],
  );
  const id = Number(r.rows[0]!.id);
  // The note is the person's words, kept with the action; the audit record refers to it by id.
  await audit(tx, {
    orgId: person.orgId,
    action: `advocate.${a.kind}`,
    actorPersonId: person.id,
    subjectType: 'contact',
    subjectId: a.contactId,
    data: {
      community_id: a.communityId,
      action_id: id,
      outcome: a.outcome,
      ...(a.crisisId !== undefined ? { crisis_id: a.crisisId } : {}),
      ...(a.caseId !== undefined ? { case_id: a.caseId } : {}),
      ...(a.messageId !== undefined ? { message_id: a.messageId } : {}),
      ...(a.approvalId !== undefined ? { approval_id: a.approvalId } : {}),
    },
  });
  const row = await tx.query<ActionRow>(`${ACTION_SELECT} where a.id = $1`, [id]);
  return row.rows[0]!;
}

/** The outcome of a message handed to governance: in the outbox, or waiting for approval. */
export function outcomeOf(s: SubmittedReply) {
  return s.approval === null
    ? { outcome: 'queued' as const, messageId: s.message_id }
    : { outcome: 'awaiting_approval' as const, approvalId: s.approval.id };
}

/** Thank, highlight or exclude an advocate (and undo the last two). */
export async function actOnAdvocate(deps: GovernanceDeps, person: PersonPrincipal, input: ActionInput) {
  const { community_id: communityId } = input;
  if (!deps.directory.communities.has(communityId)) throw notFound('community');
  const leaderOnly = input.kind === 'excluded' || input.kind === 'included';
  if (leaderOnly ? !canExcludeAdvocate(person, communityId) : !canThankAdvocate(person, communityId)) {
    throw forbidden(leaderOnly ? 'excluding advocates (leaders only)' : 'acting on the advocates of this community');
  }
  if (input.reply_text !== undefined && input.kind !== 'thanked') {
    throw invalidField('reply_text', 'only a thank-you sends a reply');
  }
  const contactId = await advocateContact(deps.pool, person, input.contact_id, communityId);
  let sent: SubmittedReply | null = null;
  let path: Awaited<ReturnType<typeof replyPath>> = null;
  if (input.reply_text !== undefined) {
    path = await replyPath(deps.pool, deps.directory, contactId, communityId);
    if (path) sent = await messageAdvocate(deps, person, path, input.reply_text, input.acknowledge_warnings);
  }
  const action = await transaction(deps.pool, (tx) =>
    recordAction(tx, person, {
      communityId,
      contactId,
      kind: input.kind,
      note: input.note,
      caseId: path?.case_id,
      ...(sent ? outcomeOf(sent) : { outcome: input.reply_text !== undefined ? 'task' : 'recorded' }),
    }),
  );
  return { action: presentAction(action), reply: sent };
}

/** A contact's advocate state and history in the communities the reader reads; 404 when none of them. */
export async function contactAdvocacy(db: pg.Pool, person: PersonPrincipal, contactId: number) {
  const communities = [...person.communityIds].filter((c) => canReadAdvocates(person, c));
  const seen = await db.query(
    'select 1 from cases where org_id = $1 and contact_id = $2 and community_id = any($3::int[]) limit 1',
    [person.orgId, contactId, communities],
  );
  if (!seen.rowCount) throw notFound('contact');
  const [status, actions] = await Promise.all([
    db.query<{
      community_id: number;
      highlighted_at: Date | null;
      highlighted_by: string | null;
      excluded_at: Date | null;
      excluded_by: string | null;
    }>(
      `with recursive ${FAMILY}
       select distinct on (s.community_id) s.community_id, s.highlighted_at, ph.name as highlighted_by,
         s.excluded_at, pe.name as excluded_by
       from family f join advocate_status s on s.contact_id = f.id
       left join people ph on ph.id = s.highlighted_by left join people pe on pe.id = s.excluded_by
       where s.community_id = any($2::int[]) order by s.community_id, s.updated_at desc`,
      [[contactId], communities],
    ),
    db.query<ActionRow>(
      `with recursive ${FAMILY}
       ${ACTION_SELECT} where a.contact_id in (select id from family) and a.community_id = any($2::int[])
       order by a.id desc limit 100`,
      [[contactId], communities],
    ),
  ]);
  return {
    contact_id: contactId,
    communities: status.rows.map((s) => ({
      community_id: s.community_id,
      highlighted: s.highlighted_at ? { at: s.highlighted_at.toISOString(), by: s.highlighted_by } : null,
      excluded: s.excluded_at ? { at: s.excluded_at.toISOString(), by: s.excluded_by } : null,
    })),
    actions: actions.rows.map(presentAction),
  };
}
