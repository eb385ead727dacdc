import { z } from 'zod';
import type { GraphAccess } from './graph.ts';

const numericId = z.string().regex(/^\d{1,32}$/, 'a numeric id, as the Graph API shows it');
const graphSettings = {
  /** The Graph API host; only a test peer or a proxy changes it. */
  graph_url: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),
  graph_version: z
    .string()
    .regex(/^v\d+\.\d+$/, 'a Graph API version such as "v23.0"')
    .default('v23.0'),
};
const webhookSecrets = {
  /** The App Secret of the Meta app: signs webhooks (X-Hub-Signature-256) and `appsecret_proof`. */
  app_secret: z.string().min(16),
  /** The Verify Token typed in the app's webhook settings, echoed back by the subscription handshake. */
  verify_token: z.string().min(8),
};

export const facebookConfigSchema = z.strictObject({ page_id: numericId, ...graphSettings });
export const facebookCredentialsSchema = z.strictObject({
  /** A Page access token (long-lived) with the permissions listed in docs/channels/facebook.md. */
  page_access_token: z.string().min(16),
  ...webhookSecrets,
});
export type FacebookConfig = z.output<typeof facebookConfigSchema>;
export type FacebookCredentials = z.output<typeof facebookCredentialsSchema>;

export const instagramConfigSchema = z.strictObject({ ig_user_id: numericId, ...graphSettings });
export const instagramCredentialsSchema = z.strictObject({
  /** The access token of the Page linked to the Instagram professional account. */
  access_token: z.string().min(16),
  ...webhookSecrets,
});
export type InstagramConfig = z.output<typeof instagramConfigSchema>;
export type InstagramCredentials = z.output<typeof instagramCredentialsSchema>;

export function facebookAccess(config: FacebookConfig, credentials: FacebookCredentials): GraphAccess {
  return {
    graphUrl: config.graph_url,
    version: config.graph_version,
    accessToken: credentials.page_access_token,
    appSecret: credentials.app_secret,
  };
}

export function instagramAccess(config: InstagramConfig, credentials: InstagramCredentials): GraphAccess {
  return {
    graphUrl: config.graph_url,
    version: config.graph_version,
    accessToken: credentials.access_token,
    appSecret: credentials.app_secret,
  };
}
