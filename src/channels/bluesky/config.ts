import { z } from 'zod';

/**
 * Settings of a Bluesky account or keyword monitor (one schema for both kinds: an account uses `service`,
 * a monitor uses `keywords` and its listening source). Credentials are an app password of the brand's account.
 */
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
const wsUrl = z.url({ protocol: /^wss?$/, error: 'a ws(s) URL' });

export const DEFAULT_SERVICE = 'https://bsky.social';
export const DEFAULT_APPVIEW = 'https://public.api.bsky.app';
export const DEFAULT_JETSTREAM = 'wss://jetstream2.us-east.bsky.network';
export const DEFAULT_WEB = 'https://bsky.app';

export const blueskyConfigSchema = z.strictObject({
  /** The brand's PDS or entryway (https://bsky.social for accounts hosted by Bluesky). */
  service: httpUrl.default(DEFAULT_SERVICE),
  /** Seconds between two reads of the notifications. */
  poll_interval_seconds: z.number().int().min(1).max(3600).default(30),
  /** On the first read, notifications of the last hours are taken in (older ones are not). */
  backfill_hours: z
    .number()
    .min(0)
    .max(24 * 30)
    .default(24),
  /** Monitor: words or phrases listened for (whole words, case and accents ignored). */
  keywords: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  /** Monitor: ISO 639-1 codes; posts declaring other languages are left out (posts declaring none are kept). */
  languages: z
    .array(z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code such as "fr"'))
    .max(20)
    .optional(),
  /** Monitor: whether agents may answer authors who did not address the brand. */
  proactive_replies: z.boolean().default(false),
  /** Monitor: the Jetstream instance listened to (the default) … */
  jetstream: wsUrl.optional(),
  /** … or a firehose (com.atproto.sync.subscribeRepos of a relay or a PDS) instead. */
  firehose: wsUrl.optional(),
  /** Monitor: where authors' handles are looked up. */
  appview: httpUrl.default(DEFAULT_APPVIEW),
  /** Base of the links to posts shown to agents. */
  web_url: httpUrl.default(DEFAULT_WEB),
});

export type BlueskyConfig = z.output<typeof blueskyConfigSchema>;

export const blueskyCredentialsSchema = z.strictObject({
  /** The account's handle (e.g. airsocial.bsky.social), DID or sign-in email. */
  identifier: z.string().trim().min(1).max(256),
  /** An app password (Settings → Privacy and security → App passwords), never the account's password. */
  app_password: z.string().min(1).max(256),
});

export type BlueskyCredentials = z.output<typeof blueskyCredentialsSchema>;

/** Settings as stored; rows written before a default existed still get it. */
export function readConfig(raw: unknown): BlueskyConfig {
  const r = blueskyConfigSchema.safeParse(raw ?? {});
  return r.success ? r.data : blueskyConfigSchema.parse({});
}
