import type { Queryable } from '../../server/db/database.ts';

export interface AuditQuery {
  orgId: number;
  actorPersonId?: number | undefined;
  actorTokenId?: number | undefined;
  /** An exact action (`case.updated`), or a prefix ending in `*` (`consult.*`). */
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset: entries with a smaller id (newest first). */
  before?: number | undefined;
  limit: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  action: string;
  actor_person_id: number | null;
  actor_name: string | null;
  actor_token_id: number | null;
  account_id: number | null;
  subject_type: string | null;
  subject_id: string | null;
  data: Record<string, unknown>;
  hash: string;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The organization's audit entries matching the filters, newest first. */
export async function searchAudit(db: Queryable, q: AuditQuery): Promise<AuditRow[]> {
  const params: unknown[] = [q.orgId];
  const where = ['a.org_id = $1'];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replaceAll('?', `$${params.length}`));
  };
  if (q.actorPersonId !== undefined) add('a.actor_person_id = ?', q.actorPersonId);
  if (q.actorTokenId !== undefined) add('a.actor_token_id = ?', q.actorTokenId);
  if (q.action !== undefined) {
    if (q.action.endsWith('*')) add('a.action like ?', `${likeEscape(q.action.slice(0, -1))}%`);
    else add('a.action = ?', q.action);
  }
  if (q.subjectType !== undefined) add('a.subject_type = ?', q.subjectType);
  if (q.subjectId !== undefined) add('a.subject_id = ?', q.subjectId);
  if (q.from !== undefined) add('a.at >= ?', q.from);
  if (q.to !== undefined) add('a.at < ?', q.to);
  if (q.before !== undefined) add('a.id < ?', q.before);
  params.push(q.limit);
  const r = await db.query<AuditRow>(
    `select a.id, a.at, a.action, a.actor_person_id, p.name as actor_name, a.actor_token_id, a.account_id,
       a.subject_type, a.subject_id, a.data, a.hash
     from audit_events a left join people p on p.id = a.actor_person_id
     where ${where.join(' and ')}
     order by a.id desc limit $${params.length}`,
    params,
  );
  return r.rows;
}

export const CSV_COLUMNS = [
  'id',
  'at',
  'action',
  'actor_person_id',
  'actor_name',
  'actor_token_id',
  'account_id',
  'subject_type',
  'subject_id',
  'data',
  'hash',
] as const;

/**
 * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would read as a formula (= + - @, tab, CR) is
 * prefixed with an apostrophe.
 */
export function csvCell(value: unknown): string {
  let s =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function auditCsv(rows: readonly AuditRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
