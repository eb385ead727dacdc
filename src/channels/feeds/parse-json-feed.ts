import { parseFeedDate } from './dates.ts';
import { type FeedEntry, FeedFormatError, languageCode, type ParsedFeed } from './feed-model.ts';
import { htmlToText, oneLine, tidy } from './html-text.ts';
import { absoluteUrl } from './identity.ts';

/** JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/). */
const MAX_FIELD = 100_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined;

function authorName(o: Json): string | undefined {
  const list = Array.isArray(o.authors) ? o.authors : o.author !== undefined ? [o.author] : [];
  const first = list.find(isObject);
  return first ? str(first.name) : undefined;
}

function jsonItem(o: Json, base: string, feedAuthor: string | undefined): FeedEntry {
  const contentHtml = str(o.content_html);
  const contentText = str(o.content_text);
  const entry: FeedEntry = {
    title: oneLine(htmlToText(str(o.title) ?? '')),
    summary: tidy((str(o.summary) ?? '').slice(0, MAX_FIELD)),
    content: contentHtml ? htmlToText(contentHtml.slice(0, MAX_FIELD)) : tidy((contentText ?? '').slice(0, MAX_FIELD)),
  };
  const link = absoluteUrl(str(o.url), base) ?? absoluteUrl(str(o.external_url), base);
  if (link) entry.link = link;
  const id = str(o.id);
  if (id) entry.id = id;
  const published = parseFeedDate(str(o.date_published) ?? str(o.date_modified));
  if (published) entry.published = published;
  const author = authorName(o) ?? feedAuthor;
  if (author) entry.author = oneLine(author);
  const lang = languageCode(str(o.language));
  if (lang) entry.lang = lang;
  return entry;
}

export function parseJsonFeed(text: string, feedUrl: string, maxItems: number): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FeedFormatError(`not a feed: invalid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(doc) || !/jsonfeed\.org\/version\//.test(str(doc.version) ?? '') || !Array.isArray(doc.items)) {
    throw new FeedFormatError('not a feed: JSON without a JSON Feed "version" and "items"');
  }
  const site = absoluteUrl(str(doc.home_page_url), feedUrl);
  const lang = languageCode(str(doc.language));
  const feedAuthor = authorName(doc);
  const feed: ParsedFeed = {
    format: 'json',
    title: oneLine(str(doc.title) ?? ''),
    items: doc.items
      .filter(isObject)
      .slice(0, maxItems)
      .map((o) => jsonItem(o, site ?? feedUrl, feedAuthor)),
  };
  if (site) feed.site = site;
  if (lang) feed.lang = lang;
  return feed;
}
