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

/** Whether a person is on duty at `at`: an explicit override wins, else their weekly shifts. */
export function isOnDuty(
  person: { onDuty: boolean | null; schedule: readonly Shift[]; timezone: string },
  at: Date,
): boolean {
  if (person.onDuty !== null) return person.onDuty;
  if (person.schedule.length === 0) return false;
  const { day, minutes: now } = localTime(at, person.timezone);
  const yesterday = ((day + 5) % 7) + 1;
  return person.schedule.some((s) => {
    const from = minutes(s.from);
    const to = minutes(s.to);
    if (from < to) return s.days.includes(day) && now >= from && now < to;
    // Overnight: the evening part on the shift's day, the early part on the next day.
    return (s.days.includes(day) && now >= from) || (s.days.includes(yesterday) && now < to);
  });
}
