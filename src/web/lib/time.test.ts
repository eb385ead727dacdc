import { describe, expect, it } from 'vitest';
import { formatDuration, formatSla, translator } from '../i18n/index.ts';
import { compactDuration, DAY, HOUR, MINUTE, relativeParts, relativeTime, secondsLeft, slaClock } from './time.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('SLA clock', () => {
  it('is green with time left, amber under 30 minutes, red once late', () => {
    expect(slaClock({ first_response_due_at: at(45 * MINUTE), first_responded_at: null }, NOW)).toMatchObject({
      state: 'ok',
      ms: 45 * MINUTE,
    });
    expect(slaClock({ first_response_due_at: at(30 * MINUTE), first_responded_at: null }, NOW).state).toBe('ok');
    expect(slaClock({ first_response_due_at: at(29 * MINUTE), first_responded_at: null }, NOW).state).toBe('warn');
    expect(slaClock({ first_response_due_at: at(1000), first_responded_at: null }, NOW).state).toBe('warn');
    expect(slaClock({ first_response_due_at: at(0), first_responded_at: null }, NOW)).toMatchObject({
      state: 'breached',
      ms: 0,
    });
    expect(slaClock({ first_response_due_at: at(-12 * MINUTE), first_responded_at: null }, NOW)).toMatchObject({
      state: 'breached',
      ms: 12 * MINUTE,
    });
  });

  it('stops once answered, and is absent without a deadline', () => {
    expect(slaClock({ first_response_due_at: at(-HOUR), first_responded_at: at(-2 * HOUR) }, NOW).state).toBe(
      'replied',
    );
    expect(slaClock({ first_response_due_at: null, first_responded_at: null }, NOW).state).toBe('none');
    expect(slaClock({ first_response_due_at: 'garbage', first_responded_at: null }, NOW).state).toBe('none');
  });

  it('reads naturally in each language', () => {
    const d = (t: ReturnType<typeof translator>) => (ms: number) => formatDuration(t, compactDuration(ms));
    const fr = translator('fr');
    const en = translator('en');
    const late = slaClock({ first_response_due_at: at(-(HOUR + 5 * MINUTE)), first_responded_at: null }, NOW);
    expect(formatSla(fr, late, d(fr))).toEqual({ short: '−1 h 05', long: 'Première réponse : en retard de 1 h 05' });
    const left = slaClock({ first_response_due_at: at(42 * MINUTE + 30_000), first_responded_at: null }, NOW);
    expect(formatSla(en, left, d(en))).toEqual({ short: '42 min', long: 'First response: 42 min left' });
    const replied = slaClock({ first_response_due_at: at(HOUR), first_responded_at: at(-MINUTE) }, NOW);
    expect(formatSla(translator('de'), replied, d(en)).short).toBe('Beantwortet');
    const none = slaClock({ first_response_due_at: null, first_responded_at: null }, NOW);
    expect(formatSla(translator('it'), none, d(en))).toEqual({ short: '—', long: 'Nessuno SLA' });
  });
});

describe('compact durations', () => {
  it('uses the two largest units', () => {
    expect(compactDuration(0)).toEqual({ unit: 's', n: 0 });
    expect(compactDuration(59_999)).toEqual({ unit: 's', n: 59 });
    expect(compactDuration(MINUTE)).toEqual({ unit: 'min', n: 1 });
    expect(compactDuration(59 * MINUTE + 59_000)).toEqual({ unit: 'min', n: 59 });
    expect(compactDuration(HOUR)).toEqual({ unit: 'h', h: 1, m: 0 });
    expect(compactDuration(3 * HOUR + 7 * MINUTE)).toEqual({ unit: 'h', h: 3, m: 7 });
    expect(compactDuration(DAY + 5 * HOUR + 59 * MINUTE)).toEqual({ unit: 'd', d: 1, h: 5 });
    expect(compactDuration(-90 * MINUTE)).toEqual({ unit: 'h', h: 1, m: 30 });
  });
});

describe('relative time', () => {
  it('chooses the largest fitting unit, in the past and the future', () => {
    expect(relativeParts(NOW - 10_000, NOW)).toEqual({ value: 0, unit: 'second' });
    expect(relativeParts(NOW - 50_000, NOW)).toEqual({ value: -50, unit: 'second' });
    expect(relativeParts(NOW - 5 * MINUTE, NOW)).toEqual({ value: -5, unit: 'minute' });
    expect(relativeParts(NOW - 3 * HOUR - 59 * MINUTE, NOW)).toEqual({ value: -3, unit: 'hour' });
    expect(relativeParts(NOW + 2 * DAY, NOW)).toEqual({ value: 2, unit: 'day' });
    expect(relativeParts(NOW - 15 * DAY, NOW)).toEqual({ value: -2, unit: 'week' });
    expect(relativeParts(NOW - 400 * DAY, NOW)).toEqual({ value: -1, unit: 'year' });
  });

  it('is worded by Intl in the person’s language', () => {
    expect(relativeTime(at(-3 * HOUR), NOW, 'fr')).toBe('il y a 3 heures');
    expect(relativeTime(at(-5 * MINUTE), NOW, 'de')).toBe('vor 5 Minuten');
    expect(relativeTime(at(-DAY), NOW, 'it')).toBe('ieri');
    expect(relativeTime(at(-1000), NOW, 'en')).toBe('now');
    expect(relativeTime(at(10 * MINUTE), NOW, 'en')).toBe('in 10 minutes');
    expect(relativeTime('not a date', NOW, 'en')).toBe('');
  });

  it('counts down a send delay in whole seconds, never below zero', () => {
    expect(secondsLeft(at(9_100), NOW)).toBe(10);
    expect(secondsLeft(at(10_000), NOW)).toBe(10);
    expect(secondsLeft(at(-5_000), NOW)).toBe(0);
    expect(secondsLeft(null, NOW)).toBe(0);
  });
});
