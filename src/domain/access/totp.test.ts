import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  newRecoveryCodes,
  normalizeRecoveryCode,
  otpauthUri,
  totp,
} from './totp.ts';

// RFC 6238 Appendix B: the seeds are the ASCII digits repeated to the key length of each hash.
const SEED_SHA1 = Buffer.from('12345678901234567890');
const SEED_SHA256 = Buffer.from('12345678901234567890123456789012');
const SEED_SHA512 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234');
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238) and HOTP (RFC 4226)', () => {
  it('matches every RFC 6238 test vector for SHA-1, SHA-256 and SHA-512', () => {
    for (const [seconds, sha1, sha256, sha512] of VECTORS) {
      expect(totp(SEED_SHA1, seconds * 1000, 8, 'sha1')).toBe(sha1);
      expect(totp(SEED_SHA256, seconds * 1000, 8, 'sha256')).toBe(sha256);
      expect(totp(SEED_SHA512, seconds * 1000, 8, 'sha512')).toBe(sha512);
    }
  });

  it('matches the RFC 4226 Appendix D HOTP values', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, i) => hotp(SEED_SHA1, i))).toEqual(expected);
  });

  it('round-trips base32 (RFC 4648 examples) and ignores spaces and case when decoding', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(Buffer.from('fooba'))).toBe('MZXW6YTB');
    expect(base32Decode('mzxw 6ytb oi').toString()).toBe('foobar');
    expect(base32Decode(base32Encode(SEED_SHA1))).toEqual(SEED_SHA1);
    expect(() => base32Decode('not base32!')).toThrow();
  });

  it('accepts one step either side of now, never the same step twice, and nothing further off', () => {
    const t = 1_800_000_000_000;
    const code = (ms: number) => totp(SEED_SHA1, ms);
    const step = Math.floor(t / 30_000);
    expect(matchTotp(SEED_SHA1, code(t), t, null)).toBe(step);
    expect(matchTotp(SEED_SHA1, code(t - 30_000), t, null)).toBe(step - 1);
    expect(matchTotp(SEED_SHA1, code(t + 30_000), t, null)).toBe(step + 1);
    expect(matchTotp(SEED_SHA1, code(t - 60_000), t, null)).toBeNull();
    expect(matchTotp(SEED_SHA1, code(t + 60_000), t, null)).toBeNull();
    // Replay: once a step was used, that code and older ones are refused.
    expect(matchTotp(SEED_SHA1, code(t), t, step)).toBeNull();
    expect(matchTotp(SEED_SHA1, code(t - 30_000), t, step)).toBeNull();
    expect(matchTotp(SEED_SHA1, code(t + 30_000), t, step)).toBe(step + 1);
    expect(matchTotp(SEED_SHA1, 'abcdef', t, null)).toBeNull();
    expect(matchTotp(SEED_SHA1, `${code(t)}0`, t, null)).toBeNull();
  });

  it('writes an otpauth URI authenticator apps read, and makes distinct recovery codes', () => {
    const uri = new URL(otpauthUri(SEED_SHA1, 'léa@example.com', 'Passeur'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(base32Encode(SEED_SHA1));
    expect(uri.searchParams.get('issuer')).toBe('Passeur');
    expect(decodeURIComponent(uri.pathname)).toContain('Passeur:léa@example.com');
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(normalizeRecoveryCode(' ABCDE-fghij ')).toBe('abcdefghij');
  });
});
