import { z } from 'zod';
import type { Priority } from '../routing/priorities.ts';
import { type Calendar, calendarSchema } from './calendar.ts';

/** SLA policies as data: their shape, validation, the built-in default, and the in-memory context. */

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

export function targetMinutes(policy: SlaPolicy, clock: SlaClock, priority: Priority): number | null {
  return policy.targets[clock][priority] ?? null;
}

export interface PolicyRow {
  id: number;
  name: string;
  targets: unknown;
  warn_before_minutes: number;
  escalation: unknown;
}
export interface CalendarRow {
  id: number;
  timezone: string;
  hours: unknown;
  holidays: unknown;
}

/** Validates a stored policy into the context; an invalid one is reported in `problems` and left out. */
export function addPolicy(ctx: SlaContext, p: PolicyRow): void {
  const targets = policyTargetsSchema.safeParse(p.targets);
  const escalation = escalationSchema.safeParse(p.escalation);
  if (!targets.success || !escalation.success) {
    ctx.problems.push(`SLA policy ${p.id} (${p.name}) is invalid: ${(targets.error ?? escalation.error)?.message}`);
    return;
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

export function addCalendar(ctx: SlaContext, c: CalendarRow): void {
  const parsed = calendarSchema.safeParse({ timezone: c.timezone, hours: c.hours, holidays: c.holidays });
  if (parsed.success) ctx.calendars.set(c.id, parsed.data);
  else ctx.problems.push(`calendar ${c.id} is invalid: ${parsed.error.message}`);
}

export function emptySlaContext(orgId: number): SlaContext {
  return { orgId, policies: new Map(), calendars: new Map(), communities: new Map(), problems: [] };
}
