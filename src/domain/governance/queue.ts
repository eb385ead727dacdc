import type { Queryable } from '../../server/db/database.ts';
import { canReadPosts, readableCommunities } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { Directory } from '../organization/directory.ts';
import { isLate } from '../publishing/service.ts';

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
 * every request of the communities they read (all), oldest deadline first. Posts waiting for approval (or decided)
 * are in the same list, as items with `kind: 'post'` (see `listPostApprovals`); reply items have no `kind`.
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
  const replies = r.rows.map((row) => {
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
  const posts = await listPostApprovals(db, directory, person, opts);
  if (posts.length === 0) return replies;
  const merged: ((typeof replies)[number] | PostQueueItem)[] = [...replies, ...posts];
  merged.sort((a, b) =>
    opts.status === 'pending' ? a.due_at.localeCompare(b.due_at) : b.created_at.localeCompare(a.created_at),
  );
  return merged.slice(0, opts.limit);
}

interface PostQueueRow {
  id: number;
  community_id: number;
  account_id: number;
  created_by: number;
  author_name: string;
  text: string;
  original_text: string | null;
  link: string | null;
  scheduled_at: Date | null;
  campaign_id: number | null;
  campaign_name: string | null;
  approval_required: number;
  approval_mode: string;
  approver_ids: number[];
  approval_rule: string | null;
  approval_reasons: string[];
  approval_due_at: Date | null;
  approval_status: string;
  approval_requested_at: Date | null;
  approval_decided_at: Date | null;
  approval_escalated_at: Date | null;
  late_at: Date | null;
  review_note: string | null;
  warnings: unknown[];
  status: string;
  decisions: { person_id: number; name: string; decision: string; note: string | null; at: string }[];
}

export interface PostQueueItem {
  kind: 'post';
  id: number;
  post: {
    id: number;
    status: string;
    scheduled_at: string | null;
    link: string | null;
    campaign: { id: number; name: string } | null;
    /** The scheduled time passed while the post waited (flagged by the approval timer, or at approval). */
    late: boolean;
    escalated: boolean;
  };
  community: { id: number; slug: string; name: string } | null;
  author: { id: number; name: string };
  account: { id: number; network: string; handle: string; display_name: string; paused: boolean };
  text: string;
  original_text: string;
  edited: boolean;
  visibility: 'public';
  rule: { id: null; name: string };
  reasons: string[];
  required: number;
  mode: string;
  approvals: number;
  decisions: PostQueueRow['decisions'];
  warnings: unknown[];
  status: string;
  due_at: string;
  overdue: boolean;
  created_at: string;
  decided_at: string | null;
  note: string | null;
  can_decide: boolean;
}

/**
 * Posts in the approval queue, shaped like the reply items with `kind: 'post'`: the post's community, the account
 * it will go out as, its scheduled time, its campaign. Decided with the publishing service's approve and reject.
 */
export async function listPostApprovals(
  db: Queryable,
  directory: Directory,
  person: PersonPrincipal,
  opts: { scope: QueueScope; status: (typeof REQUEST_STATUSES)[number]; limit: number },
): Promise<PostQueueItem[]> {
  const ids = [...directory.communities.keys()].filter((c) => canReadPosts(person, c));
  if (ids.length === 0) return [];
  const scopeSql =
    opts.scope === 'to_approve'
      ? `and $4 = any(p.approver_ids) and p.created_by <> $4
         and not exists (select 1 from post_approvals d where d.post_id = p.id and d.person_id = $4)`
      : opts.scope === 'mine'
        ? 'and p.created_by = $4'
        : 'and $4 = $4';
  const r = await db.query<PostQueueRow>(
    `select p.id::int, p.community_id, p.account_id, p.created_by, pe.name as author_name, p.text, p.original_text,
       p.link, p.scheduled_at, p.campaign_id, cp.name as campaign_name, p.approval_required, p.approval_mode,
       p.approver_ids, p.approval_rule, p.approval_reasons, p.approval_due_at, p.approval_status,
       p.approval_requested_at, p.approval_decided_at, p.approval_escalated_at, p.late_at, p.review_note, p.warnings,
       p.status,
       coalesce((select json_agg(json_build_object('person_id', d.person_id, 'name', dp.name, 'decision', d.decision,
           'note', d.note, 'at', d.created_at) order by d.id)
         from post_approvals d join people dp on dp.id = d.person_id where d.post_id = p.id), '[]') as decisions
     from posts p
     join people pe on pe.id = p.created_by
     left join campaigns cp on cp.id = p.campaign_id
     where p.org_id = $1 and p.community_id = any($2::int[]) and p.approval_status = $3
       ${opts.status === 'pending' ? "and p.status = 'pending_approval'" : ''} ${scopeSql}
     order by ${opts.status === 'pending' ? 'p.approval_due_at asc' : 'p.approval_requested_at desc, p.id desc'}
     limit $5`,
    [person.orgId, ids, opts.status, person.id, opts.limit],
  );
  const now = Date.now();
  return r.rows.map((row) => {
    const account = directory.accounts.get(row.account_id);
    const community = directory.communities.get(row.community_id);
    const pending = row.approval_status === 'pending';
    const due = row.approval_due_at ?? row.approval_requested_at ?? new Date(0);
    const original = row.original_text ?? row.text;
    return {
      kind: 'post' as const,
      id: row.id,
      post: {
        id: row.id,
        status: row.status,
        scheduled_at: row.scheduled_at?.toISOString() ?? null,
        link: row.link,
        campaign: row.campaign_id !== null ? { id: row.campaign_id, name: row.campaign_name ?? '' } : null,
        late: row.late_at !== null || (pending && isLate(row, new Date(now))),
        escalated: row.approval_escalated_at !== null,
      },
      community: community ? { id: community.id, slug: community.slug, name: community.name } : null,
      author: { id: row.created_by, name: row.author_name },
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
      original_text: original,
      edited: row.text !== original,
      visibility: 'public' as const,
      rule: { id: null, name: row.approval_rule ?? '' },
      reasons: row.approval_reasons,
      required: row.approval_required,
      mode: row.approval_mode,
      approvals: row.decisions.filter((d) => d.decision === 'approve').length,
      decisions: row.decisions,
      warnings: row.warnings,
      status: row.approval_status,
      due_at: due.toISOString(),
      overdue: pending && due.getTime() < now,
      created_at: (row.approval_requested_at ?? due).toISOString(),
      decided_at: row.approval_decided_at?.toISOString() ?? null,
      note: row.review_note,
      can_decide:
        pending &&
        row.status === 'pending_approval' &&
        row.created_by !== person.id &&
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
  /**
   * Posts, counted apart so the replies' figures keep their meaning: posts submitted in the period (their latest
   * submission), how many were sent for approval, and the delay from request to decision.
   */
  posts: {
    submitted: number;
    needed_approval: number;
    share_needing_approval: number;
    approved: number;
    rejected: number;
    pending: number;
    overdue: number;
    median_delay_seconds: number | null;
  };
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
  const pr = await db.query<{
    submitted: number;
    requested: number;
    approved: number;
    rejected: number;
    pending: number;
    overdue: number;
    median: number | null;
  }>(
    `with ps as (
       select * from posts
       where org_id = $1 and submitted_at >= $2 and submitted_at < $3 and ($4::int[] is null or community_id = any($4)))
     select
       (select count(*)::int from ps) as submitted,
       (select count(*)::int from ps where approval_status is not null) as requested,
       (select count(*)::int from ps where approval_status = 'approved') as approved,
       (select count(*)::int from ps where approval_status = 'rejected') as rejected,
       (select count(*)::int from ps where approval_status = 'pending') as pending,
       (select count(*)::int from ps where (approval_status = 'pending' and approval_due_at < now())
          or approval_decided_at > approval_due_at) as overdue,
       (select percentile_cont(0.5) within group (order by extract(epoch from approval_decided_at - approval_requested_at))
          from ps where approval_status in ('approved', 'rejected')) as median`,
    [orgId, period.from, period.to, communities],
  );
  const ps = pr.rows[0]!;
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
    posts: {
      submitted: ps.submitted,
      needed_approval: ps.requested,
      share_needing_approval: ps.submitted === 0 ? 0 : Math.round((ps.requested / ps.submitted) * 1000) / 1000,
      approved: ps.approved,
      rejected: ps.rejected,
      pending: ps.pending,
      overdue: ps.overdue,
      median_delay_seconds: ps.median === null ? null : Math.round(ps.median),
    },
  };
}
