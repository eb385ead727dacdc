import { createTransport } from 'nodemailer';
import type pg from 'pg';
import type { Logger } from 'pino';
import { transaction } from '../../server/db/database.ts';
import { handoverMail } from '../handover/email.ts';
import { composeEmail } from './email.ts';

const BATCH = 20;
const POLL_MS = 5000;
/**
 * When attempt n (1-based) may run, in seconds after the notification was created; after the last one the
 * email is given up ('failed'). The schedule counts from the creation, so no extra column is needed.
 */
export const DEFAULT_RETRY_SCHEDULE = [0, 60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600];

export interface EmailWorkerOptions {
  pool: pg.Pool;
  log: Logger;
  /** smtp:// or smtps:// URL; undefined: no email is sent and pending ones are marked 'skipped'. */
  smtpUrl: string | undefined;
  from: string;
  publicUrl: string;
  retrySchedule?: number[];
  /** The Reply-To of a notification email, when replying to it means something (a consult's reply address). */
  replyTo?: (n: { kind: string; data: Record<string, unknown> }) => string | undefined;
}

function createSmtp(url: string) {
  return createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
}

interface PendingEmail {
  id: number;
  kind: string;
  case_id: number;
  data: Record<string, unknown>;
  email_attempts: number;
  email: string;
  name: string;
  locale: string;
  timezone: string;
  active: boolean;
  subject: string | null;
}

/**
 * Sends the notifications people want by email. Pending rows are claimed with SKIP LOCKED and stay locked
 * while they are sent, so several processes share the work; a process that dies mid-send leaves them pending
 * and another sends them again. A refused email is retried on the schedule; a permanent refusal (5xx) or the
 * last attempt marks it 'failed'.
 */
export class EmailWorker {
  private readonly opts: EmailWorkerOptions;
  private readonly transport: ReturnType<typeof createSmtp> | undefined;
  private readonly schedule: number[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(opts: EmailWorkerOptions) {
    this.opts = opts;
    this.schedule = opts.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
    this.transport = opts.smtpUrl ? createSmtp(opts.smtpUrl) : undefined;
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
      .catch((err: unknown) => this.opts.log.warn({ err }, 'email pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.transport?.close();
  }

  /** Sends everything due at `now`; resolves when nothing due is left. */
  async drain(now = new Date()): Promise<void> {
    const { pool } = this.opts;
    if (!this.transport) {
      await pool.query(`update notifications set email_status = 'skipped' where email_status = 'pending'`);
      return;
    }
    for (;;) {
      const claimed = await transaction(pool, async (tx) => {
        const r = await tx.query<PendingEmail>(
          `select n.id, n.kind, n.case_id, n.data, n.email_attempts, p.email, p.name, p.locale, p.timezone, p.active,
             c.subject
           from notifications n
           join people p on p.id = n.person_id
           left join cases c on c.id = n.case_id
           where n.email_status = 'pending'
             and n.created_at + make_interval(secs => ($1::float8[])[least(n.email_attempts + 1, $2)]) <= $3
           order by n.id limit $4
           for update of n skip locked`,
          [this.schedule, this.schedule.length, now, BATCH],
        );
        for (const row of r.rows) await this.send(tx, row);
        return r.rows.length;
      });
      if (claimed < BATCH) return;
    }
  }

  private async send(tx: pg.PoolClient, row: PendingEmail): Promise<void> {
    if (!row.active) {
      await tx.query(`update notifications set email_status = 'skipped' where id = $1`, [row.id]);
      return;
    }
    const replyTo = this.opts.replyTo?.(row);
    // A handover notification carries its brief: the email is composed from it.
    const mail =
      row.kind === 'handover'
        ? await handoverMail(tx, row, this.opts.publicUrl)
        : composeEmail(
            {
              kind: row.kind,
              caseId: row.case_id,
              caseSubject: row.subject,
              data: row.data,
              recipientName: row.name,
              locale: row.locale,
              timezone: row.timezone,
              replyable: replyTo !== undefined,
            },
            this.opts.publicUrl,
          );
    if (!mail) {
      await tx.query(`update notifications set email_status = 'skipped' where id = $1`, [row.id]);
      return;
    }
    const attempts = row.email_attempts + 1;
    try {
      await this.transport!.sendMail({
        from: this.opts.from,
        to: { name: row.name, address: row.email },
        ...(replyTo ? { replyTo } : {}),
        ...mail,
      });
      await tx.query(`update notifications set email_status = 'sent', email_attempts = $2 where id = $1`, [
        row.id,
        attempts,
      ]);
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      const final = (code !== undefined && code >= 500) || attempts >= this.schedule.length;
      this.opts.log.warn(
        { notification: row.id, attempts, code, err: err instanceof Error ? err.message : String(err), final },
        'notification email not sent',
      );
      await tx.query(`update notifications set email_status = $2, email_attempts = $3 where id = $1`, [
        row.id,
        final ? 'failed' : 'pending',
        attempts,
      ]);
    }
  }
}
