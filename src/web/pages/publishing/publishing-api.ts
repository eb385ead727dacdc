import { request } from '../../api.ts';
import type { Finding } from '../approvals/model.ts';

/** The publishing endpoints (`/api/v1/publishing…`), typed for the Publishing page. */

export type PostStatus =
  | 'draft'
  | 'pending_approval'
  | 'scheduled'
  | 'paused'
  | 'publishing'
  | 'published'
  | 'failed'
  | 'cancelled';

export const POST_STATUSES: readonly PostStatus[] = [
  'draft',
  'pending_approval',
  'scheduled',
  'paused',
  'publishing',
  'published',
  'failed',
  'cancelled',
];

export interface Post {
  id: number;
  community_id: number;
  account_id: number;
  network: string;
  text: string;
  link: string | null;
  scheduled_at: string | null;
  status: PostStatus;
  campaign_id: number | null;
  created_by: number;
  approval_required: number;
  approver_ids: number[];
  approval_rule: string | null;
  review_note: string | null;
  external_id: string | null;
  url: string | null;
  published_at: string | null;
  last_error: string | null;
  /** The scheduled time passed while it waited for approval: approved, it goes out at approval time. */
  late: boolean;
  original_text: string | null;
  account: { id: number; network: string; handle: string; display_name: string };
  community: { id: number; slug: string; name: string };
}

export interface Pause {
  community_id: number;
  reason: string;
  paused_by: number | null;
  crisis_id: number | null;
  since: string;
}

export interface Campaign {
  id: number;
  name: string;
  description: string;
  community_ids: number[];
  starts_on: string | null;
  ends_on: string | null;
}

export interface PostCheck {
  findings: Finding[];
  approval: { required: number; mode: 'any' | 'all'; rule: string | null; reasons: string[] };
  identity: { network: string; handle: string; display_name: string; community: string };
  paused: { reason: string; since: string } | null;
}

export interface BrandAccount {
  id: number;
  community_id: number;
  network: string;
  handle: string;
  display_name: string;
  kind: string;
}

export interface PostInput {
  community_id: number;
  account_id: number;
  text: string;
  link?: string | null;
  scheduled_at?: string | null;
  campaign_id?: number | null;
}

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  return s.toString();
};

export const publishingApi = {
  calendar: (p: { from: string; to: string; community?: number; campaign?: number }, signal?: AbortSignal) =>
    request<{ posts: Post[]; pauses: Pause[] }>('GET', `/api/v1/publishing/calendar?${q(p)}`, { signal }),
  campaigns: (signal?: AbortSignal) => request<Campaign[]>('GET', '/api/v1/publishing/campaigns', { signal }),
  accounts: (signal?: AbortSignal) => request<BrandAccount[]>('GET', '/api/v1/accounts', { signal }),
  check: (body: Omit<PostInput, 'scheduled_at' | 'campaign_id'>, signal?: AbortSignal) =>
    request<PostCheck>('POST', '/api/v1/publishing/check', { body, signal }),
  create: (body: PostInput) => request<Post>('POST', '/api/v1/publishing/posts', { body }),
  edit: (id: number, body: Partial<Omit<PostInput, 'community_id'>>) =>
    request<Post>('PATCH', `/api/v1/publishing/posts/${id}`, { body }),
  submit: (id: number, acknowledgeWarnings: boolean) =>
    request<Post>('POST', `/api/v1/publishing/posts/${id}/submit`, {
      body: { acknowledge_warnings: acknowledgeWarnings },
    }),
  schedule: (id: number, scheduledAt: string) =>
    request<Post>('POST', `/api/v1/publishing/posts/${id}/schedule`, { body: { scheduled_at: scheduledAt } }),
  cancel: (id: number) => request<Post>('POST', `/api/v1/publishing/posts/${id}/cancel`, {}),
  approve: (id: number, body: { text?: string; note?: string } = {}) =>
    request<Post>('POST', `/api/v1/publishing/posts/${id}/approve`, { body }),
  reject: (id: number, note: string) =>
    request<Post>('POST', `/api/v1/publishing/posts/${id}/reject`, { body: { note } }),
  pause: (communityId: number, reason: string) =>
    request<unknown>('POST', `/api/v1/publishing/communities/${communityId}/pause`, { body: { reason } }),
  resume: (communityId: number) => request<unknown>('POST', `/api/v1/publishing/communities/${communityId}/resume`, {}),
};
