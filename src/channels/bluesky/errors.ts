import { SendError } from '../connector.ts';

/** What an error from @atproto/api (XRPCError) or from the network carries. */
interface XrpcLike {
  status?: unknown;
  error?: unknown;
  message?: unknown;
  headers?: Record<string, string> | undefined;
}

const AUTH_ERRORS = new Set([
  'AuthenticationRequired',
  'InvalidToken',
  'ExpiredToken',
  'AccountTakedown',
  'AccountDeactivated',
  'AuthFactorTokenRequired',
]);

/** Milliseconds until `ratelimit-reset` (epoch seconds), else `retry-after`, else a minute. */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number {
  const reset = Number(headers?.['ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - now);
  const after = Number(headers?.['retry-after']);
  if (Number.isFinite(after) && after >= 0) return Math.max(1000, after * 1000);
  return 60_000;
}

/** Maps any failure talking to Bluesky to the platform's fixed error kinds. */
export function toChannelError(err: unknown, doing: string): SendError {
  if (err instanceof SendError) return err;
  const e = (err ?? {}) as XrpcLike;
  const status = typeof e.status === 'number' ? e.status : 0;
  const code = typeof e.error === 'string' ? e.error : '';
  const detail = typeof e.message === 'string' && e.message ? e.message : String(err);
  const message = `${doing}: ${code && !detail.includes(code) ? `${code}: ` : ''}${detail}`;
  if (status === 429 || code === 'RateLimitExceeded') {
    return new SendError('rate_limited', message, retryAfterMs(e.headers));
  }
  if (status === 401 || AUTH_ERRORS.has(code)) return new SendError('auth', message);
  if (status >= 400 && status < 500) return new SendError('permanent', message);
  return new SendError('transient', message);
}
