import { describe, expect, it } from 'vitest';
import { isOnDuty } from './schedule.ts';

const lea = {
  onDuty: null,
  timezone: 'Europe/Zurich',
  schedule: [{ days: [1, 2, 3, 4, 5], from: '07:00', to: '15:00' }],
};

describe('on duty', () => {
  it('follows weekly shifts in the person’s time zone', () => {
    // Tuesday 2026-12-01 08:30 in Zürich is 07:30 UTC.
    expect(isOnDuty(lea, new Date('2026-12-01T07:30:00Z'))).toBe(true);
    expect(isOnDuty(lea, new Date('2026-12-01T05:30:00Z'))).toBe(false);
    expect(isOnDuty(lea, new Date('2026-12-01T14:00:00Z'))).toBe(false);
    // Saturday.
    expect(isOnDuty(lea, new Date('2026-12-05T09:00:00Z'))).toBe(false);
  });

  it('keeps local hours across daylight-saving changes', () => {
    // 07:30 local: UTC+2 in summer, UTC+1 in winter.
    expect(isOnDuty(lea, new Date('2026-07-07T05:30:00Z'))).toBe(true);
    expect(isOnDuty(lea, new Date('2026-12-08T05:30:00Z'))).toBe(false);
    // Monday after the spring change (2026-03-29): 07:10 local is 05:10 UTC.
    expect(isOnDuty(lea, new Date('2026-03-30T05:10:00Z'))).toBe(true);
  });

  it('covers overnight shifts on the next morning', () => {
    const night = { onDuty: null, timezone: 'Europe/Rome', schedule: [{ days: [7], from: '22:00', to: '06:00' }] };
    // Sunday 23:00 and Monday 02:00 local (winter, UTC+1).
    expect(isOnDuty(night, new Date('2026-12-06T22:00:00Z'))).toBe(true);
    expect(isOnDuty(night, new Date('2026-12-07T01:00:00Z'))).toBe(true);
    expect(isOnDuty(night, new Date('2026-12-07T06:00:00Z'))).toBe(false);
    // Sunday 02:00 belongs to Saturday night, which has no shift.
    expect(isOnDuty(night, new Date('2026-12-06T01:00:00Z'))).toBe(false);
  });

  it('lets an explicit override win', () => {
    expect(isOnDuty({ ...lea, onDuty: true }, new Date('2026-12-05T09:00:00Z'))).toBe(true);
    expect(isOnDuty({ ...lea, onDuty: false }, new Date('2026-12-01T07:30:00Z'))).toBe(false);
  });
});
