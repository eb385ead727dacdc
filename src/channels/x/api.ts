import { type ChannelRuntime, SendError } from '../connector.ts';
import { networkFetch, unreachable } from '../social/outbound.ts';
import { retryAfterMs } from '../social/rate-limit.ts';
import { oauth1Header } from './oauth1.ts';
import type { XConfig, XCredentials } from './settings.ts';

export interface XResponse {
  json: Record<string, unknown>;
  headers: Headers;
}

/**
 * One X API v2 call, signed with OAuth 1.0a user context. Refusals map to the platform's kinds: 429 is
 * rate-limited until `x-rate-limit-reset` (https://docs.x.com/x-api/fundamentals/rate-limits), 401 means the
 * tokens were revoked, 5xx are passing.
 */
export async function xRequest(
  config: XConfig,
  credentials: XCredentials,
  method: 'GET' | 'POST',
  path: string,
  opts: { query?: Record<string, string>; json?: unknown } = {},
  rt?: ChannelRuntime,
): Promise<XResponse> {
  const url = new URL(`${config.api_url.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {
    authorization: oauth1Header(
      method,
      url.toString(),
      {},
      {
        consumerKey: credentials.consumer_key,
        consumerSecret: credentials.consumer_secret,
        token: credentials.access_token,
        tokenSecret: credentials.access_token_secret,
      },
    ),
  };
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await networkFetch(
      url.toString(),
      { method, headers, ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}) },
      rt,
    );
  } catch (err) {
    throw unreachable('X API', err);
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {}
  if (res.ok) return { json, headers: res.headers };
  const detail = `X API ${res.status}: ${String(json.detail ?? json.title ?? text.slice(0, 200))}`;
  if (res.status === 429) throw new SendError('rate_limited', detail, retryAfterMs(res.headers) ?? 15 * 60_000);
  if (res.status === 401) throw new SendError('auth', detail);
  if (res.status >= 500 || res.status === 408) throw new SendError('transient', detail, retryAfterMs(res.headers));
  throw new SendError('permanent', detail);
}
