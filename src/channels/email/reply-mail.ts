import { createTransport } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Queryable } from '../../server/db/database.ts';
import { SendError } from '../connector.ts';
import { replyReferences } from './message-id.ts';
import { type EmailConfig, type EmailCredentials, isLoopback } from './settings.ts';

/** The customer message a reply answers, as ingest stored it. */
export interface ParentMail {
  address: string;
  name: string | null;
  subject: string;
  references: string[];
}

export async function loadParent(db: Queryable, accountId: number, externalId: string): Promise<ParentMail | null> {
  const r = await db.query<{ author_handle: string; author_name: string | null; meta: Record<string, unknown> | null }>(
    `select m.author_handle, m.author_name, m.meta
     from messages m join channel_accounts a on a.id = $1 and m.org_id = a.org_id
     where m.channel = 'email' and m.external_id = $2 limit 1`,
    [accountId, externalId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const meta = row.meta ?? {};
  const replyTo = typeof meta.reply_to === 'string' ? meta.reply_to : undefined;
  return {
    address: replyTo ?? row.author_handle,
    name: replyTo ? null : row.author_name,
    subject: typeof meta.title === 'string' ? meta.title : '',
    references: Array.isArray(meta.references) ? meta.references.filter((x) => typeof x === 'string') : [],
  };
}

const REPLY_PREFIX = /^\s*(re|aw|sv|vs|rif|r|antw|odp|ynt)\s*(\[\d+\])?\s*:/i;

/** "Re: " and the customer's subject, once: a subject that is already a reply keeps its prefix. */
export function replySubject(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  return REPLY_PREFIX.test(s) ? s : `Re: ${s}`.trim();
}

/** The reply as sent and as filed: plain text, threaded by In-Reply-To and References. */
export function composeReply(opts: {
  from: { name: string; address: string };
  parent: ParentMail;
  parentId: string;
  messageId: string;
  text: string;
}): Promise<Buffer> {
  const { parent } = opts;
  return new MailComposer({
    from: opts.from,
    to: parent.name ? { name: parent.name, address: parent.address } : parent.address,
    subject: replySubject(parent.subject),
    text: opts.text,
    messageId: `<${opts.messageId}>`,
    inReplyTo: `<${opts.parentId}>`,
    references: replyReferences(parent.references, opts.parentId).map((r) => `<${r}>`),
    date: new Date(),
    // Asks Exchange and its kin not to answer our reply with an out-of-office (a mail loop in the making).
    headers: { 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
}

const TRANSIENT = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL']);

/** Maps an SMTP failure to the platform's kinds. */
export function smtpError(err: unknown): SendError {
  const e = (err ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const detail = e.response || e.message || String(err);
  const code = e.responseCode;
  if (e.code === 'EAUTH' || code === 530 || code === 535) return new SendError('auth', `SMTP login refused: ${detail}`);
  if (code !== undefined && code >= 400 && code < 500) {
    if (code === 421 || /\brate\b|rate.limit|too many|throttl|limit exceeded/i.test(detail))
      return new SendError('rate_limited', `SMTP server is limiting us: ${detail}`, 60_000);
    return new SendError('transient', `SMTP temporary refusal: ${detail}`);
  }
  if (code !== undefined && code >= 500) return new SendError('permanent', `SMTP refused the reply: ${detail}`);
  if (e.code && TRANSIENT.has(e.code)) return new SendError('transient', `SMTP: ${detail} (${e.code})`);
  return new SendError('transient', `SMTP: ${detail}`);
}

/** Submits the message to the account's SMTP server (over its own socket: SMTP, not HTTP). */
export async function submit(
  config: EmailConfig,
  credentials: EmailCredentials,
  envelope: { from: string; to: string },
  raw: Buffer,
): Promise<void> {
  const login = credentials.smtp ?? { user: credentials.user, password: credentials.password };
  const { host, port, secure } = config.smtp;
  const transport = createTransport({
    host,
    port,
    secure,
    // Credentials never cross the network in cleartext: STARTTLS is required, except on this machine.
    requireTLS: !secure && !isLoopback(host),
    auth: { user: login.user, pass: login.password },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  try {
    await transport.sendMail({ envelope: { from: envelope.from, to: [envelope.to] }, raw });
  } catch (err) {
    throw smtpError(err);
  } finally {
    transport.close();
  }
}
