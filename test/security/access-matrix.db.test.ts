import { afterAll, beforeAll, expect, it } from 'vitest';
import { createToken, openSession } from '../../src/domain/access/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * The access-control matrix: every route of the API (read from the OpenAPI description the app serves, plus the
 * undocumented operational and webhook routes) × every role (leader, manager, backup, expert, approver, viewer,
 * integration token, anonymous) × a target in the caller's own community and in another one.
 *
 * Each route is classified below by the access it declares; the class says who may call it. A caller who may
 * not is refused (401, 403, or 404 that hides the target), whatever the body; a caller who may reads what they
 * asked for. Changes are only attempted by callers who may not make them (so a refusal is the proof nothing
 * changed). A route the table does not classify fails the test: new routes must be placed in the matrix.
 */

type Role = 'leader' | 'manager' | 'backup' | 'expert' | 'approver' | 'viewer';
type Caller = { name: Role | 'token' | 'anonymous'; role?: Role; cookie?: string; token?: string };
type Where = 'own' | 'other';

const READERS = new Set<Role>(['leader', 'manager', 'backup', 'approver', 'viewer']);
const WRITERS = new Set<Role>(['leader', 'manager', 'backup', 'approver']);

/**
 * Access classes: who may call a route. `community` classes depend on where the target is (the leader works in
 * every community). Token: the integration token (scopes ingest, cases:read, links:write).
 */
const CLASSES = {
  /** Anyone, signed in or not (login, health, OpenAPI). */
  public: () => true,
  /** Any signed-in person, whatever the role (their own profile, notifications, the directory). */
  person: (c: Caller) => c.role !== undefined,
  /** People with an inbox (roles that read cases). */
  inbox: (c: Caller) => c.role !== undefined && READERS.has(c.role),
  /** Case lists: people with an inbox, and tokens with cases:read. */
  inboxOrToken: (c: Caller) => c.name === 'token' || (c.role !== undefined && READERS.has(c.role)),
  /** Reading a case of a community: readers of that community, and tokens with cases:read. */
  caseRead: (c: Caller, w: Where) =>
    c.name === 'token' || (c.role !== undefined && READERS.has(c.role) && (w === 'own' || c.role === 'leader')),
  /** Reading a case of a community, people only (contacts). */
  caseReadPerson: (c: Caller, w: Where) =>
    c.role !== undefined && READERS.has(c.role) && (w === 'own' || c.role === 'leader'),
  /** Working a case of a community: leader, manager, backup, approver of that community. */
  caseWork: (c: Caller, w: Where) =>
    c.role !== undefined && WRITERS.has(c.role) && (w === 'own' || c.role === 'leader'),
  /** People who work cases (canned replies). */
  writer: (c: Caller) => c.role !== undefined && WRITERS.has(c.role),
  /** Leaders only. */
  leader: (c: Caller) => c.role === 'leader',
  /** Leaders and managers (crisis page, approval statistics). */
  leaderManager: (c: Caller) => c.role === 'leader' || c.role === 'manager',
  /** Leaders, managers, viewers (consult turnaround). */
  leaderManagerViewer: (c: Caller) => c.role === 'leader' || c.role === 'manager' || c.role === 'viewer',
  /** Reports: leaders, managers, viewers, and tokens with cases:read. */
  reports: (c: Caller) => c.name === 'token' || c.role === 'leader' || c.role === 'manager' || c.role === 'viewer',
  /** Integration tokens only (ingest, link statuses). */
  token: (c: Caller) => c.name === 'token',
  /**
   * Signed-in people, on an object that names who may act (an approval's approvers, a consult's expert, their own
   * person record): tokens and anonymous callers are refused here; the per-object rule is in the domain's tests.
   */
  personObject: (c: Caller) => c.role !== undefined,
  /** Network webhooks: authenticated by the network's signature, never by a session (checked: unsigned → 4xx). */
  signature: () => false,
} as const;
type AccessClass = keyof typeof CLASSES;

/** How each route's path parameters are filled: from a case (own/other community), or a fixed fixture. */
type Target = 'case' | 'message' | 'contact' | 'community' | 'account' | 'none';

/** The declared access of every route, `METHOD path` → [class, target]. */
const MATRIX: Record<string, [AccessClass, Target]> = {
  'GET /healthz': ['public', 'none'],
  'GET /readyz': ['public', 'none'],
  'GET /metrics': ['public', 'none'],
  'GET /api/v1/openapi.json': ['public', 'none'],
  'POST /api/v1/auth/login': ['public', 'none'],
  'POST /api/v1/auth/logout': ['person', 'none'],
  'GET /api/v1/me': ['person', 'none'],
  'GET /api/v1/auth/providers': ['public', 'none'],
  'POST /api/v1/auth/totp': ['public', 'none'],
  'GET /api/v1/auth/oidc/start': ['public', 'none'],
  'GET /api/v1/auth/oidc/callback': ['public', 'none'],
  'GET /api/v1/me/totp': ['person', 'none'],
  'POST /api/v1/me/totp/setup': ['person', 'none'],
  'POST /api/v1/me/totp/enable': ['person', 'none'],
  'POST /api/v1/me/totp/disable': ['person', 'none'],
  'POST /api/v1/people/:id/totp/reset': ['leader', 'none'],
  'GET /api/v1/organization/sign-in': ['leader', 'none'],
  'PUT /api/v1/organization/sign-in': ['leader', 'none'],
  'POST /api/v1/messages': ['token', 'none'],
  'GET /api/v1/cases': ['inboxOrToken', 'none'],
  'GET /api/v1/cases/counts': ['inboxOrToken', 'none'],
  'GET /api/v1/cases/:id': ['caseRead', 'case'],
  'PATCH /api/v1/cases/:id': ['caseWork', 'case'],
  'POST /api/v1/cases/:id/replies': ['caseWork', 'case'],
  'POST /api/v1/messages/:id/undo': ['caseWork', 'message'],
  'POST /api/v1/cases/:id/notes': ['caseWork', 'case'],
  'POST /api/v1/cases/bulk': ['caseWork', 'case'],
  'POST /api/v1/cases/:id/merge': ['caseWork', 'case'],
  'POST /api/v1/cases/:id/split': ['caseWork', 'case'],
  'POST /api/v1/cases/:id/move': ['caseWork', 'case'],
  'GET /api/v1/canned-replies': ['writer', 'none'],
  'POST /api/v1/canned-replies': ['leaderManager', 'none'],
  'PATCH /api/v1/canned-replies/:id': ['leaderManager', 'none'],
  'DELETE /api/v1/canned-replies/:id': ['leaderManager', 'none'],
  'POST /api/v1/cases/:id/render-reply': ['caseWork', 'case'],
  'POST /api/v1/cases/:id/links': ['caseWork', 'case'],
  'POST /api/v1/links/status': ['token', 'none'],
  'GET /api/v1/views': ['inbox', 'none'],
  'POST /api/v1/views': ['inbox', 'none'],
  'PATCH /api/v1/views/:id': ['personObject', 'none'],
  'DELETE /api/v1/views/:id': ['personObject', 'none'],
  'GET /api/v1/webhooks': ['leader', 'none'],
  'POST /api/v1/webhooks': ['leader', 'none'],
  'DELETE /api/v1/webhooks/:id': ['leader', 'none'],
  'GET /api/v1/webhooks/:id/deliveries': ['leader', 'none'],
  'GET /api/v1/contacts/:id': ['caseReadPerson', 'contact'],
  'PATCH /api/v1/contacts/:id': ['caseWork', 'contact'],
  'POST /api/v1/contacts/:id/merge': ['caseWork', 'contact'],
  'GET /api/v1/contacts/:id/export': ['leader', 'contact'],
  'POST /api/v1/contacts/:id/erase': ['leader', 'contact'],
  'POST /api/v1/messages/:id/triage': ['caseWork', 'message'],
  'GET /api/v1/triage/model': ['inbox', 'none'],
  'POST /api/v1/triage/retrain': ['leader', 'none'],
  'GET /api/v1/organization/retention': ['leader', 'none'],
  'PUT /api/v1/organization/retention': ['leader', 'none'],
  'GET /api/v1/communities': ['person', 'none'],
  'GET /api/v1/teams': ['person', 'none'],
  'GET /api/v1/people': ['person', 'none'],
  'GET /api/v1/people/duty': ['person', 'none'],
  'PATCH /api/v1/people/:id': ['personObject', 'none'],
  'POST /api/v1/people/:id/release-cases': ['personObject', 'none'],
  'GET /api/v1/routing/policy': ['leader', 'none'],
  'GET /api/v1/routing/policy/versions': ['leader', 'none'],
  'GET /api/v1/routing/policy/versions/:version': ['leader', 'none'],
  'PUT /api/v1/routing/policy': ['leader', 'none'],
  'POST /api/v1/routing/preview': ['leader', 'none'],
  'GET /api/v1/governance/policy': ['leader', 'none'],
  'GET /api/v1/governance/policy/versions': ['leader', 'none'],
  'GET /api/v1/governance/policy/versions/:version': ['leader', 'none'],
  'PUT /api/v1/governance/policy': ['leader', 'none'],
  'POST /api/v1/governance/preview': ['leader', 'none'],
  'POST /api/v1/cases/:id/check-reply': ['caseWork', 'case'],
  'GET /api/v1/approvals': ['person', 'none'],
  'GET /api/v1/approvals/stats': ['leaderManager', 'none'],
  'POST /api/v1/approvals/:id/approve': ['personObject', 'none'],
  'POST /api/v1/approvals/:id/reject': ['personObject', 'none'],
  'POST /api/v1/approvals/:id/withdraw': ['personObject', 'none'],
  'GET /api/v1/notifications': ['person', 'none'],
  'POST /api/v1/notifications/read': ['person', 'none'],
  'GET /api/v1/notifications/preferences': ['person', 'none'],
  'PUT /api/v1/notifications/preferences': ['person', 'none'],
  'GET /api/v1/events': ['person', 'none'],
  'GET /api/v1/accounts': ['person', 'none'],
  'GET /api/v1/networks': ['person', 'none'],
  'POST /api/v1/accounts': ['leader', 'none'],
  'PATCH /api/v1/accounts/:id': ['leader', 'account'],
  'DELETE /api/v1/accounts/:id': ['leader', 'account'],
  'POST /api/v1/accounts/:id/test': ['leader', 'account'],
  'POST /api/v1/communities/:id/pause': ['leaderManager', 'community'],
  'GET /api/v1/expertise': ['inbox', 'none'],
  'POST /api/v1/expertise': ['leader', 'none'],
  'PATCH /api/v1/expertise/:id': ['leader', 'none'],
  'DELETE /api/v1/expertise/:id': ['leader', 'none'],
  'POST /api/v1/cases/:id/consults': ['caseWork', 'case'],
  'GET /api/v1/cases/:id/consults': ['caseRead', 'case'],
  'GET /api/v1/consults': ['person', 'none'],
  'GET /api/v1/consults/kpi': ['leaderManagerViewer', 'none'],
  'GET /api/v1/consults/email-replies': ['leader', 'none'],
  'GET /api/v1/consults/:id': ['personObject', 'none'],
  'POST /api/v1/consults/:id/answer': ['personObject', 'none'],
  'POST /api/v1/consults/:id/cancel': ['personObject', 'none'],
  'GET /api/v1/audit': ['leader', 'none'],
  'GET /api/v1/audit/export.csv': ['leader', 'none'],
  'GET /api/v1/audit/verify': ['leader', 'none'],
  'GET /api/v1/reports/summary': ['reports', 'none'],
  'GET /api/v1/reports/series': ['reports', 'none'],
  'GET /api/v1/reports/breakdown': ['reports', 'none'],
  'GET /api/v1/reports/drill': ['reports', 'none'],
  'GET /api/v1/reports/export/cases.csv': ['reports', 'none'],
  'GET /api/v1/reports/export/messages.csv': ['reports', 'none'],
  'GET /api/v1/reports/export/cases.xlsx': ['reports', 'none'],
  'GET /api/v1/reports/export/messages.xlsx': ['reports', 'none'],
  'GET /api/v1/reports/schedules': ['leaderManager', 'none'],
  'POST /api/v1/reports/schedules': ['leaderManager', 'none'],
  'GET /api/v1/reports/schedules/:id': ['leaderManager', 'none'],
  'PUT /api/v1/reports/schedules/:id': ['leaderManager', 'none'],
  'DELETE /api/v1/reports/schedules/:id': ['leaderManager', 'none'],
  'POST /api/v1/reports/schedules/:id/send': ['leaderManager', 'none'],
  'GET /api/v1/crisis/alerts': ['leaderManager', 'none'],
  'GET /api/v1/crisis/alerts/:id/messages': ['leaderManager', 'none'],
  'POST /api/v1/crisis/alerts/:id/dismiss': ['leader', 'none'],
  'GET /api/v1/crisis/playbooks': ['leaderManager', 'none'],
  'GET /api/v1/crisis/crises': ['leaderManager', 'none'],
  'POST /api/v1/crisis/crises': ['leader', 'none'],
  'GET /api/v1/crisis/crises/:id': ['leaderManager', 'none'],
  'POST /api/v1/crisis/crises/:id/stand-down': ['leader', 'none'],
  'POST /api/v1/crisis/crises/:id/bulk-reply': ['inbox', 'none'],
  'GET /api/v1/crisis/crises/:id/report': ['leaderManager', 'none'],
  'GET /api/v1/crisis/crises/:id/report.pdf': ['leaderManager', 'none'],
  'GET /api/v1/crisis/crises/:id/report.csv': ['leaderManager', 'none'],
  'GET /api/v1/crisis/events': ['leaderManager', 'none'],
  'POST /api/v1/crisis/demo': ['leader', 'none'],
  'GET /api/v1/handover': ['inbox', 'none'],
  'GET /api/v1/handover/:id': ['personObject', 'none'],
  'PATCH /api/v1/handover/:id': ['personObject', 'none'],
  'POST /api/v1/handover/:id/publish': ['personObject', 'none'],
  'POST /api/v1/handover/:id/acknowledge': ['personObject', 'none'],
  'POST /api/v1/communities/:id/handover': ['caseWork', 'community'],
  'GET /api/v1/cases/:id/feedback': ['caseReadPerson', 'case'],
  'GET /api/v1/cases/:id/feedback/similar': ['caseReadPerson', 'case'],
  'POST /api/v1/cases/:id/ideas': ['caseWork', 'case'],
  'POST /api/v1/cases/:id/incidents': ['caseWork', 'case'],
  'GET /api/v1/ideas': ['person', 'none'],
  'GET /api/v1/ideas/:id': ['person', 'none'],
  'PATCH /api/v1/ideas/:id': ['personObject', 'none'],
  'GET /api/v1/ideas/:id/similar-cases': ['person', 'none'],
  'POST /api/v1/ideas/:id/cases': ['personObject', 'none'],
  'GET /api/v1/incidents': ['person', 'none'],
  'GET /api/v1/incidents/:id': ['person', 'none'],
  'PATCH /api/v1/incidents/:id': ['personObject', 'none'],
  'GET /api/v1/incidents/:id/similar-cases': ['person', 'none'],
  'POST /api/v1/incidents/:id/cases': ['personObject', 'none'],
  'GET /api/v1/advocates': ['inbox', 'none'],
  'GET /api/v1/advocates/contacts/:id': ['caseReadPerson', 'contact'],
  'POST /api/v1/advocates/actions': ['writer', 'none'],
  'POST /api/v1/advocates/crisis-asks': ['personObject', 'none'],
  'GET /api/v1/coverage/now': ['person', 'none'],
  'GET /api/v1/coverage/gaps': ['leaderManager', 'none'],
  'GET /api/v1/coverage/forecast': ['leaderManager', 'none'],
  'GET /api/v1/coverage/absences': ['person', 'none'],
  'POST /api/v1/coverage/absences': ['personObject', 'none'],
  'PATCH /api/v1/coverage/absences/:id': ['personObject', 'none'],
  'DELETE /api/v1/coverage/absences/:id': ['personObject', 'none'],
  'GET /api/v1/coverage/holidays': ['person', 'none'],
  'POST /api/v1/coverage/holidays': ['leader', 'none'],
  'PATCH /api/v1/coverage/holidays/:id': ['leader', 'none'],
  'DELETE /api/v1/coverage/holidays/:id': ['leader', 'none'],
  'GET /api/v1/coverage/settings': ['leaderManager', 'none'],
  'PUT /api/v1/coverage/settings/:id': ['leader', 'community'],
  'GET /api/v1/coverage/actions': ['leaderManager', 'none'],
  'GET /api/v1/people/:id/backups': ['leaderManager', 'none'],
  'PUT /api/v1/people/:id/backups': ['leaderManager', 'none'],
  'GET /api/v1/training/replays': ['inbox', 'none'],
  'GET /api/v1/training/sessions': ['inbox', 'none'],
  'POST /api/v1/training/sessions': ['writer', 'none'],
  'GET /api/v1/training/sessions/:id': ['personObject', 'none'],
  'GET /api/v1/training/items/:id': ['personObject', 'none'],
  'POST /api/v1/training/items/:id/render': ['personObject', 'none'],
  'POST /api/v1/training/items/:id/check': ['personObject', 'none'],
  'POST /api/v1/training/items/:id/answer': ['personObject', 'none'],
  'POST /api/v1/training/items/:id/self-assessment': ['personObject', 'none'],
  'POST /api/v1/training/items/:id/score': ['personObject', 'none'],
  'GET /api/v1/training/overview': ['leaderManager', 'none'],
  'POST /api/v1/quality/samples': ['leader', 'none'],
  'GET /api/v1/quality/samples': ['leader', 'none'],
  'GET /api/v1/quality/replies/:id': ['leader', 'none'],
  'POST /api/v1/quality/reviews': ['leader', 'none'],
  'GET /api/v1/quality/reviews': ['leader', 'none'],
  'GET /api/v1/quality/feedback': ['person', 'none'],
  'POST /api/v1/quality/reviews/:id/acknowledge': ['personObject', 'none'],
  'GET /api/v1/quality/scores': ['leaderManager', 'none'],
  'GET /api/v1/publishing/calendar': ['inbox', 'none'],
  'GET /api/v1/publishing/pauses': ['inbox', 'none'],
  'GET /api/v1/publishing/campaigns': ['inbox', 'none'],
  'POST /api/v1/publishing/campaigns': ['leaderManager', 'none'],
  'PUT /api/v1/publishing/campaigns/:id': ['leaderManager', 'none'],
  'POST /api/v1/publishing/check': ['leaderManager', 'none'],
  'POST /api/v1/publishing/posts': ['leaderManager', 'none'],
  'GET /api/v1/publishing/posts/:id': ['inbox', 'none'],
  'PATCH /api/v1/publishing/posts/:id': ['leaderManager', 'none'],
  'DELETE /api/v1/publishing/posts/:id': ['leaderManager', 'none'],
  'POST /api/v1/publishing/posts/:id/submit': ['leaderManager', 'none'],
  'POST /api/v1/publishing/posts/:id/schedule': ['leaderManager', 'none'],
  'POST /api/v1/publishing/posts/:id/cancel': ['leaderManager', 'none'],
  'POST /api/v1/publishing/posts/:id/approve': ['personObject', 'none'],
  'POST /api/v1/publishing/posts/:id/reject': ['personObject', 'none'],
  'POST /api/v1/publishing/communities/:id/pause': ['leader', 'community'],
  'POST /api/v1/publishing/communities/:id/resume': ['leader', 'community'],
  'GET /api/v1/channels/meta/webhook': ['signature', 'none'],
  'POST /api/v1/channels/meta/webhook': ['signature', 'none'],
  'GET /api/v1/channels/x/webhook': ['signature', 'none'],
  'GET /api/v1/channels/x/webhook/:app': ['signature', 'none'],
  'POST /api/v1/channels/x/webhook': ['signature', 'none'],
  'POST /api/v1/channels/x/webhook/:app': ['signature', 'none'],
};

/**
 * Route families whose access is declared once for all their routes (the policy function their routes share), so a
 * route added to a family is checked at once; its exact entry in MATRIX, if any, wins. A family's class is still
 * verified against the running app like any other: a route that does not follow its family fails the matrix.
 */
const FAMILIES: [RegExp, AccessClass, Target][] = [
  [/^GET \/api\/v1\/reports\//, 'reports', 'none'],
  [/^GET \/api\/v1\/audit(\/|$)/, 'leader', 'none'],
  [/^GET \/api\/v1\/crisis\//, 'leaderManager', 'none'],
  [/^(GET|PUT|POST) \/api\/v1\/(routing|governance)\/policy/, 'leader', 'none'],
  [/^(GET|POST|DELETE) \/api\/v1\/webhooks(\/|$)/, 'leader', 'none'],
];

/** The access class of a route: its MATRIX entry, else its family's; undefined when unclassified. */
function classOf(route: string): [AccessClass, Target] | undefined {
  return MATRIX[route] ?? (FAMILIES.find(([re]) => re.test(route))?.slice(1) as [AccessClass, Target] | undefined);
}

/** Routes served by the app but absent from the OpenAPI description (operations, network webhooks). */
const UNDOCUMENTED = Object.keys(MATRIX).filter((k) =>
  /^(GET|POST) \/(healthz|readyz|metrics|api\/v1\/openapi\.json|api\/v1\/channels\/)/.test(k),
);

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  format?: string;
  pattern?: string;
  default?: unknown;
};

/** A small valid instance of a JSON Schema, so a refusal is about access, not about the body. */
function example(s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return undefined;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return example(alt.find((a) => a.type !== 'null') ?? alt[0], depth + 1);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((a) => example(a, depth + 1) as object));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = example(s.properties?.[k], depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => example(s.items, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'string':
      if (s.pattern === '^[a-z]{2}$') return 'fr';
      if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (s.format === 'date') return '2026-01-01';
      if (s.format === 'uri' || s.format === 'url') return 'https://example.com/';
      if (s.format === 'email') return 'someone@example.com';
      return 'x'.repeat(Math.max(5, s.minLength ?? 0));
    default:
      return undefined;
  }
}

type Fixture = { case: number; message: number; contact: number; account: number };

/** Bodies the generic example cannot guess (cross-field rules), so a refusal is about access. */
const OVERRIDES: Record<string, (target: Fixture, other: Fixture) => unknown> = {
  'POST /api/v1/cases/bulk': (t) => ({ ids: [t.case], action: 'priority', value: 'urgent' }),
  'POST /api/v1/cases/:id/merge': (_t, o) => ({ into: o.case }),
  'POST /api/v1/contacts/:id/merge': (_t, o) => ({ into: o.contact }),
  'POST /api/v1/cases/:id/render-reply': () => ({ text: 'Bonjour {{contact.name}}' }),
  'POST /api/v1/messages/:id/triage': () => ({ intent: 'complaint' }),
  'POST /api/v1/notifications/read': () => ({ all: true }),
  'POST /api/v1/communities/:id/pause': () => ({ paused: true }),
  'POST /api/v1/cases/:id/ideas': () => ({ title: 'Show the gate on the lock screen' }),
  'POST /api/v1/cases/:id/incidents': () => ({ title: 'The app loses boarding passes' }),
};

/**
 * Refusals some routes answer with on purpose, besides 401/403/404: undoing a reply says "too late" alike
 * whether the reply does not exist, has left, or is not yours to undo (nothing reveals which).
 */
const REFUSAL_CODES: Record<string, number[]> = {
  'POST /api/v1/messages/:id/undo': [409],
  // Bulk actions answer 200 with an outcome per case (not_found, forbidden): the cases are checked unchanged below.
  'POST /api/v1/cases/bulk': [200],
};

type Operation = { parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[] };

/** The required query parameters of an operation, with example values. */
function queryExample(op: Operation | undefined): string {
  const q = new URLSearchParams();
  for (const p of op?.parameters ?? []) {
    if (p.in === 'query' && p.required) q.set(p.name, String(example(p.schema)));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

describeEachDatabase('access-control matrix', (db) => {
  let server: TestServer;
  const callers: Caller[] = [];
  /** Per role: the community it works in and one it does not. */
  const communities = new Map<string, Record<Where, number>>();
  /** Per community: a case, its first message, its contact, an account. */
  const fixtures = new Map<number, Fixture>();
  let spec: {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  };

  beforeAll(async () => {
    server = await startTestServer(db().url);
    const pool = db().pool;
    const orgId = server.ctx.directory().orgId;
    const accounts = await pool.query<{ id: number; handle: string; community_id: number }>(
      `select id, handle, community_id from channel_accounts where network = 'sandbox' and kind = 'account' order by id`,
    );
    for (const a of accounts.rows) {
      if (fixtures.has(a.community_id)) continue;
      const r = await server.request('POST', '/api/v1/messages', {
        token: server.token,
        body: {
          channel: 'sandbox',
          external_id: `matrix-${a.id}`,
          account: a.handle,
          author: { handle: `@matrix${a.id}` },
          text: 'Bonjour, ma réservation a disparu',
        },
      });
      expect(r.status).toBe(202);
      const c = await pool.query<{ contact_id: number }>('select contact_id from cases where id = $1', [
        r.body.case_id,
      ]);
      fixtures.set(a.community_id, {
        case: r.body.case_id,
        message: r.body.message_id,
        contact: c.rows[0]!.contact_id,
        account: a.id,
      });
    }
    const all = [...fixtures.keys()];
    for (const role of ['leader', 'manager', 'backup', 'expert', 'approver', 'viewer'] as Role[]) {
      const people = await pool.query<{ id: number; communities: number[] }>(
        `select p.id, coalesce(array_agg(pc.community_id) filter (where pc.community_id is not null), '{}') as communities
         from people p left join person_communities pc on pc.person_id = p.id
         where p.role = $1 group by p.id order by p.id`,
        [role],
      );
      // A person who works in some communities but not all (the leader works in all).
      const person =
        people.rows.find((p) => p.communities.length > 0 && p.communities.length < all.length) ?? people.rows[0]!;
      if (role !== 'leader' && all.every((c) => person.communities.includes(c))) {
        // Everyone of this role works everywhere: this one stops working in one community for the test.
        await pool.query('delete from person_communities where person_id = $1 and community_id = $2', [
          person.id,
          all.at(-1),
        ]);
        person.communities = person.communities.filter((c) => c !== all.at(-1));
      }
      const own = person.communities.find((c) => fixtures.has(c)) ?? all[0]!;
      const other =
        role === 'leader'
          ? all.find((c) => c !== own)!
          : all.find((c) => c !== own && !person.communities.includes(c))!;
      communities.set(role, { own, other });
      callers.push({ name: role, role, cookie: `passeur_session=${await openSession(pool, person.id, 1)}` });
    }
    const { token } = await createToken(pool, orgId, 'matrix', ['ingest', 'cases:read', 'links:write']);
    communities.set('token', { own: all[0]!, other: all[1]! });
    communities.set('anonymous', { own: all[0]!, other: all[1]! });
    callers.push({ name: 'token', token }, { name: 'anonymous' });
    spec = (await server.request('GET', '/api/v1/openapi.json')).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('classifies every route the app serves', () => {
    const served = [
      ...Object.entries(spec.paths).flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
      ...UNDOCUMENTED,
    ];
    const unknown = served.filter((r) => classOf(r) === undefined);
    expect(unknown, `routes with no access class in the matrix (add them to MATRIX): ${unknown.join(', ')}`).toEqual(
      [],
    );
  });

  it('refuses every caller a route does not allow, and serves every reader it does', { timeout: 300_000 }, async () => {
    const served = [
      ...Object.entries(spec.paths).flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
      ...UNDOCUMENTED,
    ];
    const failures: string[] = [];
    let checked = 0;
    let routes = 0;
    for (const route of served) {
      const classified = classOf(route);
      // Unclassified routes fail the test above.
      if (!classified) continue;
      const [cls, target] = classified;
      routes++;
      const [method, pattern] = route.split(' ') as [string, string];
      const op = spec.paths[pattern.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      const body = op?.requestBody?.content?.['application/json']?.schema
        ? example(op.requestBody.content['application/json'].schema)
        : undefined;
      for (const caller of callers) {
        for (const where of ['own', 'other'] as Where[]) {
          if (target === 'none' && where === 'other') continue;
          const allowed = CLASSES[cls](caller, where);
          const safe = method === 'GET';
          // Changes are attempted only by callers who must be refused; reads by everyone.
          if (allowed && !safe) continue;
          if (cls === 'public') continue;
          const community = communities.get(caller.name)![where];
          const f = fixtures.get(community)!;
          const id = { case: f.case, message: f.message, contact: f.contact, community, account: f.account, none: 1 }[
            target
          ];
          const path = pattern.replace(/:(\w+)/g, (_m, name: string) => (name === 'app' ? 'x' : String(id)));
          // The case of the other community than the target's: a real second case or customer to act with.
          const alt = fixtures.get(communities.get(caller.name)![where === 'own' ? 'other' : 'own'])!;
          const payload = OVERRIDES[route]?.(f, alt) ?? body;
          const query = safe ? queryExample(op as Operation | undefined) : '';
          const headers: Record<string, string> = {};
          if (payload !== undefined) headers['content-type'] = 'application/json';
          if (caller.cookie) {
            headers.cookie = caller.cookie;
            headers['x-requested-with'] = 'passeur';
          }
          if (caller.token) headers.authorization = `Bearer ${caller.token}`;
          const abort = new AbortController();
          const res = await fetch(`${server.base}${path}${query}`, {
            method,
            headers,
            signal: abort.signal,
            ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
          });
          const detail = res.status === 400 || res.status === 409 ? ` ${(await res.text()).slice(0, 160)}` : '';
          // Streams (server-sent events) answer with headers first: the status is what counts.
          abort.abort();
          checked++;
          const tag = `${route} as ${caller.name} (${where} community) → ${res.status}${detail}`;
          const refusals = [401, 403, 404, ...(REFUSAL_CODES[route] ?? [])];
          if (res.status >= 500) failures.push(`${tag}: server error`);
          else if (!allowed) {
            const refused =
              cls === 'signature'
                ? res.status >= 400
                : caller.name === 'anonymous'
                  ? res.status === 401
                  : refusals.includes(res.status);
            if (!refused) failures.push(`${tag}: should be refused`);
          } else if (res.status === 401 || res.status === 403) failures.push(`${tag}: should be allowed`);
          else if (target !== 'none' && res.status === 404) failures.push(`${tag}: should be found`);
        }
      }
    }
    console.info(`[matrix] ${routes} routes served and checked; ${checked} route × caller × community checks`);
    expect(failures).toEqual([]);
    // Nothing a refused bulk action asked for happened.
    const urgent = await db().pool.query('select id from cases where id = any($1::bigint[]) and priority = $2', [
      [...fixtures.values()].map((f) => f.case),
      'urgent',
    ]);
    expect(urgent.rows).toEqual([]);
  });
});
