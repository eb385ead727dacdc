import type { Queryable } from '../../server/db/database.ts';
import { type CoverageCommunity, type CoveragePerson, type DutyPlanner, HOUR_MS } from './gaps.ts';

/** Roles that can be put on duty to take cases (the roles assignment gives cases to). */
const PROPOSABLE_ROLES = new Set(['manager', 'backup']);

/** Who backs up whom: person id → the ids of their backups. */
export type BackupRelations = Map<number, Set<number>>;

/**
 * The backup relation of the organization, from the `person_backups` table when it exists (a person and their
 * backup); empty otherwise, and proposals then rely on communities, languages and the `backup` role alone.
 */
export async function loadBackupRelations(
  db: Queryable,
  orgId: number,
): Promise<{ relations: BackupRelations; source: 'person_backups' | 'roles' }> {
  const cols = await db.query<{ column_name: string }>(
    `select column_name from information_schema.columns
     where table_schema = current_schema() and table_name = 'person_backups'`,
  );
  const names = cols.rows.map((c) => c.column_name);
  const backupCol = names.find((n) => n !== 'person_id' && /^backup(_person)?_id$/.test(n));
  if (!names.includes('person_id') || !backupCol) return { relations: new Map(), source: 'roles' };
  const r = await db.query<{ person_id: number; backup_id: number }>(
    `select b.person_id, b.${backupCol} as backup_id from person_backups b join people p on p.id = b.person_id
     where p.org_id = $1`,
    [orgId],
  );
  const relations: BackupRelations = new Map();
  for (const row of r.rows) {
    const set = relations.get(row.person_id) ?? new Set<number>();
    set.add(row.backup_id);
    relations.set(row.person_id, set);
  }
  return { relations, source: 'person_backups' };
}

export interface Proposal {
  id: number;
  name: string;
  role: string;
  /** The people of the community this person backs up (from the backup relation). */
  backs_up: string[];
}

/**
 * People to put on duty for an understaffed hour of a community: they work in it and speak its language, are not
 * absent and not already on duty then. Named backups of the community's people first, then people with the
 * `backup` role, then the others; `missing` of them.
 */
export function proposeBackups(
  planner: DutyPlanner,
  people: readonly CoveragePerson[],
  relations: BackupRelations,
  community: CoverageCommunity,
  hour: Date,
  missing: number,
): Proposal[] {
  const members = people.filter((p) => p.community_ids.includes(community.id));
  const end = new Date(hour.getTime() + HOUR_MS - 60_000);
  const candidates = members
    .filter((p) => PROPOSABLE_ROLES.has(p.role) && p.languages.includes(community.language))
    .filter((p) => !planner.absent(p.id, hour) && !planner.absent(p.id, end))
    .filter((p) => !planner.onDutyAllHour(p.id, hour))
    .map((p) => {
      const backsUp = members.filter((m) => m.id !== p.id && relations.get(m.id)?.has(p.id)).map((m) => m.name);
      const rank = backsUp.length > 0 ? 0 : p.role === 'backup' ? 1 : 2;
      return { p, backsUp, rank };
    })
    .sort((a, b) => a.rank - b.rank || a.p.name.localeCompare(b.p.name) || a.p.id - b.p.id);
  return candidates
    .slice(0, Math.max(1, missing))
    .map(({ p, backsUp }) => ({ id: p.id, name: p.name, role: p.role, backs_up: backsUp }));
}
