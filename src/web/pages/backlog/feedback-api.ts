import { request } from '../../api.ts';

/** The ideas and incidents endpoints (`/api/v1/ideas`, `/api/v1/incidents`, `/api/v1/cases/:id/feedback`). */

export type FeedbackKind = 'idea' | 'incident';
export const IDEA_STATUSES = ['new', 'under_review', 'planned', 'accepted', 'declined', 'done'] as const;
export const INCIDENT_STATUSES = ['open', 'investigating', 'fixed', 'closed'] as const;

export interface FeedbackItem {
  kind: FeedbackKind;
  id: number;
  title: string;
  description: string;
  topic: string | null;
  community_id: number | null;
  status: string;
  status_note: string;
  owner_team_id: number | null;
  /** Ideas: distinct customers asking. */
  votes?: number;
  customers: number;
  cases: number;
  created_at: string;
  status_at: string | null;
}

export interface CaseRef {
  id: number;
  subject: string;
  status: string;
  community_id: number;
  created_at: string;
  linked_at?: string;
}

export interface SimilarItem extends FeedbackItem {
  score: number;
  shared: string[];
  linked: boolean;
}

export interface SimilarCase extends CaseRef {
  score: number;
  shared: string[];
}

const plural = (k: FeedbackKind) => (k === 'idea' ? 'ideas' : 'incidents');

export const feedbackApi = {
  caseFeedback: (caseId: number, signal?: AbortSignal) =>
    request<{ ideas: FeedbackItem[]; incidents: FeedbackItem[] }>('GET', `/api/v1/cases/${caseId}/feedback`, {
      signal,
    }),
  similar: (caseId: number, kind: FeedbackKind, signal?: AbortSignal) =>
    request<{ items: SimilarItem[] }>('GET', `/api/v1/cases/${caseId}/feedback/similar?kind=${kind}`, { signal }),
  forward: (caseId: number, kind: FeedbackKind, body: { id: number } | { title: string; description?: string }) =>
    request<FeedbackItem & { linked: boolean }>('POST', `/api/v1/cases/${caseId}/${plural(kind)}`, { body }),
  list: (kind: FeedbackKind, status: string | undefined, signal?: AbortSignal) =>
    request<{ items: FeedbackItem[] }>(
      'GET',
      `/api/v1/${plural(kind)}${status ? `?status=${encodeURIComponent(status)}` : ''}`,
      { signal },
    ),
  detail: (kind: FeedbackKind, id: number, signal?: AbortSignal) =>
    request<FeedbackItem & { linked_cases: CaseRef[]; hidden_cases: number }>('GET', `/api/v1/${plural(kind)}/${id}`, {
      signal,
    }),
  setStatus: (kind: FeedbackKind, id: number, body: { status: string; note: string }) =>
    request<FeedbackItem & { cases_told: number; notified: number }>('PATCH', `/api/v1/${plural(kind)}/${id}`, {
      body,
    }),
  similarCases: (kind: FeedbackKind, id: number, signal?: AbortSignal) =>
    request<{ items: SimilarCase[] }>('GET', `/api/v1/${plural(kind)}/${id}/similar-cases`, { signal }),
  linkCases: (kind: FeedbackKind, id: number, caseIds: number[]) =>
    request<FeedbackItem & { results: { case_id: number; outcome: string }[] }>(
      'POST',
      `/api/v1/${plural(kind)}/${id}/cases`,
      { body: { case_ids: caseIds } },
    ),
};
