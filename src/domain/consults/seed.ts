import type { Queryable } from '../../server/db/database.ts';

/** An entry of the expertise directory, as an organization definition describes it. */
export interface ExpertiseDefinition {
  title: string;
  /** Exactly one of person (email) and team (slug). */
  person?: string;
  team?: string;
  topics: string[];
  languages: string[];
  availability?: string;
}

/** Seeds the expertise directory of an organization that has none yet (safe to call on every start). */
export async function seedExpertise(db: Queryable, orgId: number, entries: readonly ExpertiseDefinition[]) {
  const any = await db.query('select 1 from expertise where org_id = $1 limit 1', [orgId]);
  if ((any.rowCount ?? 0) > 0) return;
  for (const e of entries) {
    await db.query(
      `insert into expertise (org_id, person_id, team_id, title, topics, languages, availability)
       select $1, (select id from people where org_id = $1 and lower(email) = lower($2)),
         (select id from teams where org_id = $1 and slug = $3), $4, $5, $6, $7
       where exists (select 1 from people where org_id = $1 and lower(email) = lower($2))
          or exists (select 1 from teams where org_id = $1 and slug = $3)`,
      [orgId, e.person ?? '', e.team ?? '', e.title, e.topics, e.languages, e.availability ?? ''],
    );
  }
}
