import { z } from 'zod';

export const mastodonConfigSchema = z.strictObject({
  /** The brand account's instance, e.g. https://mastodon.social. */
  instance_url: z.url({ protocol: /^https?$/ }),
  /** Live notifications over the streaming API; the notifications list is read anyway, as a catch-up. */
  streaming: z.boolean().default(true),
  /** How public and unlisted mentions are answered (direct and followers-only ones are answered directly). */
  public_reply_visibility: z.enum(['public', 'unlisted']).default('unlisted'),
  /** How often the notifications list is read, in seconds (the catch-up when streaming, else the only inbound). */
  poll_interval_seconds: z.number().int().min(1).max(3600).default(60),
});
export type MastodonConfig = z.output<typeof mastodonConfigSchema>;

/** An access token of an application created on the instance, with the scopes in docs/channels/mastodon.md. */
export const mastodonCredentialsSchema = z.strictObject({ access_token: z.string().min(8) });
export type MastodonCredentials = z.output<typeof mastodonCredentialsSchema>;
