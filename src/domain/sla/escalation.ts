import type { Queryable } from '../../server/db/database.ts';
import { publish } from '../../server/realtime/events.ts';
import { audit } from '../audit/log.ts';
import { notify } from '../notifications/service.ts';
import { raisePriority } from '../routing/priorities.ts';
import { caseChangeClocks, clockSets, describeClocks } from './clocks.ts';
import { asPriority, type CaseClocks, type SlaClock, type SlaContext, type SlaPolicy } from './deadlines.ts';

/** A case as the sweeper locks it. */
export interface SweptCase extends CaseClocks {
  id: number;
  org_id: number;
  team_id: number | null;
  assignee_id: number | null;
  escalation_level: number;
}

export const SWEPT_COLUMNS =
  'id, org_id, team_id, assignee_id, escalation_level, community_id, sla_policy_id, status, priority, ' +
  'first_response_due_at, first_responded_at, next_response_due_at, resolution_due_at, sla_paused_at';

/** The leads of the case's team (else of its community's default team). */
export async function teamLeads(tx: Queryable, c: SweptCase): Promise<number[]> {
  const r = await tx.query<{ person_id: number }>(
    `select tm.person_id from team_members tm
     where tm.is_lead and tm.team_id = coalesce($1, (select default_team_id from communities where id = $2))
     order by tm.person_id`,
    [c.team_id, c.community_id],
  );
  return r.rows.map((row) => row.person_id);
}

/**
 * Runs the policy's escalation steps that are due on a breached case, in order, each once: step n runs when
 * `escalation_level` is n and the breach is at least its `after_minutes` old. The case row must be locked;
 * `notified` holds who was already told about this breach in the transaction (not told twice).
 */
export async function escalate(
  tx: Queryable,
  ctx: SlaContext,
  policy: SlaPolicy,
  c: SweptCase,
  breach: { clock: SlaClock; dueAt: Date },
  now: Date,
  notified: Set<number>,
): Promise<number> {
  const steps = policy.escalation;
  const fromLevel = c.escalation_level;
  const lateMs = now.getTime() - breach.dueAt.getTime();
  const before = { priority: c.priority, assignee_id: c.assignee_id };
  const notifiedNow: number[] = [];
  let clocks = {};
  let level = fromLevel;
  while (level < steps.length && lateMs >= steps[level]!.after_minutes * 60_000) {
    const step = steps[level]!;
    level++;
    const tell = new Set<number>();
    if (step.notify === 'assignee' && c.assignee_id !== null) tell.add(c.assignee_id);
    if (step.notify === 'team_lead') for (const id of await teamLeads(tx, c)) tell.add(id);
    if (step.raise_priority) {
      const priority = raisePriority(asPriority(c.priority));
      if (priority !== c.priority) {
        const set = caseChangeClocks(ctx, c, { priority }, now);
        Object.assign(c, set);
        clocks = { ...clocks, ...set };
        c.priority = priority;
      }
    }
    if (step.reassign === 'team_queue') c.assignee_id = null;
    const recipients = [...tell].filter((id) => !notified.has(id));
    const told = await notify(tx, {
      orgId: c.org_id,
      personIds: recipients,
      kind: 'sla_breach',
      caseId: c.id,
      data: { clock: breach.clock, due_at: breach.dueAt.toISOString(), escalation: level },
    });
    for (const n of told) {
      notified.add(n.person_id);
      notifiedNow.push(n.person_id);
    }
  }
  const changes: Record<string, unknown> = {};
  if (before.priority !== c.priority) changes.priority = { from: before.priority, to: c.priority };
  if (before.assignee_id !== c.assignee_id) changes.assignee_id = { from: before.assignee_id, to: c.assignee_id };
  if (notifiedNow.length > 0) changes.notified = notifiedNow;
  if (level === fromLevel) return 0;
  const params: unknown[] = [c.id, level, c.priority, c.assignee_id];
  const sets = [
    'escalation_level = $2',
    'priority = $3',
    'assignee_id = $4',
    'assigned_at = case when $4::int is null then null else assigned_at end',
    ...clockSets(clocks, params),
  ];
  await tx.query(`update cases set ${sets.join(', ')}, updated_at = now() where id = $1`, params);
  const data = { level, from_level: fromLevel, clock: breach.clock, changes, sla: describeClocks(clocks) };
  await tx.query(`insert into case_events (org_id, case_id, kind, data) values ($1, $2, 'escalated', $3)`, [
    c.org_id,
    c.id,
    data,
  ]);
  await audit(tx, {
    orgId: c.org_id,
    action: 'case.escalated',
    subjectType: 'case',
    subjectId: c.id,
    data: { level, clock: breach.clock, fields: Object.keys(changes) },
  });
  await publish(tx, [{ type: 'case.updated', org_id: c.org_id, case_id: c.id, community_id: c.community_id }]);
  return level - fromLevel;
}
