import { describe, expect, it } from 'vitest';
import { graphError } from '../meta/graph.ts';
import { isoTime, languageCode } from './normalized.ts';
import { retryAfterMs } from './rate-limit.ts';
import { sameSignature } from './signature.ts';

describe('what the social connectors share', () => {
  it('reads how long to wait from each network’s headers', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '30' }), now)).toBe(30_000);
    expect(retryAfterMs(new Headers({ 'x-rate-limit-reset': String(now / 1000 + 90) }), now)).toBe(90_000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': '2026-01-01T00:05:00.000Z' }), now)).toBe(300_000);
    expect(retryAfterMs(new Headers({ 'x-rate-limit-reset': String(now / 1000 - 5) }), now)).toBe(1000);
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it('maps Graph API errors to the platform’s kinds', () => {
    const kind = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
      graphError(new Response(null, { status, headers }), { error });
    expect(kind(400, { code: 190, message: 'expired' }).kind).toBe('auth');
    expect(kind(400, { code: 10, error_subcode: 2018278 }).kind).toBe('permanent');
    expect(kind(403, { code: 200 }).kind).toBe('auth');
    const throttled = kind(
      400,
      { code: 80001 },
      {
        'x-business-use-case-usage': JSON.stringify({ '1': [{ estimated_time_to_regain_access: 3 }] }),
      },
    );
    expect([throttled.kind, throttled.retryAfterMs]).toEqual(['rate_limited', 180_000]);
    expect(kind(500, { code: 2, is_transient: true }).kind).toBe('transient');
    expect(kind(400, { code: 100 }).kind).toBe('permanent');
  });

  it('compares signatures safely and reads times and languages', () => {
    expect(sameSignature('sha256=ab', 'sha256=ab')).toBe(true);
    expect(sameSignature('sha256=ac', 'sha256=ab')).toBe(false);
    expect(sameSignature(undefined, 'sha256=ab')).toBe(false);
    expect(sameSignature('short', 'sha256=ab')).toBe(false);
    expect(isoTime(1520383571)).toBe('2018-03-07T00:46:11.000Z');
    expect(isoTime(1458692752478)).toBe('2016-03-23T00:25:52.478Z');
    expect(isoTime('1784928224372')).toBe(new Date(1784928224372).toISOString());
    expect(isoTime('nonsense')).toBeUndefined();
    expect(languageCode('fr-CH')).toBe('fr');
    expect(languageCode('und')).toBeUndefined();
  });
});
