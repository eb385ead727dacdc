import { HttpError } from './errors.ts';

/**
 * Token buckets per key (API token, address): `ratePerSecond` sustained, bursts up to `burst`.
 * In memory, per process: with N processes the effective limit is N times higher, which errs on the
 * side of accepting customer messages.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly rate: number;
  private readonly burst: number;

  constructor(ratePerSecond: number, burst = ratePerSecond * 2) {
    this.rate = ratePerSecond;
    this.burst = burst;
  }

  /** Takes one token for `key` or throws 429 with Retry-After. */
  take(key: string, now = Date.now()): void {
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / this.rate));
      throw new HttpError(429, 'rate_limited', 'too many requests; slow down', { 'retry-after': String(wait) });
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(k);
  }
}
