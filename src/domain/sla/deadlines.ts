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
import { z } from 'zod';
import type { Queryable } from '../../server/db/database.ts';
import { PRIORITIES, type Priority } from '../routing/priorities.ts';
import { addBusinessMinutes, businessMinutesBetween, type Calendar, calendarSchema } from './calendar.ts';

export const SLA_CLOCKS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

export interface EscalationStep {
  /** Minutes after the breach at which the step runs (wall-clock). */
  after_minutes: number;
  raise_priority: boolean;
  notify: 'team_lead' | 'assignee' | null;
  /** Back to the team's queue: the assignee is removed. */
  reassign: 'team_queue' | null;
}

export interface SlaPolicy {
  /** Null for the built-in default. */
  id: number | null;
  name: string;
  /** Business minutes per clock and priority; a missing value means no such clock. */
  targets: Record<SlaClock, Partial<Record<Priority, number>>>;
  warnBeforeMinutes: number;
  escalation: EscalationStep[];
}

export interface SlaContext {
  orgId: number;
  policies: Map<number, SlaPolicy>;
  /** Treated as immutable: business-hours results are cached per calendar object. */
  calendars: Map<number, Calendar>;
  communities: Map<number, { calendarId: number | null; slaPolicyId: number | null }>;
  /** Policies or calendars that did not validate (they are ignored: default policy, around the clock). */
  problems: string[];
}

/** Used when a community has no policy: around the clock. */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  id: null,
  name: 'Default',
  targets: {
    first_response: { urgent: 15, high: 60, normal: 240, low: 1440 },
    next_response: { urgent: 7.5, high: 30, normal: 120, low: 720 },
    resolution: { urgent: 8 * 60, high: 24 * 60, normal: 72 * 60, low: 7 * 24 * 60 },
  },
  warnBeforeMinutes: 15,
  escalation: [],
};

const minutes = z.number().positive().max(10_000_000);
const priorityTargets = z.strictObject({
  urgent: minutes.optional(),
  high: minutes.optional(),
  normal: minutes.optional(),
  low: minutes.optional(),
});

export const policyTargetsSchema = z.object({
  first_response: priorityTargets.optional(),
  next_response: priorityTargets.optional(),
  resolution: priorityTargets.optional(),
});

export const escalationStepSchema = z.object({
  after_minutes: z.number().min(0).default(0),
  raise_priority: z.boolean().default(false),
  notify: z.enum(['team_lead', 'assignee']).nullable().default(null),
  reassign: z
    .union([z.literal('team_queue'), z.literal(true)])
    .nullable()
    .default(null)
    .transform((v) => (v === null ? null : ('team_queue' as const))),
});

export const escalationSchema = z.array(escalationStepSchema).max(20);

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

export function targetMinutes(policy: SlaPolicy, clock: SlaClock, priority: Priority): number | null {
  return policy.targets[clock][priority] ?? null;
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

export async function loadSlaContext(db: Queryable, orgId: number): Promise<SlaContext> {
  const [policies, calendars, communities] = await Promise.all([
    db.query<{ id: number; name: string; targets: unknown; warn_before_minutes: number; escalation: unknown }>(
      'select id, name, targets, warn_before_minutes, escalation from sla_policies where org_id = $1 order by id',
      [orgId],
    ),
    db.query<{ id: number; timezone: string; hours: unknown; holidays: unknown }>(
      'select id, timezone, hours, holidays from calendars where org_id = $1 order by id',
      [orgId],
    ),
    db.query<{ id: number; calendar_id: number | null; sla_policy_id: number | null }>(
      'select id, calendar_id, sla_policy_id from communities where org_id = $1',
      [orgId],
    ),
  ]);
  const ctx: SlaContext = { orgId, policies: new Map(), calendars: new Map(), communities: new Map(), problems: [] };
  for (const p of policies.rows) {
    const targets = policyTargetsSchema.safeParse(p.targets);
    const escalation = escalationSchema.safeParse(p.escalation);
    if (!targets.success || !escalation.success) {
      ctx.problems.push(`SLA policy ${p.id} (${p.name}) is invalid: ${(targets.error ?? escalation.error)?.message}`);
      continue;
    }
    ctx.policies.set(p.id, {
      id: p.id,
      name: p.name,
      targets: {
        first_response: targets.data.first_response ?? {},
        next_response: targets.data.next_response ?? {},
        resolution: targets.data.resolution ?? {},
      },
      warnBeforeMinutes: p.warn_before_minutes,
      escalation: escalation.data,
    });
  }
  for (const c of calendars.rows) {
    const parsed = calendarSchema.safeParse({ timezone: c.timezone, hours: c.hours, holidays: c.holidays });
    if (parsed.success) ctx.calendars.set(c.id, parsed.data);
    else ctx.problems.push(`calendar ${c.id} is invalid: ${parsed.error.message}`);
  }
  for (const c of communities.rows) {
    ctx.communities.set(c.id, { calendarId: c.calendar_id, slaPolicyId: c.sla_policy_id });
  }
  return ctx;
}
