import type { ImapFlow } from 'imapflow';
import { type AccountContext, ChannelError, type ChannelRuntime } from '../connector.ts';
import { externalIdOf, inboundPayload, knownMessageIds, mailSummary, notCustomer, parentOf } from './inbound-mail.ts';
import { type ReadMail, readMail } from './mail-reader.ts';
import {
  cursorSchema,
  type EmailConfig,
  type EmailCredentials,
  emailConfigSchema,
  LIMITS,
  type MailboxCursor,
} from './settings.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Where one session of the stream is in the mailbox; the cursor is saved after each committed batch. */
export interface SyncState {
  cursor: MailboxCursor | undefined;
}

type Account = AccountContext<EmailConfig, EmailCredentials>;

export function initialCursor(stored: unknown): MailboxCursor | undefined {
  const r = cursorSchema.safeParse(stored);
  return r.success ? r.data : undefined;
}

/** The UIDs to read now: after the cursor, or (first time, or after a UIDVALIDITY change) by date. */
async function pendingUids(client: ImapFlow, rt: ChannelRuntime, account: Account, state: SyncState) {
  const mailbox = client.mailbox;
  if (!mailbox) throw new ChannelError('transient', 'the mailbox is not open');
  const uidValidity = String(mailbox.uidValidity);
  const cursor = state.cursor;
  if (cursor && cursor.uidValidity === uidValidity) {
    const found = (await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true })) || [];
    const uids = found.filter((u) => u > cursor.lastUid).sort((a, b) => a - b);
    // Nothing new: still note that the mailbox was read through now, so a later resync re-reads little.
    if (uids.length === 0 && Date.now() - Date.parse(cursor.syncedAt) > HOUR_MS) {
      state.cursor = { ...cursor, syncedAt: new Date().toISOString() };
      await account.saveCursor(state.cursor);
    }
    return { uidValidity, uids };
  }
  // UIDs of another UIDVALIDITY mean nothing here: read again from shortly before the last pass, by date.
  // Message-IDs are the external ids, so what was already ingested is recognised, not duplicated.
  const since = cursor
    ? new Date(Date.parse(cursor.syncedAt) - DAY_MS)
    : new Date(Date.now() - account.config.backfill_days * DAY_MS);
  if (cursor) rt.log.info({ account: account.account.id, since }, 'email: mailbox UIDVALIDITY changed, re-reading');
  const found =
    !cursor && account.config.backfill_days === 0 ? [] : (await client.search({ since }, { uid: true })) || [];
  const uids = found.sort((a, b) => a - b);
  if (uids.length === 0) {
    state.cursor = { uidValidity, lastUid: mailbox.uidNext - 1, syncedAt: new Date().toISOString() };
    await account.saveCursor(state.cursor);
  }
  return { uidValidity, uids };
}

/** Mail from any of the brand's connected mailboxes is internal (or our own copy), never a customer's. */
async function ownAddresses(rt: ChannelRuntime, account: Account): Promise<Set<string>> {
  const own = new Set([account.config.address, account.account.handle.toLowerCase()]);
  for (const other of await rt.accounts('email')) {
    const config = emailConfigSchema.safeParse(other.config);
    if (config.success) own.add(config.data.address);
  }
  return own;
}

/** Reads one message as a stream; a message that cannot be parsed is reported, not fatal. */
async function fetchMail(client: ImapFlow, uid: number, size: number): Promise<ReadMail | Error | undefined> {
  const dl = await client.download(String(uid), undefined, {
    uid: true,
    maxBytes: LIMITS.messageBytes,
    // Larger pieces than the default 64 KiB: fewer round trips for the occasional big message.
    chunkSize: 512 * 1024,
  });
  if (!dl.content) return undefined;
  try {
    return await readMail(dl.content, { truncated: size > LIMITS.messageBytes });
  } catch (err) {
    // A connection failure mid-download is the stream's to handle; anything else is this message's fault.
    if (!client.usable) throw err;
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Reads, classifies and ingests the messages after the cursor, in batches; the cursor follows each batch. */
export async function syncMailbox(
  client: ImapFlow,
  rt: ChannelRuntime,
  account: Account,
  state: SyncState,
  signal: AbortSignal,
): Promise<void> {
  const { uidValidity, uids } = await pendingUids(client, rt, account, state);
  const source = `email:${account.account.handle}`;
  const own = uids.length > 0 ? await ownAddresses(rt, account) : new Set<string>();
  for (let i = 0; i < uids.length && !signal.aborted; i += LIMITS.batch) {
    const chunk = uids.slice(i, i + LIMITS.batch);
    const metas = await client.fetchAll(chunk.join(','), { uid: true, size: true, internalDate: true }, { uid: true });
    const read: { uid: number; mail: ReadMail; receivedAt: Date | undefined }[] = [];
    for (const m of metas.sort((a, b) => a.uid - b.uid)) {
      if (signal.aborted) return;
      const mail = await fetchMail(client, m.uid, m.size ?? 0);
      if (mail instanceof Error) await rt.deadLetter(source, `unreadable email: ${mail.message}`, { uid: m.uid });
      else if (mail) {
        const receivedAt = m.internalDate ? new Date(m.internalDate) : undefined;
        read.push({ uid: m.uid, mail, receivedAt });
      }
    }
    const known = await knownMessageIds(
      rt.db,
      account.account.id,
      read.flatMap((r) => [...(r.mail.inReplyTo ? [r.mail.inReplyTo] : []), ...r.mail.references]),
    );
    const payloads: unknown[] = [];
    for (const { uid, mail, receivedAt } of read) {
      const skip = mail.from ? notCustomer(mail, own) : { kind: 'automatic', reason: 'no sender address (From)' };
      if (skip?.kind === 'own') {
        rt.log.debug({ account: account.account.id, uid }, `email: not ingested, ${skip.reason}`);
      } else if (skip) {
        await rt.deadLetter(source, skip.reason, mailSummary(mail, uid));
      } else {
        const parent = parentOf(mail, known);
        payloads.push(inboundPayload(mail, { accountHandle: account.account.handle, parent, receivedAt }));
        known.add(externalIdOf(mail));
      }
    }
    await rt.ingest(source, payloads);
    // Only now is the batch committed: a crash before this line reads it again, and ingest deduplicates.
    state.cursor = { uidValidity, lastUid: chunk[chunk.length - 1]!, syncedAt: new Date().toISOString() };
    await account.saveCursor(state.cursor);
  }
}
