import type { Queryable } from '../../server/db/database.ts';

/**
 * Outgoing webhook events. A change that causes one calls `enqueueWebhookEvents` inside its own transaction:
 * the delivery rows exist exactly when the change does, and the worker sends them after the commit.
 */
export const WEBHOOK_EVENTS = ['case.created', 'case.assigned', 'case.replied', 'case.resolved'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookEventInput {
  event: WebhookEvent;
  caseId: number;
  /** Ids and labels only (e.g. the reply's message id); never customer text. */
  data?: Record<string, unknown>;
}

/** NOTIFY channel that wakes the webhook worker of every process. */
export const WEBHOOKS_CHANNEL = 'passeur_webhooks';

interface CaseSnapshot {
  id: number;
  status: string;
  priority: string;
  urgency: string;
  channel: string;
  language: string | null;
  tags: string[];
  topics: string[];
  contact_id: number;
  community_id: number;
  community_slug: string;
  team_id: number | null;
  team_slug: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
  created_at: Date;
  updated_at: Date;
}

function presentCase(c: CaseSnapshot) {
  return {
    id: c.id,
    status: c.status,
    priority: c.priority,
    urgency: c.urgency,
    channel: c.channel,
    language: c.language,
    tags: c.tags,
    topics: c.topics,
    contact_id: c.contact_id,
    community: { id: c.community_id, slug: c.community_slug },
    team: c.team_id === null ? null : { id: c.team_id, slug: c.team_slug },
    assignee: c.assignee_id === null ? null : { id: c.assignee_id, name: c.assignee_name },
    created_at: c.created_at.toISOString(),
    updated_at: c.updated_at.toISOString(),
  };
}

/**
 * Writes one delivery per (event, subscribed webhook), with the case as it is in this transaction. Costs one
 * query when the organization has no webhook. Returns the number of deliveries written.
 */
export async function enqueueWebhookEvents(
  tx: Queryable,
  orgId: number,
  events: readonly WebhookEventInput[],
): Promise<number> {
  if (events.length === 0) return 0;
  const hooks = await tx.query<{ id: number; events: string[] }>(
    'select id, events from webhooks where org_id = $1 and active',
    [orgId],
  );
  const wanted = events.filter((e) => hooks.rows.some((h) => h.events.includes(e.event)));
  if (wanted.length === 0) return 0;
  const snap = await tx.query<CaseSnapshot>(
    `select c.id, c.status, c.priority, c.urgency, c.channel, c.language, c.tags, c.topics, c.contact_id,
       c.community_id, cm.slug as community_slug, c.team_id, t.slug as team_slug, c.assignee_id,
       p.name as assignee_name, c.created_at, c.updated_at
     from cases c join communities cm on cm.id = c.community_id
     left join teams t on t.id = c.team_id left join people p on p.id = c.assignee_id
     where c.org_id = $1 and c.id = any($2::bigint[])`,
    [orgId, [...new Set(wanted.map((e) => e.caseId))]],
  );
  const cases = new Map(snap.rows.map((c) => [c.id, presentCase(c)]));
  const occurredAt = new Date().toISOString();
  const rows: { webhook_id: number; event: string; payload: unknown }[] = [];
  for (const e of wanted) {
    const c = cases.get(e.caseId);
    if (!c) continue;
    for (const h of hooks.rows) {
      if (!h.events.includes(e.event)) continue;
      rows.push({
        webhook_id: h.id,
        event: e.event,
        payload: { event: e.event, occurred_at: occurredAt, case: c, data: e.data ?? {} },
      });
    }
  }
  if (rows.length === 0) return 0;
  await tx.query(
    `insert into webhook_deliveries (org_id, webhook_id, event, payload)
     select $1, x.webhook_id, x.event, x.payload
     from jsonb_to_recordset($2::jsonb) as x(webhook_id int, event text, payload jsonb)`,
    [orgId, JSON.stringify(rows)],
  );
  await tx.query('select pg_notify($1, $2)', [WEBHOOKS_CHANNEL, String(rows.length)]);
  return rows.length;
}
