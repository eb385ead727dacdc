import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { closeImap, connectImap, imapClient } from './imap-session.ts';
import type { EmailConfig, EmailCredentials } from './settings.ts';

/**
 * The mailbox's Sent folder, over IMAP: replies are filed there like a mail program files what it sends,
 * and a reply already filed there was already sent (a retry after a crash finds it and sends nothing).
 */
export interface SentFolder {
  has(messageId: string): Promise<boolean>;
  append(raw: Buffer): Promise<void>;
  close(): Promise<void>;
}

async function resolvePath(client: ImapFlow, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const boxes = await client.list();
  const sent = boxes.find((b) => b.specialUse === '\\Sent');
  if (sent) return sent.path;
  if (!boxes.some((b) => b.path.toLowerCase() === 'sent')) await client.mailboxCreate('Sent');
  return boxes.find((b) => b.path.toLowerCase() === 'sent')?.path ?? 'Sent';
}

/**
 * Opens the Sent folder; undefined when the account files no copies, or when IMAP fails: a reply must not
 * wait for its copy (the inbound stream reports IMAP trouble on the account).
 */
export async function openSentFolder(
  config: EmailConfig,
  credentials: EmailCredentials,
  log: Logger,
): Promise<SentFolder | undefined> {
  if (config.sent_folder === null) return undefined;
  const client = imapClient(config, credentials, log, { idle: false });
  client.on('error', () => {});
  let path: string;
  try {
    await connectImap(client, config);
    path = await resolvePath(client, config.sent_folder);
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'email: Sent folder unavailable');
    await closeImap(client);
    return undefined;
  }
  return {
    async has(messageId) {
      try {
        const lock = await client.getMailboxLock(path, { readOnly: true });
        try {
          const found = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
          return Array.isArray(found) && found.length > 0;
        } finally {
          lock.release();
        }
      } catch (err) {
        log.warn({ err: err instanceof Error ? err.message : String(err), path }, 'email: Sent folder not searched');
        return false;
      }
    },
    async append(raw) {
      try {
        await client.append(path, raw, ['\\Seen'], new Date());
      } catch (err) {
        log.warn({ err: err instanceof Error ? err.message : String(err), path }, 'email: reply not filed in Sent');
      }
    },
    close: () => closeImap(client),
  };
}
