import { createHash } from 'node:crypto';
import type { Queryable } from '../../server/db/database.ts';

/** An action worth answering for later. Refers to records by id; never holds customer text. */
export interface AuditEntry {
  orgId: number;
  action: string;
  actorPersonId?: number | null;
  actorTokenId?: number | null;
  accountId?: number | null;
  subjectType?: string;
  subjectId?: string | number;
  data?: Record<string, unknown>;
}

const AUDIT_LOCK = 7_311_003;
const GENESIS = '0'.repeat(64);

/** Canonical JSON (sorted keys) so the hash of an entry is reproducible when the chain is verified. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function entryHash(prevHash: string, fields: Record<string, unknown>): string {
  return createHash('sha256').update(prevHash).update(canonical(fields)).digest('hex');
}

/**
 * Appends to the hash chain. Must run inside the transaction that performs the action, so the record
 * exists exactly when the action does; entries of one organization are serialized by an advisory lock.
 */
export async function audit(tx: Queryable, e: AuditEntry): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1, $2)', [AUDIT_LOCK, e.orgId]);
  const prev = await tx.query<{ hash: string }>(
    'select hash from audit_events where org_id = $1 order by id desc limit 1',
    [e.orgId],
  );
  const prevHash = prev.rows[0]?.hash ?? GENESIS;
  const at = new Date().toISOString();
  const fields = {
    at,
    action: e.action,
    actor_person_id: e.actorPersonId ?? null,
    actor_token_id: e.actorTokenId ?? null,
    account_id: e.accountId ?? null,
    subject_type: e.subjectType ?? null,
    subject_id: e.subjectId === undefined ? null : String(e.subjectId),
    data: e.data ?? {},
  };
  await tx.query(
    `insert into audit_events (org_id, at, actor_person_id, actor_token_id, account_id, action, subject_type, subject_id,
       data, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      e.orgId,
      at,
      fields.actor_person_id,
      fields.actor_token_id,
      fields.account_id,
      fields.action,
      fields.subject_type,
      fields.subject_id,
      fields.data,
      prevHash,
      entryHash(prevHash, fields),
    ],
  );
}

/** Recomputes the chain; returns the id of the first entry that does not match, or null when intact. */
export async function verifyChain(db: Queryable, orgId: number): Promise<number | null> {
  const rows = await db.query<{
    id: number;
    org_id: number;
    at: Date;
    action: string;
    actor_person_id: number | null;
    actor_token_id: number | null;
    account_id: number | null;
    subject_type: string | null;
    subject_id: string | null;
    data: Record<string, unknown>;
    prev_hash: string;
    hash: string;
  }>('select * from audit_events where org_id = $1 order by id', [orgId]);
  let prev = GENESIS;
  for (const r of rows.rows) {
    const { id, org_id: _org, prev_hash, hash, at, ...rest } = r;
    const fields = { at: at.toISOString(), ...rest };
    if (prev_hash !== prev || entryHash(prev, fields) !== hash) return id;
    prev = hash;
  }
  return null;
}
