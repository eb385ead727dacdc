import type { BlueskyConfig } from './config.ts';

/** A post record as found in notifications, the firehose and Jetstream (only the fields Passeur reads). */
export interface PostRecord {
  text?: unknown;
  createdAt?: unknown;
  langs?: unknown;
  reply?: { parent?: { uri?: unknown; cid?: unknown }; root?: { uri?: unknown; cid?: unknown } };
  embed?: { record?: { uri?: unknown; record?: { uri?: unknown } } };
  facets?: { features?: { $type?: unknown; did?: unknown; uri?: unknown }[] }[];
}

export const POST_COLLECTION = 'app.bsky.feed.post';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The repository (DID) an AT-URI points into. */
export function uriDid(uri: string): string | undefined {
  return /^at:\/\/([^/]+)\//.exec(uri)?.[1];
}

export function parentUri(record: PostRecord): string | undefined {
  return str(record.reply?.parent?.uri);
}

export function rootUri(record: PostRecord): string | undefined {
  return str(record.reply?.root?.uri);
}

/** The post a quote embeds, if any. */
export function quotedUri(record: PostRecord): string | undefined {
  return str(record.embed?.record?.uri) ?? str(record.embed?.record?.record?.uri);
}

/** DIDs the post's facets mention. */
export function mentionedDids(record: PostRecord): string[] {
  const out: string[] = [];
  for (const f of Array.isArray(record.facets) ? record.facets : []) {
    for (const feat of Array.isArray(f.features) ? f.features : []) {
      if (feat.$type === 'app.bsky.richtext.facet#mention' && typeof feat.did === 'string') out.push(feat.did);
    }
  }
  return out;
}

/** The record's creation time as ISO 8601 when it parses, else the fallback (when the network indexed it). */
export function createdAt(record: PostRecord, fallback?: string): string | undefined {
  const raw = str(record.createdAt);
  for (const candidate of [raw, fallback]) {
    if (!candidate) continue;
    const t = Date.parse(candidate);
    if (Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}T/.test(candidate)) return new Date(t).toISOString();
  }
  return undefined;
}

/** The first declared language as ISO 639-1 ("fr-CH" → "fr"), when there is one. */
export function postLang(record: PostRecord): string | undefined {
  const langs = Array.isArray(record.langs) ? record.langs : [];
  const first = typeof langs[0] === 'string' ? langs[0].toLowerCase().slice(0, 2) : '';
  return /^[a-z]{2}$/.test(first) ? first : undefined;
}

export function postLangs(record: PostRecord): string[] {
  return Array.isArray(record.langs) ? record.langs.filter((l): l is string => typeof l === 'string') : [];
}

/** The post's page on the web client. */
export function postUrl(config: Pick<BlueskyConfig, 'web_url'>, uri: string, handle?: string): string {
  const m = /^at:\/\/([^/]+)\/[^/]+\/([^/]+)$/.exec(uri);
  if (!m) return config.web_url;
  return `${config.web_url.replace(/\/$/, '')}/profile/${handle ?? m[1]}/post/${m[2]}`;
}

/** The inbound message (the body of the one ingest path) for a post. */
export function toInbound(p: {
  uri: string;
  cid?: string | undefined;
  record: PostRecord;
  authorDid: string;
  authorHandle: string;
  authorName?: string | undefined;
  account: string;
  kind: 'post' | 'reply' | 'mention';
  indexedAt?: string | undefined;
  config: Pick<BlueskyConfig, 'web_url'>;
  extra?: Record<string, unknown>;
}) {
  const created = createdAt(p.record, p.indexedAt);
  const parent = parentUri(p.record);
  const lang = postLang(p.record);
  const root = rootUri(p.record);
  const quoted = quotedUri(p.record);
  return {
    channel: 'bluesky',
    external_id: p.uri,
    account: p.account,
    author: {
      handle: `@${p.authorHandle.replace(/^@/, '')}`,
      ...(p.authorName?.trim() ? { name: p.authorName.trim() } : {}),
    },
    text: typeof p.record.text === 'string' ? p.record.text : '',
    ...(created ? { created_at: created } : {}),
    ...(parent ? { in_reply_to: parent } : {}),
    meta: {
      kind: p.kind,
      ...(lang ? { lang } : {}),
      url: postUrl(p.config, p.uri, p.authorHandle),
      author_did: p.authorDid,
      ...(p.cid ? { cid: p.cid } : {}),
      ...(root ? { thread_root: root } : {}),
      ...(quoted ? { quotes: quoted } : {}),
      ...p.extra,
    },
  };
}
