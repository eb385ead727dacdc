import { createTransport } from 'nodemailer';
import pino from 'pino';
import type { AccountContext, Connector } from '../connector.ts';
import { ChannelError, SendError } from '../connector.ts';
import { closeImap, connectImap, imapClient, imapError } from './imap-session.ts';
import { streamMailbox } from './mailbox-stream.ts';
import { replyMessageId } from './message-id.ts';
import { composeReply, loadParent, smtpError, submit } from './reply-mail.ts';
import { openSentFolder } from './sent-folder.ts';
import {
  type EmailConfig,
  type EmailCredentials,
  emailConfigSchema,
  emailCredentialsSchema,
  isLoopback,
} from './settings.ts';

type EmailAccount = AccountContext<EmailConfig, EmailCredentials>;

/** `send` is given no runtime, so no logger: its warnings (a reply not filed in Sent) go here. */
const outboundLog = pino({ level: 'warn', base: { network: 'email' } });

/** Settings are validated when saved; they are read again through the schema (defaults, older rows). */
function settled(account: EmailAccount): EmailAccount {
  const config = emailConfigSchema.safeParse(account.config);
  if (!config.success) throw new ChannelError('permanent', `invalid email settings: ${config.error.message}`);
  const credentials = emailCredentialsSchema.safeParse(account.credentials);
  if (!credentials.success) throw new ChannelError('auth', 'the mailbox has no valid credentials');
  return { ...account, config: config.data, credentials: credentials.data };
}

/**
 * Support mailboxes: mail comes in over IMAP (IDLE), replies go out over SMTP, threaded like a mail
 * program threads them, with a copy in the Sent folder.
 */
export const emailConnector: Connector<EmailConfig, EmailCredentials> = {
  manifest: {
    network: 'email',
    displayName: 'Email',
    maxLength: 50_000,
    supportsPrivate: true,
    inbound: ['stream'],
    kinds: ['account'],
    canReply: true,
  },
  configSchema: emailConfigSchema,
  credentialsSchema: emailCredentialsSchema,

  stream: (rt, account, signal) => streamMailbox(rt, settled(account), signal),

  async send(db, post, context) {
    const { config, credentials, account } = settled(context);
    if (!post.inReplyTo) throw new SendError('permanent', 'an email goes out only as a reply to a customer email');
    const parent = await loadParent(db, account.id, post.inReplyTo);
    if (!parent) throw new SendError('permanent', `the email replied to (${post.inReplyTo}) is not stored`);
    const messageId = replyMessageId(post.idempotencyKey, config.address);
    const raw = await composeReply({
      from: { name: account.displayName, address: config.address },
      parent,
      parentId: post.inReplyTo,
      messageId,
      text: post.text,
    });
    const sent = await openSentFolder(config, credentials, outboundLog.child({ account: account.id }));
    try {
      // Filed already: an earlier attempt went out and only its bookkeeping was lost. Send nothing twice.
      if (sent && (await sent.has(messageId))) return { externalId: messageId };
      await submit(config, credentials, { from: config.address, to: parent.address }, raw);
      await sent?.append(raw);
    } finally {
      await sent?.close();
    }
    return { externalId: messageId };
  },

  async test(rt, context) {
    const { config, credentials } = settled(context);
    const client = imapClient(config, credentials, rt.log, { idle: false });
    client.on('error', () => {});
    let imap: string;
    try {
      await connectImap(client, config);
      const status = await client.status(config.imap.mailbox, { messages: true });
      imap = `IMAP ${config.imap.host}: ${config.imap.mailbox} has ${status ? status.messages : '?'} messages`;
    } catch (err) {
      return { ok: false, detail: imapError(err, 'IMAP').message };
    } finally {
      await closeImap(client);
    }
    const login = credentials.smtp ?? { user: credentials.user, password: credentials.password };
    const transport = createTransport({
      host: config.smtp.host,
      port: config.smtp.port,
      secure: config.smtp.secure,
      requireTLS: !config.smtp.secure && !isLoopback(config.smtp.host),
      auth: { user: login.user, pass: login.password },
      connectionTimeout: 15_000,
    });
    try {
      await transport.verify();
    } catch (err) {
      return { ok: false, detail: `${imap}; ${smtpError(err).message}` };
    } finally {
      transport.close();
    }
    return { ok: true, detail: `${imap}; SMTP ${config.smtp.host}: login accepted` };
  },
};
