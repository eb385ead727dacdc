import type pg from 'pg';
import type { Logger } from 'pino';
import { type AccountContext, type ChannelRuntime, SendError } from '../../channels/connector.ts';
import type { ConnectorRegistry } from '../../channels/registry.ts';
import { transaction } from '../../server/db/database.ts';
import { publish } from '../../server/realtime/events.ts';
import { audit } from '../audit/log.ts';
import type { Directory } from '../organization/directory.ts';
import { recordPostFailed, recordPostPublished } from '../publishing/service.ts';
import { enqueueWebhookEvents } from '../webhooks/events.ts';

const BATCH = 20;
const LEASE_SECONDS = 120;
const MAX_ATTEMPTS = 10;
const POLL_MS = 1000;

interface OutboxDeps {
  pool: pg.Pool;
  registry: ConnectorRegistry;
  directory: () => Directory;
  /** The account with its decrypted credentials. */
  accounts: (id: number) => Promise<AccountContext[]>;
  log: Logger;
  /** Given to connectors for their outbound requests. */
  rt: ChannelRuntime;
}

interface Claimed {
  id: number;
  org_id: number;
  /** Null for a scheduled post (publishing). */
  message_id: number | null;
  case_id: number | null;
  account_id: number;
  network: string;
  idempotency_key: string;
  payload: { text: string; inReplyTo: string | null; visibility: 'public' | 'private'; autoAck?: boolean };
  attempts: number;
  created_by: number | null;
}

/**
 * Publishes due outbox rows through their network's connector. Rows are claimed with SKIP LOCKED and a
 * lease, so several processes share the work and a row claimed by a process that died is sent again
 * after the lease (with the same idempotency key, so the network does not publish it twice).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly deps: OutboxDeps;

  constructor(deps: OutboxDeps) {
    this.deps = deps;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.deps.log.warn({ err }, 'outbox pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Runs until nothing is due; resolves when the current pass ends. */
  async drain(): Promise<void> {
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((row) => this.deliver(row)));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async claim(): Promise<Claimed[]> {
    const r = await this.deps.pool.query<Claimed>(
      `update outbox set status = 'sending', attempts = attempts + 1,
         not_before = now() + make_interval(secs => $2)
       where id in (
         select id from outbox where status in ('pending', 'sending') and not_before <= now()
         order by not_before, id limit $1 for update skip locked)
       returning id, org_id, message_id, case_id, account_id, network, idempotency_key, payload, attempts, created_by`,
      [BATCH, LEASE_SECONDS],
    );
    return r.rows;
  }

  private async deliver(row: Claimed): Promise<void> {
    const { pool, registry, directory, log } = this.deps;
    const account = directory().accounts.get(row.account_id);
    const connector = registry.get(row.network);
    try {
      if (!account) throw new SendError('permanent', `account ${row.account_id} no longer exists`);
      if (!connector) throw new SendError('permanent', `no connector is configured for ${row.network}`);
      if (account.paused) throw new SendError('transient', `${account.handle} is paused`, 60_000);
      const [context] = await this.deps.accounts(row.account_id);
      if (!context) throw new SendError('permanent', `account ${row.account_id} no longer exists`);
      const result = await connector.send(
        pool,
        {
          idempotencyKey: row.idempotency_key,
          account,
          text: row.payload.text,
          inReplyTo: row.payload.inReplyTo,
          visibility: row.payload.visibility,
        },
        context,
        this.deps.rt,
      );
      await transaction(pool, async (tx) => {
        await tx.query(
          `update outbox set status = 'sent', sent_at = now(), external_id = $2, last_error = null where id = $1`,
          [row.id, result.externalId],
        );
        await tx.query(
          `update messages set external_id = $2,
             meta = coalesce(meta, '{}'::jsonb) || jsonb_strip_nulls(jsonb_build_object('url', $3::text))
           where id = $1`,
          [row.message_id, result.externalId, result.url ?? null],
        );
        // A reply that left stops the response clocks: the first response once, and the next-response clock
        // unless the customer wrote again after this reply was written. An out-of-hours acknowledgement
        // (docs/out-of-hours.md) is not an answer: the clocks run on.
        const autoAck = row.payload.autoAck === true;
        const c = autoAck
          ? await tx.query<{ community_id: number }>('select community_id from cases where id = $1', [row.case_id])
          : await tx.query<{ community_id: number }>(
              `update cases set last_outbound_at = now(), first_responded_at = coalesce(first_responded_at, now()),
             next_response_due_at = case
               when last_inbound_at is null or last_inbound_at <= (select created_at from messages where id = $2)
               then null else next_response_due_at end,
             updated_at = now()
           where id = $1 returning community_id`,
              [row.case_id, row.message_id],
            );
        if (row.case_id !== null && !autoAck) {
          await enqueueWebhookEvents(tx, row.org_id, [
            {
              event: 'case.replied',
              caseId: row.case_id,
              data: { message_id: row.message_id, account_id: row.account_id },
            },
          ]);
        }
        // A scheduled post (no message of a case) records its outcome on the post (docs/publishing.md).
        if (row.message_id === null) await recordPostPublished(tx, row.id, result);
        else
          await audit(tx, {
            orgId: row.org_id,
            action: 'reply.sent',
            actorPersonId: row.created_by,
            accountId: row.account_id,
            subjectType: 'message',
            subjectId: row.message_id,
            data: { outbox_id: row.id, external_id: result.externalId },
          });
        const communityId = c.rows[0]?.community_id;
        if (row.case_id !== null && communityId !== undefined) {
          await publish(tx, [
            {
              type: 'message.updated',
              org_id: row.org_id,
              case_id: row.case_id,
              community_id: communityId,
              message_id: row.message_id ?? undefined,
            },
            { type: 'case.updated', org_id: row.org_id, case_id: row.case_id, community_id: communityId },
          ]);
        }
      });
    } catch (err) {
      const e =
        err instanceof SendError ? err : new SendError('transient', err instanceof Error ? err.message : String(err));
      const final = e.kind === 'permanent' || e.kind === 'auth' || row.attempts >= MAX_ATTEMPTS;
      const backoffMs = e.retryAfterMs ?? Math.min(600_000, 1000 * 2 ** row.attempts);
      log.warn({ outbox: row.id, kind: e.kind, err: e.message, final }, 'outbound message not delivered');
      await transaction(pool, async (tx) => {
        await tx.query(
          `update outbox set status = $2, last_error = $3, not_before = now() + make_interval(secs => $4) where id = $1`,
          [row.id, final ? 'failed' : 'pending', `${e.kind}: ${e.message}`.slice(0, 1000), backoffMs / 1000],
        );
        if (final) await recordPostFailed(tx, row.id, `${e.kind}: ${e.message}`);
        if (e.kind === 'auth') {
          await tx.query(
            `update channel_accounts set status = 'needs_reconnect', last_error = $2, last_error_at = now(),
               failure_count = failure_count + 1 where id = $1`,
            [row.account_id, e.message.slice(0, 1000)],
          );
        }
        const c = await tx.query<{ community_id: number }>('select community_id from cases where id = $1', [
          row.case_id,
        ]);
        const communityId = c.rows[0]?.community_id;
        if (row.case_id !== null && communityId !== undefined) {
          await publish(tx, [
            {
              type: 'message.updated',
              org_id: row.org_id,
              case_id: row.case_id,
              community_id: communityId,
              message_id: row.message_id ?? undefined,
            },
          ]);
        }
      });
    }
  }
}
