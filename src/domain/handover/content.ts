import type { Queryable } from '../../server/db/database.ts';
import { ACTIVE_STATUSES } from '../cases/store.ts';
import { plainExcerpt } from '../notifications/email.ts';
import { DEFAULT_SLA_POLICY } from '../sla/policy.ts';
import { detectPromises, type PromiseKind } from './promises.ts';

/**
 * What a handover brief says, generated from the community's cases at a moment: open cases by SLA risk, waiting
 * consults, promises made to customers, ongoing incidents, and the period's counts. Plain text and ids only (case
 * subjects and quoted promises are shown as text by the web app and the email). Every item has a stable `key`,
 * which the outgoing shift's edits (hide, annotate) refer to.
 */

/** A case due within this many minutes (or its policy's warning window, if longer) is at risk for the next shift. */
export const AT_RISK_MINUTES = 60;
/** Each section lists at most this many items; the counts say how many there are in all. */
export const SECTION_LIMIT = 100;
/** Replies of still-open cases older than this are not searched for promises. */
const PROMISE_LOOKBACK_DAYS = 14;

export type SlaRisk = 'breached' | 'at_risk' | 'ok' | 'none';

export interface CaseItem {
  key: string;
  case_id: number;
  subject: string;
  status: string;
  priority: string;
  urgency: string;
  assignee: { id: number; name: string } | null;
  risk: SlaRisk;
  /** The running clock due first, and when. */
  clock: string | null;
  due_at: string | null;
  /** Minutes left at generation (negative: overdue). */
  minutes_left: number | null;
}

export interface ConsultItem {
  key: string;
  consult_id: number;
  case_id: number;
  question: string;
  expert: string;
  asker: string;
  due_at: string;
  overdue: boolean;
}

export interface PromiseItem {
  key: string;
  case_id: number;
  case_status: string;
  message_id: number;
  sent_at: string;
  author: string | null;
  kind: PromiseKind;
  sentence: string;
  deadline: string | null;
  due_at: string | null;
  overdue: boolean;
}

export interface IncidentItem {
  key: string;
  kind: 'crisis' | 'alert' | 'incident';
  id: number;
  title: string;
  since: string;
  /** crisis: active | stood_down; alert: open; incident: open | investigating | fixed. */
  status: string;
  /** Incidents: how many of the community's cases are linked to it. */
  cases?: number;
}

export interface BriefContent {
  generated_at: string;
  cases: CaseItem[];
  consults: ConsultItem[];
  promises: PromiseItem[];
  incidents: IncidentItem[];
  counts: {
    /** Customer messages received in the period. */
    received: number;
    /** Replies sent in the period. */
    answered: number;
    new_cases: number;
    resolved: number;
    /** Cases open at generation, of which breached and at risk. */
    open: number;
    breached: number;
    at_risk: number;
    consults_waiting: number;
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface CaseRisk {
  id: number;
  subject: string;
  status: string;
  priority: string;
  urgency: string;
  assignee_id: number | null;
  assignee_name: string | null;
  clock: string | null;
  due_at: Date | null;
  warn: number;
}

/** The open cases of a community, each with the running clock due first (first response, next, resolution). */
async function openCases(db: Queryable, orgId: number, communityId: number) {
  const r = await db.query<CaseRisk>(
    `select c.id, c.subject, c.status, c.priority, c.urgency, c.assignee_id, p.name as assignee_name,
       k.clock, k.due_at, coalesce(sp.warn_before_minutes, $4)::int as warn
     from cases c
     left join people p on p.id = c.assignee_id
     left join communities cm on cm.id = c.community_id
     left join sla_policies sp on sp.id = coalesce(c.sla_policy_id, cm.sla_policy_id)
     left join lateral (
       select v.clock, v.due_at from (values
         ('first_response', case when c.first_responded_at is null and c.status in ('new', 'open', 'waiting_internal')
           then c.first_response_due_at end),
         ('next_response', case when c.status in ('new', 'open', 'waiting_internal') then c.next_response_due_at end),
         ('resolution', case when c.sla_paused_at is null then c.resolution_due_at end)
       ) v(clock, due_at)
       where v.due_at is not null order by v.due_at limit 1
     ) k on true
     where c.org_id = $1 and c.community_id = $2 and c.status = any($3::text[]) and c.merged_into is null
     order by k.due_at is null, k.due_at, c.id`,
    [orgId, communityId, ACTIVE_STATUSES, DEFAULT_SLA_POLICY.warnBeforeMinutes],
  );
  return r.rows;
}

function riskOf(c: CaseRisk, now: Date): { risk: SlaRisk; minutes: number | null } {
  if (!c.due_at) return { risk: 'none', minutes: null };
  const minutes = Math.round((c.due_at.getTime() - now.getTime()) / 60_000);
  if (c.due_at.getTime() <= now.getTime()) return { risk: 'breached', minutes };
  return { risk: minutes <= Math.max(AT_RISK_MINUTES, c.warn) ? 'at_risk' : 'ok', minutes };
}

async function waitingConsults(db: Queryable, orgId: number, communityId: number, now: Date) {
  const r = await db.query<{
    id: number;
    case_id: number;
    question: string;
    due_at: Date;
    asker: string;
    expert: string | null;
  }>(
    `select k.id, k.case_id, k.question, k.due_at, a.name as asker, coalesce(ep.name, et.name) as expert
     from consults k
     join cases c on c.id = k.case_id
     join people a on a.id = k.asker_id
     left join people ep on ep.id = k.expert_person_id
     left join teams et on et.id = k.expert_team_id
     where k.org_id = $1 and c.community_id = $2 and k.status = 'open'
     order by k.due_at, k.id`,
    [orgId, communityId],
  );
  return r.rows.map(
    (k): ConsultItem => ({
      key: `consult:${k.id}`,
      consult_id: Number(k.id),
      case_id: Number(k.case_id),
      question: plainExcerpt(k.question, 200),
      expert: k.expert ?? '',
      asker: k.asker,
      due_at: k.due_at.toISOString(),
      overdue: k.due_at.getTime() <= now.getTime(),
    }),
  );
}

/**
 * Promises found in the replies sent in the period, and in the replies of still-open cases of the last two
 * weeks. Replies undone or given up (outbox cancelled or failed) promised nothing.
 */
async function promisesMade(
  db: Queryable,
  orgId: number,
  communityId: number,
  from: Date,
  to: Date,
  now: Date,
  timezone: string,
) {
  const r = await db.query<{
    id: number;
    case_id: number;
    case_status: string;
    text: string;
    created_at: Date;
    author: string | null;
  }>(
    `select m.id, m.case_id, c.status as case_status, m.text, m.created_at, p.name as author
     from messages m
     join cases c on c.id = m.case_id
     left join people p on p.id = m.person_id
     where m.org_id = $1 and c.community_id = $2 and m.direction = 'out' and m.created_at < $4
       and (m.created_at >= $3 or (c.status = any($5::text[]) and m.created_at >= $6))
       and not exists (select 1 from outbox o where o.message_id = m.id and o.status in ('cancelled', 'failed'))
     order by m.created_at desc, m.id desc
     limit 1000`,
    [orgId, communityId, from, to, ACTIVE_STATUSES, new Date(to.getTime() - PROMISE_LOOKBACK_DAYS * 86_400_000)],
  );
  const items: PromiseItem[] = [];
  for (const m of r.rows) {
    detectPromises(m.text, m.created_at, timezone).forEach((p, i) => {
      const open = (ACTIVE_STATUSES as string[]).includes(m.case_status);
      items.push({
        key: `promise:${m.id}:${i}`,
        case_id: Number(m.case_id),
        case_status: m.case_status,
        message_id: Number(m.id),
        sent_at: m.created_at.toISOString(),
        author: m.author,
        kind: p.kind,
        sentence: p.sentence,
        deadline: p.deadline,
        due_at: iso(p.due_at),
        overdue: open && p.due_at !== null && p.due_at.getTime() <= now.getTime(),
      });
    });
  }
  // Overdue first, then by deadline (none last), then the latest first.
  const due = (p: PromiseItem) => (p.due_at ? Date.parse(p.due_at) : Number.POSITIVE_INFINITY);
  return items.sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || due(a) - due(b) || b.sent_at.localeCompare(a.sent_at),
  );
}

/**
 * Crises concerning the community that are active or ended in the period, its crisis alerts still open, and the
 * incidents its cases are linked to.
 */
async function incidents(db: Queryable, orgId: number, communityId: number, from: Date) {
  const crises = await db.query<{ id: number; title: string; status: string; declared_at: Date }>(
    `select id, title, status, declared_at from crises
     where org_id = $1 and (cardinality(community_ids) = 0 or $2 = any(community_ids))
       and (status = 'active' or stood_down_at >= $3)
     order by declared_at desc limit 20`,
    [orgId, communityId, from],
  );
  const alerts = await db.query<{ id: number; kind: string; detected_at: Date }>(
    `select id, kind, detected_at from crisis_alerts
     where org_id = $1 and community_id = $2 and status = 'open' and detected_at >= $3
     order by detected_at desc limit 20`,
    [orgId, communityId, from],
  );
  // Incidents raised from cases (Quality's backlog), when this deployment has them: those still open or being
  // investigated with cases of this community, and those fixed during the period (tell the customers).
  const present = await db.query<{ ok: boolean }>(`select to_regclass('incident_cases') is not null as ok`);
  const raised = present.rows[0]?.ok
    ? await db.query<{ id: number; title: string; status: string; created_at: Date; cases: number }>(
        `select i.id, i.title, i.status, i.created_at, count(*)::int as cases
         from incidents i
         join incident_cases ic on ic.incident_id = i.id
         join cases c on c.id = ic.case_id
         where i.org_id = $1 and c.community_id = $2
           and (i.status in ('open', 'investigating') or (i.status = 'fixed' and i.fixed_at >= $3))
         group by i.id order by i.created_at desc limit 20`,
        [orgId, communityId, from],
      )
    : { rows: [] };
  return [
    ...raised.rows.map(
      (i): IncidentItem => ({
        key: `incident:${i.id}`,
        kind: 'incident',
        id: Number(i.id),
        title: i.title,
        since: i.created_at.toISOString(),
        status: i.status,
        cases: i.cases,
      }),
    ),
    ...crises.rows.map(
      (c): IncidentItem => ({
        key: `crisis:${c.id}`,
        kind: 'crisis',
        id: Number(c.id),
        title: c.title,
        since: c.declared_at.toISOString(),
        status: c.status,
      }),
    ),
    ...alerts.rows.map(
      (a): IncidentItem => ({
        key: `alert:${a.id}`,
        kind: 'alert',
        id: Number(a.id),
        title: a.kind,
        since: a.detected_at.toISOString(),
        status: 'open',
      }),
    ),
  ];
}

async function periodCounts(db: Queryable, orgId: number, communityId: number, from: Date, to: Date) {
  const r = await db.query<{ received: number; answered: number; new_cases: number; resolved: number }>(
    `select
       (select count(*) from messages m join cases c on c.id = m.case_id
         where m.org_id = $1 and c.community_id = $2 and m.direction = 'in' and m.created_at >= $3 and m.created_at < $4)::int
         as received,
       (select count(*) from messages m join cases c on c.id = m.case_id
         where m.org_id = $1 and c.community_id = $2 and m.direction = 'out' and m.created_at >= $3 and m.created_at < $4
           and not exists (select 1 from outbox o where o.message_id = m.id and o.status in ('cancelled', 'failed')))::int
         as answered,
       (select count(*) from cases where org_id = $1 and community_id = $2 and created_at >= $3 and created_at < $4)::int
         as new_cases,
       (select count(*) from cases where org_id = $1 and community_id = $2 and resolved_at >= $3 and resolved_at < $4)::int
         as resolved`,
    [orgId, communityId, from, to],
  );
  return r.rows[0]!;
}

/** The content of a community's brief for [from, to), as things stand at `now`. */
export async function generateContent(
  db: Queryable,
  orgId: number,
  community: { id: number; timezone: string },
  from: Date,
  to: Date,
  now: Date,
): Promise<BriefContent> {
  const cases = (await openCases(db, orgId, community.id)).map((c): CaseItem => {
    const { risk, minutes } = riskOf(c, now);
    return {
      key: `case:${c.id}`,
      case_id: Number(c.id),
      subject: plainExcerpt(c.subject, 140),
      status: c.status,
      priority: c.priority,
      urgency: c.urgency,
      assignee: c.assignee_id === null ? null : { id: c.assignee_id, name: c.assignee_name ?? '' },
      risk,
      clock: c.clock,
      due_at: iso(c.due_at),
      minutes_left: minutes,
    };
  });
  const consults = await waitingConsults(db, orgId, community.id, now);
  const promises = await promisesMade(db, orgId, community.id, from, to, now, community.timezone);
  const counts = await periodCounts(db, orgId, community.id, from, to);
  return {
    generated_at: now.toISOString(),
    cases: cases.slice(0, SECTION_LIMIT),
    consults: consults.slice(0, SECTION_LIMIT),
    promises: promises.slice(0, SECTION_LIMIT),
    incidents: await incidents(db, orgId, community.id, from),
    counts: {
      ...counts,
      open: cases.length,
      breached: cases.filter((c) => c.risk === 'breached').length,
      at_risk: cases.filter((c) => c.risk === 'at_risk').length,
      consults_waiting: consults.length,
    },
  };
}

/**
 * What is stored of a brief: the same content without customer-related text (case subjects, consult questions,
 * quoted replies). Those are read again from their cases, consults and messages each time the brief is shown or
 * sent, so erasing a customer or anonymizing old cases (retention) reaches briefs too.
 */
export function withoutText(c: BriefContent): BriefContent {
  return {
    ...c,
    cases: c.cases.map((i) => ({ ...i, subject: '' })),
    consults: c.consults.map((i) => ({ ...i, question: '' })),
    promises: c.promises.map((i) => ({ ...i, sentence: '' })),
  };
}

/**
 * The stored content with its text read from the records as they are now. A promise whose reply no longer says it
 * (erased, anonymized) is left out.
 */
export async function withText(db: Queryable, c: BriefContent, timezone: string): Promise<BriefContent> {
  const subjects = await db.query<{ id: number; subject: string }>(
    'select id, subject from cases where id = any($1::bigint[])',
    [c.cases.map((i) => i.case_id)],
  );
  const questions = await db.query<{ id: number; question: string }>(
    'select id, question from consults where id = any($1::bigint[])',
    [c.consults.map((i) => i.consult_id)],
  );
  const replies = await db.query<{ id: number; text: string; created_at: Date }>(
    'select id, text, created_at from messages where id = any($1::bigint[])',
    [[...new Set(c.promises.map((i) => i.message_id))]],
  );
  const subject = new Map(subjects.rows.map((r) => [Number(r.id), r.subject]));
  const question = new Map(questions.rows.map((r) => [Number(r.id), r.question]));
  const said = new Map(replies.rows.map((r) => [Number(r.id), detectPromises(r.text, r.created_at, timezone)]));
  return {
    ...c,
    cases: c.cases.map((i) => ({ ...i, subject: plainExcerpt(subject.get(i.case_id) ?? '', 140) })),
    consults: c.consults.map((i) => ({ ...i, question: plainExcerpt(question.get(i.consult_id) ?? '', 200) })),
    promises: c.promises.flatMap((i) => {
      const n = Number(i.key.split(':')[2]);
      const p = said.get(i.message_id)?.[n];
      return p ? [{ ...i, sentence: p.sentence }] : [];
    }),
  };
}
