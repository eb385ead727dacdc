import { describe, expect, it } from 'vitest';
import { detectPii, ibanValid, luhnValid, maskPii } from './pii.ts';

const kinds = (text: string) => detectPii(text).map((m) => [m.kind, text.slice(m.start, m.end)]);

describe('checksums', () => {
  it('Luhn accepts valid card numbers and rejects altered ones', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('5500-0000-0000-0004')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111 1111 1111 1112')).toBe(false);
    expect(luhnValid('1234567812345678')).toBe(false);
  });

  it('IBAN mod-97 and country length', () => {
    expect(ibanValid('FR76 3000 6000 0112 3456 7890 189')).toBe(true);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('IT60X0542811101000000123456')).toBe(true);
    expect(ibanValid('FR76 3000 6000 0112 3456 7890 188')).toBe(false); // wrong check digits
    expect(ibanValid('DE8937040044053201300')).toBe(false); // too short for DE
  });
});

describe('detectPii', () => {
  it('finds e-mail addresses but not @handles', () => {
    expect(kinds('@AirSocial please write to jane.doe+trip@example.co.uk')).toEqual([
      ['email', 'jane.doe+trip@example.co.uk'],
    ]);
    expect(kinds('@AirSocial @jane_doe thanks')).toEqual([]);
  });

  it('finds phone numbers in several formats, not dates or times', () => {
    expect(kinds('call me on +33 6 12 34 56 78 tonight')).toEqual([['phone', '+33 6 12 34 56 78']]);
    expect(kinds('ruf mich an: 0171 1234567')).toEqual([['phone', '0171 1234567']]);
    expect(kinds('my number is (555) 123-4567')).toEqual([['phone', '(555) 123-4567']]);
    expect(kinds('flight on 2015-02-24 at 10:30, 3 hours late')).toEqual([]);
  });

  it('finds Luhn-valid payment cards only', () => {
    expect(kinds('charged twice on 4111 1111 1111 1111!')).toEqual([['card', '4111 1111 1111 1111']]);
    expect(kinds('card 4111 1111 1111 1112').map(([k]) => k)).not.toContain('card');
  });

  it('finds valid IBANs and ignores invalid ones', () => {
    expect(kinds('refund to FR76 3000 6000 0112 3456 7890 189 please')).toEqual([
      ['iban', 'FR76 3000 6000 0112 3456 7890 189'],
    ]);
    expect(kinds('IBAN: DE89370400440532013000')).toEqual([['iban', 'DE89370400440532013000']]);
    expect(kinds('refund to FR76 3000 6000 0112 3456 7890 188 please').map(([k]) => k)).not.toContain('iban');
  });

  it('finds booking references, not flight numbers or shouting', () => {
    expect(kinds('booking ref X7K9QP, flight AF1234 tomorrow')).toEqual([['booking_ref', 'X7K9QP']]);
    expect(kinds('mon dossier de réservation est KXWTRA')).toEqual([['booking_ref', 'KXWTRA']]);
    expect(kinds('flight AF1234 is LATE AGAIN, ANGRY')).toEqual([]);
    expect(kinds('code 4QZ8PM')).toEqual([['booking_ref', '4QZ8PM']]);
  });
});

describe('maskPii', () => {
  it('replaces every match and keeps the last four digits of cards', () => {
    const text =
      'Card 4111 1111 1111 1111, ref X7K9QP, mail jo@ex.com, tel +44 20 7946 0958, IBAN DE89370400440532013000';
    expect(maskPii(text)).toBe('Card [card …1111], ref [booking-ref], mail [email], tel [phone], IBAN [iban]');
  });

  it('accepts matches from triage and leaves clean text unchanged', () => {
    const text = 'write to a@b.io';
    expect(maskPii(text, detectPii(text))).toBe('write to [email]');
    expect(maskPii('nothing to hide', [])).toBe('nothing to hide');
  });
});
