import { describe, expect, it } from 'vitest';
import { apiQuery, zonedMidnight } from './model.ts';

describe('report periods in the reader time zone', () => {
  it('starts a local day at its midnight, across daylight saving time', () => {
    expect(zonedMidnight('2026-11-01', 'Europe/Paris').toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(zonedMidnight('2026-07-01', 'Europe/Paris').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    // The day Paris moves to summer time starts before the change.
    expect(zonedMidnight('2026-03-29', 'Europe/Paris').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(zonedMidnight('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(zonedMidnight('2026-11-01', 'Asia/Kolkata').toISOString()).toBe('2026-10-31T18:30:00.000Z');
    expect(zonedMidnight('2026-11-01', 'UTC').toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('asks the API for local days and cuts its series there', () => {
    const q = new URLSearchParams(
      apiQuery(
        { from: '2026-11-01', to: '2026-11-08', business_hours: false, team: '3' },
        { metric: 'backlog' },
        'Europe/Zurich',
      ),
    );
    expect(q.get('from')).toBe('2026-10-31T23:00:00.000Z');
    expect(q.get('to')).toBe('2026-11-07T23:00:00.000Z');
    expect(q.get('tz')).toBe('Europe/Zurich');
    expect(q.get('team')).toBe('3');
    expect(q.get('metric')).toBe('backlog');
  });
});
