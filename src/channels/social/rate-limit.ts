const MINUTE = 60_000;

/**
 * How long to wait before trying again, from the headers networks send with a refusal: `Retry-After` (seconds
 * or an HTTP date), X's `x-rate-limit-reset` (epoch seconds), Mastodon's `x-ratelimit-reset` (ISO 8601 time).
 * Undefined when none is present.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return clamp(seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return clamp(at - now);
  }
  const reset = headers.get('x-rate-limit-reset') ?? headers.get('x-ratelimit-reset');
  if (reset) {
    const epoch = Number(reset);
    const at = Number.isFinite(epoch) ? epoch * 1000 : Date.parse(reset);
    if (Number.isFinite(at)) return clamp(at - now);
  }
  return undefined;
}

/** At least one second (clocks differ), at most an hour (a longer wait is re-evaluated then). */
function clamp(ms: number): number {
  return Math.min(60 * MINUTE, Math.max(1000, Math.ceil(ms)));
}
