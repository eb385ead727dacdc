import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signature, verifySignature } from './signature.ts';
import { refuseTarget } from './target.ts';
import { backoffMs, MAX_ATTEMPTS } from './worker.ts';

describe('webhook signatures', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 and verifies within the tolerance only', () => {
    const body = '{"event":"case.created"}';
    const sig = signature('whsec_k', 1_700_000_000, body);
    const expected = createHmac('sha256', 'whsec_k').update(`1700000000.${body}`).digest('hex');
    expect(sig).toBe(`sha256=${expected}`);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    const now = 1_700_000_000_000;
    expect(verifySignature('whsec_k', { timestamp: '1700000000', signature: sig }, body, 300, now)).toBe(true);
    expect(verifySignature('whsec_k', { timestamp: '1700000000', signature: sig }, `${body} `, 300, now)).toBe(false);
    expect(verifySignature('whsec_k', { timestamp: '1700000001', signature: sig }, body, 300, now)).toBe(false);
    expect(verifySignature('whsec_k', { timestamp: '1700000000', signature: sig }, body, 300, now + 301_000)).toBe(
      false,
    );
  });
});

describe('webhook retries', () => {
  it('back off exponentially, honour Retry-After, and stop within an hour apart', () => {
    expect(backoffMs(1, null)).toBe(10_000);
    expect(backoffMs(2, null)).toBe(20_000);
    expect(backoffMs(4, null)).toBe(80_000);
    expect(backoffMs(20, null)).toBe(3_600_000);
    expect(backoffMs(1, 120)).toBe(120_000);
    expect(backoffMs(1, 1)).toBe(10_000);
    expect(MAX_ATTEMPTS).toBeGreaterThan(3);
  });
});

describe('webhook targets', () => {
  it('refuses local, private and link-local addresses unless allowed, and non-http schemes', async () => {
    for (const url of [
      'http://127.0.0.1/x',
      'http://10.0.0.8/x',
      'http://172.20.1.1/x',
      'http://192.168.1.1/x',
      'http://169.254.169.254/x',
      'http://[::1]/x',
      'http://[fd00::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://0.0.0.0/x',
    ]) {
      expect(await refuseTarget(url, false), url).toMatch(/private or local/);
      expect(await refuseTarget(url, true), url).toBeNull();
    }
    expect(await refuseTarget('file:///etc/passwd', true)).toMatch(/only http and https/);
    expect(await refuseTarget('not a url', false)).toBe('not a URL');
    expect(await refuseTarget('http://93.184.215.14/hook', false)).toBeNull();
  });
});
