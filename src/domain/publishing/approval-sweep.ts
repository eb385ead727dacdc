import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { audit } from '../audit/log.ts';
import { notifyPost } from './notify.ts';

/**
 * The approval timer for posts, run by the `ApprovalSweeper` with the replies' one. For each post waiting for
 * approval, once each:
 *
 * - **reminder** at its deadline (`approval_due_at`): its approvers who have not decided and its author are told
 *   (`post_approval_overdue`);
 * - **escalation** when it still waits one more approval period later (deadline + the time it was given): the
 *   leaders join its approvers (for an "any" group) and are told (`post_approval_overdue` with `escalated_to`);
 * - **late**: its scheduled time passed while it waited (`late_at` set): its approvers and its author are told
 *   (`post_approval_late`); approved later, it goes out at approval time, marked late.
 *
 * Each step is claimed with `for update skip locked` and marked in the same transaction, so several processes
 * never repeat it. The clock is injectable.
 */

const BATCH = 200;

interface Waiting {
  id: number;
  org_id: number;
  community_id: number;
  account_id: number;
  created_by: number;
  approver_ids: number[];
  approval_mode: string;
  approval_due_at: Date;
  approval_requested_at: Date;
  scheduled_at: Date | null;
  decided: number[];
}

const SELECT = `select p.id::int, p.org_id, p.community_id, p.account_id, p.created_by, p.approver_ids, p.approval_mode,
    p.approval_due_at, p.approval_requested_at, p.scheduled_at,
    coalesce((select array_agg(a.person_id) from post_approvals a where a.post_id = p.id), '{}') as decided
  from posts p
  where p.status = 'pending_approval' and p.approval_due_at is not null and p.approval_requested_at is not null`;

export interface PostSweep {
  reminded: number;
  escalated: number;
  late: number;
}

export async function sweepPostApprovals(pool: pg.Pool, now: Date = new Date()): Promise<PostSweep> {
  const reminded = await transaction(pool, async (tx) => {
    const r = await tx.query<Waiting>(
      `${SELECT} and p.approval_reminded_at is null and p.approval_due_at <= $1
       order by p.approval_due_at limit $2 for update of p skip locked`,
      [now, BATCH],
    );
    for (const p of r.rows) {
      await tx.query('update posts set approval_reminded_at = $2 where id = $1', [p.id, now]);
      await audit(tx, {
        orgId: p.org_id,
        action: 'post.approval_overdue',
        actorPersonId: null,
        accountId: p.account_id,
        subjectType: 'post',
        subjectId: p.id,
        data: { due_at: p.approval_due_at.toISOString() },
      });
      await notifyPost(tx, {
        orgId: p.org_id,
        personIds: [...p.approver_ids.filter((a) => !p.decided.includes(a)), p.created_by],
        kind: 'post_approval_overdue',
        postId: p.id,
        communityId: p.community_id,
        data: { due_at: p.approval_due_at.toISOString() },
      });
    }
    return r.rows.length;
  });

  const escalated = await transaction(pool, async (tx) => {
    const r = await tx.query<Waiting>(
      `${SELECT} and p.approval_reminded_at is not null and p.approval_escalated_at is null
         and p.approval_due_at + (p.approval_due_at - p.approval_requested_at) <= $1
       order by p.approval_due_at limit $2 for update of p skip locked`,
      [now, BATCH],
    );
    for (const p of r.rows) {
      const leaders = await tx.query<{ id: number }>(
        `select id from people where org_id = $1 and role = 'leader' and active and id <> $2 order by id`,
        [p.org_id, p.created_by],
      );
      const ids = leaders.rows.map((l) => l.id).filter((l) => !p.decided.includes(l));
      // An "any" group gains the leaders, who may then decide; an "all" group keeps its members (the leaders are
      // told, and can cancel or reschedule the post).
      const joined = p.approval_mode === 'any' ? ids.filter((l) => !p.approver_ids.includes(l)) : [];
      await tx.query(
        'update posts set approval_escalated_at = $2, approver_ids = approver_ids || $3::int[] where id = $1',
        [p.id, now, joined],
      );
      await audit(tx, {
        orgId: p.org_id,
        action: 'post.approval_escalated',
        actorPersonId: null,
        accountId: p.account_id,
        subjectType: 'post',
        subjectId: p.id,
        data: { due_at: p.approval_due_at.toISOString(), leaders: ids, joined },
      });
      await notifyPost(tx, {
        orgId: p.org_id,
        personIds: ids,
        kind: 'post_approval_overdue',
        postId: p.id,
        communityId: p.community_id,
        data: { due_at: p.approval_due_at.toISOString(), escalated_to: 'leaders' },
      });
    }
    return r.rows.length;
  });

  const late = await transaction(pool, async (tx) => {
    const r = await tx.query<Waiting>(
      `${SELECT} and p.late_at is null and p.scheduled_at <= $1 and p.scheduled_at > p.approval_requested_at
       order by p.scheduled_at limit $2 for update of p skip locked`,
      [now, BATCH],
    );
    for (const p of r.rows) {
      await tx.query('update posts set late_at = $2 where id = $1', [p.id, now]);
      await audit(tx, {
        orgId: p.org_id,
        action: 'post.late',
        actorPersonId: null,
        accountId: p.account_id,
        subjectType: 'post',
        subjectId: p.id,
        data: { scheduled_at: p.scheduled_at?.toISOString() ?? null },
      });
      await notifyPost(tx, {
        orgId: p.org_id,
        personIds: [...p.approver_ids.filter((a) => !p.decided.includes(a)), p.created_by],
        kind: 'post_approval_late',
        postId: p.id,
        communityId: p.community_id,
        data: { scheduled_at: p.scheduled_at?.toISOString() ?? null },
      });
    }
    return r.rows.length;
  });

  return { reminded, escalated, late };
}
