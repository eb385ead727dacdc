import { request } from '../../api.ts';

/** The crisis endpoints (`/api/v1/crisis/…`), typed for the crisis pages. */

export interface SeriesPoint {
  minute?: string;
  at?: string;
  n: number;
  negative: number;
}

export interface CrisisAlert {
  id: number;
  community_id: number | null;
  community: string | null;
  kind: 'volume' | 'negative_share' | 'new_terms';
  score: number;
  detected_at: string;
  status: 'open' | 'dismissed' | 'declared';
  crisis_id: number | null;
  evidence: {
    observed?: number;
    expected?: number;
    ratio?: number;
    window_minutes?: number;
    share?: number;
    series: SeriesPoint[];
    top_terms: { term: string; count: number }[];
    sample_message_ids: number[];
  };
}

export interface SampleMessage {
  id: number;
  case_id: number;
  author_handle: string;
  text: string;
  created_at: string;
  sentiment: string | null;
  lang: string | null;
}

export interface Statement {
  language: string;
  title: string;
  body: string;
}

export interface PlaybookRow {
  id: number;
  slug: string;
  name: string;
  definition: {
    description: string;
    task_force: string[];
    holding_statements: Statement[];
    macros: Statement[];
    routing_rules: { id: string; name: string }[];
    sources: { title: string; url: string }[];
    scheduled_posts_to_pause: string[];
    call_center_topics: string[];
  };
}

export interface CrisisSummary {
  id: number;
  title: string;
  status: 'active' | 'stood_down';
  alert_id: number | null;
  community_ids: number[];
  declared_at: string;
  stood_down_at: string | null;
}

export interface CrisisChange {
  id: number;
  kind: string;
  target: string;
  previous: unknown;
  applied: unknown;
  applied_at: string;
  reverted_at: string | null;
  revert_note: string | null;
}

export interface CrisisRoom {
  crisis: CrisisSummary & { playbook: PlaybookRow['definition'] & { name: string } };
  series: SeriesPoint[];
  queue: {
    id: number;
    subject: string;
    status: string;
    priority: string;
    urgency: string;
    sentiment: string | null;
    language: string | null;
    topics: string[];
    created_at: string;
    assignee: string | null;
    last_text: string | null;
  }[];
  task_force: { id: number; name: string; role: string; on_duty: boolean | null }[];
  holding_statements: Statement[];
  sources: { title: string; url: string }[];
  timeline: { id: number; at: string; kind: string; person: string | null; data: Record<string, unknown> }[];
  changes: CrisisChange[];
  deflected: number;
}

export interface WindowStats {
  messages: number;
  negative_share: number | null;
  cases: number;
  answered: number;
  median_first_response_s: number | null;
}

export interface CrisisReport {
  windows: { before: WindowStats; during: WindowStats; after: WindowStats };
  top_issues: { topic: string; n: number }[];
  deflected: number;
}

export const CRISIS_EVENTS_URL = '/api/v1/crisis/events';

export const crisisApi = {
  alerts: (signal?: AbortSignal) => request<CrisisAlert[]>('GET', '/api/v1/crisis/alerts', { signal }),
  alertMessages: (id: number, signal?: AbortSignal) =>
    request<SampleMessage[]>('GET', `/api/v1/crisis/alerts/${id}/messages`, { signal }),
  dismiss: (id: number) => request<void>('POST', `/api/v1/crisis/alerts/${id}/dismiss`),
  playbooks: (signal?: AbortSignal) => request<PlaybookRow[]>('GET', '/api/v1/crisis/playbooks', { signal }),
  crises: (signal?: AbortSignal) => request<CrisisSummary[]>('GET', '/api/v1/crisis/crises', { signal }),
  declare: (body: { playbook_id: number; alert_id?: number; community_ids?: number[] }) =>
    request<CrisisSummary>('POST', '/api/v1/crisis/crises', { body }),
  room: (id: number, signal?: AbortSignal) => request<CrisisRoom>('GET', `/api/v1/crisis/crises/${id}`, { signal }),
  standDown: (id: number) => request<CrisisSummary>('POST', `/api/v1/crisis/crises/${id}/stand-down`),
  bulkReply: (id: number, body: { case_ids: number[]; text: string; resolve: boolean }) =>
    request<{ sent: number; results: { case_id: number; outcome: string; error?: string }[] }>(
      'POST',
      `/api/v1/crisis/crises/${id}/bulk-reply`,
      { body },
    ),
  report: (id: number, signal?: AbortSignal) =>
    request<CrisisReport>('GET', `/api/v1/crisis/crises/${id}/report`, { signal }),
  demo: (body: { community?: string; speed?: number }) =>
    request<{ backfill: number; surge: number }>('POST', '/api/v1/crisis/demo', { body }),
};
