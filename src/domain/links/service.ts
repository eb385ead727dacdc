import type pg from 'pg';
import { z } from 'zod';
import { type Queryable, transaction } from '../../server/db/database.ts';
import { HttpError, notFound } from '../../server/http/errors.ts';
import { publish } from '../../server/realtime/events.ts';
import type { PersonPrincipal, TokenPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import { lockCases, workableCase } from '../cases/merge.ts';

/**
 * Back-office links: a case followed in another system (CRM, helpdesk, claims) by its id there. Agents link
 * the record; the other system reports its status, which the case then shows ("where is my claim?").
 */

const httpUrl = z
  .string()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'an http or https URL');
const system = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,39}$/i, 'a system name: letters, digits, "_", "." or "-" (e.g. "crm")');
const externalId = z.string().trim().min(1).max(200);

export const linkSchema = z.strictObject({ system, external_id: externalId, url: httpUrl.optional() });
export const linkStatusSchema = z.strictObject({
  system,
  external_id: externalId,
  status: z.string().trim().min(1).max(100),
  url: httpUrl.optional(),
});

export interface LinkRow {
  id: number;
  case_id: number;
  system: string;
  external_id: string;
  url: string | null;
  status: string | null;
  status_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, case_id, system, external_id, url, status, status_at, created_at';

export function presentLink(l: LinkRow) {
  return {
    id: l.id,
    system: l.system,
    external_id: l.external_id,
    url: l.url,
    status: l.status,
    status_at: l.status_at?.toISOString() ?? null,
    created_at: l.created_at.toISOString(),
  };
}

export async function caseLinks(db: Queryable, caseId: number): Promise<LinkRow[]> {
  const r = await db.query<LinkRow>(`select ${COLUMNS} from case_links where case_id = $1 order by id`, [caseId]);
  return r.rows;
}

/** Links a record of another system to a case; linking the same record again is a no-op. */
export async function addLink(
  pool: pg.Pool,
  person: PersonPrincipal,
  caseId: number,
  input: z.infer<typeof linkSchema>,
): Promise<{ link: LinkRow; created: boolean }> {
  return transaction(pool, async (tx) => {
    const c = workableCase(person, (await lockCases(tx, person.orgId, [caseId])).get(caseId));
    const inserted = await tx.query<LinkRow>(
      `insert into case_links (org_id, case_id, system, external_id, url, created_by) values ($1, $2, $3, $4, $5, $6)
       on conflict (org_id, system, external_id) do nothing returning ${COLUMNS}`,
      [person.orgId, c.id, input.system, input.external_id, input.url ?? null, person.id],
    );
    const link = inserted.rows[0];
    if (!link) {
      const existing = await tx.query<LinkRow>(
        `select ${COLUMNS} from case_links where org_id = $1 and system = $2 and external_id = $3`,
        [person.orgId, input.system, input.external_id],
      );
      const row = existing.rows[0]!;
      if (row.case_id !== c.id) {
        throw new HttpError(409, 'already_linked', `${input.system} ${input.external_id} is linked to another case`);
      }
      return { link: row, created: false };
    }
    const data = { link_id: link.id, system: link.system, external_id: link.external_id };
    await tx.query(
      `insert into case_events (org_id, case_id, actor_person_id, kind, data) values ($1, $2, $3, 'link_added', $4)`,
      [person.orgId, c.id, person.id, data],
    );
    await audit(tx, {
      orgId: person.orgId,
      action: 'case.link_added',
      actorPersonId: person.id,
      subjectType: 'case',
      subjectId: c.id,
      data,
    });
    await publish(tx, [{ type: 'case.updated', org_id: person.orgId, case_id: c.id, community_id: c.community_id }]);
    return { link, created: true };
  });
}

/** An integration reports the status of its record; the linked case shows it and its timeline records it. */
export async function updateLinkStatus(
  pool: pg.Pool,
  token: TokenPrincipal,
  input: z.infer<typeof linkStatusSchema>,
): Promise<LinkRow> {
  return transaction(pool, async (tx) => {
    const before = await tx.query<LinkRow & { community_id: number }>(
      `select l.id, l.status, c.community_id from case_links l join cases c on c.id = l.case_id
       where l.org_id = $1 and l.system = $2 and l.external_id = $3 for update of l`,
      [token.orgId, input.system, input.external_id],
    );
    const prev = before.rows[0];
    if (!prev) throw notFound('link');
    const r = await tx.query<LinkRow>(
      `update case_links set status = $2, status_at = now(), url = coalesce($3, url) where id = $1 returning ${COLUMNS}`,
      [prev.id, input.status, input.url ?? null],
    );
    const link = r.rows[0]!;
    const data = {
      link_id: link.id,
      system: link.system,
      external_id: link.external_id,
      status: link.status,
      previous: prev.status,
    };
    await tx.query(`insert into case_events (org_id, case_id, kind, data) values ($1, $2, 'link_status', $3)`, [
      token.orgId,
      link.case_id,
      data,
    ]);
    await audit(tx, {
      orgId: token.orgId,
      action: 'link.status_updated',
      actorTokenId: token.id,
      subjectType: 'case',
      subjectId: link.case_id,
      data: { link_id: link.id, system: link.system },
    });
    await publish(tx, [
      { type: 'case.updated', org_id: token.orgId, case_id: link.case_id, community_id: prev.community_id },
    ]);
    return link;
  });
}
