/**
 * SLA policies and the deadlines of a case's three clocks (first response, next response, resolution), in
 * business minutes of the community's calendar.
 *
 * The organization's policies and calendars are held in memory (`SlaContext`, loaded by `loadSlaContext`
 * and reloaded with the directory). What the ingest path calls, inside its transaction, with `now` the
 * instant the batch is stored:
 *
 * - a new case (routing chose `priority`):
 *     const d = newCaseDeadlines(sla, community.id, priority, now);
 *     // store on the case row: sla_policy_id = d.sla_policy_id, first_response_due_at = d.first_response_due_at,
 *     // resolution_due_at = d.resolution_due_at (Dates, or null when the policy sets no target)
 * - a customer message attached to an existing case (after locking it, before changing its status):
 *     const set = customerMessageClocks(sla, state, now);
 *     // `state` is the case as locked: its CaseClocks columns (community_id, sla_policy_id, status, priority,
 *     // first_response_due_at, first_responded_at, next_response_due_at, resolution_due_at, sla_paused_at);
 *     // `set` holds only the columns to change: the next-response deadline once the brand has answered, the
 *     // resolution clock resumed (was waiting for the customer) or restarted (reopened).
 *
 * `deadline(sla, { communityId }, clock, priority, from)` is the primitive both use.
 */
import type { Queryable } from '../../server/db/database.ts';
import { PRIORITIES, type Priority } from '../routing/priorities.ts';
import { addBusinessMinutes, businessMinutesBetween, type Calendar } from './calendar.ts';
import {
  addCalendar,
  addPolicy,
  type CalendarRow,
  DEFAULT_SLA_POLICY,
  emptySlaContext,
  type PolicyRow,
  type SlaClock,
  type SlaContext,
  type SlaPolicy,
  targetMinutes,
} from './policy.ts';

export { DEFAULT_SLA_POLICY, SLA_CLOCKS, type SlaClock, type SlaContext, type SlaPolicy } from './policy.ts';

export interface SlaRef {
  communityId: number;
  /** The policy the case was created under (`cases.sla_policy_id`); null or undefined: the community's. */
  slaPolicyId?: number | null | undefined;
  /** Another calendar than the community's; undefined: the community's; null: around the clock. */
  calendarId?: number | null | undefined;
}

export function policyOf(ctx: SlaContext, ref: SlaRef): SlaPolicy {
  const id = ref.slaPolicyId ?? ctx.communities.get(ref.communityId)?.slaPolicyId ?? null;
  return (id !== null && ctx.policies.get(id)) || DEFAULT_SLA_POLICY;
}

export function calendarOf(ctx: SlaContext, ref: SlaRef): Calendar | null {
  const id = ref.calendarId === undefined ? (ctx.communities.get(ref.communityId)?.calendarId ?? null) : ref.calendarId;
  return id === null ? null : (ctx.calendars.get(id) ?? null);
}

/** When a clock started at `from` is due; null when the policy sets no target for this clock and priority. */
export function deadline(ctx: SlaContext, ref: SlaRef, clock: SlaClock, priority: Priority, from: Date): Date | null {
  const target = targetMinutes(policyOf(ctx, ref), clock, priority);
  return target === null ? null : addBusinessMinutes(from, target, calendarOf(ctx, ref));
}

export interface NewCaseDeadlines {
  sla_policy_id: number | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
}

export function newCaseDeadlines(
  ctx: SlaContext,
  communityId: number,
  priority: Priority,
  now: Date,
): NewCaseDeadlines {
  const ref = { communityId };
  return {
    sla_policy_id: policyOf(ctx, ref).id,
    first_response_due_at: deadline(ctx, ref, 'first_response', priority, now),
    resolution_due_at: deadline(ctx, ref, 'resolution', priority, now),
  };
}

/** The clock columns of a case, as read under its row lock. */
export interface CaseClocks {
  community_id: number;
  sla_policy_id: number | null;
  status: string;
  priority: string;
  first_response_due_at: Date | null;
  first_responded_at: Date | null;
  next_response_due_at: Date | null;
  resolution_due_at: Date | null;
  sla_paused_at: Date | null;
}

export type ClockColumns = Partial<
  Pick<CaseClocks, 'first_response_due_at' | 'next_response_due_at' | 'resolution_due_at' | 'sla_paused_at'>
>;

export function refOf(c: Pick<CaseClocks, 'community_id' | 'sla_policy_id'>): SlaRef {
  return { communityId: c.community_id, slaPolicyId: c.sla_policy_id };
}

export function asPriority(p: string): Priority {
  return (PRIORITIES as readonly string[]).includes(p) ? (p as Priority) : 'normal';
}

/** A paused resolution clock resumed at `now` with the business minutes it had left (none left: unchanged). */
export function resumedDue(ctx: SlaContext, c: CaseClocks, now: Date): Date | null {
  if (!c.resolution_due_at || !c.sla_paused_at) return c.resolution_due_at;
  const calendar = calendarOf(ctx, refOf(c));
  const left = businessMinutesBetween(c.sla_paused_at, c.resolution_due_at, calendar);
  return left > 0 ? addBusinessMinutes(now, left, calendar) : c.resolution_due_at;
}

/** Clock changes when a customer message reaches an existing case (see the header). */
export function customerMessageClocks(ctx: SlaContext, c: CaseClocks, now: Date): ClockColumns {
  const ref = refOf(c);
  const priority = asPriority(c.priority);
  const set: ClockColumns = {};
  const reopened = c.status === 'resolved' || c.status === 'closed';
  if (reopened) {
    set.resolution_due_at = deadline(ctx, ref, 'resolution', priority, now);
    if (c.sla_paused_at) set.sla_paused_at = null;
    if (!c.first_responded_at) set.first_response_due_at = deadline(ctx, ref, 'first_response', priority, now);
  } else if (c.sla_paused_at) {
    set.resolution_due_at = resumedDue(ctx, c, now);
    set.sla_paused_at = null;
  }
  if (c.first_responded_at && (reopened || !c.next_response_due_at)) {
    set.next_response_due_at = deadline(ctx, ref, 'next_response', priority, now);
  }
  return set;
}

/** The organization's policies, calendars and community settings, for an in-memory context. */
export async function loadSlaContext(db: Queryable, orgId: number): Promise<SlaContext> {
  const [policies, calendars, communities] = await Promise.all([
    db.query<PolicyRow>(
      'select id, name, targets, warn_before_minutes, escalation from sla_policies where org_id = $1 order by id',
      [orgId],
    ),
    db.query<CalendarRow>('select id, timezone, hours, holidays from calendars where org_id = $1 order by id', [orgId]),
    db.query<{ id: number; calendar_id: number | null; sla_policy_id: number | null }>(
      'select id, calendar_id, sla_policy_id from communities where org_id = $1',
      [orgId],
    ),
  ]);
  const ctx = emptySlaContext(orgId);
  for (const p of policies.rows) addPolicy(ctx, p);
  for (const c of calendars.rows) addCalendar(ctx, c);
  for (const c of communities.rows) {
    ctx.communities.set(c.id, { calendarId: c.calendar_id, slaPolicyId: c.sla_policy_id });
  }
  return ctx;
}

/**
 * Just what one case needs (its community, policy and calendar), read in one query inside the caller's
 * transaction: for services that change a case now and then, so they always see the current policy.
 */
export async function loadCaseSlaContext(
  db: Queryable,
  orgId: number,
  c: Pick<CaseClocks, 'community_id' | 'sla_policy_id'>,
): Promise<SlaContext> {
  const r = await db.query<{
    calendar_id: number | null;
    sla_policy_id: number | null;
    policy: PolicyRow | null;
    calendar: CalendarRow | null;
  }>(
    `select cm.calendar_id, cm.sla_policy_id,
       (select to_jsonb(sp) from sla_policies sp where sp.id = coalesce($3, cm.sla_policy_id) and sp.org_id = $1) as policy,
       (select to_jsonb(cal) from calendars cal where cal.id = cm.calendar_id and cal.org_id = $1) as calendar
     from communities cm where cm.id = $2 and cm.org_id = $1`,
    [orgId, c.community_id, c.sla_policy_id],
  );
  const ctx = emptySlaContext(orgId);
  const row = r.rows[0];
  if (!row) return ctx;
  ctx.communities.set(c.community_id, { calendarId: row.calendar_id, slaPolicyId: row.sla_policy_id });
  if (row.policy) addPolicy(ctx, row.policy);
  if (row.calendar) addCalendar(ctx, row.calendar);
  return ctx;
}
