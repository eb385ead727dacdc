import { describe, expect, it } from 'vitest';
import { SendError } from '../connector.ts';
import { retryAfterMs, toChannelError } from './errors.ts';

describe('Bluesky errors', () => {
  it('maps a 429 to rate_limited with the wait until ratelimit-reset', () => {
    const now = 1_800_000_000_000;
    expect(retryAfterMs({ 'ratelimit-reset': String(now / 1000 + 42) }, now)).toBe(42_000);
    expect(retryAfterMs({ 'retry-after': '7' }, now)).toBe(7000);
    expect(retryAfterMs(undefined, now)).toBe(60_000);
    const e = toChannelError({ status: 429, error: 'RateLimitExceeded', message: 'slow down', headers: {} }, 'posting');
    expect(e).toBeInstanceOf(SendError);
    expect(e.kind).toBe('rate_limited');
    expect(e.message).toBe('posting: RateLimitExceeded: slow down');
  });

  it('maps refused credentials to auth, bad requests to permanent, the rest to transient', () => {
    expect(toChannelError({ status: 401, error: 'AuthenticationRequired' }, 'x').kind).toBe('auth');
    expect(toChannelError({ status: 400, error: 'ExpiredToken' }, 'x').kind).toBe('auth');
    expect(toChannelError({ status: 400, error: 'InvalidRequest' }, 'x').kind).toBe('permanent');
    expect(toChannelError({ status: 502 }, 'x').kind).toBe('transient');
    expect(toChannelError(new Error('ECONNRESET'), 'x').kind).toBe('transient');
  });
});
