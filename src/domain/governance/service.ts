import type pg from 'pg';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish } from '../../server/realtime/events.ts';
import type { Urgency } from '../../triage/types.ts';
import { canApproveReply, canReadCommunity, canWorkCase } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { personPrincipal } from '../access/service.ts';
import { audit } from '../audit/log.ts';
import { notify } from '../notifications/service.ts';
import type { Directory } from '../organization/directory.ts';
import { type QueuedReply, queueReply, type ReplyInput, replyAccount } from '../outbox/service.ts';
import { invalidField } from '../validation.ts';
import {
  autonomyOf,
  checkGuidelines,
  type Finding,
  type GovernancePolicy,
  type Requirement,
  requiredApprovals,
} from './policy.ts';
import { currentGovernance } from './store.ts';

export interface GovernanceDeps {
  pool: pg.Pool;
  directory: Directory;
  sendDelayMs: number;
  /** The language of a text (`und` when unsure): the triage pipeline's detector. */
  detectLang(text: string): string;
}

/** What governance reads of a case: where it is, how it reached us, and the triage of its latest customer message. */
export interface CaseFacts {
  id: number;
  community_id: number;
  channel: string;
  account_id: number | null;
  tags: string[];
  merged_into: number | null;
  sensitive: string[] | null;
  urgency: Urgency | null;
  sentiment: string | null;
  lang: string | null;
}

async function caseFacts(db: Queryable, orgId: number, caseId: number): Promise<CaseFacts | undefined> {
  const r = await db.query<CaseFacts>(
    `select c.id, c.community_id, c.channel, c.account_id, c.tags, c.merged_into,
       m.sensitive, m.urgency, m.sentiment, m.lang
     from cases c
     left join lateral (
       select sensitive, urgency, sentiment, lang from messages
       where case_id = c.id and direction = 'in' order by id desc limit 1) m on true
     where c.id = $1 and c.org_id = $2`,
    [caseId, orgId],
  );
  return r.rows[0];
}

function workableCase(person: PersonPrincipal, c: CaseFacts | undefined): CaseFacts {
  if (!c || !canWorkCase(person, c.community_id)) {
    if (c && person.communityIds.has(c.community_id)) throw new HttpError(403, 'forbidden', 'your role cannot reply');
    throw notFound('case');
  }
  if (c.merged_into !== null) {
    throw new HttpError(409, 'merged', `this case was merged into case ${c.merged_into}: reply there`);
  }
  return c;
}

const MIN_WORDS_FOR_LANGUAGE = 4;

function runGuidelines(
  deps: GovernanceDeps,
  policy: GovernancePolicy,
  c: CaseFacts,
  text: string,
  visibility: 'public' | 'private',
): Finding[] {
  const community = deps.directory.communities.get(c.community_id);
  const words = text.split(/\s+/u).filter(Boolean).length;
  return checkGuidelines(policy.guidelines, {
    community: community?.slug ?? '',
    text,
    visibility,
    customerLang: c.lang ?? 'und',
    replyLang: words >= MIN_WORDS_FOR_LANGUAGE ? deps.detectLang(text) : 'und',
  });
}

function refuseBlocked(findings: Finding[]): void {
  const blocks = findings.filter((f) => f.severity === 'block');
  if (blocks.length > 0) {
    throw new HttpError(422, 'guideline_blocked', blocks.map((f) => f.message).join('; '), {}, { findings });
  }
}

export interface ReplyCheck {
  findings: Finding[];
  approval: {
    required: number;
    mode: 'any' | 'all';
    rule: { id: string; name: string } | null;
    reasons: string[];
    sla_minutes: number;
  };
  autonomy: string;
  policy_version: number;
}

/**
 * The verdict of governance on a reply, without sending anything: guideline findings, autonomy and the approval
 * requirement. Replies to cases and training answers (src/domain/training) are judged by this same function.
 */
export async function evaluateReply(
  deps: GovernanceDeps,
  person: PersonPrincipal,
  c: CaseFacts,
  text: string,
  visibility: 'public' | 'private',
): Promise<ReplyCheck & { requirement: Requirement }> {
  const gov = await currentGovernance(deps.pool, person.orgId);
  const community = deps.directory.communities.get(c.community_id);
  const slug = community?.slug ?? '';
  const findings = runGuidelines(deps, gov.policy, c, text, visibility);
  const autonomy = autonomyOf(gov.policy, person, slug);
  const decision = requiredApprovals(gov.policy.approvals, {
    community: slug,
    channel: c.channel,
    autonomy,
    sensitive: c.sensitive ?? [],
    urgency: c.urgency ?? 'normal',
    sentiment: c.sentiment ?? 'neutral',
    caseTags: c.tags,
    text,
  });
  const req = decision.requirement;
  return {
    findings,
    approval: {
      required: req.approvals,
      mode: req.mode,
      rule: decision.rule ? { id: decision.rule.id, name: decision.rule.name } : null,
      reasons: decision.reasons,
      sla_minutes: req.sla_minutes,
    },
    autonomy,
    policy_version: gov.version,
    requirement: req,
  };
}

/** What the composer shows before sending: guideline findings and whether the reply will need approval. */
export async function checkReply(
  deps: GovernanceDeps,
  person: PersonPrincipal,
  caseId: number,
  input: { text: string; visibility?: 'public' | 'private' | undefined },
): Promise<ReplyCheck> {
  const c = workableCase(person, await caseFacts(deps.pool, person.orgId, caseId));
  const { requirement: _r, ...check } = await evaluateReply(
    deps,
    person,
    c,
    input.text.trim(),
    input.visibility ?? 'public',
  );
  return check;
}

export type SubmittedReply =
  | (QueuedReply & { approval: null; warnings: Finding[] })
  | {
      status: 'awaiting_approval';
      approval: { id: number; required: number; mode: string; due_at: string; rule: string; reasons: string[] };
      account: { id: number; network: string; handle: string };
      warnings: Finding[];
    };

/**
 * Sends a reply through governance: guideline blocks refuse it, warnings need the author's acknowledgement;
 * then the approval policy decides. A routine reply is queued at once (send delay, undo); one that needs
 * approval waits in the approval queue with its account fixed now.
 */
export async function submitReply(
  deps: GovernanceDeps,
  person: PersonPrincipal,
  caseId: number,
  input: ReplyInput & { acknowledgeWarnings?: boolean | undefined },
): Promise<SubmittedReply> {
  const text = input.text.trim();
  if (!text) throw invalidField('text', 'a reply cannot be empty');
  const visibility = input.visibility ?? 'public';
  const c = workableCase(person, await caseFacts(deps.pool, person.orgId, caseId));
  const check = await evaluateReply(deps, person, c, text, visibility);
  refuseBlocked(check.findings);
  const warnings = check.findings.filter((f) => f.severity === 'warn');
  if (warnings.length > 0 && !input.acknowledgeWarnings) {
    throw new HttpError(
      409,
      'guideline_warning',
      `${warnings.map((f) => f.message).join('; ')} (send again with acknowledge_warnings to send anyway)`,
      {},
      { findings: check.findings },
    );
  }
  const warningData = warnings.length > 0 ? { guideline_warnings: warnings.map((w) => w.guideline) } : {};
  const req = check.requirement;
  if (req.approvals === 0 && req.mode === 'any') {
    return transaction(deps.pool, async (tx) => {
      const queued = await queueReply({ ...deps, tx }, person, caseId, { ...input, text });
      if (warnings.length > 0) {
        await audit(tx, {
          orgId: person.orgId,
          action: 'reply.warnings_acknowledged',
          actorPersonId: person.id,
          subjectType: 'message',
          subjectId: queued.message_id,
          data: warningData,
        });
      }
      return { ...queued, approval: null, warnings };
    });
  }
  return transaction(deps.pool, async (tx) => {
    const account = replyAccount(deps.directory, person, c, input);
    const gov = await currentGovernance(tx, person.orgId);
    const slug = deps.directory.communities.get(c.community_id)?.slug ?? '';
    const approvers = await eligibleApprovers(tx, gov.policy, person, c.community_id, slug, req);
    const required = req.mode === 'all' ? approvers.length : Math.min(req.approvals, approvers.length);
    if (required === 0) {
      throw new HttpError(409, 'no_approver', 'this reply needs approval, but nobody may approve it: ask a leader');
    }
    const dueAt = new Date(Date.now() + req.sla_minutes * 60_000);
    const r = await tx.query<{ id: number }>(
      `insert into approval_requests (org_id, case_id, community_id, author_id, account_id, text, original_text, resolve,
         visibility, override_reason, policy_version, rule_id, rule_name, reasons, required, mode, approver_roles,
         approver_ids, warnings, due_at)
       values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       returning id`,
      [
        person.orgId,
        caseId,
        c.community_id,
        person.id,
        account.id,
        text,
        input.resolve ?? false,
        visibility,
        account.communityId !== c.community_id ? (input.overrideReason?.trim() ?? null) : null,
        gov.version,
        check.approval.rule?.id ?? '',
        check.approval.rule?.name ?? '',
        JSON.stringify(check.approval.reasons),
        required,
        req.mode,
        req.from.roles,
        approvers,
        JSON.stringify(warnings),
        dueAt,
      ],
    );
    const id = r.rows[0]!.id;
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'approval_requested', $4)`,
      [person.orgId, caseId, person.id, { approval_id: id, required, rule: check.approval.rule?.id ?? null }],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'reply.approval_requested',
      actorPersonId: person.id,
      accountId: account.id,
      subjectType: 'approval',
      subjectId: id,
      data: {
        case_id: caseId,
        rule: check.approval.rule?.id ?? null,
        required,
        mode: req.mode,
        approvers,
        policy_version: gov.version,
        ...warningData,
      },
    });
    await notify(tx, {
      orgId: person.orgId,
      personIds: approvers,
      kind: 'approval_requested',
      caseId,
      data: { approval_id: id, by: person.id, by_name: person.name, due_at: dueAt.toISOString() },
    });
    await publish(tx, [{ type: 'case.updated', org_id: person.orgId, case_id: caseId, community_id: c.community_id }]);
    return {
      status: 'awaiting_approval' as const,
      approval: {
        id,
        required,
        mode: req.mode,
        due_at: dueAt.toISOString(),
        rule: check.approval.rule?.name ?? '',
        reasons: check.approval.reasons,
      },
      account: { id: account.id, network: account.network, handle: account.handle },
      warnings,
    };
  });
}

/**
 * The people who may approve, fixed when the reply is sent for approval: the group's roles and named people
 * who work in the case's community, are not trainees there, and are not the author. For "any" with too few of
 * them, the leaders join, so a request can always be decided.
 */
export async function eligibleApprovers(
  db: Queryable,
  policy: GovernancePolicy,
  author: PersonPrincipal,
  communityId: number,
  communitySlug: string,
  req: Requirement,
): Promise<number[]> {
  const r = await db.query<{ id: number; email: string; autonomy: string; role: string }>(
    `select p.id, p.email, p.autonomy, p.role from people p
     where p.org_id = $1 and p.active and p.id <> $2
       and p.role in ('leader', 'manager', 'backup', 'approver')
       and (p.role = 'leader' or exists (
         select 1 from person_communities pc where pc.person_id = p.id and pc.community_id = $3))
     order by p.id`,
    [author.orgId, author.id, communityId],
  );
  const named = new Set(req.from.people.map((e) => e.toLowerCase()));
  const roles = new Set<string>(req.from.roles);
  const able = r.rows.filter((p) => autonomyOf(policy, p, communitySlug) !== 'trainee');
  const group = able.filter((p) => roles.has(p.role) || named.has(p.email.toLowerCase())).map((p) => p.id);
  if (req.mode === 'any' && group.length < req.approvals) {
    for (const p of able) if (p.role === 'leader' && !group.includes(p.id)) group.push(p.id);
  }
  return group;
}

interface RequestRow {
  id: number;
  org_id: number;
  case_id: number;
  community_id: number;
  author_id: number;
  account_id: number;
  text: string;
  original_text: string;
  resolve: boolean;
  visibility: 'public' | 'private';
  override_reason: string | null;
  required: number;
  mode: 'any' | 'all';
  approver_ids: number[];
  status: string;
}

async function lockRequest(tx: Queryable, person: PersonPrincipal, id: number): Promise<RequestRow> {
  const r = await tx.query<RequestRow>('select * from approval_requests where id = $1 and org_id = $2 for update', [
    id,
    person.orgId,
  ]);
  const row = r.rows[0];
  if (!row || !canReadCommunity(person, row.community_id)) throw notFound('approval request');
  if (row.status !== 'pending') throw new HttpError(409, 'decided', `this reply was already ${row.status}`);
  return row;
}

function mayDecide(person: PersonPrincipal, row: RequestRow): void {
  if (
    !canApproveReply(person, { communityId: row.community_id, authorId: row.author_id, approverIds: row.approver_ids })
  )
    throw new HttpError(403, 'forbidden', 'you are not among the approvers of this reply');
}

export interface Decided {
  id: number;
  status: 'pending' | 'approved' | 'rejected';
  approvals: number;
  required: number;
  message_id: number | null;
  send_at: string | null;
}

/**
 * Approves a reply, optionally edited (the guideline blocks apply to the new text). Once enough approvers
 * agreed, the reply is queued as its author's, from the account fixed at request time, with the usual send
 * delay, in the same transaction.
 */
export async function approveReply(
  deps: GovernanceDeps,
  person: PersonPrincipal,
  id: number,
  input: { text?: string | undefined; note?: string | undefined },
): Promise<Decided> {
  return transaction(deps.pool, async (tx) => {
    const row = await lockRequest(tx, person, id);
    mayDecide(person, row);
    const edited = input.text !== undefined && input.text.trim() !== '' && input.text.trim() !== row.text;
    const text = edited ? input.text!.trim() : row.text;
    if (edited && /\{\{\s*[\w.]+\s*\}\}/u.test(text)) {
      throw invalidField('text', 'variables ({{…}}) are not filled on approval: write the text out');
    }
    if (edited) {
      const gov = await currentGovernance(tx, person.orgId);
      const c = await caseFacts(tx, person.orgId, row.case_id);
      if (c) refuseBlocked(runGuidelines(deps, gov.policy, c, text, row.visibility));
      await tx.query('update approval_requests set text = $2 where id = $1', [id, text]);
    }
    const ins = await tx.query(
      `insert into approval_decisions (request_id, person_id, decision, edited, note) values ($1, $2, 'approve', $3, $4)
       on conflict (request_id, person_id) do nothing`,
      [id, person.id, edited, input.note?.trim() || null],
    );
    if (ins.rowCount === 0) throw new HttpError(409, 'already_decided', 'you already approved this reply');
    const n = await tx.query<{ n: number }>(
      `select count(*)::int as n from approval_decisions where request_id = $1 and decision = 'approve'`,
      [id],
    );
    const approvals = n.rows[0]!.n;
    const done = row.mode === 'all' ? approvals >= row.approver_ids.length : approvals >= row.required;
    await audit(tx, {
      orgId: person.orgId,
      action: edited ? 'reply.approval_edited' : 'reply.approval_given',
      actorPersonId: person.id,
      accountId: row.account_id,
      subjectType: 'approval',
      subjectId: id,
      data: { case_id: row.case_id, approvals, required: row.required, edited },
    });
    if (!done) {
      await tx.query(
        `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'approval_given', $4)`,
        [person.orgId, row.case_id, person.id, { approval_id: id, approvals, required: row.required, edited }],
      );
      return { id, status: 'pending', approvals, required: row.required, message_id: null, send_at: null };
    }
    const author = await personPrincipal(tx, row.author_id);
    if (!author) throw new HttpError(409, 'author_inactive', 'the author of this reply is no longer active');
    // The identity was fixed when the reply was written: it goes out from that account or not at all.
    const account = deps.directory.accounts.get(row.account_id);
    if (account?.kind !== 'account') {
      throw new HttpError(409, 'account_changed', 'the account this reply was written for no longer exists');
    }
    const queued = await queueReply({ ...deps, tx }, author, row.case_id, {
      text,
      resolve: row.resolve,
      accountId: row.account_id,
      visibility: row.visibility,
      overrideReason: row.override_reason ?? undefined,
      approvalId: id,
    });
    if (queued.account.id !== row.account_id) {
      throw new HttpError(409, 'account_changed', 'this reply would go out from another account than requested');
    }
    await tx.query(
      `update approval_requests set status = 'approved', decided_at = now(), decided_by = $2, message_id = $3,
         note = $4 where id = $1`,
      [id, person.id, queued.message_id, input.note?.trim() || null],
    );
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'approval_approved', $4)`,
      [person.orgId, row.case_id, person.id, { approval_id: id, message_id: queued.message_id, edited }],
    );
    await notify(tx, {
      orgId: person.orgId,
      personIds: [row.author_id],
      kind: 'approval_decided',
      caseId: row.case_id,
      data: { approval_id: id, decision: 'approved', edited, by: person.id, by_name: person.name },
    });
    return {
      id,
      status: 'approved',
      approvals,
      required: row.required,
      message_id: queued.message_id,
      send_at: queued.send_at,
    };
  });
}

/** Rejects a reply with a note for its author; nothing is sent. */
export async function rejectReply(deps: GovernanceDeps, person: PersonPrincipal, id: number, note: string) {
  const text = note.trim();
  if (!text) throw invalidField('note', 'say why the reply is rejected');
  return transaction(deps.pool, async (tx): Promise<Decided> => {
    const row = await lockRequest(tx, person, id);
    mayDecide(person, row);
    await tx.query(
      `insert into approval_decisions (request_id, person_id, decision, note) values ($1, $2, 'reject', $3)
       on conflict (request_id, person_id) do update set decision = 'reject', note = excluded.note, created_at = now()`,
      [id, person.id, text],
    );
    await tx.query(
      `update approval_requests set status = 'rejected', decided_at = now(), decided_by = $2, note = $3 where id = $1`,
      [id, person.id, text],
    );
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'approval_rejected', $4)`,
      [person.orgId, row.case_id, person.id, { approval_id: id }],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'reply.approval_rejected',
      actorPersonId: person.id,
      accountId: row.account_id,
      subjectType: 'approval',
      subjectId: id,
      data: { case_id: row.case_id },
    });
    await notify(tx, {
      orgId: person.orgId,
      personIds: [row.author_id],
      kind: 'approval_decided',
      caseId: row.case_id,
      data: { approval_id: id, decision: 'rejected', by: person.id, by_name: person.name },
    });
    await publish(tx, [
      { type: 'case.updated', org_id: person.orgId, case_id: row.case_id, community_id: row.community_id },
    ]);
    return { id, status: 'rejected', approvals: 0, required: row.required, message_id: null, send_at: null };
  });
}

/** The author withdraws a reply still waiting for approval. */
export async function withdrawReply(pool: pg.Pool, person: PersonPrincipal, id: number): Promise<void> {
  await transaction(pool, async (tx) => {
    const row = await lockRequest(tx, person, id);
    if (row.author_id !== person.id) throw new HttpError(403, 'forbidden', 'only the author can withdraw this reply');
    await tx.query(`update approval_requests set status = 'cancelled', decided_at = now() where id = $1`, [id]);
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'approval_withdrawn', $4)`,
      [person.orgId, row.case_id, person.id, { approval_id: id }],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'reply.approval_withdrawn',
      actorPersonId: person.id,
      subjectType: 'approval',
      subjectId: id,
      data: { case_id: row.case_id },
    });
  });
}
