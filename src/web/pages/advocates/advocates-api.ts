import { request } from '../../api.ts';

/** The advocates endpoints (`/api/v1/advocates…`, docs/advocates.md). */

export interface AdvocateAction {
  id: number;
  community_id: number;
  contact_id: number;
  kind: 'thanked' | 'highlighted' | 'unhighlighted' | 'excluded' | 'included' | 'asked_to_share';
  note: string;
  by: string | null;
  crisis_id: number | null;
  case_id: number | null;
  message_id: number | null;
  approval_id: number | null;
  outcome: 'recorded' | 'queued' | 'awaiting_approval' | 'task';
  at: string;
}

export interface Advocate {
  rank: number;
  contact_id: number;
  name: string;
  handles: { channel: string; handle: string }[];
  signals: { messages: number; positive: number; helping: number; negative: number; active_days: number };
  score: number;
  last_message_at: string;
  highlighted: { at: string; by: string | null } | null;
  last_action: AdvocateAction | null;
  last_thanked: AdvocateAction | null;
}

export interface CommunityRanking {
  id: number;
  name: string;
  advocates: Advocate[];
  excluded: { contact_id: number; name: string; excluded_at: string; by: string | null; reason: string }[];
}

export interface Ranking {
  from: string;
  to: string;
  days: number;
  min_messages: number;
  weights: Record<string, number>;
  communities: CommunityRanking[];
}

export interface ContactAdvocacy {
  contact_id: number;
  communities: {
    community_id: number;
    highlighted: { at: string; by: string | null } | null;
    excluded: { at: string; by: string | null } | null;
  }[];
  actions: AdvocateAction[];
}

export interface AskResult {
  contact_id: number;
  outcome: 'queued' | 'awaiting_approval' | 'task' | 'failed' | 'prepared';
  case_id: number | null;
  account: string | null;
  error?: string;
  check?: { warnings: string[]; blocks: string[]; approval_required: number };
}

export type ActionBody = {
  community_id: number;
  contact_id: number;
  kind: 'thanked' | 'highlighted' | 'unhighlighted' | 'excluded' | 'included';
  note?: string;
  reply_text?: string;
  acknowledge_warnings?: boolean;
};

export const advocatesApi = {
  ranking: (q: { community_id?: number; days?: number; limit?: number }, signal?: AbortSignal) => {
    const p = new URLSearchParams();
    if (q.community_id !== undefined) p.set('community_id', String(q.community_id));
    if (q.days !== undefined) p.set('days', String(q.days));
    if (q.limit !== undefined) p.set('limit', String(q.limit));
    return request<Ranking>('GET', `/api/v1/advocates?${p}`, { signal });
  },
  contact: (id: number, signal?: AbortSignal) =>
    request<ContactAdvocacy>('GET', `/api/v1/advocates/contacts/${id}`, { signal }),
  act: (body: ActionBody) =>
    request<{ action: AdvocateAction; reply: unknown }>('POST', '/api/v1/advocates/actions', { body }),
  ask: (body: {
    crisis_id: number;
    community_id: number;
    contact_ids: number[];
    text?: string;
    dry_run?: boolean;
    acknowledge_warnings?: boolean;
  }) =>
    request<{ text: string; sources: { title: string; url: string }[]; results: AskResult[] }>(
      'POST',
      '/api/v1/advocates/crisis-asks',
      { body },
    ),
};
