import type { Shift } from '../../api.ts';
import type { Translate } from '../../i18n/index.ts';

/** Pure helpers for weekly shifts: day names, validity, a one-line description. No DOM, no React. */

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Monday … Sunday in the locale (1 = Monday, as the server counts). 2024-01-01 was a Monday. */
export function dayNames(locale: string): { short: string; long: string }[] {
  const short = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => {
    const d = new Date(Date.UTC(2024, 0, 1 + i));
    return { short: short.format(d), long: long.format(d) };
  });
}

export function validShift(s: Shift): boolean {
  return s.days.length > 0 && HHMM.test(s.from) && (HHMM.test(s.to) || s.to === '24:00') && s.from !== s.to;
}

/** Consecutive days as ranges: [1,2,3,4,5] → "Mon–Fri", [1,3] → "Mon, Wed". */
export function dayRanges(days: number[], names: { short: string }[]): string[] {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const a = names[sorted[i]! - 1]!.short;
    const b = names[sorted[j]! - 1]!.short;
    out.push(j - i >= 2 ? `${a}–${b}` : j > i ? `${a}, ${b}` : a);
    i = j + 1;
  }
  return out;
}

export function describeSchedule(
  t: Translate,
  list: (items: string[]) => string,
  schedule: Shift[],
  timezone: string,
  locale?: string,
): string {
  if (schedule.length === 0) return t('duty.noSchedule');
  const names = dayNames(locale ?? document.documentElement.lang ?? 'en');
  const parts = schedule.map((s) => `${dayRanges(s.days, names).join(', ')} ${s.from}–${s.to}`);
  return t('duty.scheduleLine', { shifts: list(parts), tz: timezone });
}
