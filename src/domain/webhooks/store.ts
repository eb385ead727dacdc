import type pg from 'pg';
import { type Queryable, transaction } from '../../server/db/database.ts';
import type { Keyring } from '../../server/secrets/keyring.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { audit } from '../audit/log.ts';
import type { WebhookEvent } from './events.ts';
import { newWebhookSecret } from './signature.ts';

/** Webhook secrets are kept encrypted with the keyring (prefix `kr1:`); they are shown once, at creation. */
const SEALED = 'kr1:';

export function sealSecret(keyring: Keyring, secret: string): string {
  return `${SEALED}${keyring.encrypt(secret).toString('base64')}`;
}

export function openSecret(keyring: Keyring, stored: string): string {
  return stored.startsWith(SEALED)
    ? String(keyring.decrypt(Buffer.from(stored.slice(SEALED.length), 'base64')))
    : stored;
}

export interface WebhookRow {
  id: number;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  created_at: Date;
}

export async function listWebhooks(db: Queryable, orgId: number): Promise<WebhookRow[]> {
  const r = await db.query<WebhookRow>(
    'select id, url, events, active, created_at from webhooks where org_id = $1 order by id',
    [orgId],
  );
  return r.rows;
}

export async function createWebhook(
  pool: pg.Pool,
  keyring: Keyring,
  person: PersonPrincipal,
  input: { url: string; events: WebhookEvent[] },
): Promise<WebhookRow & { secret: string }> {
  const secret = newWebhookSecret();
  return transaction(pool, async (tx) => {
    const r = await tx.query<WebhookRow>(
      `insert into webhooks (org_id, url, secret, events) values ($1, $2, $3, $4)
       returning id, url, events, active, created_at`,
      [person.orgId, input.url, sealSecret(keyring, secret), input.events],
    );
    const row = r.rows[0]!;
    await audit(tx, {
      orgId: person.orgId,
      action: 'webhook.created',
      actorPersonId: person.id,
      subjectType: 'webhook',
      subjectId: row.id,
      data: { host: new URL(row.url).host, events: row.events },
    });
    return { ...row, secret };
  });
}

/** Deletes a webhook and its deliveries; false when there is no such webhook. */
export async function deleteWebhook(pool: pg.Pool, person: PersonPrincipal, id: number): Promise<boolean> {
  return transaction(pool, async (tx) => {
    const r = await tx.query('delete from webhooks where org_id = $1 and id = $2', [person.orgId, id]);
    if (r.rowCount === 0) return false;
    await audit(tx, {
      orgId: person.orgId,
      action: 'webhook.deleted',
      actorPersonId: person.id,
      subjectType: 'webhook',
      subjectId: id,
    });
    return true;
  });
}

export async function recentDeliveries(db: Queryable, orgId: number, webhookId: number) {
  const r = await db.query<{
    id: number;
    event: string;
    status: string;
    attempts: number;
    response_status: number | null;
    last_error: string | null;
    created_at: Date;
    delivered_at: Date | null;
    next_attempt_at: Date | null;
  }>(
    `select id, event, status, attempts, response_status, last_error, created_at, delivered_at,
       case when status = 'pending' then not_before end as next_attempt_at
     from webhook_deliveries where org_id = $1 and webhook_id = $2 order by id desc limit 50`,
    [orgId, webhookId],
  );
  return r.rows;
}
