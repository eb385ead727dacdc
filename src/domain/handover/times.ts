import { z } from 'zod';
import { localTime } from '../routing/local-time.ts';
import { isOnDuty, type Shift } from '../routing/schedule.ts';
import { wallToInstant } from '../sla/calendar.ts';

/**
 * When a community's shifts change hands. By default the handover times come from the weekly schedules of the
 * people who work the community's cases: a handover is a moment when the set of people on duty changes and
 * someone stays on duty after it (everyone going home is not a handover: the next person to come on duty
 * takes it). Changes less than MERGE_MINUTES apart are one handover (07:00 and 07:30 arrivals: one brief at
 * 07:00). A community may instead list its handover times in its settings (`handover_times`, "HH:MM" in the
 * community's time zone, every day); an empty list turns automatic briefs off.
 */
export const MERGE_MINUTES = 60;

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface DutyPerson {
  id: number;
  schedule: readonly Shift[];
  timezone: string;
  /** Absences and cancelled dates (holidays), as the one duty rule takes them (`isOnDuty`). */
  absences?: readonly { startsAt: Date; endsAt: Date }[];
  holidays?: ReadonlySet<string>;
}

export interface Handover {
  at: Date;
  /** Who hands over: the people who leave at this change, else everyone on duty before it. */
  outgoing: number[];
  /** The next shift: the people who arrive at this change, else everyone on duty after it. */
  incoming: number[];
}

export const handoverTimesSchema = z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)).max(24);

/** The configured handover times of a community, or undefined when its schedules decide. */
export function configuredTimes(settings: Record<string, unknown>): string[] | undefined {
  const r = handoverTimesSchema.safeParse(settings.handover_times);
  return r.success ? r.data : undefined;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Local midnights (as UTC-fields ms) of the days around [from, to] in a zone. */
function localDays(from: Date, to: Date, timezone: string): number[] {
  const [y, m, d] = localTime(from, timezone).date.split('-').map(Number) as [number, number, number];
  const first = Date.UTC(y, m - 1, d) - DAY;
  const count = Math.ceil((to.getTime() - from.getTime()) / DAY) + 3;
  return Array.from({ length: count }, (_, i) => first + i * DAY);
}

function isoWeekday(dayMs: number): number {
  const d = new Date(dayMs).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * Every moment within [from, to] where someone's duty may change: the starts and ends of their shifts and of their
 * absences, in ms, sorted, without repeats.
 */
export function shiftBoundaries(people: readonly DutyPerson[], from: Date, to: Date): number[] {
  const out = new Set<number>();
  for (const p of people) {
    for (const a of p.absences ?? []) {
      for (const at of [a.startsAt.getTime(), a.endsAt.getTime()]) {
        if (at >= from.getTime() && at <= to.getTime()) out.add(at);
      }
    }
    for (const day of localDays(from, to, p.timezone)) {
      for (const s of p.schedule) {
        if (!s.days.includes(isoWeekday(day))) continue;
        const start = minutesOf(s.from);
        let end = minutesOf(s.to);
        if (end <= start) end += 24 * 60;
        for (const wall of [day + start * MINUTE, day + end * MINUTE]) {
          const at = wallToInstant(p.timezone, wall);
          if (at >= from.getTime() && at <= to.getTime()) out.add(at);
        }
      }
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Who is on duty at an instant by their weekly schedule, absences and holidays (a live override of duty is not a
 * plan: it is left out).
 */
export function onDutyAt(people: readonly DutyPerson[], at: number): number[] {
  return people
    .filter((p) =>
      isOnDuty(
        {
          onDuty: null,
          schedule: p.schedule,
          timezone: p.timezone,
          ...(p.absences ? { absences: p.absences } : {}),
          ...(p.holidays ? { holidays: p.holidays } : {}),
        },
        new Date(at),
      ),
    )
    .map((p) => p.id);
}

function handoverOf(people: readonly DutyPerson[], at: number, after: number): Handover {
  const before = onDutyAt(people, at - MINUTE);
  const now = onDutyAt(people, after);
  const leaving = before.filter((id) => !now.includes(id));
  const arriving = now.filter((id) => !before.includes(id));
  return {
    at: new Date(at),
    outgoing: leaving.length > 0 ? leaving : before,
    incoming: arriving.length > 0 ? arriving : now,
  };
}

/**
 * The handovers of a community within [from, to], oldest first: at its configured times when it has some
 * (`times` in `timezone`), else where its people's schedules change hands.
 */
export function handoverTimes(
  people: readonly DutyPerson[],
  from: Date,
  to: Date,
  configured?: { times: readonly string[]; timezone: string },
): Handover[] {
  if (configured) {
    const out: Handover[] = [];
    for (const day of localDays(from, to, configured.timezone)) {
      for (const t of [...configured.times].sort()) {
        const at = wallToInstant(configured.timezone, day + minutesOf(t) * MINUTE);
        if (at >= from.getTime() && at <= to.getTime()) out.push(handoverOf(people, at, at));
      }
    }
    return out.sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  const bounds = shiftBoundaries(people, from, to);
  const out: Handover[] = [];
  let i = 0;
  while (i < bounds.length) {
    const start = bounds[i]!;
    let last = start;
    while (i + 1 < bounds.length && bounds[i + 1]! - start < MERGE_MINUTES * MINUTE) last = bounds[++i]!;
    i++;
    const h = handoverOf(people, start, last);
    const before = onDutyAt(people, start - MINUTE);
    const after = onDutyAt(people, last);
    const same = before.length === after.length && before.every((id) => after.includes(id));
    if (after.length > 0 && !same) out.push(h);
  }
  return out;
}
