import { markSuccess } from '../../domain/accounts/store.ts';
import { type AccountContext, ChannelError, type ChannelRuntime } from '../connector.ts';
import { closeImap, connectImap, imapClient, imapError } from './imap-session.ts';
import { initialCursor, type SyncState, syncMailbox } from './mailbox-sync.ts';
import type { EmailConfig, EmailCredentials } from './settings.ts';

/** Without news from IDLE, the mailbox is still read this often (a server may miss a notification). */
const RECHECK_MS = 5 * 60_000;
/** A session shorter than this that the server ended counts as a failure (so reconnects back off). */
const HEALTHY_SESSION_MS = 10_000;

/**
 * The inbound stream of one mailbox: one IMAP connection that reads what arrived since the cursor, then
 * waits in IDLE for the server to announce new mail (EXISTS), and reads again. It returns when `signal`
 * aborts or when a healthy session is ended by the server (the runner reconnects at once), and throws on
 * failure (the runner reconnects with backoff; a refused login parks the account).
 */
export async function streamMailbox(
  rt: ChannelRuntime,
  account: AccountContext<EmailConfig, EmailCredentials>,
  signal: AbortSignal,
): Promise<void> {
  const client = imapClient(account.config, account.credentials, rt.log);
  const state: SyncState = { cursor: initialCursor(account.cursor) };
  let pending = true;
  let closed = false;
  let failure: unknown;
  let wake = () => {};
  client.on('exists', () => {
    pending = true;
    wake();
  });
  client.on('close', () => {
    closed = true;
    wake();
  });
  client.on('error', (err: Error) => {
    failure = err;
    closed = true;
    wake();
  });
  const onAbort = () => {
    wake();
    // A download in progress stops at once; its batch was not committed, so its cursor was not saved.
    client.close();
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const started = Date.now();
  let synced = false;
  try {
    if (signal.aborted) return;
    await connectImap(client, account.config);
    // Read-only (EXAMINE): Passeur never changes the mailbox, not even the \Seen flags people rely on.
    await client.mailboxOpen(account.config.imap.mailbox, { readOnly: true });
    while (!signal.aborted && !closed) {
      pending = false;
      await syncMailbox(client, rt, account, state, signal);
      if (!synced) await markSuccess(rt.db, account.account.id);
      synced = true;
      if (pending || closed || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, RECHECK_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => {};
    }
  } catch (err) {
    if (signal.aborted) return;
    throw imapError(err, `reading ${account.config.imap.mailbox}`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    await closeImap(client);
  }
  if (signal.aborted) return;
  const why = failure instanceof Error ? `: ${failure.message}` : '';
  if (!synced || Date.now() - started < HEALTHY_SESSION_MS) {
    throw failure
      ? imapError(failure, 'IMAP session')
      : new ChannelError('transient', `IMAP server closed the connection${why}`);
  }
  rt.log.info({ account: account.account.id }, `email: IMAP session ended by the server${why}, reconnecting`);
}
