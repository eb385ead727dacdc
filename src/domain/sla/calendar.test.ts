import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, type Calendar, calendarSchema } from './calendar.ts';

const weekdays = (intervals: [string, string][]) => ({
  '1': intervals,
  '2': intervals,
  '3': intervals,
  '4': intervals,
  '5': intervals,
  '6': [],
  '7': [],
});

/** Office hours in Zurich, Monday to Friday, Christmas and every New Year's Day closed. */
const office: Calendar = {
  timezone: 'Europe/Zurich',
  hours: weekdays([['08:00', '18:00']]),
  holidays: ['2026-12-25', '01-01'],
};
const everyDay = (intervals: [string, string][]): Calendar => ({
  timezone: 'Europe/Zurich',
  hours: { ...weekdays(intervals), '6': intervals, '7': intervals },
  holidays: [],
});
const night = everyDay([['22:00', '06:00']]);

const at = (iso: string) => new Date(iso);
const add = (from: string, minutes: number, cal: Calendar | null) =>
  addBusinessMinutes(at(from), minutes, cal).toISOString();

describe('around the clock (no calendar)', () => {
  it('adds wall-clock minutes, fractions included', () => {
    expect(add('2026-03-02T10:00:00Z', 90, null)).toBe('2026-03-02T11:30:00.000Z');
    expect(add('2026-03-02T10:00:00Z', 7.5, null)).toBe('2026-03-02T10:07:30.000Z');
    expect(businessMinutesBetween(at('2026-03-02T10:00:00Z'), at('2026-03-02T10:07:30Z'), null)).toBe(7.5);
  });

  it('treats a calendar without any opening hours as around the clock', () => {
    const closed: Calendar = { timezone: 'Europe/Zurich', hours: {}, holidays: [] };
    expect(add('2026-03-07T10:00:00Z', 60, closed)).toBe('2026-03-07T11:00:00.000Z');
  });

  it('returns the start for zero or negative minutes', () => {
    expect(add('2026-03-07T10:00:00Z', 0, office)).toBe('2026-03-07T10:00:00.000Z');
    expect(add('2026-03-07T10:00:00Z', -5, office)).toBe('2026-03-07T10:00:00.000Z');
  });
});

describe('office hours in Europe/Zurich (winter, UTC+1)', () => {
  it('adds within the same day', () => {
    // Monday 2 March 2026, 10:00 local = 09:00Z.
    expect(add('2026-03-02T09:00:00Z', 60, office)).toBe('2026-03-02T10:00:00.000Z');
  });

  it('carries over the close to the next opening', () => {
    // Monday 17:30 local + 60 min → Tuesday 08:30 local.
    expect(add('2026-03-02T16:30:00Z', 60, office)).toBe('2026-03-03T07:30:00.000Z');
    // Exactly at the close: the deadline is the close, not the next opening.
    expect(add('2026-03-02T16:00:00Z', 60, office)).toBe('2026-03-02T17:00:00.000Z');
  });

  it('skips the weekend', () => {
    // Friday 6 March 17:00 local + 120 → Monday 9 March 09:00 local.
    expect(add('2026-03-06T16:00:00Z', 120, office)).toBe('2026-03-09T08:00:00.000Z');
  });

  it('starts counting at the next opening when it starts outside hours', () => {
    // Saturday noon → Monday 08:30.
    expect(add('2026-03-07T11:00:00Z', 30, office)).toBe('2026-03-09T07:30:00.000Z');
    // Tuesday 06:00 → Tuesday 08:30.
    expect(add('2026-03-03T05:00:00Z', 30, office)).toBe('2026-03-03T07:30:00.000Z');
    // Tuesday 20:00 → Wednesday 08:01.
    expect(add('2026-03-03T19:00:00Z', 1, office)).toBe('2026-03-04T07:01:00.000Z');
  });

  it('spans several days and weeks', () => {
    // 3 business days of 10 h from Monday 08:00 → Wednesday 18:00.
    expect(add('2026-03-02T07:00:00Z', 30 * 60, office)).toBe('2026-03-04T17:00:00.000Z');
    // 7 days (10,080 min) = 16.8 business days: from Monday 08:00 → Tuesday of the 4th week, 16:00.
    expect(add('2026-03-02T07:00:00Z', 7 * 24 * 60, office)).toBe('2026-03-24T15:00:00.000Z');
  });

  it('honours several intervals a day (lunch break)', () => {
    const split: Calendar = {
      ...office,
      hours: weekdays([
        ['08:00', '12:00'],
        ['13:30', '17:30'],
      ]),
    };
    // Monday 11:30 local + 60 → 14:00 local (13:00Z).
    expect(add('2026-03-02T10:30:00Z', 60, split)).toBe('2026-03-02T13:00:00.000Z');
    expect(businessMinutesBetween(at('2026-03-02T07:00:00Z'), at('2026-03-02T17:00:00Z'), split)).toBe(8 * 60);
  });

  it('skips holidays, dated and yearly', () => {
    // Thursday 24 Dec 2026 17:00 local + 120 → Christmas (Friday) closed, weekend → Monday 28 Dec 09:00.
    expect(add('2026-12-24T16:00:00Z', 120, office)).toBe('2026-12-28T08:00:00.000Z');
    // Thursday 31 Dec 2026 17:00 + 120 → 1 January 2027 (Friday, yearly holiday) → Monday 4 Jan 09:00.
    expect(add('2026-12-31T16:00:00Z', 120, office)).toBe('2027-01-04T08:00:00.000Z');
  });
});

describe('overnight intervals', () => {
  it('runs past midnight into the next day', () => {
    // Monday 2 March 23:00 local + 120 → Tuesday 01:00 local.
    expect(add('2026-03-02T22:00:00Z', 120, night)).toBe('2026-03-03T00:00:00.000Z');
    // Monday 05:00 local is inside Sunday night's interval.
    expect(add('2026-03-02T04:00:00Z', 30, night)).toBe('2026-03-02T04:30:00.000Z');
    // Monday 06:00 local: closed until 22:00.
    expect(add('2026-03-02T05:00:00Z', 30, night)).toBe('2026-03-02T21:30:00.000Z');
  });

  it('accepts 24:00 as the end of the day', () => {
    const late = everyDay([['18:00', '24:00']]);
    expect(businessMinutesBetween(at('2026-03-02T00:00:00Z'), at('2026-03-04T00:00:00Z'), late)).toBe(12 * 60);
  });
});

describe('daylight-saving changes in Europe/Zurich', () => {
  // Spring: Sunday 29 March 2026, 02:00 CET → 03:00 CEST (01:00Z). Autumn: Sunday 25 October 2026, 03:00 CEST →
  // 02:00 CET (01:00Z).
  it('keeps local opening hours on both sides of the spring change', () => {
    const daily = everyDay([['08:00', '18:00']]);
    // Saturday 28 March 17:00 CET (16:00Z) + 120 → Sunday 09:00 CEST = 07:00Z.
    expect(add('2026-03-28T16:00:00Z', 120, daily)).toBe('2026-03-29T07:00:00.000Z');
    // Sunday 08:00–18:00 CEST is still 600 minutes.
    expect(businessMinutesBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'), daily)).toBe(600);
  });

  it('counts the hours that really pass overnight across the changes', () => {
    // Saturday 22:00 CET (21:00Z) → Sunday 06:00 CEST (04:00Z): 7 hours.
    expect(businessMinutesBetween(at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'), night)).toBe(7 * 60);
    expect(add('2026-03-28T21:00:00Z', 7 * 60, night)).toBe('2026-03-29T04:00:00.000Z');
    // Saturday 24 October 22:00 CEST (20:00Z) → Sunday 06:00 CET (05:00Z): 9 hours.
    expect(businessMinutesBetween(at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'), night)).toBe(9 * 60);
    expect(add('2026-10-24T20:00:00Z', 8 * 60 + 30, night)).toBe('2026-10-25T04:30:00.000Z');
  });

  it('counts a whole 23-hour and 25-hour day', () => {
    const allDay = everyDay([['00:00', '24:00']]);
    const day = (from: string, to: string) => businessMinutesBetween(at(from), at(to), allDay);
    expect(day('2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z')).toBe(23 * 60);
    expect(day('2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z')).toBe(25 * 60);
  });

  it('moves a wall time skipped in spring forward, and takes the first of a repeated one in autumn', () => {
    const gap = everyDay([['02:30', '04:00']]);
    // Sunday 29 March: 02:30 does not exist → 03:30 CEST (01:30Z) to 04:00 CEST (02:00Z) = 30 min.
    expect(businessMinutesBetween(at('2026-03-29T00:00:00Z'), at('2026-03-29T06:00:00Z'), gap)).toBe(30);
    const overlap = everyDay([['02:30', '03:30']]);
    // Sunday 25 October: 02:30 CEST (00:30Z) to 03:30 CET (02:30Z) = 120 min.
    expect(businessMinutesBetween(at('2026-10-24T23:00:00Z'), at('2026-10-25T06:00:00Z'), overlap)).toBe(120);
  });

  it('follows the office calendar across the spring weekend', () => {
    // Friday 27 March 17:00 CET (16:00Z) + 120 → Monday 30 March 09:00 CEST (07:00Z).
    expect(add('2026-03-27T16:00:00Z', 120, office)).toBe('2026-03-30T07:00:00.000Z');
    expect(businessMinutesBetween(at('2026-03-27T16:00:00Z'), at('2026-03-30T07:00:00Z'), office)).toBe(120);
  });
});

describe('other time zones', () => {
  it('uses the calendar’s zone, not the machine’s', () => {
    const ny: Calendar = { timezone: 'America/New_York', hours: weekdays([['09:00', '17:00']]), holidays: [] };
    // Monday 2 March 2026 08:00 EST = 13:00Z; + 60 → 10:00 EST = 15:00Z.
    expect(add('2026-03-02T13:00:00Z', 60, ny)).toBe('2026-03-02T15:00:00.000Z');
    // US spring change is Sunday 8 March: Friday 6 March 16:30 EST + 60 → Monday 9 March 09:30 EDT = 13:30Z.
    expect(add('2026-03-06T21:30:00Z', 60, ny)).toBe('2026-03-09T13:30:00.000Z');
  });
});

describe('businessMinutesBetween', () => {
  it('counts only opening hours, negative when reversed', () => {
    // Friday 17:00 → Monday 09:00 local: 60 + 60.
    const a = at('2026-03-06T16:00:00Z');
    const b = at('2026-03-09T08:00:00Z');
    expect(businessMinutesBetween(a, b, office)).toBe(120);
    expect(businessMinutesBetween(b, a, office)).toBe(-120);
    expect(businessMinutesBetween(a, a, office)).toBe(0);
    // Entirely on a weekend.
    expect(businessMinutesBetween(at('2026-03-07T08:00:00Z'), at('2026-03-08T20:00:00Z'), office)).toBe(0);
  });

  it('counts spans of several years, and refuses to add on a calendar that never opens', () => {
    const sixYears = businessMinutesBetween(at('2026-01-01T00:00:00Z'), at('2032-01-01T00:00:00Z'), office);
    expect(sixYears).toBeGreaterThan(6 * 250 * 600);
    const tuesdays: Calendar = { timezone: 'UTC', hours: { '2': [['09:00', '10:00']] }, holidays: ['02-29'] };
    // Tuesdays only, and only 29 February is a holiday: it opens.
    expect(add('2026-03-02T00:00:00Z', 30, tuesdays)).toBe('2026-03-03T09:30:00.000Z');
    const closed: Calendar = { timezone: 'UTC', hours: { '1': [['09:00', '10:00']] }, holidays: [] };
    const everyDate = Array.from({ length: 366 * 6 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    );
    expect(() => addBusinessMinutes(at('2026-01-01T00:00:00Z'), 1, { ...closed, holidays: everyDate })).toThrow(
      /no opening hours/,
    );
  });

  it('is the inverse of addBusinessMinutes, for any start and duration', () => {
    const calendars = [
      office,
      night,
      everyDay([
        ['08:00', '12:00'],
        ['13:00', '17:00'],
      ]),
      null,
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: calendars.length - 1 }),
        (fromMs, minutes, which) => {
          const cal = calendars[which]!;
          const from = new Date(fromMs);
          const due = addBusinessMinutes(from, minutes, cal);
          expect(due.getTime()).toBeGreaterThanOrEqual(fromMs + (cal ? 0 : minutes * 60_000));
          expect(businessMinutesBetween(from, due, cal)).toBeCloseTo(minutes, 6);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('calendarSchema', () => {
  it('accepts a calendar and refuses bad times and zones', () => {
    expect(calendarSchema.safeParse(office).success).toBe(true);
    expect(calendarSchema.safeParse({ timezone: 'UTC', hours: { '1': [['09:00', '17:00']] } }).data).toEqual({
      timezone: 'UTC',
      hours: { '1': [['09:00', '17:00']] },
      holidays: [],
    });
    expect(calendarSchema.safeParse({ ...office, timezone: 'Mars/Olympus' }).success).toBe(false);
    expect(calendarSchema.safeParse({ ...office, hours: { '1': [['8:00', '18:00']] } }).success).toBe(false);
    expect(calendarSchema.safeParse({ ...office, hours: { '8': [] } }).success).toBe(false);
  });
});
