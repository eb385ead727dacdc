/** Report types as the server returns them (src/domain/reports) and the page's filter ↔ address mapping. */

export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface Kpis {
  messages_in: number;
  messages_out: number;
  cases_created: number;
  cases_resolved: number;
  first_response_minutes: Distribution;
  resolution_minutes: Distribution;
  sla_first_response: { met: number; breached: number; pending: number; compliance: number | null };
  sla_resolution: { met: number; breached: number; compliance: number | null };
  backlog: {
    count: number;
    age_hours: { median: number | null; p90: number | null };
    buckets: { under_1d: number; d1_3: number; d3_7: number; over_7d: number };
  };
  reopen_rate: { reopened: number; resolved: number; rate: number | null };
  out_of_hours: { messages_out: number; out_of_hours: number; share: number | null };
  net_sentiment: { positive: number; neutral: number; negative: number; net: number | null };
}

export interface Summary {
  kpis: Kpis;
  previous?: { from: string; to: string; kpis: Kpis };
}

export interface DayPoint {
  day: string;
  messages_in: number;
  messages_out: number;
  cases_created: number;
  cases_resolved: number;
  net_sentiment: number | null;
}

export interface Breakdown {
  by: string;
  items: { key: string | null; label: string; kpis: Kpis }[];
}

export interface Drill {
  metric: string;
  day: string | null;
  total: number;
  case_ids: number[];
  cases: { id: number; subject: string; status: string; community_id: number; created_at: string }[];
}

export const DRILL_METRICS = [
  'cases_created',
  'first_response_breached',
  'cases_resolved',
  'resolution_breached',
  'reopened',
  'backlog',
  'messages_in',
  'messages_out',
  'negative',
] as const;

export interface ReportFilters {
  from: string;
  to: string;
  community?: string | undefined;
  team?: string | undefined;
  topic?: string | undefined;
  business_hours: boolean;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The filters in an address; by default the last 30 days, today included. */
export function filtersFromSearch(search: URLSearchParams, now = Date.now()): ReportFilters {
  const day = /^\d{4}-\d\d-\d\d$/;
  const to = search.get('to') ?? '';
  const from = search.get('from') ?? '';
  const end = day.test(to) ? to : isoDay(now + DAY);
  return {
    to: end,
    from: day.test(from) ? from : isoDay(Date.parse(`${end}T00:00:00Z`) - 30 * DAY),
    community: search.get('community') || undefined,
    team: search.get('team') || undefined,
    topic: search.get('topic') || undefined,
    business_hours: search.get('business_hours') === 'true',
  };
}

/** The query string of the filters, for the API and for addresses alike. */
export function filtersQuery(f: ReportFilters, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  q.set('from', f.from);
  q.set('to', f.to);
  if (f.community) q.set('community', f.community);
  if (f.team) q.set('team', f.team);
  if (f.topic) q.set('topic', f.topic);
  if (f.business_hours) q.set('business_hours', 'true');
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  return q.toString();
}

/** The instant a local day starts in a time zone (DST handled: the offset is read at that instant). */
export function zonedMidnight(day: string, tz: string): Date {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - Math.floor(t / 1000) * 1000;
  };
  const utc = Date.parse(`${day}T00:00:00Z`);
  let t = utc - offsetAt(utc);
  t = utc - offsetAt(t);
  return new Date(t);
}

/** The reader's time zone (the browser's). */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * The query string for the API: the period's days start at midnight in the reader's time zone, and daily
 * series and drill-down days are cut there too (addresses keep plain days: `filtersQuery`).
 */
export function apiQuery(
  f: ReportFilters,
  extra: Record<string, string | undefined> = {},
  tz: string = browserTimeZone(),
): string {
  const q = new URLSearchParams(filtersQuery(f, extra));
  q.set('from', zonedMidnight(f.from, tz).toISOString());
  q.set('to', zonedMidnight(f.to, tz).toISOString());
  q.set('tz', tz);
  return q.toString();
}

export function drillHref(f: ReportFilters, metric: (typeof DRILL_METRICS)[number], day?: string): string {
  return `/reports/drill?${filtersQuery(f, { metric, day })}`;
}
