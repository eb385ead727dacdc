import { z } from 'zod';

/**
 * Business-hours arithmetic. A calendar lists, per ISO weekday (1 = Monday … 7 = Sunday), the opening
 * intervals as wall-clock times in its time zone, plus holidays (whole local days closed). Pure functions:
 * no clock, no database. Instants are converted with the time zone's rules, so an interval that spans a
 * daylight-saving change counts the minutes that really elapse (08:00–18:00 on a 23-hour day is still 10 h;
 * 22:00–06:00 across the spring change is 7 h).
 *
 * - An interval whose end is not after its start runs past midnight into the next day (["22:00", "06:00"]);
 *   "24:00" ends at midnight.
 * - An interval belongs to the day it starts on: a holiday closes the intervals that start on it.
 * - A wall time that does not exist (skipped by the spring change) maps to the same time after the change;
 *   one that occurs twice (autumn) maps to its first occurrence.
 * - A null calendar, or one without any opening hours, means around the clock.
 */
export interface Calendar {
  timezone: string;
  hours: Partial<Record<string, [string, string][]>>;
  /** Local dates "YYYY-MM-DD", or "MM-DD" for a holiday every year. */
  holidays: string[];
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export const calendarSchema = z.object({
  timezone: z.string().refine(isTimeZone, 'unknown time zone'),
  hours: z.partialRecord(
    z.enum(['1', '2', '3', '4', '5', '6', '7']),
    z.array(z.tuple([z.string().regex(TIME, 'HH:MM'), z.string().regex(TIME, 'HH:MM')])),
  ),
  holidays: z.array(z.string().regex(/^(?:\d{4}-)?\d\d-\d\d$/, 'YYYY-MM-DD or MM-DD')).default([]),
});

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How far addBusinessMinutes looks before giving up on a calendar that never opens (holidays everywhere). */
const MAX_DAYS = 366 * 5;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock time of an instant in a zone, expressed as if it were UTC (ms). */
function wallMs(tz: string, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The zone's offset (wall minus UTC, ms) at an instant. */
function offsetAt(tz: string, utcMs: number): number {
  return wallMs(tz, utcMs) - utcMs;
}

/** The instant of a wall-clock time (given as UTC-fields ms) in a zone; see the header for gaps and overlaps. */
export function wallToInstant(tz: string, wall: number): number {
  const guess = wall - offsetAt(tz, wall);
  // The offsets in force a few hours either side of the guess: one of them is the right one, unless the wall
  // time falls in a gap, where the offset before the change moves it forward.
  const before = wall - offsetAt(tz, guess - 3 * HOUR);
  const after = wall - offsetAt(tz, guess + 3 * HOUR);
  const valid = [before, after].filter((t) => wallMs(tz, t) === wall);
  return valid.length > 0 ? Math.min(...valid) : before;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function isoWeekday(dayMs: number): number {
  const d = new Date(dayMs).getUTCDay();
  return d === 0 ? 7 : d;
}

function isHoliday(cal: Calendar, dayMs: number): boolean {
  if (cal.holidays.length === 0) return false;
  const iso = new Date(dayMs).toISOString().slice(0, 10);
  return cal.holidays.includes(iso) || cal.holidays.includes(iso.slice(5));
}

/** Per calendar object, the intervals of the days already computed (ingest asks for the same days again and again). */
const dayCache = new WeakMap<Calendar, Map<number, [number, number][]>>();
const DAY_CACHE_SIZE = 4000;

/** Opening intervals [start, end) in UTC ms of the intervals that start on a local day (UTC-fields midnight). */
function intervalsOfDay(cal: Calendar, dayMs: number): [number, number][] {
  let days = dayCache.get(cal);
  if (!days) {
    days = new Map();
    dayCache.set(cal, days);
  }
  let found = days.get(dayMs);
  if (!found) {
    if (days.size >= DAY_CACHE_SIZE) days.clear();
    found = computeIntervals(cal, dayMs);
    days.set(dayMs, found);
  }
  return found;
}

function computeIntervals(cal: Calendar, dayMs: number): [number, number][] {
  if (isHoliday(cal, dayMs)) return [];
  const out: [number, number][] = [];
  for (const [from, to] of cal.hours[String(isoWeekday(dayMs))] ?? []) {
    const start = minutesOf(from);
    let end = minutesOf(to);
    if (end <= start) end += 24 * 60;
    const s = wallToInstant(cal.timezone, dayMs + start * MINUTE);
    const e = wallToInstant(cal.timezone, dayMs + end * MINUTE);
    if (e > s) out.push([s, e]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function localDay(cal: Calendar, utcMs: number): number {
  const w = wallMs(cal.timezone, utcMs);
  return w - (((w % DAY) + DAY) % DAY);
}

function hasHours(cal: Calendar | null): cal is Calendar {
  return cal !== null && Object.values(cal.hours).some((list) => (list?.length ?? 0) > 0);
}

/**
 * Walks the opening intervals from the local day before `fromMs` onwards (an overnight interval of the day
 * before may still be open), calling `visit` with each interval clipped to start no earlier than `fromMs`
 * and never overlapping the previous one; stops when `visit` returns true.
 */
function walk(cal: Calendar, fromMs: number, visit: (start: number, end: number) => boolean, untilMs = 0): void {
  let cursor = fromMs;
  const firstDay = localDay(cal, fromMs) - DAY;
  const days = untilMs > 0 ? Math.ceil((untilMs - fromMs) / DAY) + 3 : MAX_DAYS;
  for (let i = 0; i < days; i++) {
    for (const [s, e] of intervalsOfDay(cal, firstDay + i * DAY)) {
      const start = Math.max(s, cursor);
      if (e <= start) continue;
      if (visit(start, e)) return;
      cursor = e;
    }
  }
  // Counting up to an instant, every interval before it was seen; adding, the calendar never opens.
  if (untilMs === 0) throw new Error('this calendar has no opening hours within five years');
}

/** The instant `minutes` business minutes after `from` (fractions allowed; zero or less returns `from`). */
export function addBusinessMinutes(from: Date, minutes: number, calendar: Calendar | null): Date {
  const fromMs = from.getTime();
  if (minutes <= 0) return new Date(fromMs);
  if (!hasHours(calendar)) return new Date(fromMs + minutes * MINUTE);
  let left = minutes * MINUTE;
  let result = fromMs;
  walk(calendar, fromMs, (start, end) => {
    if (end - start >= left) {
      result = start + left;
      return true;
    }
    left -= end - start;
    return false;
  });
  return new Date(result);
}

/** Business minutes between two instants; negative when `b` is before `a`. */
export function businessMinutesBetween(a: Date, b: Date, calendar: Calendar | null): number {
  const aMs = a.getTime();
  const bMs = b.getTime();
  if (bMs < aMs) return -businessMinutesBetween(b, a, calendar);
  if (!hasHours(calendar)) return (bMs - aMs) / MINUTE;
  let total = 0;
  walk(
    calendar,
    aMs,
    (start, end) => {
      if (start >= bMs) return true;
      total += Math.min(end, bMs) - start;
      return end >= bMs;
    },
    bMs,
  );
  return total / MINUTE;
}

/**
 * The opening intervals [start, end) in UTC ms between two instants, clipped to them, in order and never
 * overlapping (reports count business time and out-of-hours activity with them). A null calendar, or one
 * without opening hours, is one interval: around the clock.
 */
export function openIntervals(from: Date, to: Date, calendar: Calendar | null): [number, number][] {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (toMs <= fromMs) return [];
  if (!hasHours(calendar)) return [[fromMs, toMs]];
  const out: [number, number][] = [];
  walk(
    calendar,
    fromMs,
    (start, end) => {
      if (start >= toMs) return true;
      out.push([start, Math.min(end, toMs)]);
      return end >= toMs;
    },
    toMs,
  );
  return out;
}
