import { describe, expect, it } from 'vitest';
import { itemDate, parseFeedDate } from './dates.ts';

const iso = (s: string) => parseFeedDate(s)?.toISOString();

describe('feed dates', () => {
  it('reads RFC 822 dates with the zones feeds really use', () => {
    expect(iso('Tue, 03 Jun 2025 08:15:00 +0200')).toBe('2025-06-03T06:15:00.000Z');
    expect(iso('Mon, 2 Jun 2025 21:07:45 GMT')).toBe('2025-06-02T21:07:45.000Z');
    expect(iso('Mon, 02 Jun 2025 14:00:00 CEST')).toBe('2025-06-02T12:00:00.000Z');
    expect(iso('02 Jun 2025 09:00 EDT')).toBe('2025-06-02T13:00:00.000Z');
    expect(iso('Tue, 03 Jun 2025 06:12:00 -04:00')).toBe('2025-06-03T10:12:00.000Z');
    expect(iso('Tue, 03 Jun 25 06:12:00 Z')).toBe('2025-06-03T06:12:00.000Z');
    expect(iso('Tue, 03 Jun 2025 06:12:00')).toBe('2025-06-03T06:12:00.000Z');
    expect(iso('Tue, 03 Jun 2025 06:12:00 XYZ')).toBe('2025-06-03T06:12:00.000Z');
    expect(iso('Tuesday, 03-Jun-2025 06:12:00 UTC')).toBeUndefined();
    expect(iso('mar., 3 juin 2025 10:00:00 +0200')).toBe('2025-06-03T08:00:00.000Z');
    expect(iso('Di, 3. Dez 2024 10:00:00 MEZ')).toBe('2024-12-03T09:00:00.000Z');
    expect(iso('Wed, 03 Jun 2025 06:12:00 +0000 (UTC)')).toBe('2025-06-03T06:12:00.000Z');
  });

  it('reads ISO 8601 dates as Atom and JSON Feed write them', () => {
    expect(iso('2025-06-02T18:40:00+02:00')).toBe('2025-06-02T16:40:00.000Z');
    expect(iso('2025-06-02T18:40:00.123456Z')).toBe('2025-06-02T18:40:00.000Z');
    expect(iso('2025-06-02 18:40')).toBe('2025-06-02T18:40:00.000Z');
    expect(iso('2025-06-02')).toBe('2025-06-02T00:00:00.000Z');
    expect(iso('20250602T184000+0200')).toBe('2025-06-02T16:40:00.000Z');
  });

  it('gives up on what is not a date', () => {
    for (const s of [
      '',
      '   ',
      'yesterday',
      '2025-02-30',
      '2025-13-01T00:00:00Z',
      '31 Foo 2025',
      'Mon, 99 Jun 2025 10:00 GMT',
    ])
      expect(parseFeedDate(s), s).toBeUndefined();
    expect(parseFeedDate(undefined)).toBeUndefined();
  });

  it('uses the time first seen when the date is missing, in the future or absurd', () => {
    const seen = new Date('2025-06-03T12:00:00Z');
    expect(itemDate(undefined, seen)).toBe(seen);
    expect(itemDate(new Date('2030-01-01T00:00:00Z'), seen)).toBe(seen);
    expect(itemDate(new Date('1970-01-01T00:00:00Z'), seen)).toBe(seen);
    const ok = new Date('2025-06-01T00:00:00Z');
    expect(itemDate(ok, seen)).toBe(ok);
  });
});
