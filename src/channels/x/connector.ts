import type { Connector } from '../connector.ts';
import { obj, str } from '../social/normalized.ts';
import { bindRuntime } from '../social/outbound.ts';
import { xRequest } from './api.ts';
import { pollMentions } from './mentions.ts';
import { POST_MAX, sendX } from './send.ts';
import { type XConfig, type XCredentials, xConfigSchema, xCredentialsSchema } from './settings.ts';
import { xWebhookRoutes } from './webhook.ts';

/**
 * X: mentions, replies and direct messages arrive by the app's webhook (Account Activity API or X Activity API),
 * with the mentions timeline read now and then as a fallback; answers go out through API v2 as the brand.
 */
export const xConnector: Connector<XConfig, XCredentials> = {
  manifest: {
    network: 'x',
    displayName: 'X',
    maxLength: POST_MAX,
    threads: true,
    supportsPrivate: true,
    inbound: ['webhook', 'poll'],
    kinds: ['account'],
    canReply: true,
  },
  configSchema: xConfigSchema,
  credentialsSchema: xCredentialsSchema,
  defaultPollMs: 300_000,
  routes: xWebhookRoutes,
  poll: pollMentions,
  send: sendX,
  async test(rt, account) {
    bindRuntime(rt);
    const config = xConfigSchema.parse(account.config);
    const { json } = await xRequest(config, account.credentials, 'GET', '/2/users/me', {}, rt);
    const me = obj(json.data);
    return {
      ok: str(me.id) === config.user_id,
      detail: `@${str(me.username) ?? '?'} (${str(me.id) ?? '?'})${str(me.id) === config.user_id ? '' : `, not ${config.user_id}`}`,
    };
  },
};
