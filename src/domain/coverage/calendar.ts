import type { Queryable } from '../../server/db/database.ts';
import { type DutyInput, isOnDuty, type Shift } from '../routing/schedule.ts';

export const ABSENCE_REASONS = ['holiday', 'sick', 'training', 'other'] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];

export interface Absence {
  id: number;
  personId: number;
  startsAt: Date;
  endsAt: Date;
  reason: AbsenceReason;
  note: string;
}

export interface Holiday {
  id: number;
  /** Local date, YYYY-MM-DD: applied in the time zone of each person (their shifts) or community (volumes). */
  date: string;
  name: string;
  /** null: the whole organization; else only that community (and the people who work in it). */
  communityId: number | null;
  cancelsShifts: boolean;
}

/** The absences and holidays around a period, indexed for duty computations. */
export interface CoverageCalendar {
  absences: Absence[];
  holidays: Holiday[];
}

const DAY_MS = 86_400_000;

/**
 * Loads the absences that overlap [from, to) and the holidays whose date falls within it in any time zone
 * (a day of margin each side).
 */
export async function loadCalendar(db: Queryable, orgId: number, from: Date, to: Date): Promise<CoverageCalendar> {
  // One after the other: `db` may be a transaction's client, which runs one query at a time.
  const a = await db.query<{
    id: number;
    person_id: number;
    starts_at: Date;
    ends_at: Date;
    reason: AbsenceReason;
    note: string;
  }>(
    `select id, person_id, starts_at, ends_at, reason, note from absences
       where org_id = $1 and ends_at > $2 and starts_at < $3 order by starts_at, id`,
    [orgId, from, to],
  );
  const h = await db.query<{
    id: number;
    date: string;
    name: string;
    community_id: number | null;
    cancels_shifts: boolean;
  }>(
    `select id, date::text as date, name, community_id, cancels_shifts from holidays
     where org_id = $1 and date between $2::date and $3::date order by date, id`,
    [orgId, isoDate(new Date(from.getTime() - 2 * DAY_MS)), isoDate(new Date(to.getTime() + 2 * DAY_MS))],
  );
  return {
    absences: a.rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      reason: r.reason,
      note: r.note,
    })),
    holidays: h.rows.map((r) => ({
      id: r.id,
      date: r.date,
      name: r.name,
      communityId: r.community_id,
      cancelsShifts: r.cancels_shifts,
    })),
  };
}

export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The dates whose shifts are cancelled for someone working in `communityIds`: holidays of the whole organization
 * and of any of their communities that cancel shifts.
 */
export function cancelledDates(holidays: readonly Holiday[], communityIds: Iterable<number>): Set<string> {
  const mine = new Set(communityIds);
  return new Set(
    holidays.filter((h) => h.cancelsShifts && (h.communityId === null || mine.has(h.communityId))).map((h) => h.date),
  );
}

/** The people columns duty needs (as selected from `people`, with their communities). */
export interface DutyRow {
  id: number;
  on_duty: boolean | null;
  schedule: Shift[];
  timezone: string;
  community_ids: number[];
}

/** A person's duty input with their absences and holidays, for `isOnDuty`. */
export function dutyInput(p: DutyRow, calendar: CoverageCalendar): DutyInput {
  return {
    onDuty: p.on_duty,
    schedule: p.schedule,
    timezone: p.timezone,
    absences: calendar.absences.filter((a) => a.personId === p.id),
    holidays: cancelledDates(calendar.holidays, p.community_ids),
  };
}

/** Whether a person (a row of `people`) is on duty at `at`, honouring the calendar. */
export function personOnDuty(p: DutyRow, calendar: CoverageCalendar, at: Date): boolean {
  return isOnDuty(dutyInput(p, calendar), at);
}

/** The calendar around one instant (for "on duty now"). */
export function loadCalendarAt(db: Queryable, orgId: number, at: Date): Promise<CoverageCalendar> {
  return loadCalendar(db, orgId, at, new Date(at.getTime() + 1));
}
