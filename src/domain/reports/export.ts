import type { Queryable } from '../../server/db/database.ts';
import type { Directory } from '../organization/directory.ts';
import { caseConditions, type ReportFilter, recentCase } from './filters.ts';
import { type Cell, cellText } from './xlsx.ts';

/**
 * CSV and XLSX exports for the report filter, streamed page by page (keyset on id) so memory stays flat however
 * many rows: one row per case created in the period, or one per message written in it. No message text: exports
 * feed BI tools with figures and labels; the text stays in Passeur. Both formats share the rows below.
 */
const PAGE = 2000;

export function csvField(v: unknown): string {
  // A leading formula character is neutralized so spreadsheets never evaluate a cell (same rule as XLSX).
  const safe = cellText(v as Cell);
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const line = (values: unknown[]) => `${values.map(csvField).join(',')}\n`;

/** CSV text of pages of rows. */
async function* csvOf(pages: AsyncIterable<Cell[][]>): AsyncGenerator<string> {
  for await (const rows of pages) {
    let chunk = '';
    for (const r of rows) chunk += line(r);
    if (chunk) yield chunk;
  }
}

export const CASE_COLUMNS = [
  'case_id',
  'created_at',
  'brand',
  'community',
  'team',
  'assignee',
  'channel',
  'status',
  'priority',
  'sentiment',
  'intent',
  'topics',
  'first_responded_at',
  'first_response_minutes',
  'first_response_due_at',
  'first_response_sla',
  'resolved_at',
  'resolution_minutes',
  'resolution_due_at',
  'resolution_sla',
  'reopened_count',
  'message_count',
] as const;

export const MESSAGE_COLUMNS = [
  'message_id',
  'case_id',
  'created_at',
  'direction',
  'kind',
  'channel',
  'brand',
  'community',
  'team',
  'person',
  'lang',
  'sentiment',
  'intent',
  'topics',
  'urgency',
] as const;

interface Names {
  community(id: number | null): string;
  brand(communityId: number | null): string;
  team(id: number | null): string;
  person(id: number | null): string;
}

async function namesOf(db: Queryable, directory: Directory, orgId: number): Promise<Names> {
  const people = await db.query<{ id: number; name: string }>('select id, name from people where org_id = $1', [orgId]);
  const personName = new Map(people.rows.map((p) => [p.id, p.name]));
  const brandName = new Map(directory.brands.map((b) => [b.id, b.name]));
  return {
    community: (id) => (id === null ? '' : (directory.communities.get(id)?.slug ?? String(id))),
    brand: (id) => {
      const c = id === null ? undefined : directory.communities.get(id);
      return c ? (brandName.get(c.brandId) ?? '') : '';
    },
    team: (id) => (id === null ? '' : (directory.teams.get(id)?.slug ?? String(id))),
    person: (id) => (id === null ? '' : (personName.get(id) ?? String(id))),
  };
}

const minutes = (a: Date | null, b: Date | null) =>
  a && b ? Math.max(0, Math.round((b.getTime() - a.getTime()) / 600) / 100) : null;

function sla(done: Date | null, due: Date | null, now: Date): string {
  if (!due) return 'none';
  if (done) return done.getTime() <= due.getTime() ? 'met' : 'breached';
  return due.getTime() <= now.getTime() ? 'breached' : 'pending';
}

interface CaseRow {
  id: string;
  created_at: Date;
  community_id: number;
  team_id: number | null;
  assignee_id: number | null;
  channel: string;
  status: string;
  priority: string;
  sentiment: string | null;
  intent: string | null;
  topics: string[];
  first_responded_at: Date | null;
  first_response_due_at: Date | null;
  resolved_at: Date | null;
  resolution_due_at: Date | null;
  reopened_count: number;
  message_count: number;
}

export function casesCsv(db: Queryable, directory: Directory, f: ReportFilter): AsyncGenerator<string> {
  return csvOf(caseRows(db, directory, f));
}

export function messagesCsv(db: Queryable, directory: Directory, f: ReportFilter): AsyncGenerator<string> {
  return csvOf(messageRows(db, directory, f));
}

/** The rows of the cases export in pages, the column names first (CSV and XLSX share them). */
export async function* caseRows(db: Queryable, directory: Directory, f: ReportFilter): AsyncGenerator<Cell[][]> {
  const names = await namesOf(db, directory, f.orgId);
  yield [[...CASE_COLUMNS]];
  let after = 0;
  for (;;) {
    const params: unknown[] = [];
    const where = caseConditions(f, params);
    params.push(f.from, f.to, after, PAGE);
    const n = params.length;
    const r = await db.query<CaseRow>(
      `select c.id, c.created_at, c.community_id, c.team_id, c.assignee_id, c.channel, c.status, c.priority,
         c.sentiment, c.intent, c.topics, c.first_responded_at, c.first_response_due_at, c.resolved_at,
         c.resolution_due_at, c.reopened_count, c.message_count
       from cases c where ${where.join(' and ')} and c.created_at >= $${n - 3} and c.created_at < $${n - 2}
         and c.id > $${n - 1}
       order by c.id limit $${n}`,
      params,
    );
    const page: Cell[][] = [];
    for (const c of r.rows) {
      page.push([
        c.id,
        c.created_at,
        names.brand(c.community_id),
        names.community(c.community_id),
        names.team(c.team_id),
        names.person(c.assignee_id),
        c.channel,
        c.status,
        c.priority,
        c.sentiment,
        c.intent,
        c.topics,
        c.first_responded_at,
        minutes(c.created_at, c.first_responded_at),
        c.first_response_due_at,
        sla(c.first_responded_at, c.first_response_due_at, f.now),
        c.resolved_at,
        minutes(c.created_at, c.resolved_at),
        c.resolution_due_at,
        c.resolved_at ? sla(c.resolved_at, c.resolution_due_at, f.now) : c.resolution_due_at ? 'open' : 'none',
        c.reopened_count,
        c.message_count,
      ]);
    }
    if (page.length > 0) yield page;
    if (r.rows.length < PAGE) return;
    after = Number(r.rows[r.rows.length - 1]!.id);
  }
}

interface MessageRow {
  id: string;
  case_id: string;
  created_at: Date;
  cursor_at: string;
  direction: string;
  kind: string;
  channel: string;
  community_id: number;
  team_id: number | null;
  person_id: number | null;
  lang: string | null;
  sentiment: string | null;
  intent: string | null;
  topics: string[] | null;
  urgency: string | null;
}

/** The rows of the messages export in pages, the column names first. */
export async function* messageRows(db: Queryable, directory: Directory, f: ReportFilter): AsyncGenerator<Cell[][]> {
  const names = await namesOf(db, directory, f.orgId);
  yield [[...MESSAGE_COLUMNS]];
  // Keyset on (created_at, id): the period is read through the messages' date index.
  let after: [string, number] = [f.from.toISOString(), 0];
  for (;;) {
    const params: unknown[] = [];
    const where = caseConditions(f, params);
    params.push(after[0], after[1], f.to, PAGE, f.from);
    const n = params.length - 1;
    const r = await db.query<MessageRow>(
      `select m.id, m.case_id, m.created_at, to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at, m.direction, m.kind, m.channel, c.community_id, c.team_id, m.person_id,
         m.lang, m.sentiment, m.intent, m.topics, m.urgency
       from messages m join cases c on c.id = m.case_id
       where m.org_id = $1 and (m.created_at, m.id) > ($${n - 3}::timestamptz, $${n - 2}) and m.created_at < $${n - 1}
         and m.direction in ('in', 'out') and ${where.join(' and ')} and ${recentCase(`$${n + 1}`)}
       order by m.created_at, m.id limit $${n}`,
      params,
    );
    const page: Cell[][] = [];
    for (const m of r.rows) {
      page.push([
        m.id,
        m.case_id,
        m.created_at,
        m.direction,
        m.kind,
        m.channel,
        names.brand(m.community_id),
        names.community(m.community_id),
        names.team(m.team_id),
        names.person(m.person_id),
        m.lang,
        m.sentiment,
        m.intent,
        m.topics,
        m.urgency,
      ]);
    }
    if (page.length > 0) yield page;
    if (r.rows.length < PAGE) return;
    const last = r.rows[r.rows.length - 1]!;
    // Microseconds, which a Date would lose.
    after = [last.cursor_at, Number(last.id)];
  }
}

/**
 * The summary as rows for a sheet: one row per figure (dotted path into the KPIs of GET /reports/summary,
 * extensions included), its value in the period and in the previous period.
 */
export function summaryRows(kpis: object, previous: object | null): Cell[][] {
  const flat = (v: unknown, path: string, out: Map<string, Cell>) => {
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) flat(x, path ? `${path}.${k}` : k, out);
    } else out.set(path, v as Cell);
    return out;
  };
  const now = flat(kpis, '', new Map());
  const before = previous ? flat(previous, '', new Map()) : new Map<string, Cell>();
  const rows: Cell[][] = [['indicator', 'period', 'previous_period']];
  for (const [k, v] of now) rows.push([k, v, before.get(k) ?? null]);
  return rows;
}
