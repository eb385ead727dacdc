import type { AccountContext, ChannelRuntime } from '../connector.ts';
import type { GraphAccess } from './graph.ts';
import {
  facebookAccess,
  facebookConfigSchema,
  facebookCredentialsSchema,
  instagramAccess,
  instagramConfigSchema,
  instagramCredentialsSchema,
} from './settings.ts';

/** A connected Facebook Page or Instagram account, as the Meta webhook needs it. */
export interface MetaAccount {
  network: 'facebook' | 'instagram';
  context: AccountContext;
  handle: string;
  /** The page id or Instagram user id Meta names in `entry[].id`. */
  ownId: string;
  appSecret: string;
  verifyToken: string;
  access: GraphAccess;
}

/** Every Facebook and Instagram account whose settings are complete (others cannot receive webhooks). */
export async function metaAccounts(rt: ChannelRuntime): Promise<MetaAccount[]> {
  const out: MetaAccount[] = [];
  for (const context of await rt.accounts('facebook')) {
    const config = facebookConfigSchema.safeParse(context.config);
    const credentials = facebookCredentialsSchema.safeParse(context.credentials);
    if (!config.success || !credentials.success) continue;
    out.push({
      network: 'facebook',
      context,
      handle: context.account.handle,
      ownId: config.data.page_id,
      appSecret: credentials.data.app_secret,
      verifyToken: credentials.data.verify_token,
      access: facebookAccess(config.data, credentials.data),
    });
  }
  for (const context of await rt.accounts('instagram')) {
    const config = instagramConfigSchema.safeParse(context.config);
    const credentials = instagramCredentialsSchema.safeParse(context.credentials);
    if (!config.success || !credentials.success) continue;
    out.push({
      network: 'instagram',
      context,
      handle: context.account.handle,
      ownId: config.data.ig_user_id,
      appSecret: credentials.data.app_secret,
      verifyToken: credentials.data.verify_token,
      access: instagramAccess(config.data, credentials.data),
    });
  }
  return out;
}
