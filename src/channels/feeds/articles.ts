import { itemDate } from './dates.ts';
import type { FeedEntry, ParsedFeed } from './feed-model.ts';
import { excerpt } from './html-text.ts';
import { hostOf, itemExternalId, normalizeLink, seenKey } from './identity.ts';
import type { Matcher } from './match.ts';

/**
 * From a parsed feed to the messages Passeur ingests: one per new item the monitor keeps, as an article
 * mention whose author is the site (handle: its host) and whose text is the title and a plain-text excerpt.
 */
const EXCERPT_CHARS = 1000;
const TITLE_CHARS = 300;
const DAY_MS = 86_400_000;

export interface ArticleFilters {
  /** The monitor's handle: the account the message reached, which decides its community. */
  account: string;
  matcher: Matcher;
  languages?: readonly string[] | undefined;
  excludeHosts?: readonly string[] | undefined;
  maxAgeDays?: number | undefined;
  /** Language of a text, when the item and feed do not say (only used with `languages`). */
  detectLanguage?: ((text: string) => string | undefined) | undefined;
}

export interface ArticlePayload {
  channel: 'feeds';
  external_id: string;
  account: string;
  author: { handle: string; name: string };
  text: string;
  created_at: string;
  in_reply_to?: string;
  meta: Record<string, unknown> & { kind: 'article' };
}

const excluded = (host: string, hosts: readonly string[] | undefined) =>
  (hosts ?? []).some((h) => {
    const x = h.toLowerCase().replace(/^www\./, '');
    return host === x || host.endsWith(`.${x}`);
  });

/** The parent of a comment: Atom threading (by link, or by id within the feed), or a `#comment-N` link. */
function parentOf(entry: FeedEntry, ids: Map<string, string>, self: string): string | undefined {
  const ref = entry.inReplyTo;
  const byRef = ref ? (ids.get(ref) ?? (/^https?:\/\//i.test(ref) ? normalizeLink(ref) : undefined)) : undefined;
  const byFragment =
    entry.link && /#comment-?\d+$/i.test(entry.link) ? normalizeLink(entry.link.replace(/#.*$/, '')) : undefined;
  const parent = byRef ?? byFragment;
  return parent && parent !== self ? parent : undefined;
}

/**
 * The fingerprints of every item the feed lists (for the cursor) and the messages for the new ones kept.
 */
export function articlesOf(
  feed: ParsedFeed,
  feedUrl: string,
  seen: ReadonlySet<string>,
  filters: ArticleFilters,
  now: Date,
): { keys: string[]; messages: ArticlePayload[] } {
  const siteHost = hostOf(feed.site) ?? hostOf(feedUrl) ?? 'unknown';
  const externalIds = feed.items.map((e) =>
    itemExternalId({ link: e.link, guid: e.id, title: e.title, text: e.summary || e.content }, feedUrl),
  );
  const ids = new Map<string, string>();
  feed.items.forEach((e, i) => {
    if (e.id) ids.set(e.id, externalIds[i]!);
  });
  const keys: string[] = [];
  const messages: ArticlePayload[] = [];
  for (const [i, entry] of feed.items.entries()) {
    const externalId = externalIds[i]!;
    const key = seenKey(externalId);
    keys.push(key);
    if (seen.has(key)) continue;
    const host = hostOf(entry.link) ?? siteHost;
    if (excluded(host, filters.excludeHosts)) continue;
    if (
      filters.maxAgeDays &&
      entry.published &&
      now.getTime() - entry.published.getTime() > filters.maxAgeDays * DAY_MS
    )
      continue;
    const body = entry.summary || entry.content;
    const title = excerpt(entry.title, TITLE_CHARS);
    if (!title && !body) continue;
    const matched = filters.matcher.matches(`${title}\n${body}`);
    if (matched.length === 0) continue;
    if (filters.languages) {
      const lang = entry.lang ?? filters.detectLanguage?.(`${title}\n${body}`) ?? feed.lang;
      if (lang && !filters.languages.includes(lang)) continue;
    }
    const message: ArticlePayload = {
      channel: 'feeds',
      external_id: externalId,
      account: filters.account,
      author: { handle: host, name: (host === siteHost && feed.title) || host },
      text: [title, excerpt(body, EXCERPT_CHARS)].filter(Boolean).join('\n\n'),
      created_at: itemDate(entry.published, now).toISOString(),
      meta: {
        kind: 'article',
        title: title.slice(0, 1024),
        feed: feedUrl,
        site: feed.title || siteHost,
        matched,
        ...(entry.link && entry.link.length <= 2048 ? { url: entry.link } : {}),
        ...(entry.lang ? { lang: entry.lang } : {}),
        ...(entry.author ? { author: entry.author } : {}),
      },
    };
    const parent = parentOf(entry, ids, externalId);
    if (parent) message.in_reply_to = parent;
    messages.push(message);
  }
  return { keys, messages };
}
