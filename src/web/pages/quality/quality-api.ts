import { request } from '../../api.ts';

/** The quality review endpoints (`/api/v1/quality/…`), typed for the Quality page. */

export type Rating = 'pass' | 'partial' | 'fail' | 'na';
export const RATINGS: Rating[] = ['pass', 'partial', 'fail', 'na'];

export interface Criterion {
  id: string;
  label: string;
  kind: 'standard' | 'guideline';
  guideline_kind?: string;
  message?: string;
}

export interface ScoredCriterion {
  id: string;
  label: string;
  guideline_kind?: string;
  message?: string;
  rating: Rating;
  comment?: string;
}

export interface Review {
  id: number;
  message_id: number;
  case_id: number;
  community_id: number;
  author_id: number;
  author_name: string;
  reviewer_id: number;
  reviewer_name: string;
  sample_id: number | null;
  scores: ScoredCriterion[];
  overall_score: number;
  feedback: string;
  created_at: string;
  acknowledged_by_author_at: string | null;
  reply_text?: string | null;
}

export interface SampleItem {
  message_id: number;
  case_id: number | null;
  author_id: number | null;
  author_name: string | null;
  excerpt: string | null;
  created_at: string | null;
  review: { id: number; overall_score: number } | null;
}

export interface Sample {
  id: number;
  community_id: number;
  person_id: number | null;
  period_from: string;
  period_to: string;
  size: number;
  seed: number;
  items: SampleItem[];
  created_at: string;
}

export interface ReplyContext {
  reply: {
    id: number;
    case_id: number;
    community_id: number;
    author_id: number;
    author_name: string;
    account_handle: string;
    channel: string;
    text: string;
    lang: string | null;
    created_at: string;
    visibility: string;
  };
  thread: {
    id: number;
    direction: string;
    kind: string;
    author: string;
    text: string;
    created_at: string;
    is_reviewed_reply: boolean;
  }[];
  scorecard: Criterion[];
  reviews: Review[];
}

export interface QaScore {
  reviews: number;
  mean_score: number | null;
  most_failed: { id: string; label: string; guideline_kind?: string; message?: string; fails: number }[];
}

export interface QaScores {
  from: string;
  to: string;
  total: QaScore;
  people: (QaScore & { person_id: number; name: string })[];
  communities: (QaScore & { community_id: number })[];
}

const qs = (q: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
};

export const qualityApi = {
  samples: (signal?: AbortSignal) => request<{ items: Sample[] }>('GET', '/api/v1/quality/samples', { signal }),
  drawSample: (body: {
    community_id: number;
    person_id?: number;
    from: string;
    to: string;
    size: number;
    seed?: number;
  }) => request<Sample>('POST', '/api/v1/quality/samples', { body }),
  reply: (id: number, signal?: AbortSignal) =>
    request<ReplyContext>('GET', `/api/v1/quality/replies/${id}`, { signal }),
  review: (body: {
    message_id: number;
    sample_id?: number;
    scores: { id: string; rating: Rating; comment?: string }[];
    feedback: string;
  }) => request<Review>('POST', '/api/v1/quality/reviews', { body }),
  reviews: (q: { community_id?: number; person_id?: number }, signal?: AbortSignal) =>
    request<{ items: Review[] }>('GET', `/api/v1/quality/reviews${qs(q)}`, { signal }),
  feedback: (signal?: AbortSignal) =>
    request<{ items: Review[]; unacknowledged: number }>('GET', '/api/v1/quality/feedback', { signal }),
  acknowledge: (id: number) => request<Review>('POST', `/api/v1/quality/reviews/${id}/acknowledge`),
  scores: (q: { from?: string; to?: string; community_id?: number }, signal?: AbortSignal) =>
    request<QaScores>('GET', `/api/v1/quality/scores${qs(q)}`, { signal }),
};

/** The overall score the server will compute: 100 × mean points of the rated criteria, rounded. */
export function previewScore(ratings: (Rating | undefined)[]): number | null {
  const rated = ratings.filter((r): r is Exclude<Rating, 'na'> => r !== undefined && r !== 'na');
  if (rated.length === 0) return null;
  const points = rated.reduce((s, r) => s + (r === 'pass' ? 1 : r === 'partial' ? 0.5 : 0), 0);
  return Math.round((100 * points) / rated.length);
}
