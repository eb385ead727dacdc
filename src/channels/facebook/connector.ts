import type { Connector } from '../connector.ts';
import { graphCall } from '../meta/graph.ts';
import {
  type FacebookConfig,
  type FacebookCredentials,
  facebookAccess,
  facebookConfigSchema,
  facebookCredentialsSchema,
} from '../meta/settings.ts';
import { metaWebhookRoutes } from '../meta/webhook.ts';
import { str } from '../social/normalized.ts';
import { bindRuntime } from '../social/outbound.ts';
import { COMMENT_MAX, sendFacebook } from './send.ts';

/**
 * Facebook Pages: comments and visitor posts on the Page's feed, and Messenger conversations, arrive by the Meta
 * webhook (src/channels/meta/webhook.ts); replies go out through the Graph API as the Page.
 */
export const facebookConnector: Connector<FacebookConfig, FacebookCredentials> = {
  manifest: {
    network: 'facebook',
    displayName: 'Facebook Page',
    maxLength: COMMENT_MAX,
    threads: true,
    supportsPrivate: true,
    inbound: ['webhook'],
    kinds: ['account'],
    canReply: true,
  },
  configSchema: facebookConfigSchema,
  credentialsSchema: facebookCredentialsSchema,
  routes: metaWebhookRoutes,
  send: sendFacebook,
  async test(rt, account) {
    bindRuntime(rt);
    const config = facebookConfigSchema.parse(account.config);
    const me = await graphCall(
      facebookAccess(config, account.credentials),
      'GET',
      config.page_id,
      { fields: 'id,name' },
      rt,
    );
    return { ok: str(me.id) === config.page_id, detail: `Page ${str(me.name) ?? '?'} (${str(me.id) ?? '?'})` };
  },
};
