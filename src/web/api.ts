/**
 * The one place the web app talks to the Passeur HTTP API: typed requests, the CSRF header on every call,
 * and a single reaction to "signed out" (401) wherever it happens.
 */

import type {
  ApprovalDecided,
  GovernancePreview,
  GovernanceVersion,
  GovernanceVersionSummary,
  QueueItem,
  ReplyCheck,
  SubmittedReply,
} from './pages/approvals/model.ts';
import type {
  AskConsult,
  AuditEntry,
  AuditFilters,
  Consult,
  ExpertConsult,
  Expertise,
} from './pages/consults/model.ts';

export type CaseStatus = 'new' | 'open' | 'waiting_customer' | 'waiting_internal' | 'resolved' | 'closed';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type Urgency = 'low' | 'normal' | 'high' | 'critical';
export type InboxView = 'mine' | 'team' | 'unassigned' | 'sla_risk' | 'all';
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'new',
  'open',
  'waiting_customer',
  'waiting_internal',
  'resolved',
  'closed',
];
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
export const INBOX_VIEWS: readonly InboxView[] = ['mine', 'team', 'unassigned', 'sla_risk', 'all'];
export type InboxSort = 'updated' | 'sla' | 'priority' | 'age';
export const INBOX_SORTS: readonly InboxSort[] = ['updated', 'sla', 'priority', 'age'];

/** The labels triage gives, as the server knows them (the airline taxonomy for topics). */
export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export const INTENTS = ['question', 'complaint', 'request', 'suggestion', 'praise', 'other'] as const;
export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export const TOPICS = [
  'delay',
  'cancellation',
  'baggage',
  'booking',
  'refund',
  'checkin',
  'onboard',
  'loyalty',
  'customer_service',
  'airport',
  'other',
] as const;
export const SENSITIVE_FLAGS = [
  'safety',
  'legal',
  'press',
  'discrimination',
  'death_injury',
  'data_privacy',
  'vip',
  'crisis',
  'medical',
] as const;

export interface Ref {
  id: number;
  slug: string;
  name: string;
}

export interface Me {
  id: number;
  name: string;
  email: string;
  role: string;
  locale: string;
  timezone: string;
  languages: string[];
  autonomy: string;
  organization: { id: number; name: string };
  communities: (Ref & { language: string })[];
  teams: Ref[];
  /** The organization requires a second factor for this role and it is not set up: only enrolment is possible. */
  totp_enrolment_required?: boolean;
}

export interface CaseSummary {
  id: number;
  status: CaseStatus;
  priority: Priority;
  urgency: Urgency;
  sentiment: string | null;
  intent: string | null;
  topics: string[];
  language: string | null;
  channel: string;
  subject: string;
  tags: string[];
  message_count: number;
  community: Ref | null;
  team: Ref | null;
  assignee: { id: number; name: string } | null;
  contact: { id: number; name: string; handle: string | null };
  created_at: string;
  updated_at: string;
  last_inbound_at: string | null;
  last_outbound_at: string | null;
  first_response_due_at: string | null;
  first_responded_at: string | null;
  next_response_due_at?: string | null;
  resolution_due_at?: string | null;
  sla_paused_at?: string | null;
  escalation_level?: number;
  resolved_at: string | null;
  /** Search results only: where the words were found, as plain text with match offsets. */
  highlight?: Highlight | null;
}

export interface Highlight {
  text: string;
  /** [start, end) offsets in `text` (UTF-16 code units), ascending. */
  matches: [number, number][];
  field?: string;
  message_id?: number;
}

export interface Explanation {
  confidence: number;
  features: string[];
}

export interface TriageExplain {
  lang?: Explanation;
  sentiment?: Explanation;
  intent?: Explanation;
  topics?: { topic: string; confidence: number; features: string[] }[];
  urgency?: Explanation;
  team?: Explanation;
  sensitive?: Record<string, string[]>;
}

export interface Triage {
  lang: string | null;
  sentiment: string | null;
  sentiment_score: number | null;
  intent: string | null;
  topics: string[];
  urgency: string | null;
  sensitive: string[];
  model: string | null;
  explain: TriageExplain | null;
  explained_by?: string | null;
  team: string | null;
  /** Labels a person corrected: field → who and when. */
  corrected?: Record<string, { by: number; at: string }> | null;
}

export type TriageField = 'lang' | 'sentiment' | 'intent' | 'topics' | 'team';

export interface TriageCorrection {
  lang?: string;
  sentiment?: string;
  intent?: string;
  topics?: string[];
  team?: string;
}

export interface Delivery {
  status: DeliveryStatus;
  error: string | null;
  send_at: string | null;
  sent_at: string | null;
}

export interface Message {
  id: number;
  external_id: string | null;
  channel: string;
  conversation_id: number | null;
  direction: 'in' | 'out' | 'note';
  kind: string;
  author: { handle: string; name: string | null };
  person: { id: number; name: string } | null;
  text: string;
  in_reply_to: string | null;
  created_at: string;
  received_at: string;
  account_id: number | null;
  url: string | null;
  /** Outbound messages: a public reply or a private message. */
  visibility?: 'public' | 'private' | null;
  triage: Triage | null;
  delivery: Delivery | null;
}

export interface CaseEvent {
  id: number;
  at: string;
  kind: string;
  actor: { id: number; name: string | null } | null;
  data: Record<string, unknown>;
}

export interface CaseAccount {
  id: number;
  network: string;
  handle: string;
  display_name: string;
  community: { id: number; name: string } | null;
  paused: boolean;
  /** The network's longest post; null when unknown. */
  max_length?: number | null;
  /** The network can send private messages. */
  supports_private?: boolean;
}

export type ReplyBlock = 'no_account' | 'no_connector' | 'account_paused';

export interface RoutingExplanation {
  policy_version?: number;
  rule?: string;
  rule_id?: string | null;
  reasons?: string[];
  matched?: { rule: string; rule_id: string; reasons: string[] }[];
  assignment?: string;
  community?: string;
  reassign_after_minutes?: number;
  auto_acknowledge?: boolean;
}

export interface CaseLink {
  id: number;
  system: string;
  external_id: string;
  url: string | null;
  status: string | null;
  status_at: string | null;
  created_at: string;
}

export interface CaseDetail extends CaseSummary {
  routing: RoutingExplanation | null;
  reopened_count: number;
  merged_into?: number | null;
  links?: CaseLink[];
  account: CaseAccount | null;
  reply?: { possible: boolean; reason: ReplyBlock | null };
  messages: Message[];
  messages_next_after: number | null;
  events: CaseEvent[];
}

export interface Contact {
  id: number;
  name: string;
  vip: boolean;
  notes: string;
  first_seen_at: string;
  identities: { channel: string; handle: string; name: string | null }[];
  stats: { messages: number; negative: number; positive: number } | undefined;
  sentiment_by_week?: { week: string; negative: number; neutral: number; positive: number }[];
  cases: CaseSummary[];
}

export interface Community extends Ref {
  language: string;
  timezone: string;
  brand: { id: number; name: string } | null;
  accounts: { id: number; network: string; handle: string; kind: string; status: string; paused: boolean }[];
}

export interface Person {
  id: number;
  name: string;
  role: string;
  languages: string[];
  community_ids: number[];
  /** May be assigned cases (the server's rule); absent from older servers. */
  assignable?: boolean;
}

export interface Shift {
  /** 1 = Monday … 7 = Sunday. */
  days: number[];
  from: string;
  to: string;
}

export interface DutyPerson {
  id: number;
  name: string;
  role: string;
  languages: string[];
  community_ids: number[];
  on_duty: boolean;
  /** true / false: set by hand; null: follows the schedule. */
  override: boolean | null;
  schedule: Shift[];
  timezone: string;
  open_cases: number;
}

export interface HeldOutScore {
  n: number;
  accuracy: number;
  macroF1: number;
}

export interface HeldOut {
  n: number;
  sentiment?: { before: HeldOutScore; after: HeldOutScore };
  intent?: { before: HeldOutScore; after: HeldOutScore };
  topics?: { before: HeldOutScore; after: HeldOutScore };
  team?: { before: HeldOutScore; after: HeldOutScore };
}

export interface TriageModel {
  model: string;
  trained: {
    model_id: string;
    trained_at: string;
    examples: number;
    result: { heldOut?: HeldOut; adapted?: string[] } | null;
  } | null;
  corrections: { total: number; pending: number };
  min_examples: number;
}

export type RetrainOutcome =
  | { trained: true; model_id: string; examples: number; held_out: HeldOut }
  | { trained: false; reason: 'busy' | 'too_few' | 'up_to_date'; examples: number };

export type RulePriority = Priority | 'from_urgency';
export type AssignStrategy = 'round_robin' | 'least_loaded' | 'none';

export interface RuleConditions {
  communities?: string[];
  channels?: string[];
  accounts?: string[];
  languages?: string[];
  sentiments?: string[];
  intents?: string[];
  topics?: string[];
  urgency_at_least?: Urgency;
  sensitive?: string[];
  keywords?: string[];
  regex?: string;
  contact_vip?: boolean;
  repeat_contact?: boolean;
  time?: { from: string; to: string; days?: number[] };
}

export interface RuleActions {
  team?: string;
  priority?: RulePriority;
  tags?: string[];
  assign?: AssignStrategy;
  skills?: string[];
  reassign_after_minutes?: number;
  auto_acknowledge?: boolean;
}

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  when: RuleConditions;
  actions: RuleActions;
  continue: boolean;
}

export interface RoutingPolicy {
  version: number;
  rules: Rule[];
  note: string;
  created_by: number | null;
  created_at: string | null;
}

export interface PolicyVersionSummary {
  version: number;
  note: string;
  created_by: number | null;
  author: string | null;
  created_at: string;
  /** The number of rules (the list does not carry them). */
  rules: number | Rule[];
}

export interface RoutingPreview {
  messages: number;
  unmatched: number;
  team_changes: number;
  rules: {
    id: string;
    name: string;
    count: number;
    samples: { message_id: number; case_id: number; excerpt: string; reasons: string[] }[];
  }[];
}

export interface ViewQuery {
  view?: InboxView;
  community?: number;
  channel?: string;
  status?: string;
  q?: string;
  sort?: InboxSort;
}

export interface SavedView {
  id: number;
  name: string;
  query: ViewQuery;
  shared: boolean;
  owner: { id: number; name: string };
  mine: boolean;
  created_at: string;
}

export type BulkAction =
  | { action: 'assign'; value: number | null }
  | { action: 'status'; value: CaseStatus }
  | { action: 'priority'; value: Priority }
  | { action: 'tag'; value: string }
  | { action: 'untag'; value: string };

export interface BulkResult {
  action: BulkAction['action'];
  updated: number;
  results: { id: number; outcome: 'updated' | 'unchanged' | 'not_found' | 'forbidden' | 'invalid'; error?: string }[];
}

export interface CannedReply {
  id: number;
  community: Ref | null;
  language: string;
  title: string;
  body: string;
  updated_at: string;
  editable: boolean;
}

export interface RenderedReply {
  text: string;
  canned_reply_id: number | null;
  variables: { used: string[]; unknown: string[]; empty: string[] };
  network: string;
  length: number;
  max_length: number | null;
  fits: boolean;
  thread_allowed: boolean;
  parts: string[];
}

export const WEBHOOK_EVENTS = ['case.created', 'case.assigned', 'case.replied', 'case.resolved'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: number;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  created_at: string;
  /** Only in the answer that created it. */
  secret?: string;
}

export interface WebhookDelivery {
  id: number;
  event: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed' | string;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  next_attempt_at: string | null;
}

export type NotificationKind = 'assigned' | 'mention' | 'sla_warning' | 'sla_breach';

export interface AppNotification {
  id: number;
  kind: NotificationKind | string;
  case: { id: number; subject: string | null } | null;
  data: { by?: number; by_name?: string; clock?: string; due_at?: string; escalation?: number } & Record<
    string,
    unknown
  >;
  created_at: string;
  read_at: string | null;
  email_status: string | null;
}

export interface NotificationPage {
  items: AppNotification[];
  unread_count: number;
  next_before: number | null;
}

export type Counts = Record<InboxView, number>;
/** The server counts each view up to this number (`COUNT_CAP` in the cases store); more shows as "999+". */
export const COUNT_CAP = 1000;

export interface CaseFilters {
  community?: number | undefined;
  channel?: string | undefined;
  /** Comma-separated statuses, or `active` / `all`. */
  status?: string | undefined;
  /** Full-text search. */
  q?: string | undefined;
  sort?: InboxSort | undefined;
}

export interface CasePatch {
  status?: CaseStatus;
  priority?: Priority;
  assignee_id?: number | null;
  team_id?: number | null;
  tags?: string[];
}

export interface QueuedReply {
  message_id: number;
  outbox_id: number;
  status: 'pending';
  send_at: string;
  account: { id: number; network: string; handle: string };
}

/** An API answer other than 2xx, with the server's stable `error` code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly retryAfter: number | undefined;
  constructor(status: number, code: string, message: string, field?: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

let onUnauthorized: () => void = () => {};

/** Called once by the app: what to do when the session ends (expired, signed out elsewhere). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Do not treat a 401 as "session ended" (the login form and the first `me`). */
  allow401?: boolean;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'passeur' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const body = (data ?? {}) as { error?: unknown; message?: unknown; field?: unknown };
    const retry = Number(res.headers.get('retry-after'));
    const error = new ApiError(
      res.status,
      typeof body.error === 'string' ? body.error : `http_${res.status}`,
      typeof body.message === 'string' ? body.message : res.statusText,
      typeof body.field === 'string' ? body.field : undefined,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
    if (res.status === 401 && !opts.allow401) onUnauthorized();
    throw error;
  }
  return data as T;
}

function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  /** A person with a second factor gets `second_factor` instead of `person`: the code step comes next. */
  login: (email: string, password: string) =>
    request<{ person: Me; second_factor?: undefined } | { person?: undefined; second_factor: 'totp' }>(
      'POST',
      '/api/v1/auth/login',
      { body: { email, password }, allow401: true },
    ),
  logout: () => request<void>('POST', '/api/v1/auth/logout', { allow401: true }),
  me: (signal?: AbortSignal) => request<Me>('GET', '/api/v1/me', { signal, allow401: true }),

  cases: (
    view: InboxView,
    filters: CaseFilters,
    opts: { cursor?: string | null; limit?: number } = {},
    signal?: AbortSignal,
  ) =>
    request<{ items: CaseSummary[]; next_cursor: string | null }>(
      'GET',
      `/api/v1/cases${query({ view, ...filters, cursor: opts.cursor, limit: opts.limit })}`,
      { signal },
    ),
  counts: (filters: CaseFilters, signal?: AbortSignal) =>
    request<Counts>('GET', `/api/v1/cases/counts${query({ ...filters })}`, { signal }),
  case: (id: number, signal?: AbortSignal) => request<CaseDetail>('GET', `/api/v1/cases/${id}`, { signal }),
  updateCase: (id: number, patch: CasePatch) => request<CaseSummary>('PATCH', `/api/v1/cases/${id}`, { body: patch }),
  reply: (
    id: number,
    body: { text: string; resolve?: boolean; visibility?: 'public' | 'private'; acknowledge_warnings?: boolean },
  ) => request<SubmittedReply>('POST', `/api/v1/cases/${id}/replies`, { body }),
  checkReply: (id: number, body: { text: string; visibility?: 'public' | 'private' }, signal?: AbortSignal) =>
    request<ReplyCheck>('POST', `/api/v1/cases/${id}/check-reply`, { body, signal }),
  approvals: (params: { scope?: 'to_approve' | 'mine' | 'all'; status?: string }, signal?: AbortSignal) =>
    request<QueueItem[]>('GET', `/api/v1/approvals${query(params)}`, { signal }),
  approve: (id: number, body: { text?: string; note?: string }) =>
    request<ApprovalDecided>('POST', `/api/v1/approvals/${id}/approve`, { body }),
  rejectApproval: (id: number, note: string) =>
    request<ApprovalDecided>('POST', `/api/v1/approvals/${id}/reject`, { body: { note } }),
  withdrawApproval: (id: number) => request<void>('POST', `/api/v1/approvals/${id}/withdraw`),
  governancePolicy: (signal?: AbortSignal) =>
    request<GovernanceVersion>('GET', '/api/v1/governance/policy', { signal }),
  governanceVersions: (signal?: AbortSignal) =>
    request<GovernanceVersionSummary[]>('GET', '/api/v1/governance/policy/versions', { signal }),
  previewGovernancePolicy: (policy: unknown) =>
    request<GovernancePreview>('POST', '/api/v1/governance/preview', { body: { policy } }),
  saveGovernancePolicy: (body: { policy: unknown; note: string }) =>
    request<{ version: number }>('PUT', '/api/v1/governance/policy', { body }),
  undo: (messageId: number) => request<void>('POST', `/api/v1/messages/${messageId}/undo`),
  note: (id: number, text: string) =>
    request<{ message_id: number }>('POST', `/api/v1/cases/${id}/notes`, { body: { text } }),

  contact: (id: number, signal?: AbortSignal) => request<Contact>('GET', `/api/v1/contacts/${id}`, { signal }),
  communities: (signal?: AbortSignal) => request<Community[]>('GET', '/api/v1/communities', { signal }),
  teams: (signal?: AbortSignal) => request<Ref[]>('GET', '/api/v1/teams', { signal }),
  people: (signal?: AbortSignal) => request<Person[]>('GET', '/api/v1/people', { signal }),

  correctTriage: (messageId: number, correction: TriageCorrection) =>
    request<void>('POST', `/api/v1/messages/${messageId}/triage`, { body: correction }),
  triageModel: (signal?: AbortSignal) => request<TriageModel>('GET', '/api/v1/triage/model', { signal }),
  retrain: () => request<RetrainOutcome>('POST', '/api/v1/triage/retrain'),

  routingPolicy: (signal?: AbortSignal) => request<RoutingPolicy>('GET', '/api/v1/routing/policy', { signal }),
  routingVersions: (signal?: AbortSignal) =>
    request<PolicyVersionSummary[]>('GET', '/api/v1/routing/policy/versions', { signal }),
  routingVersion: (version: number, signal?: AbortSignal) =>
    request<RoutingPolicy>('GET', `/api/v1/routing/policy/versions/${version}`, { signal }),
  saveRouting: (rules: Rule[], note: string) =>
    request<{ version: number }>('PUT', '/api/v1/routing/policy', { body: { rules, note } }),
  previewRouting: (rules: Rule[], signal?: AbortSignal) =>
    request<RoutingPreview>('POST', '/api/v1/routing/preview', { body: { rules }, signal }),

  duty: (signal?: AbortSignal) => request<DutyPerson[]>('GET', '/api/v1/people/duty', { signal }),
  expertise: (signal?: AbortSignal) => request<{ items: Expertise[] }>('GET', '/api/v1/expertise', { signal }),
  caseConsults: (id: number, signal?: AbortSignal) =>
    request<{ items: Consult[] }>('GET', `/api/v1/cases/${id}/consults`, { signal }),
  askConsult: (caseId: number, body: AskConsult) =>
    request<Consult>('POST', `/api/v1/cases/${caseId}/consults`, { body }),
  myConsults: (signal?: AbortSignal) =>
    request<{ to_answer: ExpertConsult[]; asked: Consult[] }>('GET', '/api/v1/consults', { signal }),
  consult: (id: number, signal?: AbortSignal) =>
    request<ExpertConsult & Partial<Consult>>('GET', `/api/v1/consults/${id}`, { signal }),
  answerConsult: (id: number, answer: string) =>
    request<ExpertConsult>('POST', `/api/v1/consults/${id}/answer`, { body: { answer } }),
  cancelConsult: (id: number) => request<void>('POST', `/api/v1/consults/${id}/cancel`),
  audit: (filters: AuditFilters & { before?: number; limit?: number }, signal?: AbortSignal) =>
    request<{ items: AuditEntry[]; next_before: number | null }>('GET', `/api/v1/audit${query({ ...filters })}`, {
      signal,
    }),
  /** Reports (`/api/v1/reports/<what>?<query>`); their types are in pages/reports/model.ts. */
  report: <T>(what: 'summary' | 'series' | 'breakdown' | 'drill', search: string, signal?: AbortSignal) =>
    request<T>('GET', `/api/v1/reports/${what}${search ? `?${search}` : ''}`, { signal }),
  updatePerson: (id: number, patch: { on_duty?: boolean | null; schedule?: Shift[] }) =>
    request<{ id: number }>('PATCH', `/api/v1/people/${id}`, { body: patch }),
  releaseCases: (id: number, to: 'team_queue' | 'reassign') =>
    request<{ moved: { case_id: number; assignee_id: number | null }[] }>(
      'POST',
      `/api/v1/people/${id}/release-cases`,
      { body: { to } },
    ),

  views: (signal?: AbortSignal) => request<SavedView[]>('GET', '/api/v1/views', { signal }),
  createView: (body: { name: string; query: ViewQuery; shared: boolean }) =>
    request<SavedView>('POST', '/api/v1/views', { body }),
  updateView: (id: number, body: { name?: string; query?: ViewQuery; shared?: boolean }) =>
    request<SavedView>('PATCH', `/api/v1/views/${id}`, { body }),
  deleteView: (id: number) => request<void>('DELETE', `/api/v1/views/${id}`),

  bulk: (ids: number[], action: BulkAction) =>
    request<BulkResult>('POST', '/api/v1/cases/bulk', { body: { ids, ...action } }),

  cannedReplies: (filter: { community_id?: number | undefined; language?: string | undefined }, signal?: AbortSignal) =>
    request<CannedReply[]>('GET', `/api/v1/canned-replies${query({ ...filter })}`, { signal }),
  renderReply: (caseId: number, body: { text: string } | { canned_reply_id: number }, signal?: AbortSignal) =>
    request<RenderedReply>('POST', `/api/v1/cases/${caseId}/render-reply`, { body, signal }),

  mergeCase: (id: number, into: number) =>
    request<{ case_id: number; merged_case_id: number; moved_messages: number }>('POST', `/api/v1/cases/${id}/merge`, {
      body: { into },
    }),
  splitCase: (id: number, messageIds: number[]) =>
    request<{ case_id: number; split_from: number; moved_messages: number }>('POST', `/api/v1/cases/${id}/split`, {
      body: { message_ids: messageIds },
    }),
  moveCase: (id: number, communityId: number) =>
    request<{ case_id: number; community_id: number }>('POST', `/api/v1/cases/${id}/move`, {
      body: { community_id: communityId },
    }),

  updateContact: (id: number, patch: { vip?: boolean; notes?: string }) =>
    request<{ id: number; name: string; vip: boolean; notes: string }>('PATCH', `/api/v1/contacts/${id}`, {
      body: patch,
    }),
  mergeContact: (id: number, into: number) =>
    request<Record<string, unknown>>('POST', `/api/v1/contacts/${id}/merge`, { body: { into } }),
  /** Right to be forgotten (leaders): the customer's personal data is erased for good. */
  eraseContact: (id: number) => request<Record<string, unknown>>('POST', `/api/v1/contacts/${id}/erase`, {}),

  addLink: (caseId: number, body: { system: string; external_id: string; url?: string }) =>
    request<CaseLink>('POST', `/api/v1/cases/${caseId}/links`, { body }),

  notifications: (opts: { unread?: boolean; before?: number | null; limit?: number } = {}, signal?: AbortSignal) =>
    request<NotificationPage>(
      'GET',
      `/api/v1/notifications${query({ unread: opts.unread ? 1 : undefined, before: opts.before, limit: opts.limit })}`,
      { signal },
    ),
  markNotificationsRead: (body: { ids: number[] } | { all: true }) =>
    request<{ updated: number; unread_count: number }>('POST', '/api/v1/notifications/read', { body }),

  notificationPreferences: (signal?: AbortSignal) =>
    request<{ email: string[]; kinds: string[] }>('GET', '/api/v1/notifications/preferences', { signal }),
  setNotificationPreferences: (email: string[]) =>
    request<{ email: string[] }>('PUT', '/api/v1/notifications/preferences', { body: { email } }),

  webhooks: (signal?: AbortSignal) => request<Webhook[]>('GET', '/api/v1/webhooks', { signal }),
  createWebhook: (body: { url: string; events: WebhookEvent[] }) =>
    request<Webhook>('POST', '/api/v1/webhooks', { body }),
  deleteWebhook: (id: number) => request<void>('DELETE', `/api/v1/webhooks/${id}`),
  webhookDeliveries: (id: number, signal?: AbortSignal) =>
    request<WebhookDelivery[]>('GET', `/api/v1/webhooks/${id}/deliveries`, { signal }),
};

/** Server-Sent Events of inbox changes. */
export interface RealtimeEvent {
  type:
    | 'case.created'
    | 'case.updated'
    | 'message.created'
    | 'message.updated'
    | 'sla.warning'
    | 'sla.breach'
    | 'notification.created';
  case_id: number;
  community_id: number;
  message_id?: number;
  people?: number[];
}

export const EVENTS_URL = '/api/v1/events';

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
