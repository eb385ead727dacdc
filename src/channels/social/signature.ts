import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC of `data` with `key`, as the networks sign webhooks and requests. */
export function hmac(algorithm: 'sha1' | 'sha256', key: string, data: string | Buffer): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

/**
 * Compares a received signature or token with the expected one in constant time, so that timing does not tell
 * how many leading characters were right. A length mismatch answers at once: the length is no secret.
 */
export function sameSignature(received: string | undefined, expected: string): boolean {
  if (received === undefined) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
