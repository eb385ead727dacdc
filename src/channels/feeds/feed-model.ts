/** One item of a feed, in plain text. */
export interface FeedEntry {
  /** guid, Atom id, JSON Feed id or rdf:about. */
  id?: string;
  /** Absolute link to the article. */
  link?: string;
  title: string;
  summary: string;
  content: string;
  published?: Date;
  author?: string;
  /** Language the item declares (ISO 639-1). */
  lang?: string;
  /** The parent's link or id, for comments (Atom threading, RFC 4685). */
  inReplyTo?: string;
}

export interface ParsedFeed {
  format: 'rss2' | 'rss1' | 'atom' | 'json';
  title: string;
  /** The site's home page. */
  site?: string;
  lang?: string;
  items: FeedEntry[];
}

/** The document is not a feed, or not a complete one. */
export class FeedFormatError extends Error {}

export function languageCode(raw: string | undefined): string | undefined {
  const m = /^\s*([a-z]{2})(?:$|[-_\s])/i.exec(raw ?? '');
  return m?.[1]?.toLowerCase();
}
