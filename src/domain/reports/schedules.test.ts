import { describe, expect, it } from 'vitest';
import { nextSlot, periodOf } from './schedules.ts';

const weekly = {
  frequency: 'weekly' as const,
  weekday: 1,
  monthDay: null,
  localTime: '08:00',
  timezone: 'Europe/Zurich',
};
const monthly = {
  frequency: 'monthly' as const,
  weekday: null,
  monthDay: 1,
  localTime: '07:30',
  timezone: 'Europe/Zurich',
};

describe('report schedule slots', () => {
  it('finds the next weekly slot in local time, across a DST change', () => {
    // Sunday 29 November 2026, 11:00 in Zurich (UTC+1): next Monday 08:00 is 07:00Z.
    expect(nextSlot(weekly, new Date('2026-11-29T10:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    // Exactly at the slot: the next one, a week later.
    expect(nextSlot(weekly, new Date('2026-11-30T07:00:00Z')).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    // Monday 30 March 2026 after the switch to summer time (UTC+2): 06:00Z.
    expect(nextSlot(weekly, new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    // Sunday in New York.
    expect(
      nextSlot({ ...weekly, weekday: 7, timezone: 'America/New_York' }, new Date('2026-11-29T10:00:00Z')).toISOString(),
    ).toBe('2026-11-29T13:00:00.000Z');
  });

  it('finds the next monthly slot', () => {
    expect(nextSlot(monthly, new Date('2026-11-29T10:00:00Z')).toISOString()).toBe('2026-12-01T06:30:00.000Z');
    expect(nextSlot(monthly, new Date('2026-12-01T06:30:00Z')).toISOString()).toBe('2027-01-01T06:30:00.000Z');
    expect(nextSlot({ ...monthly, monthDay: 28 }, new Date('2027-02-28T07:00:00Z')).toISOString()).toBe(
      '2027-03-28T05:30:00.000Z',
    );
  });

  it('reports on the last full local week or month before the slot', () => {
    const week = periodOf({ period: 'last_week', timezone: 'Europe/Zurich' }, new Date('2026-11-30T07:00:00Z'));
    expect([week.from.toISOString(), week.to.toISOString()]).toEqual([
      '2026-11-22T23:00:00.000Z',
      '2026-11-29T23:00:00.000Z',
    ]);
    // A Wednesday slot reports on the full week before this one.
    const mid = periodOf({ period: 'last_week', timezone: 'UTC' }, new Date('2026-12-02T08:00:00Z'));
    expect([mid.from.toISOString(), mid.to.toISOString()]).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
    const month = periodOf({ period: 'last_month', timezone: 'Europe/Zurich' }, new Date('2026-04-01T05:30:00Z'));
    // March 2026 in Zurich: starts in winter time (UTC+1), ends in summer time (UTC+2).
    expect([month.from.toISOString(), month.to.toISOString()]).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
  });
});
