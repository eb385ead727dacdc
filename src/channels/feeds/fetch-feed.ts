import { type ChannelRuntime, SendError } from '../connector.ts';
import { decodeFeed } from './decode.ts';
import { FeedFormatError, type ParsedFeed } from './feed-model.ts';
import { parseFeed } from './parse-feed.ts';

/**
 * One conditional GET of a feed through the runtime's guarded fetch, mapped to the platform's error kinds:
 * 429 (and 503 with Retry-After) → rate_limited with the wait the server asked for; 401/403 → auth;
 * anything else that fails → transient.
 */
export type FetchOutcome =
  | { kind: 'unchanged' }
  | { kind: 'ok'; feed: ParsedFeed; etag: string | undefined; modified: string | undefined; encoding: string };

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, */*;q=0.5';
const MAX_BYTES = 8 * 1024 * 1024;
const TIMEOUT_MS = 20_000;
/** Longest wait honoured from a Retry-After header. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now.getTime();
  if (Number.isNaN(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

export async function fetchFeed(
  rt: ChannelRuntime,
  url: string,
  opts: {
    etag?: string | undefined;
    modified?: string | undefined;
    auth?: { username: string; password: string } | undefined;
    now?: Date;
  } = {},
): Promise<FetchOutcome> {
  const headers: Record<string, string> = { accept: ACCEPT };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.modified) headers['if-modified-since'] = opts.modified;
  if (opts.auth) {
    headers.authorization = `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`;
  }
  let res: Response;
  try {
    res = await rt.fetch(url, { headers, maxBytes: MAX_BYTES, timeoutMs: TIMEOUT_MS });
  } catch (err) {
    throw new SendError('transient', err instanceof Error ? err.message : String(err));
  }
  const now = opts.now ?? new Date();
  if (res.status === 304) return { kind: 'unchanged' };
  if (res.status === 429 || (res.status === 503 && res.headers.get('retry-after'))) {
    throw new SendError('rate_limited', `HTTP ${res.status}`, parseRetryAfter(res.headers.get('retry-after'), now));
  }
  if (res.status === 401 || res.status === 403) {
    throw new SendError(
      'auth',
      `HTTP ${res.status}: the feed refuses ${opts.auth ? 'these credentials' : 'anonymous access'}`,
    );
  }
  if (res.status < 200 || res.status > 299) throw new SendError('transient', `HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const { text, encoding } = decodeFeed(bytes, res.headers.get('content-type'));
  let feed: ParsedFeed;
  try {
    feed = parseFeed(text, url);
  } catch (err) {
    if (err instanceof FeedFormatError) throw new SendError('transient', err.message);
    throw err;
  }
  return {
    kind: 'ok',
    feed,
    etag: res.headers.get('etag') ?? undefined,
    modified: res.headers.get('last-modified') ?? undefined,
    encoding,
  };
}
