import type { Queryable } from '../../server/db/database.ts';
import { policySchema, type Rule } from './policy.ts';
import { FALLBACK_RULES } from './router.ts';

export interface PolicyVersion {
  version: number;
  rules: Rule[];
  note: string;
  created_by: number | null;
  created_at: Date | null;
}

/** The policy in force: the highest saved version, else the built-in fallback (version 0). */
export async function currentPolicy(db: Queryable, orgId: number): Promise<PolicyVersion> {
  const r = await db.query<PolicyVersion>(
    `select version, rules, note, created_by, created_at from routing_policies
     where org_id = $1 order by version desc limit 1`,
    [orgId],
  );
  const row = r.rows[0];
  if (!row) return { version: 0, rules: FALLBACK_RULES, note: 'built-in default', created_by: null, created_at: null };
  // Stored policies were validated when saved; parsing again fills defaults added since.
  return { ...row, rules: policySchema.parse(row.rules) };
}

export async function policyVersions(db: Queryable, orgId: number) {
  const r = await db.query<{
    version: number;
    note: string;
    created_by: number | null;
    author: string | null;
    created_at: Date;
    rules: number;
  }>(
    `select rp.version, rp.note, rp.created_by, p.name as author, rp.created_at, jsonb_array_length(rp.rules) as rules
     from routing_policies rp left join people p on p.id = rp.created_by
     where rp.org_id = $1 order by rp.version desc limit 100`,
    [orgId],
  );
  return r.rows;
}

export async function policyVersion(db: Queryable, orgId: number, version: number): Promise<PolicyVersion | undefined> {
  const r = await db.query<PolicyVersion>(
    'select version, rules, note, created_by, created_at from routing_policies where org_id = $1 and version = $2',
    [orgId, version],
  );
  return r.rows[0];
}

/** Saves a new version (the caller validated the rules and holds the transaction). */
export async function insertPolicy(db: Queryable, orgId: number, rules: Rule[], note: string, personId: number | null) {
  const r = await db.query<{ version: number }>(
    `insert into routing_policies (org_id, version, rules, note, created_by)
     values ($1, coalesce((select max(version) from routing_policies where org_id = $1), 0) + 1, $2, $3, $4)
     returning version`,
    [orgId, JSON.stringify(rules), note, personId],
  );
  return r.rows[0]!.version;
}
