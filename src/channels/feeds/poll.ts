import { langDetector } from '../../triage/assets.ts';
import {
  type AccountContext,
  type ChannelRuntime,
  type PollResult,
  SendError,
  type SendErrorKind,
} from '../connector.ts';
import { type ArticlePayload, articlesOf } from './articles.ts';
import { type FeedsConfig, type FeedsCredentials, feedsConfigSchema } from './config.ts';
import { type FeedState, type FeedsCursor, readCursor, rememberSeen } from './cursor.ts';
import { fetchFeed } from './fetch-feed.ts';
import { compileMatcher } from './match.ts';

/**
 * One poll of a monitor: every feed that is due is read (a few at a time), new items are filtered and turned
 * into messages, and each feed's state moves on. A feed that fails keeps its state (nothing it listed is
 * marked seen) and waits: the time its server asked for, else longer after each failure. When some feeds
 * failed, the messages of the others are committed and the cursor saved here, then the failure is reported
 * so the account shows it.
 */
const PARALLEL = 4;
const MAX_FEED_BACKOFF_MS = 6 * 3600_000;
const MIN_WAIT_MS = 1000;

type Account = AccountContext<FeedsConfig, FeedsCredentials>;

/** The community's brand: its name and keywords, the default keywords of a monitor. */
async function brandKeywords(rt: ChannelRuntime, communityId: number): Promise<string[]> {
  const r = await rt.db.query<{ name: string; keywords: string[] }>(
    'select b.name, b.keywords from communities c join brands b on b.id = c.brand_id where c.id = $1',
    [communityId],
  );
  const row = r.rows[0];
  if (!row) return [];
  const unique = new Map([row.name, ...row.keywords].map((k) => [k.toLowerCase(), k]));
  return [...unique.values()];
}

let detector: ((text: string) => string | undefined) | undefined;
function detectLanguage(text: string): string | undefined {
  if (!detector) {
    try {
      const d = langDetector();
      detector = (t) => {
        if (t.length < 20) return undefined;
        const lang = d.detect(t);
        return d.confidence >= 0.7 && /^[a-z]{2}$/.test(lang) ? lang : undefined;
      };
    } catch {
      detector = () => undefined;
    }
  }
  return detector(text);
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function failed(state: FeedState, err: unknown, intervalMs: number, now: Date): FeedState {
  const e =
    err instanceof SendError ? err : new SendError('transient', err instanceof Error ? err.message : String(err));
  const failures = (state.failures ?? 0) + 1;
  const wait = e.retryAfterMs ?? Math.min(MAX_FEED_BACKOFF_MS, intervalMs * 2 ** (failures - 1));
  return {
    ...state,
    failures,
    retry_at: new Date(now.getTime() + wait).toISOString(),
    error: { kind: e.kind, message: e.message },
  };
}

export async function pollFeeds(rt: ChannelRuntime, account: Account, now = new Date()): Promise<PollResult> {
  const parsed = feedsConfigSchema.safeParse(account.config);
  if (!parsed.success) throw new SendError('permanent', `invalid settings: ${parsed.error.message}`);
  const config = parsed.data;
  const intervalMs = config.interval_seconds * 1000;
  const keywords = config.keywords?.length
    ? config.keywords
    : config.regex
      ? []
      : await brandKeywords(rt, account.account.communityId);
  const filters = {
    account: account.account.handle,
    matcher: compileMatcher(keywords, config.regex),
    languages: config.languages,
    excludeHosts: config.exclude_hosts,
    maxAgeDays: config.max_age_days,
    detectLanguage: config.languages ? detectLanguage : undefined,
  };
  const previous = readCursor(account.cursor);
  const cursor: FeedsCursor = { v: 1, feeds: {} };
  const feeds = [...new Set(config.feeds)];
  const perFeed = new Map<string, ArticlePayload[]>();
  const attempted = new Set<string>();

  await inBatches(feeds, PARALLEL, async (url) => {
    const state: FeedState = previous.feeds[url] ?? { seen: [] };
    cursor.feeds[url] = state;
    // A feed that refused its credentials is tried again at once when an admin reconnected the account.
    const reconnected = state.error?.kind === 'auth' && account.account.status === 'active';
    if (state.retry_at && Date.parse(state.retry_at) > now.getTime() && !reconnected) return;
    attempted.add(url);
    try {
      const got = await fetchFeed(rt, url, {
        etag: state.etag,
        modified: state.modified,
        auth: account.credentials.basic_auth?.[url],
        now,
      });
      if (got.kind === 'unchanged') {
        cursor.feeds[url] = { etag: state.etag, modified: state.modified, seen: state.seen };
        return;
      }
      const { keys, messages } = articlesOf(got.feed, url, new Set(state.seen), filters, now);
      perFeed.set(url, messages);
      cursor.feeds[url] = { etag: got.etag, modified: got.modified, seen: rememberSeen(state.seen, keys) };
    } catch (err) {
      cursor.feeds[url] = failed(state, err, intervalMs, now);
    }
  });

  // The same article in several feeds: the first feed in the settings wins, whichever answered first.
  const found = new Map<string, ArticlePayload>();
  for (const url of feeds) {
    for (const m of perFeed.get(url) ?? []) if (!found.has(m.external_id)) found.set(m.external_id, m);
  }
  const messages = [...found.values()].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const states = Object.entries(cursor.feeds);
  const due = states.map(([, s]) => (s.retry_at ? Date.parse(s.retry_at) - now.getTime() : intervalMs));
  const nextPollMs = Math.max(MIN_WAIT_MS, Math.min(intervalMs, ...due));
  const broken = states.filter(([, s]) => s.error);
  if (broken.length === 0) return { messages, cursor, nextPollMs };

  // Some feeds failed: keep what the others brought, then say which failed and why.
  await rt.ingest(`feeds:${account.account.handle}`, messages);
  await account.saveCursor(cursor);
  // "Needs reconnect" only when every feed refused the credentials just now: one protected feed among
  // several must not stop the others, and a feed still waiting after a refusal says nothing new.
  const kind: SendErrorKind =
    broken.length === states.length && broken.every(([url, s]) => s.error!.kind === 'auth' && attempted.has(url))
      ? 'auth'
      : broken.some(([, s]) => s.error!.kind === 'rate_limited')
        ? 'rate_limited'
        : 'transient';
  const detail = broken
    .map(([url, s]) => `${url}: ${s.error!.message} (next try ${s.retry_at ?? 'at the next poll'})`)
    .join('; ');
  throw new SendError(kind, `${broken.length} of ${states.length} feeds failed: ${detail}`.slice(0, 900), nextPollMs);
}
