import type { Connector } from '../connector.ts';
import { obj, str } from '../social/normalized.ts';
import { bindRuntime } from '../social/outbound.ts';
import { call, openSession } from './client.ts';
import { sendMastodon } from './send.ts';
import {
  type MastodonConfig,
  type MastodonCredentials,
  mastodonConfigSchema,
  mastodonCredentialsSchema,
} from './settings.ts';
import { streamMentions } from './stream.ts';

/**
 * Mastodon: mentions of the brand account (public, unlisted, followers-only and direct) arrive by the streaming
 * API with the notifications list as catch-up; answers go out as statuses in reply, matching the customer's
 * visibility. Every call to the instance goes through masto.
 */
export const mastodonConnector: Connector<MastodonConfig, MastodonCredentials> = {
  manifest: {
    network: 'mastodon',
    displayName: 'Mastodon',
    maxLength: 500,
    threads: true,
    supportsPrivate: true,
    inbound: ['stream', 'poll'],
    kinds: ['account'],
    canReply: true,
  },
  configSchema: mastodonConfigSchema,
  credentialsSchema: mastodonCredentialsSchema,
  stream: streamMentions,
  send: sendMastodon,
  async test(rt, account) {
    bindRuntime(rt);
    const session = await openSession(account, rt);
    const me = obj(await call(() => session.rest.v1.accounts.verifyCredentials()));
    return {
      ok: true,
      detail: `@${str(me.acct) ?? '?'}@${session.host}, ${session.instance.maxCharacters} characters per status`,
    };
  },
};
