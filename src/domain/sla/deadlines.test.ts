import { describe, expect, it } from 'vitest';
import type { Calendar } from './calendar.ts';
import { caseChangeClocks } from './clocks.ts';
import {
  type CaseClocks,
  customerMessageClocks,
  DEFAULT_SLA_POLICY,
  deadline,
  newCaseDeadlines,
  type SlaContext,
  type SlaPolicy,
} from './deadlines.ts';

const office: Calendar = {
  timezone: 'Europe/Zurich',
  hours: {
    '1': [['08:00', '18:00']],
    '2': [['08:00', '18:00']],
    '3': [['08:00', '18:00']],
    '4': [['08:00', '18:00']],
    '5': [['08:00', '18:00']],
  },
  holidays: ['2026-12-25'],
};
const premium: SlaPolicy = {
  id: 7,
  name: 'Premium',
  targets: {
    first_response: { urgent: 10, high: 30, normal: 120 },
    next_response: { urgent: 10, high: 30, normal: 60, low: 240 },
    resolution: { urgent: 120, high: 600, normal: 1200, low: 3000 },
  },
  warnBeforeMinutes: 10,
  escalation: [],
};
// Community 1: no policy, no calendar. Community 2: premium policy, office hours. Community 3: premium, 24/7.
const ctx: SlaContext = {
  orgId: 1,
  policies: new Map([[7, premium]]),
  calendars: new Map([[3, office]]),
  communities: new Map([
    [1, { calendarId: null, slaPolicyId: null }],
    [2, { calendarId: 3, slaPolicyId: 7 }],
    [3, { calendarId: null, slaPolicyId: 7 }],
  ]),
  problems: [],
};

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : d);
// Monday 2 March 2026, 10:00 in Zurich.
const monday10 = at('2026-03-02T09:00:00Z');

describe('deadline', () => {
  it('uses the built-in default per priority, around the clock, when a community has no policy', () => {
    const ref = { communityId: 1 };
    const minutesTo = (
      clock: 'first_response' | 'next_response' | 'resolution',
      p: 'urgent' | 'high' | 'normal' | 'low',
    ) => (deadline(ctx, ref, clock, p, monday10)!.getTime() - monday10.getTime()) / 60_000;
    expect(['urgent', 'high', 'normal', 'low'].map((p) => minutesTo('first_response', p as 'low'))).toEqual([
      15, 60, 240, 1440,
    ]);
    expect(['urgent', 'high', 'normal', 'low'].map((p) => minutesTo('next_response', p as 'low'))).toEqual([
      7.5, 30, 120, 720,
    ]);
    expect(['urgent', 'high', 'normal', 'low'].map((p) => minutesTo('resolution', p as 'low'))).toEqual([
      8 * 60,
      24 * 60,
      72 * 60,
      7 * 24 * 60,
    ]);
    // An unknown community is served by the default too.
    expect(iso(deadline(ctx, { communityId: 99 }, 'first_response', 'high', monday10))).toBe(
      '2026-03-02T10:00:00.000Z',
    );
  });

  it('counts the community policy’s targets in its calendar’s business hours', () => {
    // Friday 6 March 17:00 local + 120 business minutes → Monday 9 March 09:00 local.
    const friday17 = at('2026-03-06T16:00:00Z');
    expect(iso(deadline(ctx, { communityId: 2 }, 'first_response', 'normal', friday17))).toBe(
      '2026-03-09T08:00:00.000Z',
    );
    // Same policy around the clock in community 3.
    expect(iso(deadline(ctx, { communityId: 3 }, 'first_response', 'normal', friday17))).toBe(
      '2026-03-06T18:00:00.000Z',
    );
    // The case's own policy and an explicit calendar override the community's.
    expect(
      iso(deadline(ctx, { communityId: 1, slaPolicyId: 7, calendarId: 3 }, 'first_response', 'normal', friday17)),
    ).toBe('2026-03-09T08:00:00.000Z');
    expect(iso(deadline(ctx, { communityId: 2, calendarId: null }, 'first_response', 'normal', friday17))).toBe(
      '2026-03-06T18:00:00.000Z',
    );
  });

  it('returns null when the policy sets no target for the clock and priority', () => {
    expect(deadline(ctx, { communityId: 2 }, 'first_response', 'low', monday10)).toBeNull();
  });

  it('gives what a new case stores', () => {
    expect(newCaseDeadlines(ctx, 2, 'high', monday10)).toEqual({
      sla_policy_id: 7,
      first_response_due_at: at('2026-03-02T09:30:00Z'),
      // 600 business minutes from Monday 10:00 → Tuesday 10:00.
      resolution_due_at: at('2026-03-03T09:00:00Z'),
    });
    expect(newCaseDeadlines(ctx, 1, 'urgent', monday10).sla_policy_id).toBe(DEFAULT_SLA_POLICY.id);
  });
});

const base: CaseClocks = {
  community_id: 2,
  sla_policy_id: 7,
  status: 'open',
  priority: 'normal',
  first_response_due_at: at('2026-03-02T11:00:00Z'),
  first_responded_at: null,
  next_response_due_at: null,
  // 1200 business minutes from Monday 10:00 → Wednesday 10:00.
  resolution_due_at: at('2026-03-04T09:00:00Z'),
  sla_paused_at: null,
};

describe('clocks on case changes', () => {
  it('pauses the resolution clock while waiting for the customer and resumes it with the minutes left', () => {
    // Paused Monday 17:00 local: to Wednesday 10:00 there are 60 + 600 + 120 = 780 business minutes left.
    const pausedAt = at('2026-03-02T16:00:00Z');
    const paused = caseChangeClocks(ctx, base, { status: 'waiting_customer' }, pausedAt);
    expect(paused).toEqual({ sla_paused_at: pausedAt });
    // The customer answers on Friday 6 March at 09:00 local: 780 minutes from then → Monday 9 March 12:00 local.
    const state = { ...base, status: 'waiting_customer', sla_paused_at: pausedAt };
    const resumed = caseChangeClocks(ctx, state, { status: 'open' }, at('2026-03-06T08:00:00Z'));
    expect(resumed).toEqual({ resolution_due_at: at('2026-03-09T11:00:00Z'), sla_paused_at: null });
    // The same through the ingest path's function.
    expect(customerMessageClocks(ctx, state, at('2026-03-06T08:00:00Z'))).toEqual(resumed);
  });

  it('keeps a deadline that had already passed when the clock was paused', () => {
    const state = { ...base, status: 'waiting_customer', sla_paused_at: at('2026-03-05T09:00:00Z') };
    expect(caseChangeClocks(ctx, state, { status: 'open' }, at('2026-03-06T09:00:00Z'))).toEqual({
      sla_paused_at: null,
    });
  });

  it('stops everything on resolve and restarts the resolution clock on reopen', () => {
    const running = {
      ...base,
      first_responded_at: at('2026-03-02T09:30:00Z'),
      next_response_due_at: at('2026-03-02T12:00:00Z'),
    };
    expect(caseChangeClocks(ctx, running, { status: 'resolved' }, monday10)).toEqual({ next_response_due_at: null });
    const resolved = { ...running, status: 'resolved', next_response_due_at: null };
    // Reopened Tuesday 3 March 10:00 local: 1,200 business minutes → Thursday 10:00 local.
    const reopened = caseChangeClocks(ctx, resolved, { status: 'open' }, at('2026-03-03T09:00:00Z'));
    expect(reopened).toEqual({ resolution_due_at: at('2026-03-05T09:00:00Z') });
    // Reopened straight into waiting for the customer: restarted and paused.
    const waiting = caseChangeClocks(ctx, resolved, { status: 'waiting_customer' }, at('2026-03-03T09:00:00Z'));
    expect(waiting.sla_paused_at).toEqual(at('2026-03-03T09:00:00Z'));
  });

  it('re-targets the running clocks on a priority change, counting the minutes already used', () => {
    // Created Monday 10:00 with normal priority; at 10:20 it becomes urgent: first response target 10 min,
    // 20 already used → due now (10:20). Resolution: 120 urgent - 20 used → 100 from now → 12:00 local.
    const now = at('2026-03-02T09:20:00Z');
    const set = caseChangeClocks(ctx, base, { priority: 'urgent' }, now);
    expect(set).toEqual({ first_response_due_at: now, resolution_due_at: at('2026-03-02T11:00:00Z') });
    // High instead: first response 30 - 20 → 10:30; resolution 600 - 20 = 580 → Tuesday 10:00 local.
    const lower = caseChangeClocks(ctx, base, { priority: 'high' }, now);
    expect(lower).toEqual({
      first_response_due_at: at('2026-03-02T09:30:00Z'),
      resolution_due_at: at('2026-03-03T09:00:00Z'),
    });
    // No first-response target for low priority: that clock no longer applies.
    expect(caseChangeClocks(ctx, base, { priority: 'low' }, now).first_response_due_at).toBeNull();
  });

  it('re-targets a paused resolution clock from when it was paused', () => {
    // Paused Monday 12:00 local (120 used); raised to high (600) on Thursday → 480 left from the pause,
    // still paused: Monday 12:00 + 480 → Tuesday 10:00 local.
    const state = { ...base, status: 'waiting_customer', sla_paused_at: at('2026-03-02T11:00:00Z') };
    const set = caseChangeClocks(ctx, state, { priority: 'high' }, at('2026-03-05T09:00:00Z'));
    expect(set.resolution_due_at).toEqual(at('2026-03-03T09:00:00Z'));
  });

  it('keeps a first-response deadline already breached when the priority rises', () => {
    const late = { ...base, first_response_due_at: at('2026-03-02T09:10:00Z') };
    const set = caseChangeClocks(ctx, late, { priority: 'urgent' }, at('2026-03-02T12:00:00Z'));
    expect(set.first_response_due_at).toBeUndefined();
  });
});

describe('customer messages (ingest)', () => {
  it('starts the next-response clock once the brand has answered, and only once', () => {
    const answered = { ...base, first_responded_at: at('2026-03-02T09:30:00Z') };
    // 60 business minutes (premium, normal) from Monday 17:30 local → Tuesday 08:30 local.
    const set = customerMessageClocks(ctx, answered, at('2026-03-02T16:30:00Z'));
    expect(set).toEqual({ next_response_due_at: at('2026-03-03T07:30:00Z') });
    expect(customerMessageClocks(ctx, { ...answered, ...set }, at('2026-03-02T16:45:00Z'))).toEqual({});
    // Before any answer, the first-response clock keeps running.
    expect(customerMessageClocks(ctx, base, at('2026-03-02T16:30:00Z'))).toEqual({});
  });

  it('restarts clocks of a reopened case', () => {
    const resolved = { ...base, status: 'resolved', first_responded_at: at('2026-03-02T09:30:00Z') };
    const set = customerMessageClocks(ctx, resolved, at('2026-03-03T09:00:00Z'));
    expect(set).toEqual({
      resolution_due_at: at('2026-03-05T09:00:00Z'),
      next_response_due_at: at('2026-03-03T10:00:00Z'),
    });
    const neverAnswered = customerMessageClocks(ctx, { ...base, status: 'closed' }, at('2026-03-03T09:00:00Z'));
    expect(neverAnswered.first_response_due_at).toEqual(at('2026-03-03T11:00:00Z'));
  });
});
