import type { Queryable } from '../../server/db/database.ts';
import { type DutyInput, isAbsent, isOnDuty } from '../routing/schedule.ts';
import { type CoverageCalendar, type DutyRow, dutyInput } from './calendar.ts';

export const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;

/** Roles that work cases and so count as coverage (the same people as on the duty page). */
export const COVERAGE_ROLES = ['leader', 'manager', 'backup', 'approver'];

export interface CoveragePerson extends DutyRow {
  name: string;
  role: string;
  languages: string[];
}

export interface CoverageCommunity {
  id: number;
  slug: string;
  name: string;
  language: string;
  timezone: string;
}

/** The active people who work cases, with what duty needs. */
export async function loadCoveragePeople(db: Queryable, orgId: number): Promise<CoveragePerson[]> {
  const r = await db.query<CoveragePerson>(
    `select p.id, p.name, p.role, p.languages, p.schedule, p.on_duty, p.timezone,
       array(select community_id from person_communities pc where pc.person_id = p.id order by 1) as community_ids
     from people p where p.org_id = $1 and p.active and p.role = any($2::text[]) order by p.name, p.id`,
    [orgId, COVERAGE_ROLES],
  );
  return r.rows;
}

export const hourStart = (d: Date) => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);

/**
 * Duty for planning: absences and holidays, and the weekly shifts. A hand-set override is about now: it counts
 * in the current hour only, the hours ahead are planned from the schedules.
 */
export class DutyPlanner {
  private readonly inputs = new Map<number, { now: DutyInput; ahead: DutyInput }>();
  private readonly cache = new Map<string, boolean>();
  readonly now: Date;

  constructor(people: readonly DutyRow[], calendar: CoverageCalendar, now: Date) {
    this.now = now;
    for (const p of people) {
      const input = dutyInput(p, calendar);
      this.inputs.set(p.id, { now: input, ahead: { ...input, onDuty: null } });
    }
  }

  /** On duty at `at`; the override applies from now to the end of the current hour. */
  onDuty(personId: number, at: Date): boolean {
    const i = this.inputs.get(personId);
    if (!i) return false;
    // People work in several communities: each (person, instant) is computed once.
    const k = `${personId}:${at.getTime()}`;
    const known = this.cache.get(k);
    if (known !== undefined) return known;
    const current = at.getTime() < hourStart(this.now).getTime() + HOUR_MS;
    const on = isOnDuty(current ? i.now : i.ahead, at);
    this.cache.set(k, on);
    return on;
  }

  absent(personId: number, at: Date): boolean {
    const i = this.inputs.get(personId);
    return i ? isAbsent(i.now, at) : false;
  }

  /** On duty during the whole hour starting at `start` (checked at each quarter not yet over). */
  onDutyAllHour(personId: number, start: Date): boolean {
    return quarters(start, this.now).every((t) => this.onDuty(personId, t));
  }

  /**
   * When the first of `people` next comes on duty after `from` (to the minute), within `horizonMs`; null when
   * nobody does.
   */
  nextOnDuty(people: readonly number[], from: Date, horizonMs: number): { personId: number; at: Date } | null {
    const already = people.find((id) => this.onDuty(id, from));
    if (already !== undefined) return { personId: already, at: from };
    // Shifts start on a minute: check each quarter from the next minute, then the minutes before a hit.
    const start = Math.ceil(from.getTime() / 60_000) * 60_000;
    const end = from.getTime() + horizonMs;
    for (let t = start; t < end; t += QUARTER_MS) {
      if (!people.some((id) => this.onDuty(id, new Date(t)))) continue;
      for (let m = Math.max(start, t - QUARTER_MS + 60_000); m <= t; m += 60_000) {
        const who = people.find((id) => this.onDuty(id, new Date(m)));
        if (who !== undefined) return { personId: who, at: new Date(m) };
      }
    }
    return null;
  }
}

export interface GapHour {
  /** Start of the hour (UTC, ISO 8601). */
  at: string;
  /** The fewest people of the community on duty at once during the hour (checked at each quarter). */
  on_duty: number;
  /** People on duty for part of the hour at least. */
  partly: number;
  /** Nobody on duty at some point of the hour. */
  gap: boolean;
}

/** Quarter instants of the hour starting at `start` that are not already over at `now`. */
function quarters(start: Date, now: Date): Date[] {
  const out: Date[] = [];
  for (let q = 0; q < 4; q++) {
    const t = start.getTime() + q * QUARTER_MS;
    if (t + QUARTER_MS > now.getTime()) out.push(new Date(Math.max(t, now.getTime())));
  }
  return out;
}

/** People on duty hour by hour over `hours` hours from the current hour, for one community. */
export function communityHours(
  planner: DutyPlanner,
  people: readonly CoveragePerson[],
  communityId: number,
  hours: number,
): GapHour[] {
  const members = people.filter((p) => p.community_ids.includes(communityId));
  const first = hourStart(planner.now);
  const out: GapHour[] = [];
  for (let h = 0; h < hours; h++) {
    const start = new Date(first.getTime() + h * HOUR_MS);
    const qs = quarters(start, planner.now);
    const counts = qs.map(() => 0);
    let some = 0;
    for (const p of members) {
      let any = false;
      qs.forEach((t, i) => {
        if (planner.onDuty(p.id, t)) {
          counts[i]!++;
          any = true;
        }
      });
      if (any) some++;
    }
    const least = Math.min(...counts);
    out.push({ at: start.toISOString(), on_duty: least, partly: some, gap: least === 0 });
  }
  return out;
}

/** Consecutive gap hours merged into periods, for a readable list. */
export function gapPeriods(hours: readonly GapHour[]): { from: string; to: string; hours: number }[] {
  const out: { from: string; to: string; hours: number }[] = [];
  for (const h of hours) {
    if (!h.gap) continue;
    const last = out.at(-1);
    const start = Date.parse(h.at);
    if (last && Date.parse(last.to) === start) {
      last.to = new Date(start + HOUR_MS).toISOString();
      last.hours++;
    } else out.push({ from: h.at, to: new Date(start + HOUR_MS).toISOString(), hours: 1 });
  }
  return out;
}
