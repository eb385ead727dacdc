/** Governance as the web app sees it: guideline findings, the approval queue (see docs/governance.md). */

export interface Finding {
  guideline: string;
  kind: 'terms' | 'pii' | 'all_caps' | 'blame' | 'links' | 'language';
  severity: 'block' | 'warn';
  message: string;
}

export interface ReplyCheck {
  findings: Finding[];
  approval: {
    required: number;
    mode: 'any' | 'all';
    rule: { id: string; name: string } | null;
    reasons: string[];
    sla_minutes: number;
  };
  autonomy: string;
  policy_version: number;
}

export interface ApprovalDecision {
  person_id: number;
  name: string;
  decision: 'approve' | 'reject';
  edited: boolean;
  note: string | null;
  at: string;
}

export interface ApprovalItem {
  id: number;
  case: { id: number; subject: string | null; customer_text: string | null };
  community: { id: number; slug: string; name: string } | null;
  author: { id: number; name: string };
  account: { id: number; network: string; handle: string; display_name: string; paused: boolean };
  text: string;
  original_text: string;
  edited: boolean;
  visibility: 'public' | 'private';
  resolve: boolean;
  override_reason: string | null;
  rule: { id: string; name: string };
  reasons: string[];
  required: number;
  mode: 'any' | 'all';
  approvals: number;
  decisions: ApprovalDecision[];
  warnings: Finding[];
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  due_at: string;
  overdue: boolean;
  created_at: string;
  decided_at: string | null;
  note: string | null;
  message_id: number | null;
  can_decide: boolean;
}

/** A post waiting for approval (or decided), in the same queue as replies. */
export interface PostApprovalItem {
  kind: 'post';
  id: number;
  post: {
    id: number;
    status: string;
    scheduled_at: string | null;
    link: string | null;
    campaign: { id: number; name: string } | null;
    late: boolean;
    escalated: boolean;
  };
  community: { id: number; slug: string; name: string } | null;
  author: { id: number; name: string };
  account: { id: number; network: string; handle: string; display_name: string; paused: boolean };
  text: string;
  original_text: string;
  edited: boolean;
  visibility: 'public';
  rule: { id: null; name: string };
  reasons: string[];
  required: number;
  mode: 'any' | 'all';
  approvals: number;
  decisions: Omit<ApprovalDecision, 'edited'>[];
  warnings: Finding[];
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  due_at: string;
  overdue: boolean;
  created_at: string;
  decided_at: string | null;
  note: string | null;
  can_decide: boolean;
}

/** An item of the approval queue: a reply (no `kind`) or a post. */
export type QueueItem = (ApprovalItem & { kind?: undefined }) | PostApprovalItem;

export interface ApprovalDecided {
  id: number;
  status: 'pending' | 'approved' | 'rejected';
  approvals: number;
  required: number;
  message_id: number | null;
  send_at: string | null;
}

/** A reply as the server took it: queued for sending, or waiting for approval. */
export interface SubmittedReply {
  status: 'pending' | 'awaiting_approval';
  message_id?: number;
  send_at?: string;
  account: { id: number; network: string; handle: string };
  approval: { id: number; required: number; mode: string; due_at: string; rule: string; reasons: string[] } | null;
  warnings: Finding[];
}

export interface GovernanceVersion {
  version: number;
  policy: Record<string, unknown>;
  note: string;
  created_by: number | null;
  created_at: string | null;
}

export interface GovernanceVersionSummary {
  version: number;
  note: string;
  created_by: number | null;
  author: string | null;
  created_at: string;
}

interface PreviewSample {
  message_id: number;
  case_id: number;
  excerpt: string;
  why: string[];
}

export interface GovernancePreview {
  replies: number;
  needing_approval: number;
  rules: { id: string; name: string; count: number; samples: PreviewSample[] }[];
  guidelines: { id: string; kind: string; severity: string; count: number; samples: PreviewSample[] }[];
}
