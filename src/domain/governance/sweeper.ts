import type pg from 'pg';
import type { Logger } from 'pino';
import { transaction } from '../../server/db/database.ts';
import { notify } from '../notifications/service.ts';
import { sweepPostApprovals } from '../publishing/approval-sweep.ts';

/**
 * The approval timer: a reply still waiting for approval past its deadline tells its approvers who have not
 * decided, and its author, once. The `approval_overdue` case event written in the same transaction marks it done;
 * each request is claimed with `for update skip locked`, so several processes never repeat it. Posts waiting for
 * approval get the same timer, with an escalation to the leaders and a flag when their scheduled time passes
 * (`sweepPostApprovals`).
 */

const BATCH = 200;

export async function sweepOverdueApprovals(pool: pg.Pool, now: Date = new Date()): Promise<number> {
  const found = await pool.query<{ id: number }>(
    `select ar.id from approval_requests ar
     where ar.status = 'pending' and ar.due_at <= $1
       and not exists (select 1 from case_events e where e.case_id = ar.case_id and e.kind = 'approval_overdue'
         and e.data->>'approval_id' = ar.id::text)
     order by ar.due_at limit $2`,
    [now, BATCH],
  );
  let fired = 0;
  for (const { id } of found.rows) {
    fired += await transaction(pool, async (tx) => {
      const r = await tx.query<{
        id: number;
        org_id: number;
        case_id: number;
        author_id: number;
        approver_ids: number[];
        due_at: Date;
      }>(
        `select ar.id, ar.org_id, ar.case_id, ar.author_id, ar.approver_ids, ar.due_at from approval_requests ar
         where ar.id = $1 and ar.status = 'pending'
           and not exists (select 1 from case_events e where e.case_id = ar.case_id and e.kind = 'approval_overdue'
             and e.data->>'approval_id' = ar.id::text)
         for update of ar skip locked`,
        [id],
      );
      const row = r.rows[0];
      if (!row) return 0;
      const decided = await tx.query<{ person_id: number }>(
        'select person_id from approval_decisions where request_id = $1',
        [id],
      );
      const done = new Set(decided.rows.map((d) => d.person_id));
      await tx.query(
        `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, null, 'approval_overdue', $3)`,
        [row.org_id, row.case_id, { approval_id: row.id, due_at: row.due_at.toISOString() }],
      );
      await notify(tx, {
        orgId: row.org_id,
        personIds: [...row.approver_ids.filter((p) => !done.has(p)), row.author_id],
        kind: 'approval_overdue',
        caseId: row.case_id,
        data: { approval_id: row.id, due_at: row.due_at.toISOString() },
      });
      return 1;
    });
  }
  return fired;
}

export class ApprovalSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly deps: { pool: pg.Pool; log: Logger; intervalMs: number; now?: () => Date };

  constructor(deps: { pool: pg.Pool; log: Logger; intervalMs: number; now?: () => Date }) {
    this.deps = deps;
  }

  start(): void {
    if (this.deps.intervalMs <= 0) return;
    this.timer = setInterval(() => this.kick(), this.deps.intervalMs);
    this.kick();
  }

  kick(): void {
    if (this.stopped || this.running) return;
    this.running = this.pass()
      .then(({ replies, posts }) => {
        if (replies > 0) this.deps.log.info({ overdue: replies }, 'approvals overdue');
        if (posts.reminded + posts.escalated + posts.late > 0) this.deps.log.info(posts, 'post approvals overdue');
      })
      .catch((err: unknown) => this.deps.log.warn({ err }, 'approval pass failed'))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** One pass at the clock's time: overdue replies, then posts (reminders, escalations, late posts). */
  async pass(): Promise<{ replies: number; posts: Awaited<ReturnType<typeof sweepPostApprovals>> }> {
    const now = this.deps.now?.() ?? new Date();
    const replies = await sweepOverdueApprovals(this.deps.pool, now);
    const posts = await sweepPostApprovals(this.deps.pool, now);
    return { replies, posts };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
