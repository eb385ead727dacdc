/**
 * The one place the web app talks to the Passeur HTTP API: typed requests, the CSRF header on every call,
 * and a single reaction to "signed out" (401) wherever it happens.
 */

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
  resolved_at: string | null;
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
  team: string | null;
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
}

export interface CaseDetail extends CaseSummary {
  routing: { rule?: string; reasons?: string[]; community?: string } | null;
  reopened_count: number;
  account: CaseAccount | null;
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
}

export type Counts = Record<InboxView, number>;

export interface CaseFilters {
  community?: number | undefined;
  channel?: string | undefined;
  /** Comma-separated statuses, or `active` / `all`. */
  status?: string | undefined;
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

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Do not treat a 401 as "session ended" (the login form and the first `me`). */
  allow401?: boolean;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
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
  login: (email: string, password: string) =>
    request<{ person: Me }>('POST', '/api/v1/auth/login', { body: { email, password }, allow401: true }),
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
  reply: (id: number, body: { text: string; resolve?: boolean; visibility?: 'public' | 'private' }) =>
    request<QueuedReply>('POST', `/api/v1/cases/${id}/replies`, { body }),
  undo: (messageId: number) => request<void>('POST', `/api/v1/messages/${messageId}/undo`),
  note: (id: number, text: string) =>
    request<{ message_id: number }>('POST', `/api/v1/cases/${id}/notes`, { body: { text } }),

  contact: (id: number, signal?: AbortSignal) => request<Contact>('GET', `/api/v1/contacts/${id}`, { signal }),
  communities: (signal?: AbortSignal) => request<Community[]>('GET', '/api/v1/communities', { signal }),
  teams: (signal?: AbortSignal) => request<Ref[]>('GET', '/api/v1/teams', { signal }),
  people: (signal?: AbortSignal) => request<Person[]>('GET', '/api/v1/people', { signal }),
};

/** Server-Sent Events of inbox changes. */
export interface RealtimeEvent {
  type: 'case.created' | 'case.updated' | 'message.created' | 'message.updated';
  case_id: number;
  community_id: number;
  message_id?: number;
  people?: number[];
}

export const EVENTS_URL = '/api/v1/events';

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
