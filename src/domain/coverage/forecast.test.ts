import { describe, expect, it } from 'vitest';
import { baseVolume, type History, historyWindow, p90, peopleNeeded, trend } from './forecast.ts';
import { communityHours, DutyPlanner, gapPeriods } from './gaps.ts';

/** A history over the 4 weeks before Tuesday 8 December 2026 (10 November – 7 December). */
function history(counts: Record<string, number>, holidays: string[] = []): History {
  return {
    counts: new Map(Object.entries(counts)),
    window: historyWindow('2026-12-08', 4),
    holidays: new Set(holidays),
  };
}

describe('forecast', () => {
  it('takes the whole weeks before today as history', () => {
    const w = historyWindow('2026-12-08', 4);
    expect(w).toHaveLength(28);
    expect(w[0]).toBe('2026-11-10');
    expect(w.at(-1)).toBe('2026-12-07');
  });

  it('averages the same hour of the same weekday, leaving holidays out', () => {
    const h = history({ '2026-11-10|11': 4, '2026-11-17|11': 30, '2026-12-01|11': 12, '2026-12-01|12': 2 });
    // Tuesdays 10, 17, 24 Nov and 1 Dec at 11:00: (4 + 30 + 0 + 12) / 4.
    expect(baseVolume(h, '2026-12-08', 11)).toBe(11.5);
    expect(baseVolume(h, '2026-12-15', 11)).toBe(11.5);
    // 17 November a holiday: (4 + 0 + 12) / 3.
    expect(baseVolume({ ...h, holidays: new Set(['2026-11-17']) }, '2026-12-08', 11)).toBeCloseTo(16 / 3);
    expect(baseVolume(h, '2026-12-09', 11)).toBe(0);
  });

  it('forecasts a holiday from past holidays, else from Sundays', () => {
    const counts = { '2026-11-17|11': 30, '2026-11-15|11': 2, '2026-11-22|11': 4, '2026-11-29|11': 6 };
    const withPast = history(counts, ['2026-11-17', '2026-12-25']);
    expect(baseVolume(withPast, '2026-12-25', 11)).toBe(30);
    // No holiday in the window: the Sundays 15, 22, 29 Nov and 6 Dec at 11:00.
    const noPast = history(counts, ['2026-12-25']);
    expect(baseVolume(noPast, '2026-12-25', 11)).toBe(3);
  });

  it('follows the trend of the last week, between half and double, only on enough history', () => {
    // 25 a week on average, 40 in the last week: × 1.6.
    const rising = history({ '2026-11-10|9': 20, '2026-11-18|9': 20, '2026-11-25|9': 20, '2026-12-03|9': 40 });
    expect(trend(rising)).toBeCloseTo(1.6);
    const surge = history({ '2026-11-10|9': 10, '2026-12-03|9': 110 });
    expect(trend(surge)).toBe(2);
    const quiet = history({ '2026-11-10|9': 100, '2026-11-18|9': 100, '2026-11-25|9': 100, '2026-12-03|9': 5 });
    expect(trend(quiet)).toBe(0.5);
    // 19 a week: too thin to say.
    expect(trend(history({ '2026-11-10|9': 76 }))).toBe(1);
  });

  it('needs one person per started block of capacity, none under half a message', () => {
    expect(peopleNeeded(0.4, 12)).toBe(0);
    expect(peopleNeeded(0.5, 12)).toBe(1);
    expect(peopleNeeded(12, 12)).toBe(1);
    expect(peopleNeeded(12.1, 12)).toBe(2);
    expect(p90([3, 3, 3, 3, 3, 3, 3, 3, 6, 6])).toBe(6);
    expect(p90([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])).toBe(10);
  });
});

describe('gaps', () => {
  const now = new Date('2026-12-08T07:20:00Z');
  const people = [
    {
      id: 1,
      name: 'Early',
      role: 'manager',
      languages: ['fr'],
      on_duty: null,
      timezone: 'Europe/Paris',
      schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '10:30' }],
      community_ids: [10],
    },
    {
      id: 2,
      name: 'Late',
      role: 'backup',
      languages: ['fr'],
      on_duty: null,
      timezone: 'America/New_York',
      // 04:30–06:00 in New York is 10:30–12:00 in Paris in December.
      schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '04:30', to: '06:00' }],
      community_ids: [10],
    },
  ];

  it('counts people on duty per hour and flags an hour as soon as one quarter of it is uncovered', () => {
    const planner = new DutyPlanner(people, { absences: [], holidays: [] }, now);
    const hours = communityHours(planner, people, 10, 6);
    // 07:00Z–13:00Z is 08:00–14:00 in Paris: Early 08:00–10:30, Late 10:30–12:00.
    expect(hours.map((h) => [h.at.slice(11, 16), h.on_duty, h.partly, h.gap])).toEqual([
      ['07:00', 1, 1, false],
      ['08:00', 1, 1, false],
      ['09:00', 1, 2, false],
      ['10:00', 1, 1, false],
      ['11:00', 0, 0, true],
      ['12:00', 0, 0, true],
    ]);
    expect(gapPeriods(hours)).toEqual([{ from: '2026-12-08T11:00:00.000Z', to: '2026-12-08T13:00:00.000Z', hours: 2 }]);
  });

  it('plans an overnight shift across the spring-forward night hour by hour', () => {
    const night = [
      { ...people[0]!, schedule: [{ days: [6], from: '22:00', to: '06:00' }] },
      // New York 23:00–01:00 on Saturday is 03:00Z–05:00Z (EDT since 8 March, UTC−4).
      { ...people[1]!, schedule: [{ days: [6], from: '23:00', to: '01:00' }] },
    ];
    const planner = new DutyPlanner(night, { absences: [], holidays: [] }, new Date('2026-03-28T20:00:00Z'));
    const hours = communityHours(planner, night, 10, 11);
    // Paris 22:00 CET (21:00Z) → 06:00 CEST (04:00Z): seven hours; New York overlaps its last hour, then one more.
    expect(hours.map((h) => `${h.at.slice(11, 13)}:${h.on_duty}`)).toEqual([
      '20:0',
      '21:1',
      '22:1',
      '23:1',
      '00:1',
      '01:1',
      '02:1',
      '03:2',
      '04:1',
      '05:0',
      '06:0',
    ]);
    expect(gapPeriods(hours).map((g) => g.from)).toEqual(['2026-03-28T20:00:00.000Z', '2026-03-29T05:00:00.000Z']);
  });

  it('counts a hand-set override in the current hour only, and plans the rest from schedules', () => {
    const off = people.map((p) => (p.id === 1 ? { ...p, on_duty: false } : p));
    const planner = new DutyPlanner(off, { absences: [], holidays: [] }, now);
    expect(planner.onDuty(1, now)).toBe(false);
    expect(planner.onDuty(1, new Date('2026-12-08T08:10:00Z'))).toBe(true);
    expect(communityHours(planner, off, 10, 1)[0]).toMatchObject({ on_duty: 0, gap: true });
  });

  it('finds who comes on duty next, to the minute', () => {
    const planner = new DutyPlanner(people, { absences: [], holidays: [] }, new Date('2026-12-08T11:07:30Z'));
    expect(planner.nextOnDuty([2], new Date('2026-12-08T11:07:30Z'), 86_400_000)).toEqual({
      personId: 2,
      at: new Date('2026-12-09T09:30:00Z'),
    });
    expect(planner.nextOnDuty([2], new Date('2026-12-08T11:00:00Z'), 3_600_000)).toBeNull();
    // Already on duty: now.
    expect(planner.nextOnDuty([1, 2], new Date('2026-12-08T10:00:00Z'), 3_600_000)).toEqual({
      personId: 2,
      at: new Date('2026-12-08T10:00:00Z'),
    });
  });
});
