import { z } from 'zod';
import { forbidden } from '../../server/http/errors.ts';
import { reportCommunities } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import type { Directory } from '../organization/directory.ts';
import { isTimeZone } from '../sla/calendar.ts';
import { invalidField } from '../validation.ts';

/**
 * The filters every report, drill-down and export takes (see docs/metrics.md): a period [from, to), the
 * community / brand / team / person / channel / topic of the cases, whether durations count business hours,
 * and the time zone days are cut in.
 */
const DAY = 86_400_000;
export const MAX_PERIOD_DAYS = 731;

const instant = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:\d\d))?$/, 'YYYY-MM-DD or ISO 8601')
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((s) => s === 'true' || s === '1')
  .default(false);

export const reportQuerySchema = z.object({
  /** Start of the period, inclusive (a date is midnight UTC); default 30 days before `to`. */
  from: instant.optional(),
  /** End of the period, exclusive; default now. */
  to: instant.optional(),
  community: z.coerce.number().int().positive().optional(),
  brand: z.coerce.number().int().positive().optional(),
  team: z.coerce.number().int().positive().optional(),
  /** The assignee of the cases. */
  person: z.coerce.number().int().positive().optional(),
  channel: z.string().min(1).max(32).optional(),
  topic: z.string().min(1).max(64).optional(),
  /** Durations in business minutes of each community's calendar instead of wall-clock minutes. */
  business_hours: flag,
  /** Time zone of the days of daily series. */
  tz: z.string().max(64).refine(isTimeZone, 'unknown time zone').default('UTC'),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export interface ReportFilter {
  orgId: number;
  from: Date;
  to: Date;
  /** The communities the cases may be in; null: every community of the organization. */
  communities: number[] | null;
  team?: number | undefined;
  person?: number | undefined;
  channel?: string | undefined;
  topic?: string | undefined;
  businessHours: boolean;
  tz: string;
  /** The instant "now" of the report (backlog ages, pending deadlines). */
  now: Date;
}

/** The filter a principal may run: their readable communities narrowed by the community and brand asked. */
export function resolveFilter(p: Principal, q: ReportQuery, directory: Directory, now = new Date()): ReportFilter {
  const to = q.to ?? now;
  const from = q.from ?? new Date(to.getTime() - 30 * DAY);
  if (from.getTime() >= to.getTime()) throw invalidField('from', 'must be before to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY) {
    throw invalidField('from', `the period is at most ${MAX_PERIOD_DAYS} days`);
  }
  const readable = reportCommunities(p);
  if (readable !== 'all' && readable.size === 0) throw forbidden('reading reports');
  if (q.community !== undefined && readable !== 'all' && !readable.has(q.community)) {
    throw forbidden('reading the reports of this community');
  }
  let communities: number[] | null = readable === 'all' ? null : [...readable];
  const narrow = (ids: number[]) => {
    communities = communities === null ? ids : communities.filter((c) => ids.includes(c));
  };
  if (q.community !== undefined) narrow([q.community]);
  if (q.brand !== undefined) {
    narrow([...directory.communities.values()].filter((c) => c.brandId === q.brand).map((c) => c.id));
  }
  return {
    orgId: p.orgId,
    from,
    to,
    communities,
    team: q.team,
    person: q.person,
    channel: q.channel,
    topic: q.topic,
    businessHours: q.business_hours,
    tz: q.tz,
    now,
  };
}

/** The same filter over the period just before (same length), for comparisons. */
export function previousPeriod(f: ReportFilter): ReportFilter {
  const length = f.to.getTime() - f.from.getTime();
  return { ...f, from: new Date(f.from.getTime() - length), to: new Date(f.from.getTime()) };
}

/** SQL conditions on a case (alias `c`) for the filter's case attributes; values are appended to `params`. */
export function caseConditions(f: ReportFilter, params: unknown[]): string[] {
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`c.org_id = ${add(f.orgId)}`, 'c.merged_into is null'];
  if (f.communities !== null) where.push(`c.community_id = any(${add(f.communities)}::int[])`);
  if (f.team !== undefined) where.push(`c.team_id = ${add(f.team)}`);
  if (f.person !== undefined) where.push(`c.assignee_id = ${add(f.person)}`);
  if (f.channel !== undefined) where.push(`c.channel = ${add(f.channel)}`);
  if (f.topic !== undefined) where.push(`c.topics @> array[${add(f.topic)}::text]`);
  return where;
}

/**
 * A condition that keeps, for messages written since `from` (a parameter), only cases that can hold them: a
 * case's `updated_at` moves to now whenever a message is added to it (ingest, replies), so a case not updated
 * since the day before `from` has no message in the period. It lets the join read recent cases only.
 */
export function recentCase(from: string): string {
  return `c.updated_at >= ${from}::timestamptz - interval '1 day'`;
}

/** Dimensions a report can be broken down by. */
export const DIMENSIONS = ['community', 'brand', 'team', 'person', 'channel', 'topic'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * The SQL of a breakdown key over case `c` (text, null when the case has none) and the joins it needs;
 * `typed` is the same key in its own type (ids as integers, names in the "C" collation), cheaper to group and
 * sort, and `type` that type.
 */
export function dimensionKey(by: Dimension | undefined): { key: string; join: string; typed: string; type: KeyType } {
  const int = (typed: string, join = '') => ({ key: `${typed}::text`, join, typed, type: 'int' as const });
  const text = (col: string, join = '') => ({ key: col, join, typed: `${col} collate "C"`, type: 'text' as const });
  switch (by) {
    case undefined:
      return { key: `''`, join: '', typed: `''`, type: 'text' };
    case 'community':
      return int('c.community_id');
    case 'brand':
      return int('co.brand_id', 'join communities co on co.id = c.community_id');
    case 'team':
      return int('c.team_id');
    case 'person':
      return int('c.assignee_id');
    case 'channel':
      return text('c.channel');
    case 'topic':
      // A case with several topics counts once under each; one without any under null.
      return text(
        'tk.topic',
        `cross join lateral unnest(case when cardinality(c.topics) = 0 then array[null::text] else c.topics end) tk(topic)`,
      );
  }
}

export type KeyType = 'int' | 'text';
