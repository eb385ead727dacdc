import { ImapFlow, type ImapFlowError } from 'imapflow';
import type { Logger } from 'pino';
import { ChannelError } from '../connector.ts';
import { type EmailConfig, type EmailCredentials, isLoopback } from './settings.ts';

/**
 * IMAP connections. imapflow speaks IMAP over its own sockets (not HTTP, so not through the runtime's
 * fetch); the host is the one an admin configured for the brand's mailbox, often on the company network.
 */
export function imapClient(
  config: EmailConfig,
  credentials: EmailCredentials,
  log: Logger,
  opts: { idle?: boolean } = {},
): ImapFlow {
  const { host, port, secure } = config.imap;
  const child = log.child({ network: 'email', imap: `${host}:${port}` });
  return new ImapFlow({
    host,
    port,
    secure,
    // Credentials never cross the network in cleartext: STARTTLS is required, except on this machine.
    ...(secure || isLoopback(host) ? {} : { doSTARTTLS: true }),
    auth: { user: credentials.user, pass: credentials.password },
    clientInfo: { name: 'Passeur' },
    // IDLE starts one second after the last command, so new mail is announced within seconds.
    ...(opts.idle === false ? { disableAutoIdle: true } : { autoIdleDelay: 1000 }),
    // Renewing IDLE regularly keeps NAT gateways and servers from dropping a quiet connection.
    maxIdleTime: 5 * 60_000,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 10 * 60_000,
    logger: {
      debug: () => {},
      info: () => {},
      warn: (o: unknown) => child.debug(o, 'imap warning'),
      error: (o: unknown) => child.debug(o, 'imap error'),
    },
  });
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'ETIMEOUT',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'NoConnection',
  'EConnectionClosed',
]);

/** Maps an IMAP failure to the platform's kinds: a refused login parks the account until an admin fixes it. */
export function imapError(err: unknown, doing: string): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = (err ?? {}) as ImapFlowError;
  const detail = e.responseText || e.message || String(err);
  if (e.authenticationFailed) return new ChannelError('auth', `IMAP login refused: ${detail}`);
  if (e.code === 'ETHROTTLE')
    return new ChannelError('rate_limited', `IMAP server throttling: ${detail}`, e.throttleReset ?? 60_000);
  if (e.mailboxMissing) return new ChannelError('permanent', `${doing}: no such mailbox (${detail})`);
  if (e.tlsFailed) return new ChannelError('transient', `IMAP TLS failed: ${detail}`);
  if (e.code && TRANSIENT_CODES.has(e.code)) return new ChannelError('transient', `${doing}: ${detail} (${e.code})`);
  return new ChannelError('transient', `${doing}: ${detail}`);
}

/** Connects and logs in, mapping failures; the caller owns the connection. */
export async function connectImap(client: ImapFlow, config: EmailConfig): Promise<void> {
  try {
    await client.connect();
  } catch (err) {
    client.close();
    throw imapError(err, `IMAP connection to ${config.imap.host}:${config.imap.port}`);
  }
}

/** Logs out politely, without waiting long for a server that went away. */
export async function closeImap(client: ImapFlow): Promise<void> {
  if (!client.usable) {
    client.close();
    return;
  }
  await Promise.race([client.logout().catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
  client.close();
}
