import { parseFeedDate } from './dates.ts';
import { type FeedEntry, FeedFormatError, languageCode, type ParsedFeed } from './feed-model.ts';
import { htmlToText, oneLine, tidy } from './html-text.ts';
import { absoluteUrl } from './identity.ts';
import { parseJsonFeed } from './parse-json-feed.ts';
import { child, elements, innerHtml, parseXml, textOf, type XmlElement } from './xml.ts';

const MAX_ITEMS = 500;
/** Longest markup read per field: an excerpt is all that is kept, and a huge body must not cost seconds. */
const MAX_FIELD = 100_000;

const RSS_NS = [
  '',
  'http://purl.org/rss/1.0/',
  'http://my.netscape.com/rdf/simple/0.9/',
  'http://backend.userland.com/rss2',
];
const ATOM_NS = ['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#'];
const DC = ['http://purl.org/dc/elements/1.1/'];
const CONTENT = ['http://purl.org/rss/1.0/modules/content/'];
const FEEDBURNER = ['http://rssnamespace.org/feedburner/ext/1.0'];
const THREAD = ['http://purl.org/syndication/thread/1.0'];

const html = (el: XmlElement | undefined) => htmlToText(innerHtml(el).slice(0, MAX_FIELD));
const plain = (el: XmlElement | undefined) => textOf(el).trim();

function attr(el: XmlElement | undefined, local: string): string | undefined {
  if (!el) return undefined;
  if (el.attrs[local] !== undefined) return el.attrs[local];
  const key = Object.keys(el.attrs).find((k) => k.endsWith(`:${local}`));
  return key === undefined ? undefined : el.attrs[key];
}

/** Atom text constructs: `text` is plain, `html` is escaped markup, `xhtml` is inline markup. */
function atomText(el: XmlElement | undefined): string {
  if (!el || el.attrs.src !== undefined) return '';
  const type = (el.attrs.type ?? 'text').toLowerCase();
  if (type === 'text' || type === 'text/plain') {
    return elements(el).length > 0 ? html(el) : tidy(textOf(el).slice(0, MAX_FIELD));
  }
  return html(el);
}

function inReplyTo(item: XmlElement, base: string | undefined): string | undefined {
  const thr = child(item, 'in-reply-to', THREAD);
  if (!thr) return undefined;
  return absoluteUrl(thr.attrs.href, base) ?? thr.attrs.ref?.trim() ?? undefined;
}

function atomLink(el: XmlElement, base: string | undefined): string | undefined {
  const links = elements(el, 'link', ATOM_NS);
  const alternate =
    links.find((l) => (l.attrs.rel ?? 'alternate') === 'alternate' && /html/i.test(l.attrs.type ?? 'text/html')) ??
    links.find((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
  return absoluteUrl(alternate?.attrs.href, base);
}

function rssItem(item: XmlElement, base: string | undefined): FeedEntry {
  const link =
    absoluteUrl(plain(child(item, 'origLink', FEEDBURNER)), base) ??
    absoluteUrl(plain(child(item, 'link', RSS_NS)), base) ??
    atomLink(item, base);
  const guidEl = child(item, 'guid', RSS_NS);
  const guid = plain(guidEl) || attr(item, 'about');
  const permalink = guidEl && (guidEl.attrs.isPermaLink ?? 'true').toLowerCase() !== 'false';
  const date =
    plain(child(item, 'pubDate', RSS_NS)) ||
    plain(child(item, 'date', DC)) ||
    plain(child(item, 'published', ATOM_NS)) ||
    plain(child(item, 'updated', ATOM_NS));
  const entry: FeedEntry = {
    title: oneLine(html(child(item, 'title', RSS_NS))),
    summary: html(child(item, 'description', RSS_NS)),
    content: html(child(item, 'encoded', CONTENT)),
  };
  const linkOrGuid = link ?? (permalink ? absoluteUrl(guid, base) : undefined);
  if (linkOrGuid) entry.link = linkOrGuid;
  if (guid) entry.id = guid;
  const published = parseFeedDate(date);
  if (published) entry.published = published;
  const author = plain(child(item, 'creator', DC)) || plain(child(item, 'author', RSS_NS));
  if (author) entry.author = oneLine(author);
  const lang = languageCode(item.attrs['xml:lang'] ?? plain(child(item, 'language', DC)));
  if (lang) entry.lang = lang;
  const parent = inReplyTo(item, base);
  if (parent) entry.inReplyTo = parent;
  return entry;
}

function atomEntry(entry: XmlElement, feedBase: string | undefined, feedAuthor: string): FeedEntry {
  const base = absoluteUrl(entry.attrs['xml:base'], feedBase) ?? feedBase;
  const out: FeedEntry = {
    title: oneLine(atomText(child(entry, 'title', ATOM_NS))),
    summary: atomText(child(entry, 'summary', ATOM_NS)),
    content: atomText(child(entry, 'content', ATOM_NS)),
  };
  const link = atomLink(entry, base);
  if (link) out.link = link;
  const id = plain(child(entry, 'id', ATOM_NS));
  if (id) out.id = id;
  const date = ['published', 'issued', 'updated', 'modified']
    .map((n) => plain(child(entry, n, ATOM_NS)))
    .find((d) => d !== '');
  const published = parseFeedDate(date);
  if (published) out.published = published;
  const author = plain(child(child(entry, 'author', ATOM_NS) ?? entry, 'name', ATOM_NS)) || feedAuthor;
  if (author) out.author = oneLine(author);
  const lang = languageCode(entry.attrs['xml:lang']);
  if (lang) out.lang = lang;
  const parent = inReplyTo(entry, base);
  if (parent) out.inReplyTo = parent;
  return out;
}

function parseXmlFeed(text: string, feedUrl: string): ParsedFeed {
  const { root, complete } = parseXml(text);
  if (!root) throw new FeedFormatError('not a feed: no XML document');
  if (!complete) throw new FeedFormatError(`the document ends inside <${root.name}> (truncated or malformed)`);
  if (root.local === 'feed') {
    const base = absoluteUrl(root.attrs['xml:base'], feedUrl) ?? feedUrl;
    const feedAuthor = plain(child(child(root, 'author', ATOM_NS) ?? root, 'name', ATOM_NS));
    const feed: ParsedFeed = {
      format: 'atom',
      title: oneLine(atomText(child(root, 'title', ATOM_NS))),
      items: elements(root, 'entry', ATOM_NS)
        .slice(0, MAX_ITEMS)
        .map((e) => atomEntry(e, base, feedAuthor)),
    };
    const site = atomLink(root, base);
    if (site) feed.site = site;
    const lang = languageCode(root.attrs['xml:lang']);
    if (lang) feed.lang = lang;
    return feed;
  }
  if (root.local === 'rss' || root.local === 'RDF') {
    const channel = child(root, 'channel', RSS_NS);
    const site = absoluteUrl(plain(channel && child(channel, 'link', RSS_NS)), feedUrl);
    const base = site ?? feedUrl;
    // RSS 1.0 lists its items beside the channel; RSS 2.0 inside it (a few feeds do both).
    const items = [...(channel ? elements(channel, 'item', RSS_NS) : []), ...elements(root, 'item', RSS_NS)];
    const feed: ParsedFeed = {
      format: root.local === 'rss' ? 'rss2' : 'rss1',
      title: channel ? oneLine(html(child(channel, 'title', RSS_NS))) : '',
      items: items.slice(0, MAX_ITEMS).map((i) => rssItem(i, base)),
    };
    if (site) feed.site = site;
    const lang = languageCode(
      channel && (plain(child(channel, 'language', RSS_NS)) || plain(child(channel, 'language', DC))),
    );
    if (lang) feed.lang = lang;
    return feed;
  }
  throw new FeedFormatError(`not a feed: the document is <${root.name}>, not RSS, RDF or Atom`);
}

/** Reads RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0 (and 0.3) and JSON Feed 1.x. */
export function parseFeed(text: string, feedUrl: string): ParsedFeed {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) return parseJsonFeed(start, feedUrl, MAX_ITEMS);
  return parseXmlFeed(start, feedUrl);
}
