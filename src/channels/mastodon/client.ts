import { createRestAPIClient, MastoHttpError, MastoTimeoutError, type mastodon } from 'masto';
import { type AccountContext, type ChannelRuntime, SendError } from '../connector.ts';
import { obj, str } from '../social/normalized.ts';
import { networkFetch, unreachable } from '../social/outbound.ts';
import { retryAfterMs } from '../social/rate-limit.ts';
import {
  type MastodonConfig,
  type MastodonCredentials,
  mastodonConfigSchema,
  mastodonCredentialsSchema,
} from './settings.ts';

/** What Passeur needs to know of an instance (https://docs.joinmastodon.org/entities/Instance/). */
export interface InstanceInfo {
  maxCharacters: number;
  streamingUrl: string;
}

/**
 * The instance's limits and streaming address, read through the platform's fetch each time a session opens (a
 * stream starts, a reply is sent): that request is where the instance's address is checked against the
 * deployment's rules (no private addresses unless allowed) before masto, which uses its own HTTP and WebSocket
 * clients, talks to it.
 */
export async function instanceInfo(instanceUrl: string, rt?: ChannelRuntime): Promise<InstanceInfo> {
  let res: Response;
  try {
    res = await networkFetch(new URL('/api/v2/instance', instanceUrl).toString(), {}, rt);
  } catch (err) {
    throw unreachable('instance', err);
  }
  if (!res.ok) {
    if (res.status === 429) throw new SendError('rate_limited', `instance ${res.status}`, retryAfterMs(res.headers));
    throw new SendError(res.status >= 500 ? 'transient' : 'permanent', `GET /api/v2/instance answered ${res.status}`);
  }
  const body = obj(await res.json().catch(() => ({})));
  const configuration = obj(body.configuration);
  const max = Number(obj(configuration.statuses).max_characters);
  const info: InstanceInfo = {
    maxCharacters: Number.isInteger(max) && max > 0 ? max : 500,
    streamingUrl: str(obj(configuration.urls).streaming) ?? instanceUrl.replace(/^http/, 'ws'),
  };
  return info;
}

export interface MastodonSession {
  config: MastodonConfig;
  credentials: MastodonCredentials;
  rest: mastodon.rest.Client;
  instance: InstanceInfo;
  host: string;
}

/** A REST client for the account (masto, https://github.com/neet/masto.js), after the instance check. */
export async function openSession(ctx: AccountContext, rt?: ChannelRuntime): Promise<MastodonSession> {
  const config = mastodonConfigSchema.parse(ctx.config);
  const credentials = mastodonCredentialsSchema.parse(ctx.credentials);
  const instance = await instanceInfo(config.instance_url, rt);
  const rest = createRestAPIClient({
    url: config.instance_url,
    accessToken: credentials.access_token,
    timeout: 15_000,
    log: 'error',
  });
  return { config, credentials, rest, instance, host: new URL(config.instance_url).host };
}

/** Maps what masto throws to the platform's error kinds. */
export function mastodonError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof MastoHttpError) {
    const detail = `Mastodon ${err.statusCode}: ${err.message}`;
    const headers = err.cause instanceof Response ? err.cause.headers : new Headers();
    if (err.statusCode === 429) return new SendError('rate_limited', detail, retryAfterMs(headers) ?? 5 * 60_000);
    if (err.statusCode === 401 || err.statusCode === 403) return new SendError('auth', detail);
    if (err.statusCode >= 500) return new SendError('transient', detail, retryAfterMs(headers));
    return new SendError('permanent', detail);
  }
  if (err instanceof MastoTimeoutError) return new SendError('transient', `Mastodon: ${err.message}`);
  return new SendError('transient', `Mastodon: ${err instanceof Error ? err.message : String(err)}`);
}

/** Runs a masto call, mapping its failure. */
export async function call<T>(fn: () => PromiseLike<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mastodonError(err);
  }
}
