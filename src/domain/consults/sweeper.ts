import type pg from 'pg';
import type { Logger } from 'pino';
import { transaction } from '../../server/db/database.ts';
import { audit } from '../audit/log.ts';
import { notify } from '../notifications/service.ts';
import { ESCALATION_GRACE_MINUTES } from './model.ts';
import { notifyAboutConsult } from './notify.ts';

/**
 * The consult timer. At its due time an open consult reminds the expert (or the asked team); after the grace
 * period it escalates to the leads of its team and to the asker. Each step happens once: a consult is handled
 * in its own transaction, claimed with `for update skip locked`, and the step's column (`reminded_at`,
 * `escalated_at`) is set in the same transaction, so several processes never repeat a step.
 */

const BATCH = 200;

export interface ConsultSweepResult {
  reminders: number;
  escalations: number;
  errors: string[];
}

interface Due {
  id: number;
  org_id: number;
  case_id: number;
  asker_id: number;
  expert_person_id: number | null;
  expert_team_id: number | null;
  team_id: number | null;
  due_at: Date;
  reminded_at: Date | null;
  escalated_at: Date | null;
  community_id: number;
}

export async function sweepConsults(
  pool: pg.Pool,
  opts: { now?: Date; graceMinutes?: number } = {},
): Promise<ConsultSweepResult> {
  const now = opts.now ?? new Date();
  const grace = opts.graceMinutes ?? ESCALATION_GRACE_MINUTES;
  const result: ConsultSweepResult = { reminders: 0, escalations: 0, errors: [] };
  const found = await pool.query<{ id: number }>(
    `select id from consults
     where status = 'open' and due_at <= $1
       and (reminded_at is null or (escalated_at is null and due_at + make_interval(mins => $2) <= $1))
     order by due_at, id limit $3`,
    [now, grace, BATCH],
  );
  for (const { id } of found.rows) {
    await transaction(pool, (tx) => handle(tx, id, now, grace, result)).catch((err: unknown) => {
      result.errors.push(`consult ${id}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
  return result;
}

async function handle(tx: pg.PoolClient, id: number, now: Date, grace: number, result: ConsultSweepResult) {
  const r = await tx.query<Due>(
    `select k.id, k.org_id, k.case_id, k.asker_id, k.expert_person_id, k.expert_team_id, k.team_id, k.due_at,
       k.reminded_at, k.escalated_at, c.community_id
     from consults k join cases c on c.id = k.case_id
     where k.id = $1 and k.status = 'open' for update of k skip locked`,
    [id],
  );
  const k = r.rows[0];
  // Answered meanwhile, or another process holds it: nothing to do here.
  if (!k) return;
  const due = { due_at: k.due_at.toISOString() };
  if (k.reminded_at === null && k.due_at.getTime() <= now.getTime()) {
    await tx.query('update consults set reminded_at = $2 where id = $1', [k.id, now]);
    const experts =
      k.expert_person_id !== null
        ? [k.expert_person_id]
        : (
            await tx.query<{ person_id: number }>('select person_id from team_members where team_id = $1', [
              k.expert_team_id,
            ])
          ).rows.map((row) => row.person_id);
    await notifyAboutConsult(tx, {
      orgId: k.org_id,
      personIds: experts.filter((p) => p !== k.asker_id),
      kind: 'consult',
      consultId: k.id,
      communityId: k.community_id,
      data: { ...due, reminder: true },
    });
    await audit(tx, {
      orgId: k.org_id,
      action: 'consult.reminded',
      subjectType: 'consult',
      subjectId: k.id,
      data: due,
    });
    result.reminders++;
  }
  if (k.escalated_at === null && k.due_at.getTime() + grace * 60_000 <= now.getTime()) {
    await tx.query('update consults set escalated_at = $2 where id = $1', [k.id, now]);
    const team = k.team_id ?? k.expert_team_id;
    const leads =
      team === null
        ? []
        : (
            await tx.query<{ person_id: number }>('select person_id from team_members where team_id = $1 and is_lead', [
              team,
            ])
          ).rows.map((row) => row.person_id);
    await notifyAboutConsult(tx, {
      orgId: k.org_id,
      personIds: leads.filter((p) => p !== k.asker_id && p !== k.expert_person_id),
      kind: 'consult_overdue',
      consultId: k.id,
      communityId: k.community_id,
      data: due,
    });
    await notify(tx, {
      orgId: k.org_id,
      personIds: [k.asker_id],
      kind: 'consult_overdue',
      caseId: k.case_id,
      data: { ...due, consult_id: k.id },
    });
    await tx.query(`insert into case_events (org_id, case_id, kind, data) values ($1, $2, 'consult_overdue', $3)`, [
      k.org_id,
      k.case_id,
      { consult_id: k.id, ...due },
    ]);
    await audit(tx, {
      orgId: k.org_id,
      action: 'consult.escalated',
      subjectType: 'consult',
      subjectId: k.id,
      data: { ...due, leads },
    });
    result.escalations++;
  }
}

/** Runs `sweepConsults` every `intervalMs` in this process; several processes may run it on one database. */
export class ConsultSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly deps: { pool: pg.Pool; log: Logger; intervalMs: number };

  constructor(deps: { pool: pg.Pool; log: Logger; intervalMs: number }) {
    this.deps = deps;
  }

  start(): void {
    if (this.deps.intervalMs <= 0) return;
    this.timer = setInterval(() => this.kick(), this.deps.intervalMs);
    this.kick();
  }

  kick(): void {
    if (this.stopped || this.running) return;
    this.running = sweepConsults(this.deps.pool)
      .then((r) => {
        if (r.errors.length > 0) this.deps.log.warn({ errors: r.errors.slice(0, 10) }, 'consult timers failed');
        if (r.reminders + r.escalations > 0)
          this.deps.log.info({ reminders: r.reminders, escalations: r.escalations }, 'consult timers fired');
      })
      .catch((err: unknown) => this.deps.log.warn({ err }, 'consult pass failed'))
      .finally(() => {
        this.running = undefined;
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
