import type { Queryable } from '../../server/db/database.ts';
import { readableCommunities } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { Directory } from '../organization/directory.ts';

export const QUEUE_SCOPES = ['to_approve', 'mine', 'all'] as const;
export type QueueScope = (typeof QUEUE_SCOPES)[number];
export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'cancelled'] as const;

interface QueueRow {
  id: number;
  case_id: number;
  community_id: number;
  author_id: number;
  author_name: string;
  account_id: number;
  text: string;
  original_text: string;
  visibility: string;
  resolve: boolean;
  override_reason: string | null;
  rule_id: string;
  rule_name: string;
  reasons: string[];
  required: number;
  mode: string;
  approver_ids: number[];
  warnings: unknown[];
  status: string;
  due_at: Date;
  created_at: Date;
  decided_at: Date | null;
  note: string | null;
  message_id: number | null;
  case_subject: string | null;
  customer_text: string | null;
  decisions: { person_id: number; name: string; decision: string; edited: boolean; note: string | null; at: string }[];
}

/**
 * The approval queue: replies waiting for the person's decision (to_approve), their own requests (mine), or
 * every request of the communities they read (all), oldest deadline first.
 */
export async function listApprovals(
  db: Queryable,
  directory: Directory,
  person: PersonPrincipal,
  opts: { scope: QueueScope; status: (typeof REQUEST_STATUSES)[number]; limit: number },
) {
  const communities = readableCommunities(person);
  const ids = communities === 'all' ? [...directory.communities.keys()] : [...communities];
  const scopeSql =
    opts.scope === 'to_approve'
      ? `and $4 = any(ar.approver_ids) and ar.author_id <> $4
         and not exists (select 1 from approval_decisions d where d.request_id = ar.id and d.person_id = $4)`
      : opts.scope === 'mine'
        ? 'and ar.author_id = $4'
        : 'and $4 = $4';
  const r = await db.query<QueueRow>(
    `select ar.id, ar.case_id, ar.community_id, ar.author_id, p.name as author_name, ar.account_id, ar.text,
       ar.original_text, ar.visibility, ar.resolve, ar.override_reason, ar.rule_id, ar.rule_name, ar.reasons,
       ar.required, ar.mode, ar.approver_ids, ar.warnings, ar.status, ar.due_at, ar.created_at, ar.decided_at, ar.note,
       ar.message_id, c.subject as case_subject,
       (select m.text from messages m where m.case_id = ar.case_id and m.direction = 'in' order by m.id desc limit 1)
         as customer_text,
       coalesce((select json_agg(json_build_object('person_id', d.person_id, 'name', dp.name, 'decision', d.decision,
           'edited', d.edited, 'note', d.note, 'at', d.created_at) order by d.id)
         from approval_decisions d join people dp on dp.id = d.person_id where d.request_id = ar.id), '[]') as decisions
     from approval_requests ar
     join people p on p.id = ar.author_id
     join cases c on c.id = ar.case_id
     where ar.org_id = $1 and ar.community_id = any($2::int[]) and ar.status = $3 ${scopeSql}
     order by ${opts.status === 'pending' ? 'ar.due_at asc' : 'ar.id desc'} limit $5`,
    [person.orgId, ids, opts.status, person.id, opts.limit],
  );
  const now = Date.now();
  return r.rows.map((row) => {
    const account = directory.accounts.get(row.account_id);
    const community = directory.communities.get(row.community_id);
    const approvals = row.decisions.filter((d) => d.decision === 'approve').length;
    return {
      id: row.id,
      case: { id: row.case_id, subject: row.case_subject, customer_text: row.customer_text },
      community: community ? { id: community.id, slug: community.slug, name: community.name } : null,
      author: { id: row.author_id, name: row.author_name },
      account: account
        ? {
            id: account.id,
            network: account.network,
            handle: account.handle,
            display_name: account.displayName,
            paused: account.paused,
          }
        : { id: row.account_id, network: '', handle: '', display_name: '', paused: false },
      text: row.text,
      original_text: row.original_text,
      edited: row.text !== row.original_text,
      visibility: row.visibility,
      resolve: row.resolve,
      override_reason: row.override_reason,
      rule: { id: row.rule_id, name: row.rule_name },
      reasons: row.reasons,
      required: row.required,
      mode: row.mode,
      approvals,
      decisions: row.decisions,
      warnings: row.warnings,
      status: row.status,
      due_at: row.due_at.toISOString(),
      overdue: row.status === 'pending' && row.due_at.getTime() < now,
      created_at: row.created_at.toISOString(),
      decided_at: row.decided_at?.toISOString() ?? null,
      note: row.note,
      message_id: row.message_id,
      can_decide:
        row.status === 'pending' &&
        row.author_id !== person.id &&
        row.approver_ids.includes(person.id) &&
        !row.decisions.some((d) => d.person_id === person.id),
    };
  });
}

export interface ApprovalStats {
  from: string;
  to: string;
  /** Replies queued in the period (straight out or after approval) plus requests still waiting or refused. */
  replies: number;
  /** Of those, how many were sent for approval. */
  needed_approval: number;
  /** needed_approval / replies (0 when no reply). */
  share_needing_approval: number;
  approved: number;
  rejected: number;
  withdrawn: number;
  pending: number;
  /** Pending past their deadline now, or decided after it. */
  overdue: number;
  /** Median time from request to decision (approved or rejected), in seconds; null without decisions. */
  median_delay_seconds: number | null;
  p90_delay_seconds: number | null;
}

/**
 * The cost of approvals over a period: how many replies needed one, and how long they waited. Requests count
 * by when they were made; replies straight out by when they were queued. Reports read this.
 */
export async function approvalStats(
  db: Queryable,
  orgId: number,
  period: { from: Date; to: Date; communityIds?: readonly number[] | undefined },
): Promise<ApprovalStats> {
  const communities = period.communityIds ? [...period.communityIds] : null;
  const r = await db.query<{
    direct: number;
    requested: number;
    approved: number;
    rejected: number;
    withdrawn: number;
    pending: number;
    overdue: number;
    median: number | null;
    p90: number | null;
  }>(
    `with reqs as (
       select * from approval_requests
       where org_id = $1 and created_at >= $2 and created_at < $3 and ($4::int[] is null or community_id = any($4)))
     select
       (select count(*)::int from messages m join cases c on c.id = m.case_id
         where m.org_id = $1 and m.direction = 'out' and m.kind = 'reply' and m.created_at >= $2 and m.created_at < $3
           and ($4::int[] is null or c.community_id = any($4))
           and not exists (select 1 from approval_requests ar where ar.message_id = m.id)) as direct,
       (select count(*)::int from reqs) as requested,
       (select count(*)::int from reqs where status = 'approved') as approved,
       (select count(*)::int from reqs where status = 'rejected') as rejected,
       (select count(*)::int from reqs where status = 'cancelled') as withdrawn,
       (select count(*)::int from reqs where status = 'pending') as pending,
       (select count(*)::int from reqs where (status = 'pending' and due_at < now()) or decided_at > due_at) as overdue,
       (select percentile_cont(0.5) within group (order by extract(epoch from decided_at - created_at))
          from reqs where status in ('approved', 'rejected')) as median,
       (select percentile_cont(0.9) within group (order by extract(epoch from decided_at - created_at))
          from reqs where status in ('approved', 'rejected')) as p90`,
    [orgId, period.from, period.to, communities],
  );
  const s = r.rows[0]!;
  const replies = s.direct + s.requested;
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    replies,
    needed_approval: s.requested,
    share_needing_approval: replies === 0 ? 0 : Math.round((s.requested / replies) * 1000) / 1000,
    approved: s.approved,
    rejected: s.rejected,
    withdrawn: s.withdrawn,
    pending: s.pending,
    overdue: s.overdue,
    median_delay_seconds: s.median === null ? null : Math.round(s.median),
    p90_delay_seconds: s.p90 === null ? null : Math.round(s.p90),
  };
}
