import type pg from 'pg';
import type { Logger } from 'pino';
import { transaction } from '../../server/db/database.ts';
import { publish, type RealtimeEvent } from '../../server/realtime/events.ts';
import { enqueueWebhookEvents } from '../webhooks/events.ts';
import { loadCandidates, pickAssignee, recordAssignments } from './assignment.ts';

/** What happens to a person's open cases when their shift ends (organization setting `off_duty_cases`). */
export type OffDutyPolicy = 'stay' | 'team_queue' | 'reassign';

const SWEEP_LOCK = 7_311_020;
/**
 * A community with its own off-duty policy (coverage settings, other than `stay`) is handled by the coverage
 * sweep instead (src/domain/coverage/backups.ts).
 */
const COVERED_BY_COMMUNITY =
  "exists (select 1 from coverage_settings cs where cs.community_id = c.community_id and cs.off_duty_policy <> 'stay')";
const INTERVAL_MS = 30_000;

interface Stale {
  id: number;
  org_id: number;
  community_id: number;
  assignee_id: number;
  language: string | null;
  minutes: number | null;
  off_duty: boolean;
}

/**
 * Keeps assignments alive: a case its assignee has not answered within the rule's delay goes to someone else
 * on duty, and — when the organization asks for it — the open cases of someone whose shift ended go back to
 * the team queue or to a colleague on duty. One process sweeps at a time (advisory lock).
 */
export async function sweepAssignments(pool: pg.Pool, orgId: number, offDuty: OffDutyPolicy, now = new Date()) {
  return transaction(pool, async (tx) => {
    const locked = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1, $2) as ok', [
      SWEEP_LOCK,
      orgId,
    ]);
    if (!locked.rows[0]?.ok) return { reassigned: 0, released: 0 };
    const candidates = await loadCandidates(tx, orgId, now);
    const offDutyIds = candidates.filter((c) => !c.onDuty).map((c) => c.id);
    const stale = await tx.query<Stale>(
      `select c.id, c.org_id, c.community_id, c.assignee_id, c.language,
         (c.routing->>'reassign_after_minutes')::int as minutes,
         (c.assignee_id = any($3::int[]) and not ${COVERED_BY_COMMUNITY}) as off_duty
       from cases c
       where c.org_id = $1 and c.assignee_id is not null and c.status in ('new', 'open')
         and (
           ((c.routing->>'reassign_after_minutes') is not null
             and c.assigned_at < $2::timestamptz - make_interval(mins => (c.routing->>'reassign_after_minutes')::int)
             and (c.last_outbound_at is null or c.last_outbound_at < c.assigned_at))
           or ($4 and c.assignee_id = any($3::int[]) and not ${COVERED_BY_COMMUNITY})
         )
       order by c.id
       limit 500
       for update skip locked`,
      [orgId, now, offDutyIds, offDuty !== 'stay'],
    );
    let reassigned = 0;
    let released = 0;
    const events: RealtimeEvent[] = [];
    const picked: number[] = [];
    for (const c of stale.rows) {
      const why = c.off_duty ? 'the assignee went off duty' : `no answer within ${c.minutes} minutes`;
      const pick =
        c.off_duty && offDuty === 'team_queue'
          ? { person: null, reason: 'back to the team queue' }
          : pickAssignee(
              candidates,
              {
                communityId: c.community_id,
                language: c.language ?? '',
                skills: [],
                strategy: 'least_loaded',
                exclude: c.assignee_id,
              },
              now,
            );
      const to = pick.person?.id ?? null;
      if (to === null && !c.off_duty) {
        // Nobody else can take it: leave it with its assignee rather than orphan it; the SLA clock keeps watch.
        continue;
      }
      await tx.query('update cases set assignee_id = $2, assigned_at = $3, updated_at = now() where id = $1', [
        c.id,
        to,
        to === null ? null : now,
      ]);
      if (to !== null) {
        await enqueueWebhookEvents(tx, c.org_id, [
          { event: 'case.assigned', caseId: c.id, data: { assignee_id: to, previous_assignee_id: c.assignee_id } },
        ]);
      }
      await tx.query(`insert into case_events (org_id, case_id, kind, data) values ($1, $2, 'reassigned', $3)`, [
        c.org_id,
        c.id,
        { from: c.assignee_id, to, reason: why, detail: pick.reason },
      ]);
      if (to === null) released++;
      else {
        reassigned++;
        picked.push(to);
      }
      events.push({
        type: 'case.updated',
        org_id: c.org_id,
        case_id: c.id,
        community_id: c.community_id,
        people: to === null ? [c.assignee_id] : [to, c.assignee_id],
      });
    }
    await recordAssignments(tx, picked, now);
    await publish(tx, events);
    return { reassigned, released };
  });
}

/** Runs the sweep periodically in this process (every process may run it; the lock keeps it single). */
export class AssignmentSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly deps: { pool: pg.Pool; orgId: () => number; offDuty: () => OffDutyPolicy; log: Logger };

  constructor(deps: { pool: pg.Pool; orgId: () => number; offDuty: () => OffDutyPolicy; log: Logger }) {
    this.deps = deps;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = sweepAssignments(this.deps.pool, this.deps.orgId(), this.deps.offDuty())
        .catch((err: unknown) => this.deps.log.warn({ err }, 'assignment sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, INTERVAL_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
