import { openIntervals } from '../sla/calendar.ts';
import { calendarOf, type SlaContext } from '../sla/deadlines.ts';

/**
 * Business hours for reports: each community's calendar (the one its SLA clocks count in) unrolled into
 * opening intervals over a window, with the open time before each interval, so the business time between
 * two instants is two binary searches. A community without a calendar is open around the clock (null).
 */
export interface OpenHours {
  /** [start, end) in UTC ms, in order, never overlapping. */
  intervals: [number, number][];
  /** Open ms before intervals[i] starts (from the window's start). */
  before: number[];
}

const DAY = 86_400_000;
/** How far before a period business time is counted (a case resolved in the period may be older). */
export const LOOKBACK_DAYS = 180;

export function unroll(intervals: [number, number][]): OpenHours {
  const before: number[] = [];
  let total = 0;
  for (const [s, e] of intervals) {
    before.push(total);
    total += e - s;
  }
  return { intervals, before };
}

/** Open ms from the window's start up to `t`. */
export function openBefore(h: OpenHours, t: number): number {
  const { intervals, before } = h;
  let lo = 0;
  let hi = intervals.length;
  // The first interval starting after t.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (intervals[mid]![0] <= t) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return 0;
  const [s, e] = intervals[lo - 1]!;
  return before[lo - 1]! + Math.min(t, e) - s;
}

/** Business minutes between two instants (ms); wall-clock minutes when `h` is null (around the clock). */
export function businessMinutes(h: OpenHours | null, a: number, b: number): number {
  if (b <= a) return 0;
  if (h === null) return (b - a) / 60_000;
  return (openBefore(h, b) - openBefore(h, a)) / 60_000;
}

/** Whether an instant falls in business hours (always, around the clock). */
export function isOpen(h: OpenHours | null, t: number): boolean {
  if (h === null) return true;
  return openBefore(h, t + 1) - openBefore(h, t) > 0;
}

/** Per community, its business hours over [from, to); null: around the clock. */
export function hoursOf(
  sla: SlaContext,
  communityIds: Iterable<number>,
  from: Date,
  to: Date,
): Map<number, OpenHours | null> {
  const out = new Map<number, OpenHours | null>();
  for (const id of communityIds) {
    const cal = calendarOf(sla, { communityId: id });
    out.set(id, cal === null ? null : unroll(openIntervals(from, to, cal)));
  }
  return out;
}

/** The window durations of a report are counted in: LOOKBACK_DAYS before the period to its end (or now). */
export function durationWindow(from: Date, to: Date, now: Date): { from: Date; to: Date } {
  return {
    from: new Date(from.getTime() - LOOKBACK_DAYS * DAY),
    to: new Date(Math.max(to.getTime(), now.getTime()) + DAY),
  };
}

/** A PostgreSQL tstzmultirange literal of the intervals. */
export function multirange(h: OpenHours): string {
  return `{${h.intervals.map(([s, e]) => `[${new Date(s).toISOString()},${new Date(e).toISOString()})`).join(',')}}`;
}
