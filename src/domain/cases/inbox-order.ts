/**
 * Orders of the inbox and their keyset cursors. A cursor is the sort key of the last row of a page, joined
 * with `_` (`2026-11-29T08:15:00.000Z_42`); the next page starts strictly after it.
 */

export const INBOX_SORTS = ['updated', 'sla', 'priority', 'age'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
/** `relevance` orders search results; it is chosen by `q`, not asked for. */
export type InboxOrder = InboxSort | 'relevance';

type KeyType = 'ts' | 'int' | 'real';

interface OrderSpec {
  /** SQL expressions over `c` (cases) and, for relevance, `r.rank`. */
  keys: { sql: string; dir: 'asc' | 'desc'; type: KeyType }[];
}

/** Far-future stand-in for "no deadline", so cases without one sort last and still have a cursor. */
const NO_DEADLINE = `'9999-12-31T00:00:00Z'::timestamptz`;

/** The next deadline of a case: first response while unanswered, next response, resolution. */
export const NEXT_DUE_SQL = `coalesce(least(case when c.first_responded_at is null then c.first_response_due_at end,
  c.next_response_due_at, c.resolution_due_at), ${NO_DEADLINE})`;

const PRIORITY_RANK_SQL = `case c.priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

const ID_DESC = { sql: 'c.id', dir: 'desc', type: 'int' } as const;
const ID_ASC = { sql: 'c.id', dir: 'asc', type: 'int' } as const;
const UPDATED_DESC = { sql: 'c.updated_at', dir: 'desc', type: 'ts' } as const;

const ORDERS: Record<InboxOrder, OrderSpec> = {
  updated: { keys: [UPDATED_DESC, ID_DESC] },
  age: { keys: [{ sql: 'c.created_at', dir: 'asc', type: 'ts' }, ID_ASC] },
  sla: { keys: [{ sql: NEXT_DUE_SQL, dir: 'asc', type: 'ts' }, ID_ASC] },
  priority: { keys: [{ sql: PRIORITY_RANK_SQL, dir: 'asc', type: 'int' }, UPDATED_DESC, ID_DESC] },
  relevance: { keys: [{ sql: 'r.rank', dir: 'desc', type: 'real' }, UPDATED_DESC, ID_DESC] },
};

/** Columns `sort_k0…` selecting the sort key, so the page's last row gives the next cursor. */
export function sortColumns(order: InboxOrder): string {
  return ORDERS[order].keys.map((k, i) => `${k.sql} as sort_k${i}`).join(', ');
}

export function orderBy(order: InboxOrder): string {
  return ORDERS[order].keys.map((k) => `${k.sql} ${k.dir}`).join(', ');
}

/** Parses a cursor for this order; undefined when it does not fit (the route answers 400). */
export function parseCursor(order: InboxOrder, cursor: string): (Date | number)[] | undefined {
  const keys = ORDERS[order].keys;
  const parts = cursor.split('_');
  if (parts.length !== keys.length) return undefined;
  const values: (Date | number)[] = [];
  for (const [i, k] of keys.entries()) {
    const raw = parts[i]!;
    if (k.type === 'ts') {
      const d = new Date(raw);
      if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(raw) || Number.isNaN(d.getTime())) return undefined;
      values.push(d);
    } else {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n) || (k.type === 'int' && !Number.isInteger(n))) return undefined;
      values.push(n);
    }
  }
  return values;
}

export function cursorOf(order: InboxOrder, row: object): string {
  return ORDERS[order].keys
    .map((_, i) => {
      const v = (row as Record<string, unknown>)[`sort_k${i}`];
      return v instanceof Date ? v.toISOString() : String(v);
    })
    .join('_');
}

/**
 * "Strictly after the cursor" for any mix of directions: (k0 after v0) or (k0 = v0 and k1 after v1) or ….
 * `param` adds a value and returns its placeholder.
 */
export function afterCursor(order: InboxOrder, values: (Date | number)[], param: (v: unknown) => string): string {
  const keys = ORDERS[order].keys;
  const casts: Record<KeyType, string> = { ts: 'timestamptz', int: 'bigint', real: 'real' };
  const ph = keys.map((k, i) => `${param(values[i])}::${casts[k.type]}`);
  const ors: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const eqs = keys.slice(0, i).map((k, j) => `${k.sql} = ${ph[j]}`);
    eqs.push(`${keys[i]!.sql} ${keys[i]!.dir === 'asc' ? '>' : '<'} ${ph[i]}`);
    ors.push(`(${eqs.join(' and ')})`);
  }
  return `(${ors.join(' or ')})`;
}
