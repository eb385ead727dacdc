import type pg from 'pg';
import { z } from 'zod';
import { transaction } from '../../server/db/database.ts';
import { forbidden, notFound } from '../../server/http/errors.ts';
import { canAdminister } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import type { Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';
import type { ExpertiseRow } from './model.ts';
import { getExpertise } from './store.ts';

/** An entry of the expertise directory as leaders write it: a person or a team, never both. */
const fields = {
  person_id: z.number().int().positive().nullable(),
  team_id: z.number().int().positive().nullable(),
  title: z.string().trim().min(1).max(200),
  /** Topics of the organization's taxonomy (the triage topics). */
  topics: z.array(z.string().min(1).max(64)).max(30),
  /** ISO 639-1 codes ("fr", "de"). */
  languages: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z]{2}$/, 'a two-letter language code'),
    )
    .max(20),
  /** Free text: "weekdays 08:00–17:00, answers within 2 h". */
  availability: z.string().trim().max(500),
};

export const expertiseCreateSchema = z.strictObject({
  person_id: fields.person_id.optional(),
  team_id: fields.team_id.optional(),
  title: fields.title,
  topics: fields.topics.default([]),
  languages: fields.languages.default([]),
  availability: fields.availability.default(''),
});

export const expertisePatchSchema = z
  .strictObject({
    person_id: fields.person_id.optional(),
    team_id: fields.team_id.optional(),
    title: fields.title.optional(),
    topics: fields.topics.optional(),
    languages: fields.languages.optional(),
    availability: fields.availability.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');

export type ExpertiseCreate = z.output<typeof expertiseCreateSchema>;
export type ExpertisePatch = z.output<typeof expertisePatchSchema>;

interface Entry {
  person_id: number | null;
  team_id: number | null;
  title: string;
  topics: string[];
  languages: string[];
  availability: string;
}

/** The organization's topics (its triage taxonomy); an empty list accepts any topic. */
export function taxonomyTopics(directory: Directory): string[] {
  const t = directory.settings.topics;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

async function check(tx: pg.PoolClient, directory: Directory, orgId: number, e: Entry): Promise<Entry> {
  if ((e.person_id === null) === (e.team_id === null)) {
    throw invalidField('person_id', 'name exactly one of person_id and team_id');
  }
  if (e.person_id !== null) {
    const p = await tx.query('select 1 from people where id = $1 and org_id = $2 and active', [e.person_id, orgId]);
    if (p.rowCount === 0) throw invalidField('person_id', 'no such active person');
  }
  if (e.team_id !== null && !directory.teams.has(e.team_id)) throw invalidField('team_id', 'no such team');
  const allowed = new Set(taxonomyTopics(directory));
  for (const t of e.topics) {
    if (allowed.size > 0 && !allowed.has(t)) throw invalidField('topics', `"${t}" is not a topic of this organization`);
  }
  return { ...e, topics: [...new Set(e.topics)], languages: [...new Set(e.languages)] };
}

function requireLeader(person: PersonPrincipal) {
  if (!canAdminister(person)) throw forbidden('editing the expertise directory');
}

export async function createExpertise(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  input: ExpertiseCreate,
): Promise<ExpertiseRow> {
  requireLeader(person);
  return transaction(deps.pool, async (tx) => {
    const e = await check(tx, deps.directory, person.orgId, {
      person_id: input.person_id ?? null,
      team_id: input.team_id ?? null,
      title: input.title,
      topics: input.topics,
      languages: input.languages,
      availability: input.availability,
    });
    const r = await tx.query<{ id: number }>(
      `insert into expertise (org_id, person_id, team_id, title, topics, languages, availability)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [person.orgId, e.person_id, e.team_id, e.title, e.topics, e.languages, e.availability],
    );
    const id = r.rows[0]!.id;
    await audit(tx, {
      orgId: person.orgId,
      action: 'expertise.created',
      actorPersonId: person.id,
      subjectType: 'expertise',
      subjectId: id,
      data: { person_id: e.person_id, team_id: e.team_id, topics: e.topics, languages: e.languages },
    });
    return (await getExpertise(tx, person.orgId, id))!;
  });
}

export async function updateExpertise(
  deps: { pool: pg.Pool; directory: Directory },
  person: PersonPrincipal,
  id: number,
  patch: ExpertisePatch,
): Promise<ExpertiseRow> {
  requireLeader(person);
  return transaction(deps.pool, async (tx) => {
    const cur = await getExpertise(tx, person.orgId, id, true);
    if (!cur) throw notFound('expertise entry');
    // Naming a person replaces the team, and the other way round, unless the patch names both.
    const personId =
      patch.person_id !== undefined
        ? patch.person_id
        : patch.team_id !== undefined && patch.team_id !== null
          ? null
          : cur.person_id;
    const teamId =
      patch.team_id !== undefined
        ? patch.team_id
        : patch.person_id !== undefined && patch.person_id !== null
          ? null
          : cur.team_id;
    const e = await check(tx, deps.directory, person.orgId, {
      person_id: personId,
      team_id: teamId,
      title: patch.title ?? cur.title,
      topics: patch.topics ?? cur.topics,
      languages: patch.languages ?? cur.languages,
      availability: patch.availability ?? cur.availability,
    });
    await tx.query(
      `update expertise set person_id = $2, team_id = $3, title = $4, topics = $5, languages = $6, availability = $7
       where id = $1`,
      [id, e.person_id, e.team_id, e.title, e.topics, e.languages, e.availability],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'expertise.updated',
      actorPersonId: person.id,
      subjectType: 'expertise',
      subjectId: id,
      data: { fields: Object.keys(patch).sort() },
    });
    return (await getExpertise(tx, person.orgId, id))!;
  });
}

/**
 * Removes an entry from the directory. The row stays (inactive): consults asked through it keep their reference,
 * and it can no longer be asked.
 */
export async function deleteExpertise(deps: { pool: pg.Pool }, person: PersonPrincipal, id: number): Promise<void> {
  requireLeader(person);
  await transaction(deps.pool, async (tx) => {
    const r = await tx.query('update expertise set active = false where id = $1 and org_id = $2 and active', [
      id,
      person.orgId,
    ]);
    if (r.rowCount === 0) throw notFound('expertise entry');
    await audit(tx, {
      orgId: person.orgId,
      action: 'expertise.deleted',
      actorPersonId: person.id,
      subjectType: 'expertise',
      subjectId: id,
    });
  });
}
