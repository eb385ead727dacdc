import type { AtpAgent } from '@atproto/api';
import type { AccountContext, PollResult } from '../connector.ts';
import type { BlueskyConfig } from './config.ts';
import { type PostRecord, toInbound } from './posts.ts';

/**
 * Where an account's reading of its notifications stands (stored as the account's cursor; nothing secret):
 * the newest notification already taken in, and the brand's DID (so keyword monitors leave the brand's own posts
 * and posts addressed to it alone).
 */
export interface NotificationCursor {
  did?: string;
  /** indexedAt of the newest notification read. */
  seen_at?: string;
  /** The notifications read at exactly that instant (several may share it). */
  seen_uris?: string[];
}

/** Notifications that are a customer talking to the brand; likes, reposts and follows are not. */
const TAKEN = new Set(['mention', 'reply', 'quote']);
const PAGE = 100;
const MAX_PAGES = 20;

interface Notification {
  uri: string;
  cid: string;
  reason: string;
  indexedAt: string;
  record: unknown;
  author: { did: string; handle: string; displayName?: string | undefined };
}

export function readCursor(raw: unknown): NotificationCursor {
  if (!raw || typeof raw !== 'object') return {};
  const c = raw as Record<string, unknown>;
  return {
    ...(typeof c.did === 'string' ? { did: c.did } : {}),
    ...(typeof c.seen_at === 'string' ? { seen_at: c.seen_at } : {}),
    ...(Array.isArray(c.seen_uris) ? { seen_uris: c.seen_uris.filter((u) => typeof u === 'string') } : {}),
  };
}

/**
 * Reads the notifications newer than the cursor (newest first, page by page, until the ones already read) and
 * returns the customers' posts oldest first, so a parent is stored before its replies.
 */
export async function pollNotifications(
  session: { agent: AtpAgent; did: string; config: BlueskyConfig },
  account: AccountContext<unknown, unknown>,
  now = Date.now(),
): Promise<PollResult> {
  const { agent, did, config } = session;
  const cursor = readCursor(account.cursor);
  const seenAt = cursor.seen_at ? Date.parse(cursor.seen_at) : undefined;
  const seenUris = new Set(cursor.seen_uris ?? []);
  const oldest = seenAt ?? now - config.backfill_hours * 3_600_000;
  const fresh: Notification[] = [];
  let newest: { at: number; iso: string; uris: string[] } | undefined;
  let page: string | undefined;
  scan: for (let i = 0; i < MAX_PAGES; i++) {
    const r = await agent.app.bsky.notification.listNotifications({ limit: PAGE, ...(page ? { cursor: page } : {}) });
    for (const n of r.data.notifications as Notification[]) {
      const at = Date.parse(n.indexedAt);
      if (!newest || at > newest.at) newest = { at, iso: n.indexedAt, uris: [n.uri] };
      else if (at === newest.at) newest.uris.push(n.uri);
      if (at < oldest || (at === seenAt && seenUris.has(n.uri))) break scan;
      fresh.push(n);
    }
    page = r.data.cursor;
    if (!page || r.data.notifications.length === 0) break;
  }
  const messages = fresh
    .filter((n) => TAKEN.has(n.reason) && n.author.did !== did && n.uri.includes('/app.bsky.feed.post/'))
    .reverse()
    .map((n) => {
      const record = (n.record ?? {}) as PostRecord;
      return toInbound({
        uri: n.uri,
        cid: n.cid,
        record,
        authorDid: n.author.did,
        authorHandle: n.author.handle,
        authorName: n.author.displayName,
        account: account.account.handle,
        kind: record.reply ? 'reply' : 'post',
        indexedAt: n.indexedAt,
        config,
        extra: { reason: n.reason },
      });
    });
  const next: NotificationCursor = { did };
  if (newest && (seenAt === undefined || newest.at >= seenAt)) {
    next.seen_at = newest.iso;
    next.seen_uris = newest.at === seenAt ? [...new Set([...seenUris, ...newest.uris])] : newest.uris;
  } else if (cursor.seen_at) {
    next.seen_at = cursor.seen_at;
    next.seen_uris = cursor.seen_uris ?? [];
  }
  return { messages, cursor: next, nextPollMs: config.poll_interval_seconds * 1000 };
}
