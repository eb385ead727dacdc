import type pg from 'pg';
import type { Logger } from 'pino';
import type { Keyring } from '../../server/secrets/keyring.ts';
import { signature } from './signature.ts';
import { openSecret } from './store.ts';
import { FetchRefused, postJson } from './target.ts';

const BATCH = 20;
/** Longer than a delivery can take (10 s timeout), so a live claim is never taken over. */
const LEASE_SECONDS = 60;
export const MAX_ATTEMPTS = 8;
const POLL_MS = 1000;
/** First retry after 10 s, then doubling, at most an hour apart: 8 attempts span about 20 minutes. */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 3_600_000;

interface Claimed {
  id: number;
  org_id: number;
  webhook_id: number;
  event: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string | null;
  secret: string | null;
  active: boolean | null;
}

export function backoffMs(attempts: number, retryAfterSeconds: number | null): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return retryAfterSeconds === null ? exp : Math.min(BACKOFF_MAX_MS, Math.max(exp, retryAfterSeconds * 1000));
}

/**
 * Sends due webhook deliveries. Rows are claimed with SKIP LOCKED and a lease, so several processes share
 * the work and a delivery claimed by a process that died is sent again after the lease; receivers dedupe on
 * `x-passeur-delivery`. Failures are retried with exponential backoff up to MAX_ATTEMPTS; a refused target
 * (a private address) fails at once.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly deps: { pool: pg.Pool; keyring: Keyring; log: Logger; allowPrivate: boolean };

  constructor(deps: { pool: pg.Pool; keyring: Keyring; log: Logger; allowPrivate: boolean }) {
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
      .catch((err: unknown) => this.deps.log.warn({ err }, 'webhook pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Runs until nothing is due. */
  async drain(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.claim();
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((d) => this.deliver(d)));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async claim(): Promise<Claimed[]> {
    const r = await this.deps.pool.query<Claimed>(
      `with due as (
         update webhook_deliveries set status = 'sending', attempts = attempts + 1,
           not_before = now() + make_interval(secs => $2)
         where id in (
           select id from webhook_deliveries where status in ('pending', 'sending') and not_before <= now()
           order by not_before, id limit $1 for update skip locked)
         returning id, org_id, webhook_id, event, payload, attempts)
       select due.*, w.url, w.secret, w.active from due left join webhooks w on w.id = due.webhook_id`,
      [BATCH, LEASE_SECONDS],
    );
    return r.rows;
  }

  private async deliver(d: Claimed): Promise<void> {
    const { log } = this.deps;
    if (!d.url || !d.secret || !d.active) {
      await this.settle(d, 'failed', null, 'the webhook was disabled or removed', 0);
      return;
    }
    const body = JSON.stringify({ id: d.id, ...d.payload });
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const r = await postJson(
        d.url,
        body,
        {
          'x-passeur-event': d.event,
          'x-passeur-delivery': String(d.id),
          'x-passeur-timestamp': String(timestamp),
          'x-passeur-signature': signature(openSecret(this.deps.keyring, d.secret), timestamp, body),
        },
        this.deps.allowPrivate,
      );
      if (r.status >= 200 && r.status < 300) {
        await this.settle(d, 'delivered', r.status, null, 0);
        return;
      }
      const final = d.attempts >= MAX_ATTEMPTS;
      await this.settle(
        d,
        final ? 'failed' : 'pending',
        r.status,
        `HTTP ${r.status}: ${r.answer}`,
        backoffMs(d.attempts, r.retryAfter),
      );
    } catch (err) {
      const refused = err instanceof FetchRefused;
      const final = refused || d.attempts >= MAX_ATTEMPTS;
      const message = `${refused ? 'refused' : 'error'}: ${err instanceof Error ? err.message : String(err)}`;
      log.warn({ delivery: d.id, webhook: d.webhook_id, err: message, final }, 'webhook not delivered');
      await this.settle(d, final ? 'failed' : 'pending', null, message, backoffMs(d.attempts, null));
    }
  }

  private async settle(
    d: Claimed,
    status: 'delivered' | 'pending' | 'failed',
    responseStatus: number | null,
    error: string | null,
    delayMs: number,
  ): Promise<void> {
    await this.deps.pool.query(
      `update webhook_deliveries set status = $2, response_status = $3, last_error = $4,
         not_before = now() + make_interval(secs => $5),
         delivered_at = case when $2 = 'delivered' then now() else delivered_at end
       where id = $1`,
      [d.id, status, responseStatus, error?.slice(0, 1000) ?? null, delayMs / 1000],
    );
  }
}
