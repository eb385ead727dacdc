import { describe, expect, it } from 'vitest';
import { type Calendar, openIntervals } from '../sla/calendar.ts';
import { businessMinutes, isOpen, multirange, openBefore, unroll } from './hours.ts';

const paris: Calendar = {
  timezone: 'Europe/Paris',
  hours: {
    1: [['09:00', '18:00']],
    2: [['09:00', '18:00']],
    3: [['09:00', '18:00']],
    4: [['09:00', '18:00']],
    5: [['09:00', '18:00']],
  },
  holidays: ['12-25'],
};
const t = (iso: string) => new Date(iso).getTime();

describe('business hours for reports', () => {
  it('unrolls a calendar into clipped opening intervals, holidays and weekends closed', () => {
    const list = openIntervals(new Date('2026-12-24T16:00:00Z'), new Date('2026-12-28T08:10:00Z'), paris);
    // Thursday 24th from 17:00 (clipped) to 18:00 Paris; the 25th is a holiday; Monday 28th 09:00–09:10.
    expect(list).toEqual([
      [t('2026-12-24T16:00:00Z'), t('2026-12-24T17:00:00Z')],
      [t('2026-12-28T08:00:00Z'), t('2026-12-28T08:10:00Z')],
    ]);
    expect(openIntervals(new Date(0), new Date(60_000), null)).toEqual([[0, 60_000]]);
    expect(openIntervals(new Date(60_000), new Date(0), paris)).toEqual([]);
  });

  it('counts business minutes with cumulative sums, across daylight-saving changes', () => {
    const h = unroll(openIntervals(new Date('2026-03-01T00:00:00Z'), new Date('2026-04-15T00:00:00Z'), paris));
    // Friday 27 March 17:00 (UTC+1) to Monday 30 March 10:00 (UTC+2, after the spring change): 60 + 60.
    expect(businessMinutes(h, t('2026-03-27T16:00:00Z'), t('2026-03-30T08:00:00Z'))).toBe(120);
    expect(businessMinutes(h, t('2026-03-30T08:00:00Z'), t('2026-03-27T16:00:00Z'))).toBe(0);
    expect(openBefore(h, t('2026-03-01T00:00:00Z'))).toBe(0);
    expect(isOpen(h, t('2026-03-30T07:30:00Z'))).toBe(true); // 09:30 Paris
    expect(isOpen(h, t('2026-03-28T10:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(null, t('2026-03-28T10:00:00Z'))).toBe(true);
    expect(multirange(unroll([[0, 60_000]]))).toBe('{[1970-01-01T00:00:00.000Z,1970-01-01T00:01:00.000Z)}');
  });
});
