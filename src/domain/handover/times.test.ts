import { describe, expect, it } from 'vitest';
import { configuredTimes, handoverTimes } from './times.ts';

const WEEKDAYS = [1, 2, 3, 4, 5];
const LEA = { id: 1, timezone: 'Europe/Paris', schedule: [{ days: WEEKDAYS, from: '07:00', to: '15:00' }] };
const SOPHIE = { id: 2, timezone: 'Europe/Paris', schedule: [{ days: WEEKDAYS, from: '15:00', to: '21:00' }] };

const iso = (d: Date) => d.toISOString();

describe('handover times', () => {
  it('hands over where the schedules change hands, not when everyone goes home', () => {
    // Monday 9 and Tuesday 10 March 2026 (Paris is UTC+1).
    const hs = handoverTimes([LEA, SOPHIE], new Date('2026-03-09T00:00:00Z'), new Date('2026-03-10T23:59:00Z'));
    expect(hs.map((h) => [iso(h.at), h.outgoing, h.incoming])).toEqual([
      ['2026-03-09T06:00:00.000Z', [], [1]],
      ['2026-03-09T14:00:00.000Z', [1], [2]],
      ['2026-03-10T06:00:00.000Z', [], [1]],
      ['2026-03-10T14:00:00.000Z', [1], [2]],
    ]);
  });

  it('follows daylight-saving time in each person’s zone', () => {
    // Paris moves to summer time on Sunday 29 March 2026: 07:00 is 06:00 UTC on Friday, 05:00 UTC on Monday.
    const hs = handoverTimes([LEA, SOPHIE], new Date('2026-03-27T00:00:00Z'), new Date('2026-03-30T12:00:00Z'));
    expect(hs.map((h) => iso(h.at))).toEqual([
      '2026-03-27T06:00:00.000Z',
      '2026-03-27T14:00:00.000Z',
      '2026-03-30T05:00:00.000Z',
    ]);
  });

  it('counts a leaver whose colleague stays, merges close changes, and mixes time zones', () => {
    const jonas = { id: 3, timezone: 'Europe/Berlin', schedule: [{ days: WEEKDAYS, from: '07:00', to: '15:00' }] };
    const tom = { id: 4, timezone: 'Europe/Berlin', schedule: [{ days: WEEKDAYS, from: '07:30', to: '20:00' }] };
    // New York is already on summer time (since 8 March), Berlin not yet: 09:30 EDT is 13:30 UTC, 14:30 in Berlin.
    const ny = { id: 5, timezone: 'America/New_York', schedule: [{ days: WEEKDAYS, from: '09:30', to: '17:00' }] };
    const hs = handoverTimes([jonas, tom, ny], new Date('2026-03-10T00:00:00Z'), new Date('2026-03-10T23:59:00Z'));
    expect(hs.map((h) => [iso(h.at), h.outgoing, h.incoming])).toEqual([
      // Jonas at 07:00 and Tom at 07:30: one handover, both arrive.
      ['2026-03-10T06:00:00.000Z', [], [3, 4]],
      // The New York colleague arrives at 14:30 Berlin; Jonas leaves at 15:00, within the hour: one handover.
      ['2026-03-10T13:30:00.000Z', [3], [5]],
      // Tom leaves at 20:00 Berlin; New York stays until 17:00 there.
      ['2026-03-10T19:00:00.000Z', [4], [5]],
    ]);
  });

  it('uses the community’s configured times when it has some', () => {
    expect(configuredTimes({ handover_times: ['07:00', '19:00'] })).toEqual(['07:00', '19:00']);
    expect(configuredTimes({ handover_times: ['7h'] })).toBeUndefined();
    expect(configuredTimes({})).toBeUndefined();
    const hs = handoverTimes([LEA, SOPHIE], new Date('2026-03-09T00:00:00Z'), new Date('2026-03-09T23:59:00Z'), {
      times: ['19:00', '07:00'],
      timezone: 'Europe/Zurich',
    });
    expect(hs.map((h) => [iso(h.at), h.outgoing, h.incoming])).toEqual([
      ['2026-03-09T06:00:00.000Z', [], [1]],
      ['2026-03-09T18:00:00.000Z', [2], [2]],
    ]);
  });

  it('follows absences and holidays, as the one duty rule does', () => {
    // Léa is away on Monday morning until 11:00 (Paris): no 07:00 handover, she arrives at 11:00 instead.
    const away = {
      ...LEA,
      absences: [{ startsAt: new Date('2026-03-09T05:00:00Z'), endsAt: new Date('2026-03-09T10:00:00Z') }],
    };
    const monday = handoverTimes([away, SOPHIE], new Date('2026-03-09T00:00:00Z'), new Date('2026-03-09T23:59:00Z'));
    expect(monday.map((h) => [iso(h.at), h.outgoing, h.incoming])).toEqual([
      ['2026-03-09T10:00:00.000Z', [], [1]],
      ['2026-03-09T14:00:00.000Z', [1], [2]],
    ]);
    // A holiday cancels both their shifts on Tuesday: no handover that day.
    const off = new Set(['2026-03-10']);
    const tuesday = handoverTimes(
      [
        { ...LEA, holidays: off },
        { ...SOPHIE, holidays: off },
      ],
      new Date('2026-03-10T00:00:00Z'),
      new Date('2026-03-10T23:59:00Z'),
    );
    expect(tuesday).toEqual([]);
  });
});
