import { createHash } from 'node:crypto';

/**
 * Which article an item is. The same article often appears in several feeds (a site's RSS and Atom, a tag
 * feed and the main feed, http and https, with or without tracking parameters), so its identity is its
 * normalized link, else its guid when that is a URL, else the guid within its feed. Messages are unique on
 * (channel, external_id): one article, one message, whichever feed brought it first.
 */
const TRACKING =
  /^(utm_.*|fbclid|gclid|dclid|yclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid|wt\.mc_id|at_medium|at_campaign)$/i;
/** Fragments that point into the page rather than name another item. */
const NOISE_FRAGMENT = /^(more(-\d+)?|respond|comments|content|main|top|)$/i;
const MAX_ID = 400;

export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.replace(/^www\./, '') : undefined;
  } catch {
    return undefined;
  }
}

/** An absolute http(s) URL from `href` (relative to `base`), or undefined. */
export function absoluteUrl(href: string | undefined, base: string | undefined): string | undefined {
  const h = href?.trim();
  if (!h) return undefined;
  try {
    const u = base ? new URL(h, base) : new URL(h);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The link without scheme, `www.`, tracking parameters, noise fragments or a trailing slash. */
export function normalizeLink(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const params = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  const fragment = u.hash.slice(1);
  let path = u.pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const port = u.port ? `:${u.port}` : '';
  return `${u.hostname.replace(/^www\./, '')}${port}${path === '/' ? '' : path}${query ? `?${query}` : ''}${
    NOISE_FRAGMENT.test(fragment) ? '' : `#${fragment}`
  }`;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function bounded(id: string): string {
  return id.length <= MAX_ID ? id : `sha256:${sha(id)}`;
}

export function itemExternalId(
  item: { link?: string; guid?: string; title?: string; text?: string },
  feedUrl: string,
): string {
  const fromLink = item.link ? normalizeLink(item.link) : undefined;
  if (fromLink) return bounded(fromLink);
  const guid = item.guid?.trim();
  const fromGuid = guid && /^https?:\/\//i.test(guid) ? normalizeLink(guid) : undefined;
  if (fromGuid) return bounded(fromGuid);
  const feed = normalizeLink(feedUrl) ?? feedUrl;
  if (guid) return bounded(`guid:${feed}:${guid}`);
  return `item:${sha(`${feed}\n${item.title ?? ''}\n${item.text ?? ''}`)}`;
}

/** A short fingerprint of an external id, for the bounded "seen" lists kept in the cursor. */
export function seenKey(externalId: string): string {
  return sha(externalId).slice(0, 16);
}
