import { z } from 'zod';

export const xConfigSchema = z.strictObject({
  /** The numeric id of the brand's X account (webhook events and the mentions timeline are keyed by it). */
  user_id: z.string().regex(/^\d{1,25}$/, 'the numeric user id of the account'),
  /** The X API host; only a test peer or a proxy changes it. */
  api_url: z.url({ protocol: /^https?$/ }).default('https://api.x.com'),
  /**
   * How often the mentions timeline is read as a fallback to the webhook, in seconds (0: webhook only). Each
   * read costs API quota, so the default is modest: the webhook delivers in real time.
   */
  poll_interval_seconds: z.number().int().min(0).max(86_400).default(300),
});
export type XConfig = z.output<typeof xConfigSchema>;

/** OAuth 1.0a user context: the app's consumer key pair and the brand account's access token pair. */
export const xCredentialsSchema = z.strictObject({
  consumer_key: z.string().min(8),
  consumer_secret: z.string().min(16),
  access_token: z.string().min(8),
  access_token_secret: z.string().min(16),
});
export type XCredentials = z.output<typeof xCredentialsSchema>;
