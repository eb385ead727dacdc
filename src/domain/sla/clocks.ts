import type { Priority } from '../routing/priorities.ts';
import { addBusinessMinutes, businessMinutesBetween } from './calendar.ts';
import {
  asPriority,
  type CaseClocks,
  type ClockColumns,
  calendarOf,
  deadline,
  policyOf,
  refOf,
  resumedDue,
  type SlaClock,
  type SlaContext,
} from './deadlines.ts';
import { targetMinutes } from './policy.ts';

/**
 * How a case's clocks move when people change it (status, priority). Pure: callers read the case under its
 * row lock, call `caseChangeClocks` with the change and `now`, and write the returned columns with the change.
 *
 * - entering `waiting_customer` pauses the resolution clock (`sla_paused_at`);
 * - leaving it resumes the clock with the business minutes it had left;
 * - `resolved` / `closed` stop every clock (nothing is due any more; the deadlines stay for reports);
 * - reopening restarts the resolution clock from the policy;
 * - a new priority re-targets the clocks still running: the business minutes already used count against the
 *   new target.
 * A reply actually sent stops the response clocks; the outbox worker does that in SQL.
 */

const STOPPED = new Set(['resolved', 'closed']);

export interface CaseChange {
  status?: string | undefined;
  priority?: Priority | undefined;
}

/** The deadline of a running clock after a priority change, measured from `at` (now, or when it was paused). */
export function retargetedDue(
  ctx: SlaContext,
  c: CaseClocks,
  clock: SlaClock,
  from: Priority,
  to: Priority,
  due: Date,
  at: Date,
): Date | null {
  const policy = policyOf(ctx, refOf(c));
  const calendar = calendarOf(ctx, refOf(c));
  const before = targetMinutes(policy, clock, from);
  const after = targetMinutes(policy, clock, to);
  if (after === null) return null;
  if (before === null) return addBusinessMinutes(at, after, calendar);
  const used = before - businessMinutesBetween(at, due, calendar);
  const left = after - used;
  if (left > 0) return addBusinessMinutes(at, left, calendar);
  // Already late under the new target: due now, or keep a deadline already past (its breach is not repeated).
  return due.getTime() <= at.getTime() ? due : at;
}

export function caseChangeClocks(ctx: SlaContext, c: CaseClocks, change: CaseChange, now: Date): ClockColumns {
  const set: ClockColumns = {};
  const s: CaseClocks = { ...c };
  const put = <K extends keyof ClockColumns>(key: K, value: CaseClocks[K]) => {
    if ((s[key]?.getTime() ?? null) === (value?.getTime() ?? null)) return;
    s[key] = value;
    set[key] = value;
  };
  const oldPriority = asPriority(c.priority);
  const priority = change.priority ?? oldPriority;

  if (priority !== oldPriority && !STOPPED.has(c.status)) {
    if (!s.first_responded_at && s.first_response_due_at) {
      put(
        'first_response_due_at',
        retargetedDue(ctx, s, 'first_response', oldPriority, priority, s.first_response_due_at, now),
      );
    }
    if (s.next_response_due_at) {
      put(
        'next_response_due_at',
        retargetedDue(ctx, s, 'next_response', oldPriority, priority, s.next_response_due_at, now),
      );
    }
    if (s.resolution_due_at) {
      const at = s.sla_paused_at ?? now;
      put('resolution_due_at', retargetedDue(ctx, s, 'resolution', oldPriority, priority, s.resolution_due_at, at));
    }
  }

  const from = c.status;
  const to = change.status ?? from;
  if (to === from) return set;
  if (STOPPED.has(to)) {
    if (!STOPPED.has(from)) {
      put('next_response_due_at', null);
      put('sla_paused_at', null);
    }
  } else if (STOPPED.has(from)) {
    put('resolution_due_at', deadline(ctx, refOf(s), 'resolution', priority, now));
    put('sla_paused_at', to === 'waiting_customer' && s.resolution_due_at ? now : null);
  } else if (to === 'waiting_customer') {
    if (s.resolution_due_at && !s.sla_paused_at) put('sla_paused_at', now);
  } else if (from === 'waiting_customer' && s.sla_paused_at) {
    put('resolution_due_at', resumedDue(ctx, s, now));
    put('sla_paused_at', null);
  }
  return set;
}

/** `set col = $n` fragments for the returned columns, appended to an UPDATE's parameter list. */
export function clockSets(set: ClockColumns, params: unknown[]): string[] {
  return Object.entries(set).map(([col, value]) => {
    params.push(value);
    return `${col} = $${params.length}`;
  });
}

/** The columns of a case `caseChangeClocks` needs, for a `select … for update`. */
export const CLOCK_COLUMNS =
  'community_id, sla_policy_id, status, priority, first_response_due_at, first_responded_at, next_response_due_at, ' +
  'resolution_due_at, sla_paused_at';

/** JSON-friendly copy of clock changes, for case events. */
export function describeClocks(set: ClockColumns): Record<string, string | null> {
  return Object.fromEntries(Object.entries(set).map(([k, v]) => [k, v ? v.toISOString() : null]));
}
