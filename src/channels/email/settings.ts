import { z } from 'zod';

/** A mail server: `secure` is implicit TLS (993, 465); otherwise STARTTLS, required unless on loopback. */
const server = {
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65_535),
  secure: z.boolean(),
};

const login = z.strictObject({ user: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

/** What an admin sets for a support mailbox (shown back to admins). */
export const emailConfigSchema = z.strictObject({
  /** The brand's address: replies are sent from it, and mail from it is never taken for a customer's. */
  address: z.email().transform((a) => a.toLowerCase()),
  imap: z.strictObject({ ...server, mailbox: z.string().min(1).max(200).default('INBOX') }),
  smtp: z.strictObject(server),
  /**
   * Where a copy of each reply is appended over IMAP. Unset: the mailbox marked \Sent, else "Sent".
   * null: no copy (for providers that file submitted mail themselves, like Gmail).
   */
  sent_folder: z.string().min(1).max(200).nullable().optional(),
  /** On the first connection, how many days of mail already in the mailbox are read. */
  backfill_days: z.number().int().min(0).max(90).default(3),
});

/** Secrets (stored encrypted, never returned): the IMAP login, and the SMTP one when it differs. */
export const emailCredentialsSchema = z.strictObject({
  user: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  smtp: login.optional(),
});

export type EmailConfig = z.output<typeof emailConfigSchema>;
export type EmailCredentials = z.output<typeof emailCredentialsSchema>;

/** The position in the mailbox: UIDs are only meaningful under one UIDVALIDITY. */
export const cursorSchema = z.object({
  uidValidity: z.string(),
  lastUid: z.number().int().min(0),
  /** When the mailbox was last read through: a new UIDVALIDITY re-reads from shortly before it. */
  syncedAt: z.iso.datetime(),
});
export type MailboxCursor = z.output<typeof cursorSchema>;

/** Limits on what is read of one message. */
export const LIMITS = {
  /** Bytes of a message read at most; the rest (large attachments, usually) is left on the server. */
  messageBytes: 25 * 1024 * 1024,
  /** Attachments above this are flagged `oversized` in the message's metadata. */
  attachmentBytes: 10 * 1024 * 1024,
  /** Messages fetched, parsed and ingested together (the cursor moves after each batch). */
  batch: 20,
};

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

/** Cleartext (no TLS at all) is accepted only to a server on this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}
