import { describe, expect, it } from 'vitest';
import { type DutyInput, isOnDuty, previousDate, type Shift } from '../routing/schedule.ts';
import { type CoverageCalendar, cancelledDates, type Holiday, personOnDuty } from './calendar.ts';

const WEEKDAYS = [1, 2, 3, 4, 5];
const person = (timezone: string, schedule: Shift[], extra: Partial<DutyInput> = {}): DutyInput => ({
  onDuty: null,
  timezone,
  schedule,
  ...extra,
});
const at = (iso: string) => new Date(iso);

/** Minutes on duty between two instants, minute by minute. */
function minutesOnDuty(p: DutyInput, from: string, to: string): number {
  let n = 0;
  for (let t = Date.parse(from); t < Date.parse(to); t += 60_000) if (isOnDuty(p, new Date(t))) n++;
  return n;
}

describe('duty across time zones and daylight-saving changes', () => {
  const paris = person('Europe/Paris', [{ days: WEEKDAYS, from: '09:00', to: '17:00' }]);

  it('keeps a Paris day shift at 09:00 local on both sides of spring-forward', () => {
    // Friday 27 March 2026: CET (UTC+1).
    expect(isOnDuty(paris, at('2026-03-27T07:59:00Z'))).toBe(false);
    expect(isOnDuty(paris, at('2026-03-27T08:00:00Z'))).toBe(true);
    expect(isOnDuty(paris, at('2026-03-27T15:59:00Z'))).toBe(true);
    expect(isOnDuty(paris, at('2026-03-27T16:00:00Z'))).toBe(false);
    // Monday 30 March 2026: CEST (UTC+2), the same local hours are an hour earlier in UTC.
    expect(isOnDuty(paris, at('2026-03-30T06:59:00Z'))).toBe(false);
    expect(isOnDuty(paris, at('2026-03-30T07:00:00Z'))).toBe(true);
    expect(isOnDuty(paris, at('2026-03-30T14:59:00Z'))).toBe(true);
    expect(isOnDuty(paris, at('2026-03-30T15:00:00Z'))).toBe(false);
  });

  it('makes an overnight Paris shift an hour shorter on spring-forward and an hour longer on fall-back', () => {
    const night = person('Europe/Paris', [{ days: [6], from: '22:00', to: '06:00' }]);
    // Saturday 28 March 22:00 CET (21:00Z) → Sunday 29 March 06:00 CEST (04:00Z): 7 hours.
    expect(isOnDuty(night, at('2026-03-28T20:59:00Z'))).toBe(false);
    expect(isOnDuty(night, at('2026-03-28T21:00:00Z'))).toBe(true);
    expect(isOnDuty(night, at('2026-03-29T00:59:00Z'))).toBe(true); // 01:59 CET
    expect(isOnDuty(night, at('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
    expect(isOnDuty(night, at('2026-03-29T03:59:00Z'))).toBe(true);
    expect(isOnDuty(night, at('2026-03-29T04:00:00Z'))).toBe(false);
    expect(minutesOnDuty(night, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z')).toBe(7 * 60);
    // Saturday 24 October 22:00 CEST (20:00Z) → Sunday 25 October 06:00 CET (05:00Z): 9 hours.
    expect(isOnDuty(night, at('2026-10-24T19:59:00Z'))).toBe(false);
    expect(isOnDuty(night, at('2026-10-24T20:00:00Z'))).toBe(true);
    expect(isOnDuty(night, at('2026-10-25T04:59:00Z'))).toBe(true);
    expect(isOnDuty(night, at('2026-10-25T05:00:00Z'))).toBe(false);
    expect(minutesOnDuty(night, '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z')).toBe(9 * 60);
  });

  it('works the repeated hour twice at fall-back and the skipped hour never at spring-forward', () => {
    const early = person('Europe/Paris', [{ days: [7], from: '02:00', to: '03:00' }]);
    // 25 October: 02:00–03:00 happens in CEST (00:00Z–01:00Z) and again in CET (01:00Z–02:00Z).
    expect(minutesOnDuty(early, '2026-10-24T22:00:00Z', '2026-10-25T06:00:00Z')).toBe(120);
    // 29 March: 02:00–03:00 does not exist.
    expect(minutesOnDuty(early, '2026-03-28T22:00:00Z', '2026-03-29T06:00:00Z')).toBe(0);
  });

  it('follows New York’s own daylight-saving dates, three weeks before Paris’s', () => {
    const ny = person('America/New_York', [{ days: WEEKDAYS, from: '09:00', to: '17:00' }]);
    // Monday 2 March: EST (UTC−5).
    expect(isOnDuty(ny, at('2026-03-02T13:59:00Z'))).toBe(false);
    expect(isOnDuty(ny, at('2026-03-02T14:00:00Z'))).toBe(true);
    // Monday 9 March: EDT (UTC−4) while Paris is still on CET.
    expect(isOnDuty(ny, at('2026-03-09T12:59:00Z'))).toBe(false);
    expect(isOnDuty(ny, at('2026-03-09T13:00:00Z'))).toBe(true);
    expect(isOnDuty(ny, at('2026-03-09T20:59:00Z'))).toBe(true);
    expect(isOnDuty(ny, at('2026-03-09T21:00:00Z'))).toBe(false);
    // Paris and New York overlap 3 hours (13:00Z–16:00Z) on 9 March, 2 hours (13:00Z–15:00Z) on 30 March.
    const both = (day: string) => {
      let n = 0;
      for (let t = Date.parse(`${day}T00:00:00Z`); t < Date.parse(`${day}T23:59:00Z`); t += 60_000) {
        if (isOnDuty(ny, new Date(t)) && isOnDuty(paris, new Date(t))) n++;
      }
      return n;
    };
    expect(both('2026-03-09')).toBe(180);
    expect(both('2026-03-30')).toBe(120);
  });

  it('runs a New York overnight shift across fall-back for 9 hours', () => {
    const ny = person('America/New_York', [{ days: [6], from: '20:00', to: '04:00' }]);
    // Saturday 31 October 20:00 EDT (1 November 00:00Z) → Sunday 04:00 EST (09:00Z).
    expect(isOnDuty(ny, at('2026-10-31T23:59:00Z'))).toBe(false);
    expect(isOnDuty(ny, at('2026-11-01T00:00:00Z'))).toBe(true);
    expect(isOnDuty(ny, at('2026-11-01T08:59:00Z'))).toBe(true);
    expect(isOnDuty(ny, at('2026-11-01T09:00:00Z'))).toBe(false);
    expect(minutesOnDuty(ny, '2026-10-31T12:00:00Z', '2026-11-01T12:00:00Z')).toBe(9 * 60);
  });
});

describe('holidays', () => {
  const christmas = new Set(['2026-12-25']);

  it('cancels the shifts that start on a holiday, in the person’s time zone', () => {
    const day = person('Europe/Paris', [{ days: WEEKDAYS, from: '09:00', to: '17:00' }], { holidays: christmas });
    expect(isOnDuty(day, at('2026-12-24T09:00:00Z'))).toBe(true);
    expect(isOnDuty(day, at('2026-12-25T09:00:00Z'))).toBe(false);
    // Without the holiday the same instant is on duty.
    expect(isOnDuty({ ...day, holidays: new Set() }, at('2026-12-25T09:00:00Z'))).toBe(true);
  });

  it('gives an overnight shift to the day it starts', () => {
    const night = person('Europe/Paris', [{ days: [4, 5], from: '22:00', to: '06:00' }], { holidays: christmas });
    // Thursday 24 December 22:00 → Friday 06:00: started the day before the holiday, worked.
    expect(isOnDuty(night, at('2026-12-24T22:00:00Z'))).toBe(true);
    expect(isOnDuty(night, at('2026-12-25T02:00:00Z'))).toBe(true);
    // Friday 25 December 22:00 → Saturday 06:00: starts on the holiday, cancelled, early part included.
    expect(isOnDuty(night, at('2026-12-25T22:00:00Z'))).toBe(false);
    expect(isOnDuty(night, at('2026-12-26T02:00:00Z'))).toBe(false);
  });

  it('reads the holiday date in each person’s own time zone', () => {
    // Thursday 24 December 20:00–24:00 in New York ends at 05:00Z on the 25th, still the 24th locally.
    const ny = person('America/New_York', [{ days: [4, 5], from: '20:00', to: '24:00' }], { holidays: christmas });
    expect(isOnDuty(ny, at('2026-12-25T04:30:00Z'))).toBe(true);
    // Friday 25 December 20:00 in New York (26 December 01:00Z) is the holiday there.
    expect(isOnDuty(ny, at('2026-12-26T01:30:00Z'))).toBe(false);
  });

  it('lets a hand-set override put someone on duty on a holiday', () => {
    const day = person('Europe/Paris', [{ days: WEEKDAYS, from: '09:00', to: '17:00' }], {
      holidays: christmas,
      onDuty: true,
    });
    expect(isOnDuty(day, at('2026-12-25T09:00:00Z'))).toBe(true);
  });

  it('applies organization holidays to everyone and community holidays to the people of that community', () => {
    const list: Holiday[] = [
      { id: 1, date: '2026-12-25', name: 'Christmas', communityId: null, cancelsShifts: true },
      { id: 2, date: '2026-07-14', name: 'Fête nationale', communityId: 10, cancelsShifts: true },
      { id: 3, date: '2026-08-01', name: 'Fête nationale suisse', communityId: 20, cancelsShifts: false },
    ];
    expect([...cancelledDates(list, [10])].sort()).toEqual(['2026-07-14', '2026-12-25']);
    expect([...cancelledDates(list, [20])]).toEqual(['2026-12-25']);
    expect([...cancelledDates(list, [])]).toEqual(['2026-12-25']);
  });

  it('finds the date before across months and years', () => {
    expect(previousDate('2026-03-01')).toBe('2026-02-28');
    expect(previousDate('2027-01-01')).toBe('2026-12-31');
  });
});

describe('absences', () => {
  const row = {
    id: 7,
    on_duty: null,
    schedule: [{ days: WEEKDAYS, from: '09:00', to: '17:00' }],
    timezone: 'Europe/Paris',
    community_ids: [10],
  };
  const calendar: CoverageCalendar = {
    absences: [
      {
        id: 1,
        personId: 7,
        startsAt: at('2026-12-01T10:00:00Z'),
        endsAt: at('2026-12-02T10:00:00Z'),
        reason: 'sick',
        note: '',
      },
      // Someone else's absence changes nothing for this person.
      {
        id: 2,
        personId: 8,
        startsAt: at('2026-12-03T00:00:00Z'),
        endsAt: at('2026-12-04T00:00:00Z'),
        reason: 'holiday',
        note: '',
      },
    ],
    holidays: [{ id: 1, date: '2026-12-07', name: 'Local holiday', communityId: 10, cancelsShifts: true }],
  };

  it('takes someone off duty from the start of their absence to its end (exclusive)', () => {
    expect(personOnDuty(row, calendar, at('2026-12-01T09:59:00Z'))).toBe(true);
    expect(personOnDuty(row, calendar, at('2026-12-01T10:00:00Z'))).toBe(false);
    expect(personOnDuty(row, calendar, at('2026-12-02T09:59:00Z'))).toBe(false);
    expect(personOnDuty(row, calendar, at('2026-12-02T10:00:00Z'))).toBe(true);
    expect(personOnDuty(row, calendar, at('2026-12-03T10:00:00Z'))).toBe(true);
  });

  it('wins over a hand-set override: an absent person is never on duty', () => {
    expect(personOnDuty({ ...row, on_duty: true }, calendar, at('2026-12-01T12:00:00Z'))).toBe(false);
    expect(personOnDuty({ ...row, on_duty: true }, calendar, at('2026-12-05T12:00:00Z'))).toBe(true);
  });

  it('applies the holidays of the person’s communities', () => {
    expect(personOnDuty(row, calendar, at('2026-12-07T10:00:00Z'))).toBe(false);
    expect(personOnDuty({ ...row, community_ids: [11] }, calendar, at('2026-12-07T10:00:00Z'))).toBe(true);
  });
});
