import { request } from '../../api.ts';

/** The handover endpoints (`/api/v1/handover…`), typed for the Handover page. */

export type BriefStatus = 'draft' | 'published' | 'acknowledged';
export type SlaRisk = 'breached' | 'at_risk' | 'ok' | 'none';

export interface BriefCounts {
  received: number;
  answered: number;
  new_cases: number;
  resolved: number;
  open: number;
  breached: number;
  at_risk: number;
  consults_waiting: number;
}

export interface BriefCommunity {
  id: number;
  name: string;
  slug: string;
  timezone: string;
}

export interface BriefSummary {
  id: number;
  community: BriefCommunity;
  period_from: string;
  period_to: string;
  trigger: 'schedule' | 'manual';
  status: BriefStatus;
  counts: BriefCounts;
  published_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by_me: boolean;
  awaiting_me: boolean;
}

interface Edited {
  key: string;
  hidden: boolean;
  comment: string | null;
}

export interface CaseItem extends Edited {
  case_id: number;
  subject: string;
  status: string;
  priority: string;
  urgency: string;
  assignee: { id: number; name: string } | null;
  risk: SlaRisk;
  clock: string | null;
  due_at: string | null;
  minutes_left: number | null;
}

export interface ConsultItem extends Edited {
  consult_id: number;
  case_id: number;
  question: string;
  expert: string;
  asker: string;
  due_at: string;
  overdue: boolean;
}

export interface PromiseItem extends Edited {
  case_id: number;
  case_status: string;
  message_id: number;
  sent_at: string;
  author: string | null;
  kind: 'follow_up' | 'refund';
  sentence: string;
  deadline: string | null;
  due_at: string | null;
  overdue: boolean;
}

export interface IncidentItem extends Edited {
  kind: 'crisis' | 'alert' | 'incident';
  id: number;
  title: string;
  since: string;
  status: string;
  cases?: number;
}

type PersonRef = { id: number; name: string };

export interface Brief {
  id: number;
  community: BriefCommunity;
  period_from: string;
  period_to: string;
  trigger: 'schedule' | 'manual';
  status: BriefStatus;
  generated_at: string;
  note: string;
  sections: { cases: CaseItem[]; consults: ConsultItem[]; promises: PromiseItem[]; incidents: IncidentItem[] };
  counts: BriefCounts;
  outgoing: PersonRef[];
  incoming: PersonRef[];
  published_by: PersonRef | null;
  published_at: string | null;
  acknowledged_by: PersonRef | null;
  acknowledged_at: string | null;
  acknowledgements: { person: PersonRef; at: string }[];
  can: { edit: boolean; publish: boolean; generate: boolean; acknowledge: boolean };
}

export type ItemEdit = { hidden?: boolean; comment?: string } | null;

export const handoverApi = {
  list: (params: { community_id?: number | undefined; limit?: number }, signal?: AbortSignal) => {
    const q = new URLSearchParams();
    if (params.community_id) q.set('community_id', String(params.community_id));
    if (params.limit) q.set('limit', String(params.limit));
    const search = q.toString();
    return request<{ items: BriefSummary[]; awaiting: number }>(
      'GET',
      `/api/v1/handover${search ? `?${search}` : ''}`,
      {
        signal,
      },
    );
  },
  get: (id: number, signal?: AbortSignal) => request<Brief>('GET', `/api/v1/handover/${id}`, { signal }),
  generate: (communityId: number) => request<Brief>('POST', `/api/v1/communities/${communityId}/handover`),
  edit: (id: number, body: { note?: string; items?: Record<string, ItemEdit> }) =>
    request<Brief>('PATCH', `/api/v1/handover/${id}`, { body }),
  publish: (id: number) => request<Brief>('POST', `/api/v1/handover/${id}/publish`),
  acknowledge: (id: number) => request<Brief>('POST', `/api/v1/handover/${id}/acknowledge`),
};
