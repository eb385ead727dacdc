import type pg from 'pg';
import { transaction } from '../../server/db/database.ts';
import { audit } from '../audit/log.ts';

/**
 * Retention: an organization may keep customer content for N months after a case is resolved or closed.
 * Past that, the case is anonymized in place — the texts of its messages (inbound, replies and notes), the
 * authors' handles and names, the case subject and search vector — while the skeleton stays (times, team,
 * community, triage labels, SLA clocks), so reports over past years keep their figures. A contact whose
 * every case is anonymized loses its name, notes and channel identities too (a returning customer is then a
 * new contact). The audit chain holds ids and counts only, never customer text, so it is untouched.
 * `passeur archive` exports the content first, for organizations that must keep it elsewhere.
 */
export interface RetentionPolicy {
  /** Months after resolution or closure; null keeps everything. */
  months: number | null;
}

export const ANONYMIZED = '[anonymized]';

export function retentionOf(settings: Record<string, unknown>): RetentionPolicy {
  const r = settings.retention as { months?: unknown } | undefined;
  const months = r?.months;
  return { months: typeof months === 'number' && Number.isInteger(months) && months > 0 ? months : null };
}

export interface RetentionRun {
  cases: number;
  messages: number;
  contacts: number;
  /** More expired cases than one pass takes: run again. */
  more: boolean;
}

/** The moment before which resolved/closed cases are past retention. */
export function cutoffOf(months: number, now: Date): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * Anonymizes up to `batch` expired cases of the organization in one transaction (cases locked with
 * `skip locked`, so several processes share the work and a case being worked on right now waits for the
 * next pass). A case that was reopened since is no longer resolved, hence never touched.
 */
export async function anonymizeExpired(
  pool: pg.Pool,
  orgId: number,
  months: number,
  opts: { now?: Date; batch?: number; actorPersonId?: number | null } = {},
): Promise<RetentionRun> {
  const batch = opts.batch ?? 500;
  const cutoff = cutoffOf(months, opts.now ?? new Date());
  return transaction(pool, async (tx) => {
    const picked = await tx.query<{ id: number; contact_id: number }>(
      `select id, contact_id from cases
       where org_id = $1 and anonymized_at is null and status in ('resolved', 'closed')
         and coalesce(closed_at, resolved_at) < $2
       order by coalesce(closed_at, resolved_at), id
       limit $3 for update skip locked`,
      [orgId, cutoff, batch + 1],
    );
    const more = picked.rows.length > batch;
    const rows = picked.rows.slice(0, batch);
    if (rows.length === 0) return { cases: 0, messages: 0, contacts: 0, more: false };
    const ids = rows.map((r) => r.id);
    const m = await tx.query(
      `update messages set text = $2, author_handle = $2, author_name = null, meta = null, in_reply_to = null
       where case_id = any($1::bigint[]) and text <> $2`,
      [ids, ANONYMIZED],
    );
    await tx.query(`update cases set subject = '', search = null, anonymized_at = now() where id = any($1::bigint[])`, [
      ids,
    ]);
    // Contacts with nothing left but anonymized cases.
    const contacts = await tx.query<{ id: number }>(
      `update contacts ct set display_name = $2, notes = '', vip = false
       where ct.id = any($1::bigint[]) and ct.display_name <> $2
         and not exists (select 1 from cases c where c.contact_id = ct.id and c.anonymized_at is null)
       returning ct.id`,
      [[...new Set(rows.map((r) => r.contact_id))], ANONYMIZED],
    );
    const gone = contacts.rows.map((r) => r.id);
    if (gone.length) {
      await tx.query(
        `update contact_identities set handle = 'anonymized-' || id, name = null where contact_id = any($1::bigint[])`,
        [gone],
      );
    }
    await audit(tx, {
      orgId,
      action: 'retention.anonymized',
      actorPersonId: opts.actorPersonId ?? null,
      subjectType: 'organization',
      subjectId: orgId,
      data: {
        months,
        cutoff: cutoff.toISOString(),
        cases: ids.length,
        messages: m.rowCount ?? 0,
        contacts: gone.length,
      },
    });
    return { cases: ids.length, messages: m.rowCount ?? 0, contacts: gone.length, more };
  });
}

/** Runs passes until nothing expired is left (or `maxPasses`); what a worker calls once an hour. */
export async function applyRetention(
  pool: pg.Pool,
  orgId: number,
  policy: RetentionPolicy,
  opts: { now?: Date; batch?: number; maxPasses?: number } = {},
): Promise<RetentionRun> {
  const total: RetentionRun = { cases: 0, messages: 0, contacts: 0, more: false };
  if (policy.months === null) return total;
  for (let pass = 0; pass < (opts.maxPasses ?? 100); pass++) {
    const r = await anonymizeExpired(pool, orgId, policy.months, opts);
    total.cases += r.cases;
    total.messages += r.messages;
    total.contacts += r.contacts;
    total.more = r.more;
    if (!r.more) break;
  }
  return total;
}

interface RetentionWorkerDeps {
  pool: pg.Pool;
  orgId: () => number;
  policy: () => RetentionPolicy;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  intervalMs?: number;
}

/** Applies the organization's retention policy once an hour (and shortly after start). */
export class RetentionWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly deps: RetentionWorkerDeps;
  constructor(deps: RetentionWorkerDeps) {
    this.deps = deps;
  }

  start(): void {
    const every = this.deps.intervalMs ?? 3_600_000;
    const tick = () => {
      if (this.running) return;
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
    };
    this.timer = setInterval(tick, every);
    this.timer.unref();
    setTimeout(tick, 60_000).unref();
  }

  async pass(): Promise<RetentionRun> {
    try {
      const r = await applyRetention(this.deps.pool, this.deps.orgId(), this.deps.policy());
      if (r.cases) this.deps.log.info({ ...r }, 'retention: cases anonymized');
      return r;
    } catch (err) {
      this.deps.log.warn({ err }, 'retention pass failed');
      return { cases: 0, messages: 0, contacts: 0, more: true };
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
