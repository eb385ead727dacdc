import { type Connector, SendError } from '../connector.ts';
import { type FeedsConfig, type FeedsCredentials, feedsConfigSchema, feedsCredentialsSchema } from './config.ts';
import { fetchFeed } from './fetch-feed.ts';
import { pollFeeds } from './poll.ts';

/**
 * Blogs and press: monitors that read RSS, Atom and JSON Feed addresses and bring in the articles that name
 * the brand, as article mentions. Nothing can be published to a feed, so cases from it are answered with
 * internal notes and follow-ups, not replies.
 */
export const feedsConnector: Connector<FeedsConfig, FeedsCredentials> = {
  manifest: {
    network: 'feeds',
    displayName: 'Blogs and press (RSS, Atom, JSON Feed)',
    maxLength: 0,
    supportsPrivate: false,
    inbound: ['poll'],
    kinds: ['monitor'],
    canReply: false,
  },
  configSchema: feedsConfigSchema,
  credentialsSchema: feedsCredentialsSchema,
  defaultPollMs: 600_000,
  poll: (rt, account) => pollFeeds(rt, account),
  async send() {
    throw new SendError('permanent', 'a blog or press article cannot be answered: add a note or a follow-up instead');
  },
  async test(rt, account) {
    const lines: string[] = [];
    let ok = true;
    for (const url of account.config.feeds) {
      try {
        const got = await fetchFeed(rt, url, { auth: account.credentials.basic_auth?.[url] });
        if (got.kind === 'ok') {
          lines.push(`${url}: ${got.feed.format}, ${got.feed.items.length} items, ${got.encoding}`);
        } else lines.push(`${url}: not modified`);
      } catch (err) {
        ok = false;
        lines.push(`${url}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { ok, detail: lines.join('\n') };
  },
};
