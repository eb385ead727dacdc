import type { Queryable } from '../../server/db/database.ts';
import {
  type AccountContext,
  type ChannelRuntime,
  type Connector,
  type OutboundPost,
  SendError,
  type SendResult,
} from '../connector.ts';
import {
  type BlueskyConfig,
  type BlueskyCredentials,
  blueskyConfigSchema,
  blueskyCredentialsSchema,
  readConfig,
} from './config.ts';
import { type FetchLike, runtimeFetch, strictFetch } from './http.ts';
import type { SessionCache } from './session.ts';

/** Bluesky's limit per post, in graphemes (user-perceived characters). */
const MAX_GRAPHEMES = 300;

/**
 * The AT Protocol libraries take seconds to load: they load on first use, so a Passeur without Bluesky accounts
 * never pays for them.
 */
const session = () => import('./session.ts');

export interface BlueskyOptions {
  /** Wraps the HTTP client of every request (tests inject failures and rate limits with it). */
  wrapFetch?: (f: FetchLike) => FetchLike;
}

type Account = AccountContext<BlueskyConfig, BlueskyCredentials>;

/**
 * Bluesky: a brand account's mentions, replies and quotes come in by polling its notifications; keyword monitors
 * listen to Jetstream or a firehose; replies go out as posts threaded under the customer's post.
 */
export function createBlueskyConnector(options: BlueskyOptions = {}): Connector<BlueskyConfig, BlueskyCredentials> {
  let cache: SessionCache | undefined;
  const sessions = async () => {
    cache ??= new (await session()).SessionCache();
    return cache;
  };
  // The outbox hands `send` no runtime: it uses the one the platform gave this connector last (at start-up through
  // `routes`, and on every poll and stream), or else the strict client (no private addresses).
  let runtime: ChannelRuntime | undefined;
  const remember = (rt: ChannelRuntime) => {
    runtime = rt;
    return rt;
  };
  const fetchFor = (rt: ChannelRuntime | undefined): FetchLike =>
    rt ? runtimeFetch(rt, options.wrapFetch) : strictFetch(options.wrapFetch);

  /** Whether agents may answer the author of the message replied to (monitor-sourced messages need consent). */
  const checkProactive = async (db: Queryable, post: OutboundPost, account: Account) => {
    const source =
      account.account.kind === 'monitor'
        ? { handle: account.account.handle, config: account.config }
        : post.inReplyTo
          ? (
              await db.query<{ handle: string; config: unknown }>(
                `select ca.handle, ca.config from messages m join channel_accounts ca on ca.id = m.account_id
                 where m.channel = 'bluesky' and m.external_id = $1 and m.direction = 'in' and ca.kind = 'monitor'
                 limit 1`,
                [post.inReplyTo],
              )
            ).rows[0]
          : undefined;
    if (source && !readConfig(source.config).proactive_replies) {
      throw new SendError(
        'permanent',
        `proactive replies are off for the keyword monitor ${source.handle}: the author did not address the brand. ` +
          'Add a note or follow up internally; a leader can allow replies in the monitor settings (proactive_replies).',
      );
    }
  };

  /** The brand account a reply goes out from: the account itself, or for a monitor its community's brand account. */
  const sender = async (account: Account, rt: ChannelRuntime | undefined): Promise<Account> => {
    if (account.account.kind !== 'monitor') return account;
    if (!rt) throw new SendError('transient', 'the channel runtime is not ready yet');
    const brand = (await rt.accounts('bluesky')).find(
      (a) => a.account.kind === 'account' && a.account.communityId === account.account.communityId,
    );
    if (!brand) {
      throw new SendError('permanent', 'this community has no Bluesky brand account to reply from: connect one first');
    }
    return brand as Account;
  };

  return {
    manifest: {
      network: 'bluesky',
      displayName: 'Bluesky',
      maxLength: MAX_GRAPHEMES,
      threads: true,
      supportsPrivate: false,
      inbound: ['poll', 'stream'],
      kinds: ['account', 'monitor'],
      canReply: true,
    },
    configSchema: blueskyConfigSchema,
    credentialsSchema: blueskyCredentialsSchema,
    defaultPollMs: 30_000,

    routes(_app, rt) {
      // No webhooks on Bluesky; the runtime is kept for `send`.
      remember(rt);
    },

    async send(db, post, account, rt?: ChannelRuntime): Promise<SendResult> {
      const current = rt ? remember(rt) : runtime;
      await checkProactive(db, post, account);
      const from = await sender(account, current);
      const fetch = fetchFor(current);
      const log = current?.log;
      log?.debug({ account: from.account.id }, 'bluesky send');
      const { publish } = await import('./publish.ts');
      return (await session()).withSession(await sessions(), current, from, fetch, 'publishing the reply', (s) =>
        publish(db, s, post, from.account.communityId),
      );
    },

    async poll(rt, account) {
      remember(rt);
      if (account.account.kind === 'monitor') {
        throw new SendError('permanent', 'keyword monitors listen to a stream, not to notifications');
      }
      const { pollNotifications } = await import('./notifications.ts');
      return (await session()).withSession(await sessions(), rt, account, fetchFor(rt), 'reading notifications', (s) =>
        pollNotifications(s, account),
      );
    },

    async stream(rt, account, signal) {
      remember(rt);
      if (account.account.kind !== 'monitor') return pollCycle(this, rt, account, signal);
      const { runMonitor } = await import('./monitor.ts');
      return runMonitor(rt, account, signal, fetchFor(rt));
    },

    async test(rt, account) {
      remember(rt);
      const config = readConfig(account.config);
      if (account.account.kind === 'monitor') {
        const source = config.firehose ?? config.jetstream ?? 'Jetstream';
        return {
          ok: (config.keywords?.length ?? 0) > 0,
          detail: `listening to ${source} for ${config.keywords?.join(', ') ?? 'nothing'}`,
        };
      }
      const s = await (await session()).withSession(
        await sessions(),
        rt,
        account,
        fetchFor(rt),
        'signing in',
        async (x) => x,
      );
      return { ok: true, detail: `signed in as @${s.handle} (${s.did}) at ${config.service}` };
    },
  };
}

/**
 * The runner streams every account of a connector that can stream, so a brand account's "stream" is one poll
 * cycle: read, ingest, save the cursor once committed, then wait out the poll interval (the runner starts the next
 * cycle, marks the account healthy in between, and backs off on errors).
 */
async function pollCycle(
  connector: Connector<BlueskyConfig, BlueskyCredentials>,
  rt: ChannelRuntime,
  account: Account,
  signal: AbortSignal,
): Promise<void> {
  const started = Date.now();
  const r = await connector.poll!(rt, account);
  await rt.ingest(`bluesky:${account.account.handle}`, r.messages);
  await account.saveCursor(r.cursor);
  const wait = (r.nextPollMs ?? 30_000) - (Date.now() - started) - 1000;
  if (wait > 0 && !signal.aborted) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, wait);
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }
}

export const blueskyConnector = createBlueskyConnector();
