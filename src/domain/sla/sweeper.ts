import type pg from 'pg';
import type { Logger } from 'pino';
import { transaction } from '../../server/db/database.ts';
import { publish } from '../../server/realtime/events.ts';
import { notify } from '../notifications/service.ts';
import { DEFAULT_SLA_POLICY, loadSlaContext, policyOf, refOf, type SlaClock, type SlaContext } from './deadlines.ts';
import { escalate, SWEPT_COLUMNS, type SweptCase, teamLeads } from './escalation.ts';

/**
 * The SLA timer. Each pass finds the running clocks whose deadline is near (within the policy's
 * `warn_before_minutes`) or past, and records each warning and breach once in `sla_events`, whose unique
 * index (case, clock, kind, due_at) is the arbiter between processes: the row is inserted with
 * `on conflict do nothing returning`, and only the transaction that inserted it tells people. A breach then
 * runs the policy's escalation steps. Each case is handled in its own transaction, under its row lock.
 */

const DAY_MS = 86_400_000;
/** How far back the first pass of a process looks for deadlines it may have missed while no process ran. */
const CATCH_UP_MS = 7 * DAY_MS;
/** Later passes look back to the previous pass, with this margin for transactions that committed late. */
const MARGIN_MS = 10 * 60_000;
const BATCH = 500;

export interface SweepOptions {
  now?: Date;
  /** When the previous pass ran; undefined: catch up over the last days. */
  since?: Date | undefined;
}

export interface SweepResult {
  warnings: number;
  breaches: number;
  escalations: number;
  /** More candidates than one pass takes: the next pass must look back as far again. */
  truncated: boolean;
  /** Cases that could not be handled this time (they stay due and are retried). */
  errors: string[];
}

interface Candidate {
  id: number;
  org_id: number;
  clock: SlaClock;
  due_at: Date;
}

const RUNNING: Record<SlaClock, string> = {
  first_response: `first_responded_at is null and status in ('new', 'open', 'waiting_internal')`,
  next_response: `next_response_due_at is not null and status in ('new', 'open', 'waiting_internal')`,
  resolution: `status not in ('resolved', 'closed') and sla_paused_at is null`,
};

function stillRunning(c: SweptCase, clock: SlaClock, due: Date): boolean {
  const same = (d: Date | null) => d !== null && d.getTime() === due.getTime();
  const active = ['new', 'open', 'waiting_internal'].includes(c.status);
  if (clock === 'first_response') return active && c.first_responded_at === null && same(c.first_response_due_at);
  if (clock === 'next_response') return active && same(c.next_response_due_at);
  return c.status !== 'resolved' && c.status !== 'closed' && c.sla_paused_at === null && same(c.resolution_due_at);
}

async function candidates(pool: pg.Pool, now: Date, from: Date, maxWarnMinutes: number) {
  const until = new Date(now.getTime() + maxWarnMinutes * 60_000);
  const part = (clock: SlaClock) =>
    `select id, '${clock}'::text as clock, ${clock}_due_at as due_at from cases
     where ${RUNNING[clock]} and ${clock}_due_at <= $1 and ${clock}_due_at > $2`;
  const fired = (kind: string) =>
    `exists (select 1 from sla_events e where e.case_id = c.id and e.clock = k.clock and e.kind = '${kind}'
       and e.due_at = k.due_at)`;
  // The case's policy, as policyOf picks it (the default's values when it has none).
  const r = await pool.query<Candidate>(
    `select c.id, c.org_id, k.clock, k.due_at
     from (${part('first_response')} union all ${part('next_response')} union all ${part('resolution')}) k
     join cases c on c.id = k.id
     left join communities cm on cm.id = c.community_id
     left join sla_policies sp on sp.id = coalesce(c.sla_policy_id, cm.sla_policy_id)
     where (k.due_at > $3 and k.due_at - make_interval(mins => coalesce(sp.warn_before_minutes, $4)) <= $3
            and not ${fired('warning')})
        or (k.due_at <= $3 and (not ${fired('breach')} or c.escalation_level <
            case when sp.id is null then $5 when jsonb_typeof(sp.escalation) = 'array'
              then jsonb_array_length(sp.escalation) else 0 end))
     order by k.due_at, c.id limit $6`,
    [until, from, now, DEFAULT_SLA_POLICY.warnBeforeMinutes, DEFAULT_SLA_POLICY.escalation.length, BATCH],
  );
  return r.rows;
}

/** One pass over every organization's clocks. */
export async function sweepSla(pool: pg.Pool, opts: SweepOptions = {}): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const orgs = await pool.query<{ id: number }>('select id from organizations order by id');
  const contexts = new Map<number, SlaContext>();
  for (const o of orgs.rows) contexts.set(o.id, await loadSlaContext(pool, o.id));
  const policies = [DEFAULT_SLA_POLICY, ...[...contexts.values()].flatMap((c) => [...c.policies.values()])];
  const maxWarn = Math.max(...policies.map((p) => p.warnBeforeMinutes));
  const maxAfter = Math.max(0, ...policies.flatMap((p) => p.escalation.map((s) => s.after_minutes)));
  const from = opts.since
    ? new Date(Math.min(opts.since.getTime() - MARGIN_MS, now.getTime() - maxAfter * 60_000 - MARGIN_MS))
    : new Date(now.getTime() - CATCH_UP_MS);
  const found = await candidates(pool, now, from, maxWarn);
  const result: SweepResult = {
    warnings: 0,
    breaches: 0,
    escalations: 0,
    truncated: found.length >= BATCH,
    errors: [],
  };
  for (const cand of found) {
    const ctx = contexts.get(cand.org_id);
    // One case that fails (e.g. a deadlock victim) must not hold back the others; the next pass retries it.
    if (ctx) {
      await transaction(pool, (tx) => handle(tx, ctx, cand, now, result)).catch((err: unknown) => {
        result.errors.push(`case ${cand.id}: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
  }
  return result;
}

async function handle(tx: pg.PoolClient, ctx: SlaContext, cand: Candidate, now: Date, result: SweepResult) {
  const r = await tx.query<SweptCase>(`select ${SWEPT_COLUMNS} from cases where id = $1 for update`, [cand.id]);
  const c = r.rows[0];
  // Changed since the candidates were read (answered, paused, re-targeted): the next pass sees the new state.
  if (!c || !stillRunning(c, cand.clock, cand.due_at)) return;
  const policy = policyOf(ctx, refOf(c));
  const breached = cand.due_at.getTime() <= now.getTime();
  const warn = !breached && cand.due_at.getTime() - policy.warnBeforeMinutes * 60_000 <= now.getTime();
  if (!breached && !warn) return;
  const kind = breached ? 'breach' : 'warning';
  const ins = await tx.query(
    `insert into sla_events (org_id, case_id, clock, kind, due_at) values ($1, $2, $3, $4, $5)
     on conflict (case_id, clock, kind, due_at) do nothing returning id`,
    [c.org_id, c.id, cand.clock, kind, cand.due_at],
  );
  const notified = new Set<number>();
  if (ins.rowCount === 1) {
    if (breached) result.breaches++;
    else result.warnings++;
    const data = { clock: cand.clock, due_at: cand.due_at.toISOString() };
    await tx.query(`insert into case_events (org_id, case_id, kind, data) values ($1, $2, $3, $4)`, [
      c.org_id,
      c.id,
      `sla_${kind}`,
      { ...data, priority: c.priority },
    ]);
    // The assignee is told; an unassigned breach goes to the team's leads.
    const recipients = c.assignee_id !== null ? [c.assignee_id] : breached ? await teamLeads(tx, c) : [];
    const told = await notify(tx, { orgId: c.org_id, personIds: recipients, kind: `sla_${kind}`, caseId: c.id, data });
    for (const n of told) notified.add(n.person_id);
    await publish(tx, [
      { type: `sla.${kind}`, org_id: c.org_id, case_id: c.id, community_id: c.community_id, clock: cand.clock },
    ]);
  }
  if (breached)
    result.escalations += await escalate(tx, ctx, policy, c, { clock: cand.clock, dueAt: cand.due_at }, now, notified);
}

/** Runs `sweepSla` every `intervalMs` in this process; several processes may run it on one database. */
export class SlaSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastPass: Date | undefined;
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
    const started = new Date();
    this.running = sweepSla(this.deps.pool, { now: started, since: this.lastPass })
      .then((r) => {
        if (!r.truncated && r.errors.length === 0) this.lastPass = started;
        if (r.errors.length > 0)
          this.deps.log.warn({ errors: r.errors.slice(0, 10) }, 'SLA timers failed for some cases');
        if (r.warnings + r.breaches + r.escalations > 0) {
          this.deps.log.info(
            { warnings: r.warnings, breaches: r.breaches, escalations: r.escalations },
            'SLA timers fired',
          );
        }
      })
      .catch((err: unknown) => this.deps.log.warn({ err }, 'SLA pass failed'))
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
