import type pg from 'pg';
import { z } from 'zod';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { canEditCannedReply } from '../access/policy.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import type { Directory } from '../organization/directory.ts';
import { invalidField } from '../validation.ts';

/** Canned replies: per community (or for all, community null) and language, with reply variables. */

export const cannedInputSchema = z.strictObject({
  community_id: z.number().int().positive().nullable(),
  language: z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code in lower case'),
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().min(1).max(5000),
});
export const cannedPatchSchema = cannedInputSchema.partial().strict();
export type CannedInput = z.infer<typeof cannedInputSchema>;

export interface CannedRow {
  id: number;
  community_id: number | null;
  language: string;
  title: string;
  body: string;
  updated_at: Date;
}

const COLUMNS = 'id, community_id, language, title, body, updated_at';

/** The canned replies a person sees: the organization-wide ones and those of their communities. */
export async function listCanned(
  db: Queryable,
  person: PersonPrincipal,
  filter: { communityId?: number | undefined; language?: string | undefined },
): Promise<CannedRow[]> {
  const r = await db.query<CannedRow>(
    `select ${COLUMNS} from canned_replies
     where org_id = $1 and (community_id is null or community_id = any($2::int[]))
       and ($3::int is null or community_id is null or community_id = $3)
       and ($4::text is null or language = $4)
     order by language, community_id nulls first, lower(title), id`,
    [person.orgId, [...person.communityIds], filter.communityId ?? null, filter.language ?? null],
  );
  return r.rows;
}

/** A canned reply the person can see; 404 otherwise. */
export async function visibleCanned(db: Queryable, person: PersonPrincipal, id: number): Promise<CannedRow> {
  const r = await db.query<CannedRow>(`select ${COLUMNS} from canned_replies where org_id = $1 and id = $2`, [
    person.orgId,
    id,
  ]);
  const row = r.rows[0];
  if (!row || (row.community_id !== null && !person.communityIds.has(row.community_id))) {
    throw notFound('canned reply');
  }
  return row;
}

function checkEdit(person: PersonPrincipal, directory: Directory, communityId: number | null): void {
  if (communityId !== null && !directory.communities.has(communityId)) {
    throw invalidField('community_id', 'no such community');
  }
  if (!canEditCannedReply(person, communityId)) {
    throw new HttpError(
      403,
      'forbidden',
      communityId === null
        ? 'only leaders edit the canned replies of every community'
        : 'only leaders and the managers of this community edit its canned replies',
    );
  }
}

export async function createCanned(
  pool: pg.Pool,
  directory: Directory,
  person: PersonPrincipal,
  input: CannedInput,
): Promise<CannedRow> {
  checkEdit(person, directory, input.community_id);
  return transaction(pool, async (tx) => {
    const r = await tx.query<CannedRow>(
      `insert into canned_replies (org_id, community_id, language, title, body, created_by)
       values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
      [person.orgId, input.community_id, input.language, input.title, input.body, person.id],
    );
    const row = r.rows[0]!;
    await audit(tx, {
      orgId: person.orgId,
      action: 'canned_reply.created',
      actorPersonId: person.id,
      subjectType: 'canned_reply',
      subjectId: row.id,
      data: { community_id: row.community_id, language: row.language },
    });
    return row;
  });
}

export async function updateCanned(
  pool: pg.Pool,
  directory: Directory,
  person: PersonPrincipal,
  id: number,
  patch: Partial<CannedInput>,
): Promise<CannedRow> {
  return transaction(pool, async (tx) => {
    const current = await visibleCanned(tx, person, id);
    checkEdit(person, directory, current.community_id);
    const next = { ...current, ...patch };
    if (patch.community_id !== undefined) checkEdit(person, directory, next.community_id);
    const r = await tx.query<CannedRow>(
      `update canned_replies set community_id = $2, language = $3, title = $4, body = $5, updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [id, next.community_id, next.language, next.title, next.body],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'canned_reply.updated',
      actorPersonId: person.id,
      subjectType: 'canned_reply',
      subjectId: id,
      data: { fields: Object.keys(patch) },
    });
    return r.rows[0]!;
  });
}

export async function deleteCanned(pool: pg.Pool, directory: Directory, person: PersonPrincipal, id: number) {
  await transaction(pool, async (tx) => {
    const current = await visibleCanned(tx, person, id);
    checkEdit(person, directory, current.community_id);
    await tx.query('delete from canned_replies where id = $1', [id]);
    await audit(tx, {
      orgId: person.orgId,
      action: 'canned_reply.deleted',
      actorPersonId: person.id,
      subjectType: 'canned_reply',
      subjectId: id,
    });
  });
}

/**
 * Seeds an organization's canned replies (for every community, per language) when it has none; runs in the
 * caller's transaction (the organization seeding).
 */
export async function seedCannedReplies(
  tx: Queryable,
  orgId: number,
  replies: Readonly<Record<string, readonly { title: string; body: string }[]>>,
): Promise<number> {
  const existing = await tx.query('select 1 from canned_replies where org_id = $1 limit 1', [orgId]);
  if (existing.rows.length > 0) return 0;
  const rows = Object.entries(replies).flatMap(([language, list]) => list.map((r) => ({ language, ...r })));
  if (rows.length === 0) return 0;
  await tx.query(
    `insert into canned_replies (org_id, community_id, language, title, body)
     select $1, null, x.language, x.title, x.body
     from jsonb_to_recordset($2::jsonb) as x(language text, title text, body text)`,
    [orgId, JSON.stringify(rows)],
  );
  return rows.length;
}
