import type { Queryable } from '../../server/db/database.ts';
import { localTime } from '../routing/local-time.ts';
import { type CoverageCalendar, loadCalendar } from './calendar.ts';
import { type CoverageCommunity, type CoveragePerson, DutyPlanner, HOUR_MS, hourStart } from './gaps.ts';

/**
 * Capacity planning (docs/coverage.md): inbound volume per community and local hour of week, forecast from the
 * last weeks of history, against the people scheduled.
 */

/** Messages a person on duty handles per hour when neither the request, the organization nor history says. */
export const DEFAULT_PER_PERSON_HOUR = 12;
/** Below this many expected messages an hour needs nobody extra (half a message: more likely none than one). */
export const MIN_VOLUME = 0.5;
/** Hours of history (with someone on duty who replied) needed before the rate is derived from history. */
const MIN_RATE_SAMPLES = 10;
/** The trend is applied only when the history has this many messages a week on average (else it is noise). */
const MIN_WEEKLY_FOR_TREND = 20;
const DAY_MS = 86_400_000;

/** One community's history: inbound counts per local date and hour, over a window of whole local days. */
export interface History {
  /** `YYYY-MM-DD|H` → messages. */
  counts: Map<string, number>;
  /** The local dates of the window, oldest first (weeks × 7 days ending the day before today). */
  window: string[];
  /** Local dates that are holidays for this community (organization-wide or its own). */
  holidays: ReadonlySet<string>;
}

const key = (date: string, hour: number) => `${date}|${hour}`;
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The `weeks` × 7 local dates before `today`, oldest first. */
export function historyWindow(today: string, weeks: number): string[] {
  const t = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: weeks * 7 }, (_, i) => new Date(t - (weeks * 7 - i) * DAY_MS).toISOString().slice(0, 10));
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * The expected volume of one local hour before the trend: on an ordinary day, the mean of the same hour on the
 * same weekday over the window, holidays left out; on a holiday, the mean of that hour over the holidays of the
 * window, else over its Sundays (a holiday looks like a Sunday).
 */
export function baseVolume(h: History, date: string, hour: number): number {
  const count = (d: string) => h.counts.get(key(d, hour)) ?? 0;
  if (h.holidays.has(date)) {
    const past = h.window.filter((d) => h.holidays.has(d));
    if (past.length > 0) return mean(past.map(count));
    return mean(h.window.filter((d) => weekday(d) === 0 && !h.holidays.has(d)).map(count));
  }
  const wd = weekday(date);
  return mean(h.window.filter((d) => weekday(d) === wd && !h.holidays.has(d)).map(count));
}

/**
 * The current trend: the last 7 days of the window against its mean week, between 0.5 and 2; 1 when the history
 * is too thin for a ratio to mean anything.
 */
export function trend(h: History): number {
  const total = (dates: string[]) => {
    const set = new Set(dates);
    let n = 0;
    for (const [k, v] of h.counts) if (set.has(k.slice(0, 10))) n += v;
    return n;
  };
  const weeks = h.window.length / 7;
  if (weeks < 2) return 1;
  const perWeek = total(h.window) / weeks;
  if (perWeek < MIN_WEEKLY_FOR_TREND) return 1;
  const last = total(h.window.slice(-7));
  return Math.min(2, Math.max(0.5, last / perWeek));
}

/** Messages needing someone, per hour: none below `MIN_VOLUME`, else enough people for the volume. */
export function peopleNeeded(expected: number, perPersonHour: number): number {
  return expected < MIN_VOLUME ? 0 : Math.max(1, Math.ceil(expected / perPersonHour));
}

/** The 90th percentile (nearest rank). */
export function p90(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(0.9 * s.length) - 1)] ?? 0;
}

type Buckets = Map<number, Map<string, number>>;

/** Messages per community and local (date, hour), for a direction, between two instants. */
async function hourlyCounts(
  db: Queryable,
  orgId: number,
  from: Date,
  to: Date,
  direction: 'in' | 'out',
): Promise<Buckets> {
  const r = await db.query<{ community_id: number; date: string; hour: number; n: number }>(
    `select c.community_id, to_char(m.created_at at time zone co.timezone, 'YYYY-MM-DD') as date,
       extract(hour from m.created_at at time zone co.timezone)::int as hour, count(*)::int as n
     from messages m join cases c on c.id = m.case_id join communities co on co.id = c.community_id
     where m.org_id = $1 and m.direction = $4 and m.created_at >= $2 and m.created_at < $3
       ${direction === 'out' ? 'and m.person_id is not null' : ''}
     group by 1, 2, 3`,
    [orgId, from, to, direction],
  );
  const out: Buckets = new Map();
  for (const row of r.rows) {
    const m = out.get(row.community_id) ?? new Map<string, number>();
    m.set(key(row.date, row.hour), row.n);
    out.set(row.community_id, m);
  }
  return out;
}

export function communityHolidays(calendar: CoverageCalendar, communityId: number): Set<string> {
  return new Set(
    calendar.holidays.filter((h) => h.communityId === null || h.communityId === communityId).map((h) => h.date),
  );
}

export interface ForecastInput {
  orgId: number;
  communities: readonly CoverageCommunity[];
  people: readonly CoveragePerson[];
  now: Date;
  days: number;
  weeks: number;
  /** Messages per person-hour: given by the request or the organization; derived from history when undefined. */
  perPersonHour?: { value: number; source: 'request' | 'organization' } | undefined;
}

export interface ForecastHour {
  at: string;
  /** Local hour of week in the community's time zone: 1 = Monday … 7 = Sunday, and the hour. */
  day: number;
  hour: number;
  holiday: boolean;
  expected: number;
  on_duty: number;
  capacity: number;
  needed: number;
  understaffed: boolean;
}

/** History of the window (inbound, and the replies people sent per on-duty hour) and the forecast per community. */
export async function computeForecast(db: Queryable, input: ForecastInput) {
  const { now, weeks, days } = input;
  // A day of margin each side covers every time zone; each community keeps the dates of its own window.
  const histFrom = new Date(hourStart(now).getTime() - (weeks * 7 + 2) * DAY_MS);
  const histTo = new Date(now.getTime() + DAY_MS);
  const end = new Date(hourStart(now).getTime() + days * 24 * HOUR_MS);
  const [inbound, outbound, pastCalendar, calendar] = await Promise.all([
    hourlyCounts(db, input.orgId, histFrom, histTo, 'in'),
    input.perPersonHour ? Promise.resolve<Buckets>(new Map()) : hourlyCounts(db, input.orgId, histFrom, now, 'out'),
    loadCalendar(db, input.orgId, histFrom, now),
    loadCalendar(db, input.orgId, now, end),
  ]);

  const histories = new Map<number, History>();
  for (const c of input.communities) {
    const today = localTime(now, c.timezone).date;
    histories.set(c.id, {
      counts: inbound.get(c.id) ?? new Map(),
      window: historyWindow(today, weeks),
      holidays: new Set([...communityHolidays(pastCalendar, c.id), ...communityHolidays(calendar, c.id)]),
    });
  }

  const rate = input.perPersonHour ?? derivedRate(input, histories, outbound, pastCalendar, histFrom);
  const planner = new DutyPlanner(input.people, calendar, now);
  const communities = input.communities.map((c) => {
    const h = histories.get(c.id)!;
    const factor = trend(h);
    const members = input.people.filter((p) => p.community_ids.includes(c.id));
    const hours: ForecastHour[] = [];
    for (let t = hourStart(now).getTime(); t < end.getTime(); t += HOUR_MS) {
      const at = new Date(t);
      const local = localTime(at, c.timezone);
      const hour = Math.floor(local.minutes / 60);
      const expected = Math.round(baseVolume(h, local.date, hour) * factor * 10) / 10;
      const onDuty = members.filter((p) => planner.onDutyAllHour(p.id, at)).length;
      const needed = peopleNeeded(expected, rate.value);
      hours.push({
        at: at.toISOString(),
        day: local.day,
        hour,
        holiday: h.holidays.has(local.date),
        expected,
        on_duty: onDuty,
        capacity: Math.round(onDuty * rate.value * 10) / 10,
        needed,
        understaffed: onDuty < needed,
      });
    }
    return { community: c, trend: Math.round(factor * 100) / 100, hours };
  });
  return { rate, planner, calendar, communities };
}

/**
 * Messages a person on duty handles per hour, from history: the 90th percentile of replies sent per person on
 * duty, over the past hours where someone was on duty (by today's schedules, with the absences and holidays of
 * then) and replied; the documented default when history has too few such hours.
 */
function derivedRate(
  input: ForecastInput,
  histories: Map<number, History>,
  outbound: Buckets,
  pastCalendar: CoverageCalendar,
  histFrom: Date,
): { value: number; source: 'history' | 'default'; samples: number } {
  // Planned from `histFrom`: every past hour is "ahead" of it, so hand-set overrides of today do not count.
  const planner = new DutyPlanner(input.people, pastCalendar, histFrom);
  const ratios: number[] = [];
  for (const c of input.communities) {
    const replies = outbound.get(c.id);
    if (!replies || replies.size === 0) continue;
    const window = new Set(histories.get(c.id)!.window);
    const members = input.people.filter((p) => p.community_ids.includes(c.id));
    for (const [k, n] of replies) {
      if (!window.has(k.slice(0, 10))) continue;
      const at = utcOfLocalHour(k, c.timezone);
      if (!at) continue;
      const mid = new Date(at.getTime() + HOUR_MS / 2);
      const on = members.filter((p) => planner.onDuty(p.id, mid)).length;
      if (on > 0) ratios.push(n / on);
    }
  }
  if (ratios.length < MIN_RATE_SAMPLES)
    return { value: DEFAULT_PER_PERSON_HOUR, source: 'default', samples: ratios.length };
  return { value: Math.round(Math.max(1, p90(ratios)) * 10) / 10, source: 'history', samples: ratios.length };
}

/** The UTC start of a local `YYYY-MM-DD|H` hour in a time zone (null for an hour the zone skips). */
function utcOfLocalHour(k: string, timezone: string): Date | null {
  const [date, h] = k.split('|') as [string, string];
  const wall = Date.parse(`${date}T${h.padStart(2, '0')}:00:00Z`);
  const matches = (t: number) => {
    const l = localTime(new Date(t), timezone);
    return l.date === date && l.minutes === Number(h) * 60;
  };
  // The zone's offset near that wall time, then the neighbouring offsets (a daylight-saving change in between).
  const seen = localTime(new Date(wall), timezone);
  const offset = Date.parse(`${seen.date}T00:00:00Z`) + seen.minutes * 60_000 - wall;
  for (const shift of [0, -HOUR_MS, HOUR_MS]) {
    const t = wall - offset + shift;
    if (matches(t)) return new Date(t);
  }
  return null;
}
