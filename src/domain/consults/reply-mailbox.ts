import type { ImapFlow } from 'imapflow';
import type pg from 'pg';
import type { Logger } from 'pino';
import { closeImap, connectImap, imapClient } from '../../channels/email/imap-session.ts';
import { type ReadMail, readMail } from '../../channels/email/mail-reader.ts';
import type { EmailConfig, EmailCredentials } from '../../channels/email/settings.ts';
import { transaction } from '../../server/db/database.ts';
import { HttpError } from '../../server/http/errors.ts';
import { canAnswerConsult } from '../access/policy.ts';
import { personPrincipal } from '../access/service.ts';
import { audit } from '../audit/log.ts';
import type { Directory } from '../organization/directory.ts';
import type { ReplyAddresses } from './reply-address.ts';
import { answerFromReply } from './reply-text.ts';
import { answerConsultIn } from './service.ts';

/**
 * Experts answer a consult by replying to its email. The reply goes to the consult's reply address (see
 * reply-address.ts) in Passeur's own reply mailbox, which this worker reads over IMAP (the IMAP code of the email
 * channel). One process reads it at a time (a session advisory lock); where it is in the mailbox (UIDVALIDITY and
 * last UID) is kept in `mailbox_cursors` after each message, and each message is recorded once in
 * `consult_email_replies` (by Message-ID) in the transaction that answers the consult: a restart neither loses
 * nor repeats a reply.
 *
 * A reply is accepted only if its address carries a valid tag, the consult is open, and the sender (From) is the
 * asked person or an active member of the asked team. Anything else is recorded with the reason and never
 * touches the case.
 */
const OWNER_LOCK = 7_311_090;
const CURSOR = 'consult-replies';
/** What is read of one reply: its text is capped far below this anyway. */
const MAX_BYTES = 2 * 1024 * 1024;
/** A first pass (or one after a UIDVALIDITY change) reads the mail of the last days (consults last ≤ 14 days). */
const FIRST_PASS_DAYS = 15;
const MAX_REJECTED_TEXT = 2000;

export interface ReplyMailbox {
  imap: EmailConfig['imap'];
  credentials: EmailCredentials;
}

/** Reads PASSEUR_REPLY_IMAP_URL: `imaps://user:password@host[:port][/folder]`. */
export function parseReplyImapUrl(url: string): ReplyMailbox {
  const u = new URL(url);
  const secure = u.protocol === 'imaps:';
  if (!secure && u.protocol !== 'imap:') throw new Error('PASSEUR_REPLY_IMAP_URL: imap:// or imaps:// only');
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  if (!user || !password) throw new Error('PASSEUR_REPLY_IMAP_URL: the URL needs a user and a password');
  const folder = decodeURIComponent(u.pathname.replace(/^\/+/, '')) || 'INBOX';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    imap: { host, port: u.port ? Number(u.port) : secure ? 993 : 143, secure, mailbox: folder },
    credentials: { user, password },
  };
}

export type ReplyOutcome =
  | { outcome: 'accepted'; consultId: number; personId: number }
  | { outcome: 'rejected'; reason: string; consultId: number | null }
  | { outcome: 'duplicate' };

export interface ReplyWorkerDeps {
  pool: pg.Pool;
  log: Logger;
  directory: () => Directory;
  addresses: ReplyAddresses;
  mailbox: ReplyMailbox;
  intervalMs: number;
}

interface CursorRow {
  uid_validity: string;
  last_uid: string;
  synced_at: Date;
}

/** Automatic mail (out-of-office, delivery reports) is never an answer. */
function automatic(mail: ReadMail): string | undefined {
  const auto = mail.rawHeaders.get('auto-submitted');
  if (auto && auto.toLowerCase() !== 'no') return 'automatic reply (Auto-Submitted)';
  const precedence = mail.rawHeaders.get('precedence')?.toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return 'automatic reply (Precedence)';
  if (mail.rawHeaders.has('x-autoreply') || mail.rawHeaders.has('x-autorespond')) return 'automatic reply';
  return undefined;
}

export class ConsultReplyWorker {
  private readonly deps: ReplyWorkerDeps;
  private owner: pg.PoolClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(deps: ReplyWorkerDeps) {
    this.deps = deps;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.deps.intervalMs);
    this.kick();
  }

  kick(): void {
    this.running = this.running
      .then(() => this.tick())
      .catch((err: unknown) => this.deps.log.warn({ err }, 'consult replies: pass failed'));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.release();
  }

  /** One pass: take ownership if free, then read the new mail. Returns what was done with each message. */
  async tick(): Promise<ReplyOutcome[]> {
    if (!this.owner && !(await this.acquire())) return [];
    const { mailbox, log } = this.deps;
    const config: EmailConfig = {
      address: this.deps.addresses.address,
      imap: mailbox.imap,
      smtp: { host: mailbox.imap.host, port: 25, secure: false },
      backfill_days: 0,
    };
    try {
      const client = imapClient(config, mailbox.credentials, log, { idle: false });
      // A dropped connection surfaces as the failure of the command in flight; the event must not crash the process.
      client.on('error', (err: Error) => log.debug({ err: err.message }, 'consult replies: IMAP connection error'));
      await connectImap(client, config);
      try {
        const lock = await client.getMailboxLock(mailbox.imap.mailbox);
        try {
          return await this.readNew(client);
        } finally {
          lock.release();
        }
      } finally {
        await closeImap(client);
      }
    } catch (err) {
      // A failed pass gives the mailbox up: the next one (here or in another process) starts from the saved cursor.
      await this.release();
      throw err;
    }
  }

  private async acquire(): Promise<boolean> {
    const client = await this.deps.pool.connect();
    try {
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, 0) as ok', [OWNER_LOCK]);
      if (!r.rows[0]?.ok) {
        client.release();
        return false;
      }
    } catch (err) {
      client.release();
      throw err;
    }
    this.owner = client;
    return true;
  }

  private async release(): Promise<void> {
    const client = this.owner;
    this.owner = undefined;
    if (!client) return;
    try {
      await client.query('select pg_advisory_unlock($1, 0)', [OWNER_LOCK]);
      client.release();
    } catch (err) {
      client.release(err instanceof Error ? err : true);
    }
  }

  private async readNew(client: ImapFlow): Promise<ReplyOutcome[]> {
    const { pool } = this.deps;
    const box = client.mailbox;
    if (!box) throw new Error('the reply mailbox is not open');
    const uidValidity = String(box.uidValidity);
    const c = await pool.query<CursorRow>(
      'select uid_validity, last_uid, synced_at from mailbox_cursors where name = $1',
      [CURSOR],
    );
    const cursor = c.rows[0];
    let uids: number[];
    if (cursor && cursor.uid_validity === uidValidity) {
      const last = Number(cursor.last_uid);
      uids = ((await client.search({ uid: `${last + 1}:*` }, { uid: true })) || []).filter((u) => u > last);
    } else {
      // First pass, or the server renumbered the mailbox: read the last days again; the Message-IDs already
      // recorded are recognised, not answered twice.
      const since = new Date((cursor ? cursor.synced_at.getTime() : Date.now()) - FIRST_PASS_DAYS * 86_400_000);
      uids = (await client.search({ since }, { uid: true })) || [];
    }
    uids.sort((a, b) => a - b);
    const outcomes: ReplyOutcome[] = [];
    for (const uid of uids) {
      const dl = await client.download(String(uid), undefined, { uid: true, maxBytes: MAX_BYTES });
      let outcome: ReplyOutcome;
      if (!dl.content) outcome = { outcome: 'duplicate' };
      else {
        let mail: ReadMail | undefined;
        try {
          mail = await readMail(dl.content);
        } catch (err) {
          // A connection failure mid-download ends the pass; anything else is this message's fault.
          if (!client.usable) throw err;
        }
        outcome = mail
          ? await this.handle(mail)
          : await this.record(`uid:${uidValidity}:${uid}`, null, null, '', 'unreadable email', '');
      }
      outcomes.push(outcome);
      await pool.query(
        `insert into mailbox_cursors (name, uid_validity, last_uid, synced_at) values ($1, $2, $3, now())
         on conflict (name) do update set uid_validity = excluded.uid_validity, last_uid = excluded.last_uid,
           synced_at = excluded.synced_at`,
        [CURSOR, uidValidity, uid],
      );
    }
    if (uids.length === 0 && cursor?.uid_validity !== uidValidity) {
      await pool.query(
        `insert into mailbox_cursors (name, uid_validity, last_uid) values ($1, $2, $3)
         on conflict (name) do update set uid_validity = excluded.uid_validity, last_uid = excluded.last_uid,
           synced_at = now()`,
        [CURSOR, uidValidity, Math.max(0, box.uidNext - 1)],
      );
    }
    return outcomes;
  }

  /** Decides about one reply and, when it is accepted, answers the consult with it. */
  async handle(mail: ReadMail): Promise<ReplyOutcome> {
    const { pool, addresses } = this.deps;
    const key = mail.messageId ? `id:${mail.messageId}` : `sha256:${mail.digest}`;
    const from = mail.from?.address ?? '';
    const text = answerFromReply(mail.text);
    const recipients = [
      ...mail.to,
      ...mail.cc,
      ...['delivered-to', 'x-original-to'].flatMap((h) => mail.rawHeaders.get(h) ?? []),
    ];
    const ours = recipients.filter((a) => a.toLowerCase().endsWith(`@${addresses.domain}`));
    const consultId = ours.map((a) => addresses.consultOf(a.replace(/^.*<|>.*$/g, ''))).find((id) => id !== undefined);
    const reject = (reason: string, id: number | null, orgId: number | null, personId: number | null = null) =>
      this.record(key, id, orgId, from, reason, text, personId);
    if (consultId === undefined)
      return reject('no valid consult reply address (the tag is missing or wrong)', null, null);
    const k = await pool.query<{
      org_id: number;
      status: string;
      expert_person_id: number | null;
      expert_team_id: number | null;
    }>('select org_id, status, expert_person_id, expert_team_id from consults where id = $1', [consultId]);
    const consult = k.rows[0];
    if (!consult) return reject('no such consult', null, null);
    const auto = automatic(mail);
    if (auto) return reject(auto, consultId, consult.org_id);
    const sender = await pool.query<{ id: number }>(
      'select id from people where org_id = $1 and lower(email) = $2 and active order by id',
      [consult.org_id, from.toLowerCase()],
    );
    const people = await Promise.all(sender.rows.map((r) => personPrincipal(pool, r.id)));
    const person = people.find((p) => p !== undefined && canAnswerConsult(p, consult));
    if (!person)
      return reject('the sender is not the asked expert nor a member of the asked team', consultId, consult.org_id);
    if (consult.status !== 'open')
      return reject(`the consult is ${consult.status}`, consultId, consult.org_id, person.id);
    if (!text) return reject('the reply has no text of its own', consultId, consult.org_id, person.id);
    try {
      return await transaction(pool, async (tx) => {
        const ins = await tx.query(
          `insert into consult_email_replies (org_id, message_key, consult_id, from_address, person_id, outcome)
           values ($1, $2, $3, $4, $5, 'accepted') on conflict (message_key) do nothing`,
          [consult.org_id, key, consultId, from, person.id],
        );
        if (ins.rowCount === 0) return { outcome: 'duplicate' } as const;
        await answerConsultIn(tx, this.deps.directory(), person, consultId, text, 'email');
        return { outcome: 'accepted', consultId, personId: person.id } as const;
      });
    } catch (err) {
      // Answered or withdrawn meanwhile: refused like any reply to a closed consult.
      if (err instanceof HttpError) return reject(err.message, consultId, consult.org_id, person.id);
      throw err;
    }
  }

  private async record(
    key: string,
    consultId: number | null,
    orgId: number | null,
    from: string,
    reason: string,
    text: string,
    personId: number | null = null,
  ): Promise<ReplyOutcome> {
    return transaction(this.deps.pool, async (tx) => {
      const ins = await tx.query(
        `insert into consult_email_replies (org_id, message_key, consult_id, from_address, person_id, outcome, reason,
           text)
         values ($1, $2, $3, $4, $5, 'rejected', $6, $7) on conflict (message_key) do nothing`,
        [orgId, key, consultId, from.slice(0, 320), personId, reason, text.slice(0, MAX_REJECTED_TEXT)],
      );
      if (ins.rowCount === 0) return { outcome: 'duplicate' } as const;
      this.deps.log.info({ consult: consultId, reason }, 'consult reply refused');
      if (orgId !== null && consultId !== null) {
        await audit(tx, {
          orgId,
          action: 'consult.email_refused',
          actorPersonId: personId,
          subjectType: 'consult',
          subjectId: consultId,
          data: { reason },
        });
      }
      return { outcome: 'rejected', reason, consultId } as const;
    });
  }
}
