import type { Queryable } from '../../server/db/database.ts';
import { EMPTY_POLICY, type GovernancePolicy, type GovernancePolicyInput, governanceSchema } from './policy.ts';

export interface GovernanceVersion {
  version: number;
  policy: GovernancePolicy;
  note: string;
  created_by: number | null;
  created_at: Date | null;
}

/** The governance policy in force: the highest saved version, else none (version 0: no approval, no check). */
export async function currentGovernance(db: Queryable, orgId: number): Promise<GovernanceVersion> {
  const r = await db.query<GovernanceVersion>(
    `select version, policy, note, created_by, created_at from governance_policies
     where org_id = $1 order by version desc limit 1`,
    [orgId],
  );
  const row = r.rows[0];
  if (!row) return { version: 0, policy: EMPTY_POLICY, note: 'none', created_by: null, created_at: null };
  // Stored policies were validated when saved; parsing again fills defaults added since.
  return { ...row, policy: governanceSchema.parse(row.policy) };
}

export async function governanceVersions(db: Queryable, orgId: number) {
  const r = await db.query<{
    version: number;
    note: string;
    created_by: number | null;
    author: string | null;
    created_at: Date;
  }>(
    `select g.version, g.note, g.created_by, p.name as author, g.created_at
     from governance_policies g left join people p on p.id = g.created_by
     where g.org_id = $1 order by g.version desc limit 100`,
    [orgId],
  );
  return r.rows;
}

export async function governanceVersion(
  db: Queryable,
  orgId: number,
  version: number,
): Promise<GovernanceVersion | undefined> {
  const r = await db.query<GovernanceVersion>(
    'select version, policy, note, created_by, created_at from governance_policies where org_id = $1 and version = $2',
    [orgId, version],
  );
  return r.rows[0];
}

/** Saves a new version (the caller validated it and holds the transaction). */
export async function insertGovernance(
  db: Queryable,
  orgId: number,
  policy: GovernancePolicy,
  note: string,
  personId: number | null,
): Promise<number> {
  const r = await db.query<{ version: number }>(
    `insert into governance_policies (org_id, version, policy, note, created_by)
     values ($1, coalesce((select max(version) from governance_policies where org_id = $1), 0) + 1, $2, $3, $4)
     returning version`,
    [orgId, JSON.stringify(policy), note, personId],
  );
  return r.rows[0]!.version;
}

/** Seeds the first version for an organization that has none (also one seeded before governance existed). */
export async function seedGovernance(db: Queryable, orgId: number, policy: GovernancePolicyInput): Promise<void> {
  const r = await db.query('select 1 from governance_policies where org_id = $1 limit 1', [orgId]);
  if (r.rowCount === 0) await insertGovernance(db, orgId, governanceSchema.parse(policy), 'initial policy', null);
}
