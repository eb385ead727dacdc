import { describe, expect, it } from 'vitest';
import { imapError } from './imap-session.ts';
import { messageIdList, normalizeMessageId, replyMessageId, replyReferences } from './message-id.ts';
import { replySubject, smtpError } from './reply-mail.ts';

describe('Message-IDs and reply headers', () => {
  it('normalizes ids and reads reference lists', () => {
    expect(normalizeMessageId(' <abc@Example.org > ')).toBe('abc@Example.org');
    expect(normalizeMessageId('')).toBeUndefined();
    expect(messageIdList('<a@x> <b@y>\r\n <c@z>')).toEqual(['a@x', 'b@y', 'c@z']);
    expect(messageIdList(['<a@x>', '<b@y>'])).toEqual(['a@x', 'b@y']);
    expect(messageIdList('a@x, b@y')).toEqual(['a@x', 'b@y']);
  });

  it('derives a stable Message-ID from the idempotency key', () => {
    const key = '6f1c2b9e-7d1a-4c55-9a57-2a4b0f0e9d11';
    expect(replyMessageId(key, 'support@airsocial.example')).toBe(`passeur.${key}@airsocial.example`);
    expect(replyMessageId(key, 'support@airsocial.example')).toBe(replyMessageId(key, 'support@airsocial.example'));
  });

  it('builds References from the parent, keeping both ends of a long thread', () => {
    expect(replyReferences(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
    const long = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const refs = replyReferences(long, 'p');
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('m0');
    expect(refs.at(-1)).toBe('p');
  });

  it('prefixes "Re:" once', () => {
    expect(replySubject('Vol annulé')).toBe('Re: Vol annulé');
    expect(replySubject('RE: Vol annulé')).toBe('RE: Vol annulé');
    expect(replySubject('AW: Koffer')).toBe('AW: Koffer');
    expect(replySubject('Réclamation')).toBe('Re: Réclamation');
  });
});

describe('mail server failures', () => {
  const kind = (e: { kind: string; retryAfterMs: number | undefined }) => [e.kind, e.retryAfterMs];

  it('maps SMTP replies to the platform’s kinds', () => {
    expect(kind(smtpError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Bad credentials' }))).toEqual([
      'auth',
      undefined,
    ]);
    expect(kind(smtpError({ responseCode: 421, response: '421 4.7.0 Try again later' }))).toEqual([
      'rate_limited',
      60_000,
    ]);
    expect(kind(smtpError({ responseCode: 452, response: '452 4.5.3 Too many recipients' }))).toEqual([
      'rate_limited',
      60_000,
    ]);
    expect(kind(smtpError({ responseCode: 450, response: '450 4.2.0 Greylisted' }))).toEqual(['transient', undefined]);
    expect(kind(smtpError({ responseCode: 550, response: '550 5.1.1 No such user' }))).toEqual([
      'permanent',
      undefined,
    ]);
    expect(kind(smtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }))).toEqual(['transient', undefined]);
  });

  it('maps IMAP failures to the platform’s kinds', () => {
    expect(imapError({ authenticationFailed: true, responseText: 'Authentication failed.' }, 'x').kind).toBe('auth');
    expect(kind(imapError({ code: 'ETHROTTLE', throttleReset: 5000, message: 'throttled' }, 'x'))).toEqual([
      'rate_limited',
      5000,
    ]);
    expect(imapError({ mailboxMissing: true, message: 'no such mailbox' }, 'opening Support').kind).toBe('permanent');
    expect(imapError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'x').kind).toBe('transient');
  });
});
