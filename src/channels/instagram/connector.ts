import type { Connector } from '../connector.ts';
import { graphCall } from '../meta/graph.ts';
import {
  type InstagramConfig,
  type InstagramCredentials,
  instagramAccess,
  instagramConfigSchema,
  instagramCredentialsSchema,
} from '../meta/settings.ts';
import { metaWebhookRoutes } from '../meta/webhook.ts';
import { str } from '../social/normalized.ts';
import { bindRuntime } from '../social/outbound.ts';
import { IG_COMMENT_MAX, sendInstagram } from './send.ts';

/**
 * Instagram professional accounts: comments on the account's media, @mentions and direct messages arrive by the
 * Meta webhook (src/channels/meta/webhook.ts); replies go out through the Graph API.
 */
export const instagramConnector: Connector<InstagramConfig, InstagramCredentials> = {
  manifest: {
    network: 'instagram',
    displayName: 'Instagram',
    maxLength: IG_COMMENT_MAX,
    threads: true,
    supportsPrivate: true,
    inbound: ['webhook'],
    kinds: ['account'],
    canReply: true,
  },
  configSchema: instagramConfigSchema,
  credentialsSchema: instagramCredentialsSchema,
  routes: metaWebhookRoutes,
  send: sendInstagram,
  async test(rt, account) {
    bindRuntime(rt);
    const config = instagramConfigSchema.parse(account.config);
    const me = await graphCall(
      instagramAccess(config, account.credentials),
      'GET',
      config.ig_user_id,
      { fields: 'id,username' },
      rt,
    );
    return { ok: str(me.id) === config.ig_user_id, detail: `@${str(me.username) ?? '?'} (${str(me.id) ?? '?'})` };
  },
};
