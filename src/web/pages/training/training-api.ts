import { request } from '../../api.ts';
import type { ReplyCheck } from '../approvals/model.ts';

/** The training endpoints (`/api/v1/training…`), typed for the Training pages. */

export interface CommunityRef {
  id: number;
  name: string;
  slug: string;
}

export interface TrainingSession {
  id: number;
  person: { id: number; name: string };
  community: CommunityRef | null;
  topic: string | null;
  created_by: number;
  created_at: string;
  completed_at: string | null;
  items: number;
  answered: number;
}

export interface TrainingItemSummary {
  id: number;
  position: number;
  channel: string;
  intent: string | null;
  urgency: string;
  topics: string[];
  excerpt: string;
  answered_at: string | null;
  needs_approval: boolean;
  warnings: number;
  seconds_to_answer: number | null;
  self_assessment: number | null;
  leader_score: number | null;
}

export interface ReplayMessage {
  direction: 'in' | 'out';
  author: string;
  text: string;
  minute: number;
}

export interface TrainingItem {
  id: number;
  session_id: number;
  position: number;
  trainee_id: number;
  is_mine: boolean;
  community: CommunityRef | null;
  channel: string;
  account: { handle: string; network: string } | null;
  language: string | null;
  intent: string | null;
  urgency: string;
  sentiment: string | null;
  topics: string[];
  contact: { name: string; handle: string };
  thread: ReplayMessage[];
  opened_at: string | null;
  answer: {
    text: string;
    canned_reply_id: number | null;
    answered_at: string;
    seconds_to_answer: number | null;
    verdict: ReplyCheck | null;
    needs_approval: boolean;
  } | null;
  reference_text: string | null;
  self_assessment: number | null;
  leader_score: number | null;
  leader_comment: string | null;
  scored_at: string | null;
}

export interface ReplayStock {
  community: CommunityRef;
  available: number;
  topics: { topic: string; count: number }[];
}

export interface TraineeOverview {
  person_id: number;
  name: string;
  role: string;
  sessions: number;
  items: number;
  answered: number;
  needing_approval: number;
  approval_share: number;
  guideline_warnings: number;
  answers_with_warnings: number;
  median_seconds_to_answer: number | null;
  leader_scores: number;
  leader_score_avg: number | null;
  self_assessment_avg: number | null;
  last_answered_at: string | null;
  practised: { community_id: number; intent: string | null; answered: number }[];
  backs_up: { person_id: number; name: string }[];
  qa_reviews: number;
  qa_mean_score: number | null;
}

export interface RenderedAnswer {
  text: string;
  variables: { used: string[]; unknown: string[]; empty: string[] };
  length: number;
  max_length: number | null;
  fits: boolean;
}

export const trainingApi = {
  replays: (signal?: AbortSignal) => request<ReplayStock[]>('GET', '/api/v1/training/replays', { signal }),
  sessions: (signal?: AbortSignal) => request<TrainingSession[]>('GET', '/api/v1/training/sessions', { signal }),
  start: (body: { community_id: number; person_id?: number; count: number; topic?: string }) =>
    request<TrainingSession>('POST', '/api/v1/training/sessions', { body }),
  session: (id: number, signal?: AbortSignal) =>
    request<TrainingSession & { item_list: TrainingItemSummary[] }>('GET', `/api/v1/training/sessions/${id}`, {
      signal,
    }),
  item: (id: number, signal?: AbortSignal) => request<TrainingItem>('GET', `/api/v1/training/items/${id}`, { signal }),
  render: (id: number, body: { text?: string; canned_reply_id?: number }) =>
    request<RenderedAnswer>('POST', `/api/v1/training/items/${id}/render`, { body }),
  check: (id: number, text: string, signal?: AbortSignal) =>
    request<ReplyCheck>('POST', `/api/v1/training/items/${id}/check`, { body: { text }, signal }),
  answer: (id: number, body: { text: string; canned_reply_id?: number; acknowledge_warnings?: boolean }) =>
    request<TrainingItem>('POST', `/api/v1/training/items/${id}/answer`, { body }),
  selfAssess: (id: number, score: number) =>
    request<TrainingItem>('POST', `/api/v1/training/items/${id}/self-assessment`, { body: { score } }),
  score: (id: number, score: number, comment: string) =>
    request<TrainingItem>('POST', `/api/v1/training/items/${id}/score`, { body: { score, comment } }),
  overview: (signal?: AbortSignal) => request<TraineeOverview[]>('GET', '/api/v1/training/overview', { signal }),
};
