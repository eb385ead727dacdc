import type { Queryable } from '../../server/db/database.ts';
import { loadCalendarAt, personOnDuty } from '../coverage/calendar.ts';
import type { Shift } from './schedule.ts';

/** A person who could take a case, with what assignment needs to know about them right now. */
export interface Candidate {
  id: number;
  name: string;
  languages: string[];
  skills: string[];
  communityIds: Set<number>;
  capacity: number;
  /** Open cases they hold (new, open, waiting on internal). */
  load: number;
  lastAssignedAt: number;
  onDuty: boolean;
}

/** Roles that receive cases automatically; leaders, approvers and viewers are assigned only by hand. */
const ASSIGNABLE_ROLES = ['manager', 'backup'];

export async function loadCandidates(db: Queryable, orgId: number, now: Date): Promise<Candidate[]> {
  const r = await db.query<{
    id: number;
    name: string;
    languages: string[];
    skills: string[];
    capacity: number;
    schedule: Shift[];
    on_duty: boolean | null;
    timezone: string;
    last_assigned_at: Date | null;
    community_ids: number[];
    load: number;
  }>(
    `select p.id, p.name, p.languages, p.skills, p.capacity, p.schedule, p.on_duty, p.timezone, p.last_assigned_at,
       array(select community_id from person_communities pc where pc.person_id = p.id) as community_ids,
       (select count(*)::int from cases c where c.assignee_id = p.id and c.status in ('new', 'open', 'waiting_internal')) as load
     from people p
     where p.org_id = $1 and p.active and p.role = any($2::text[])`,
    [orgId, ASSIGNABLE_ROLES],
  );
  // Absences and holidays take people off duty (docs/coverage.md).
  const calendar = await loadCalendarAt(db, orgId, now);
  return r.rows.map((p) => ({
    id: p.id,
    name: p.name,
    languages: p.languages,
    skills: p.skills,
    communityIds: new Set(p.community_ids),
    capacity: p.capacity,
    load: p.load,
    lastAssignedAt: p.last_assigned_at?.getTime() ?? 0,
    onDuty: personOnDuty(p, calendar, now),
  }));
}

export type Strategy = 'round_robin' | 'least_loaded';

export type Pick = { person: Candidate; reason: string } | { person: null; reason: string };

/**
 * Chooses among people who work in the community, are on duty, speak the language, have the skills and are
 * under their capacity. Least-loaded takes the fewest open cases (then who waited longest); round-robin takes
 * who waited longest. The pick is counted at once, so a batch spreads its cases.
 */
export function pickAssignee(
  candidates: Candidate[],
  need: { communityId: number; language: string; skills: readonly string[]; strategy: Strategy; exclude?: number },
  now: Date,
): Pick {
  const inCommunity = candidates.filter((c) => c.communityIds.has(need.communityId) && c.id !== need.exclude);
  if (inCommunity.length === 0) return { person: null, reason: 'nobody works in this community' };
  const onDuty = inCommunity.filter((c) => c.onDuty);
  if (onDuty.length === 0) return { person: null, reason: 'nobody of this community is on duty' };
  const speaking = onDuty.filter((c) => c.languages.includes(need.language));
  if (speaking.length === 0) return { person: null, reason: `nobody on duty speaks ${need.language}` };
  const skilled = speaking.filter((c) => need.skills.every((s) => c.skills.includes(s)));
  if (skilled.length === 0) return { person: null, reason: `nobody on duty has the skills ${need.skills.join(', ')}` };
  const free = skilled.filter((c) => c.load < c.capacity);
  if (free.length === 0) return { person: null, reason: 'everyone eligible is at capacity' };
  const byWait = (a: Candidate, b: Candidate) => a.lastAssignedAt - b.lastAssignedAt || a.id - b.id;
  const chosen = [...free].sort(
    need.strategy === 'least_loaded' ? (a, b) => a.load - b.load || byWait(a, b) : byWait,
  )[0]!;
  const reason =
    need.strategy === 'least_loaded'
      ? `${chosen.name}: on duty, speaks ${need.language}, lowest load (${chosen.load} open)`
      : `${chosen.name}: on duty, speaks ${need.language}, next in turn`;
  chosen.load++;
  chosen.lastAssignedAt = now.getTime();
  return { person: chosen, reason };
}

/** Records who was assigned last, for round-robin fairness across batches and processes. */
export async function recordAssignments(db: Queryable, personIds: number[], now: Date): Promise<void> {
  if (personIds.length === 0) return;
  await db.query('update people set last_assigned_at = $2 where id = any($1::int[])', [[...new Set(personIds)], now]);
}
