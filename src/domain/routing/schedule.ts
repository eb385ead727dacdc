import { z } from 'zod';
import { localTime } from './local-time.ts';

/** Weekly shifts in the person's time zone. A shift whose `to` is not after `from` ends the next day. */
export const shiftSchema = z.strictObject({
  days: z.array(z.number().int().min(1).max(7)).min(1),
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/),
});
export const scheduleSchema = z.array(shiftSchema).max(50);
export type Shift = z.infer<typeof shiftSchema>;

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** What duty is computed from: the override, the weekly shifts, and the coverage calendar (absences, holidays). */
export interface DutyInput {
  onDuty: boolean | null;
  schedule: readonly Shift[];
  timezone: string;
  /** Periods the person is away (holiday, sick leave, training…): never on duty then, override or not. */
  absences?: readonly { startsAt: Date; endsAt: Date }[];
  /** Local dates (YYYY-MM-DD, in the person's time zone) whose shifts are cancelled (public holidays). */
  holidays?: ReadonlySet<string>;
}

/** The local date before a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function previousDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Whether the person is away at `at`. */
export function isAbsent(person: Pick<DutyInput, 'absences'>, at: Date): boolean {
  const t = at.getTime();
  return (person.absences ?? []).some((a) => a.startsAt.getTime() <= t && t < a.endsAt.getTime());
}

/**
 * Whether a person is on duty at `at`, the one rule every part of Passeur uses (assignment, the sweeper, the duty
 * and coverage pages, the crisis room): an absence wins over everything; else an explicit override; else their
 * weekly shifts, in their own time zone, except a shift that starts on a holiday of theirs (an overnight shift
 * belongs to the day it starts).
 */
export function isOnDuty(person: DutyInput, at: Date): boolean {
  if (person.absences && isAbsent(person, at)) return false;
  if (person.onDuty !== null) return person.onDuty;
  return isScheduled(person, at);
}

/** Whether the weekly shifts (minus holidays) put the person on duty at `at`, ignoring overrides and absences. */
export function isScheduled(person: Omit<DutyInput, 'onDuty' | 'absences'>, at: Date): boolean {
  if (person.schedule.length === 0) return false;
  const { day, minutes: now, date } = localTime(at, person.timezone);
  const yesterday = ((day + 5) % 7) + 1;
  const off = person.holidays;
  const todayOff = off?.has(date) ?? false;
  const yesterdayOff = off && off.size > 0 ? off.has(previousDate(date)) : false;
  return person.schedule.some((s) => {
    const from = minutes(s.from);
    const to = minutes(s.to);
    if (from < to) return !todayOff && s.days.includes(day) && now >= from && now < to;
    // Overnight: the evening part on the shift's day, the early part on the next day.
    return (
      (!todayOff && s.days.includes(day) && now >= from) || (!yesterdayOff && s.days.includes(yesterday) && now < to)
    );
  });
}
