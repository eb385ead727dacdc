import { z } from 'zod';
import type { Queryable } from '../../server/db/database.ts';
import { INBOX_SORTS } from '../cases/inbox-order.ts';
import { CASE_STATUSES } from '../cases/store.ts';

/** Saved inbox views: a name and the inbox filters, kept per person and optionally shared with everyone. */

const STATUS_WORDS = new Set<string>([...CASE_STATUSES, 'active', 'all']);

/** The inbox filters a view stores: the query parameters of `GET /api/v1/cases`, as JSON. */
export const viewQuerySchema = z.strictObject({
  view: z.enum(['mine', 'team', 'unassigned', 'all', 'sla_risk']).optional(),
  community: z.number().int().positive().optional(),
  channel: z.string().min(1).max(32).optional(),
  /** Comma-separated statuses, or `active` / `all`, as in the inbox query. */
  status: z
    .string()
    .max(200)
    .refine((s) => s.split(',').every((w) => STATUS_WORDS.has(w)), 'unknown status')
    .optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(INBOX_SORTS).optional(),
});
export type ViewQuery = z.infer<typeof viewQuerySchema>;

export interface ViewRow {
  id: number;
  person_id: number;
  owner_name: string;
  name: string;
  query: ViewQuery;
  shared: boolean;
  created_at: Date;
}

const SELECT = `select v.id, v.person_id, p.name as owner_name, v.name, v.query, v.shared, v.created_at
  from saved_views v join people p on p.id = v.person_id`;

/** A person's own views, then the views others shared. */
export async function listViews(db: Queryable, orgId: number, personId: number): Promise<ViewRow[]> {
  const r = await db.query<ViewRow>(
    `${SELECT} where v.org_id = $1 and (v.person_id = $2 or v.shared)
     order by (v.person_id = $2) desc, lower(v.name), v.id`,
    [orgId, personId],
  );
  return r.rows;
}

/** A view the person can see (their own, or shared); undefined otherwise. */
export async function visibleView(
  db: Queryable,
  orgId: number,
  personId: number,
  id: number,
): Promise<ViewRow | undefined> {
  const r = await db.query<ViewRow>(`${SELECT} where v.org_id = $1 and v.id = $3 and (v.person_id = $2 or v.shared)`, [
    orgId,
    personId,
    id,
  ]);
  return r.rows[0];
}

export async function countOwnViews(db: Queryable, personId: number): Promise<number> {
  const r = await db.query<{ n: number }>('select count(*)::int as n from saved_views where person_id = $1', [
    personId,
  ]);
  return r.rows[0]!.n;
}
