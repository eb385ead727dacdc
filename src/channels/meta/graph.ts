import type { ChannelRuntime } from '../connector.ts';
import { SendError } from '../connector.ts';
import { networkFetch, unreachable } from '../social/outbound.ts';
import { retryAfterMs } from '../social/rate-limit.ts';
import { hmac } from '../social/signature.ts';

/** Where and as whom to call the Graph API. */
export interface GraphAccess {
  /** https://graph.facebook.com unless configured (a test peer, a proxy). */
  graphUrl: string;
  version: string;
  accessToken: string;
  appSecret: string;
}

interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; is_transient?: boolean };
}

/** Graph error codes of throttling: https://developers.facebook.com/docs/graph-api/overview/rate-limiting */
const THROTTLED = new Set([4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014]);
/** The Send API's "outside of allowed window" (code 10, subcode 2018278), and the user cannot be reached (551). */
const OUTSIDE_WINDOW = 2018278;

/**
 * One Graph API call. The token travels in the Authorization header (never in a URL that could be logged) with
 * `appsecret_proof`, which Meta requires when the app enables "Require App Secret".
 */
export async function graphCall(
  access: GraphAccess,
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, unknown> = {},
  rt?: ChannelRuntime,
): Promise<Record<string, unknown>> {
  const url = new URL(`${access.graphUrl.replace(/\/+$/, '')}/${access.version}/${path.replace(/^\/+/, '')}`);
  url.searchParams.set('appsecret_proof', hmac('sha256', access.appSecret, access.accessToken).toString('hex'));
  const headers: Record<string, string> = { authorization: `Bearer ${access.accessToken}` };
  let body: string | undefined;
  if (method === 'GET') {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(params);
  }
  let res: Response;
  try {
    res = await networkFetch(url.toString(), { method, headers, ...(body ? { body } : {}) }, rt);
  } catch (err) {
    throw unreachable('Graph API', err);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = undefined;
  }
  if (res.ok && json && typeof json === 'object') return json as Record<string, unknown>;
  throw graphError(res, (json ?? {}) as GraphErrorBody);
}

/** Maps a Graph API refusal to the platform's error kinds. */
export function graphError(res: Response, body: GraphErrorBody): SendError {
  const e = body.error ?? {};
  const detail = `Graph API ${res.status}${e.code !== undefined ? ` (code ${e.code}${e.error_subcode ? `/${e.error_subcode}` : ''})` : ''}: ${e.message ?? 'no message'}`;
  if (e.code !== undefined && THROTTLED.has(e.code)) {
    return new SendError('rate_limited', detail, usageRetryMs(res.headers) ?? retryAfterMs(res.headers) ?? 5 * 60_000);
  }
  if (res.status === 429) return new SendError('rate_limited', detail, retryAfterMs(res.headers) ?? 60_000);
  if (e.error_subcode === OUTSIDE_WINDOW) return new SendError('permanent', detail);
  // 190: the token expired or was revoked; 102: session; 10 and 200–299: a permission was withdrawn.
  if (e.code === 190 || e.code === 102 || e.code === 10 || (e.code !== undefined && e.code >= 200 && e.code < 300)) {
    return new SendError('auth', detail);
  }
  if (res.status === 401) return new SendError('auth', detail);
  if (e.is_transient || e.code === 1 || e.code === 2 || res.status >= 500) return new SendError('transient', detail);
  return new SendError('permanent', detail);
}

/**
 * Business use case throttling tells how long until calls are accepted again, in minutes:
 * `x-business-use-case-usage: {"<id>": [{"estimated_time_to_regain_access": 5, …}]}`.
 */
function usageRetryMs(headers: Headers): number | undefined {
  const raw = headers.get('x-business-use-case-usage');
  if (!raw) return undefined;
  try {
    const usage = JSON.parse(raw) as Record<string, { estimated_time_to_regain_access?: number }[]>;
    const minutes = Math.max(
      0,
      ...Object.values(usage).flatMap((l) => l.map((u) => u.estimated_time_to_regain_access ?? 0)),
    );
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}
