import { describe, expect, it } from 'vitest';
import { detectPromises, sentences } from './promises.ts';

const AT = new Date('2026-03-10T10:00:00Z');
const one = (text: string, tz = 'UTC') => {
  const found = detectPromises(text, AT, tz);
  expect(found, text).toHaveLength(1);
  return found[0]!;
};

describe('promise detector', () => {
  it('splits a reply into sentences', () => {
    expect(sentences('Bonjour Jeanne. Nous vérifions !\nMerci')).toEqual([
      'Bonjour Jeanne.',
      'Nous vérifions !',
      'Merci',
    ]);
  });

  it('finds follow-ups in French, with the deadline', () => {
    const p = one('Bonjour Jeanne, merci pour votre message. Je reviens vers vous demain avec la réponse de l’escale.');
    expect(p).toMatchObject({
      kind: 'follow_up',
      sentence: 'Je reviens vers vous demain avec la réponse de l’escale.',
      deadline: 'demain',
    });
    // The end of tomorrow in the community's zone.
    expect(p.due_at?.toISOString()).toBe('2026-03-11T23:59:00.000Z');
    expect(one('Nous vous recontacterons sous 48 h.')).toMatchObject({ kind: 'follow_up', deadline: 'sous 48 h' });
    expect(one('Nous vous recontacterons sous 48 h.').due_at?.toISOString()).toBe('2026-03-12T10:00:00.000Z');
    expect(one('Je vais vérifier auprès de nos collègues.')).toMatchObject({ kind: 'follow_up', deadline: null });
  });

  it('finds refunds in French, and the end of the day in the community’s zone', () => {
    const p = one('Vous serez remboursé aujourd’hui.', 'Europe/Zurich');
    expect(p).toMatchObject({ kind: 'refund', deadline: 'aujourd’hui' });
    // 10:00 UTC is 11:00 in Zurich (winter): the day ends 12 h 59 min later.
    expect(p.due_at?.toISOString()).toBe('2026-03-10T22:59:00.000Z');
  });

  it('finds promises in German', () => {
    expect(one('Vielen Dank. Wir melden uns innerhalb von 24 Stunden bei Ihnen.')).toMatchObject({
      kind: 'follow_up',
      deadline: 'innerhalb von 24 Stunden',
    });
    expect(one('Wir erstatten Ihnen selbstverständlich den vollen Preis.')).toMatchObject({ kind: 'refund' });
    expect(one('Ich kümmere mich morgen darum.')).toMatchObject({ kind: 'follow_up', deadline: 'morgen' });
  });

  it('finds promises in Italian', () => {
    expect(one('Grazie, le faremo sapere entro 2 giorni.')).toMatchObject({
      kind: 'follow_up',
      deadline: 'entro 2 giorni',
    });
    expect(one('La rimborseremo al più presto.')).toMatchObject({ kind: 'refund', deadline: 'al più presto' });
    expect(one('Verificheremo con lo scalo di Milano.')).toMatchObject({ kind: 'follow_up' });
  });

  it('finds promises in English', () => {
    expect(one("Thanks Sam, we'll get back to you tomorrow.")).toMatchObject({
      kind: 'follow_up',
      deadline: 'tomorrow',
    });
    expect(one("We'll refund the seat within 5 working days.")).toMatchObject({
      kind: 'refund',
      deadline: 'within 5 working days',
    });
    expect(one('Someone from our team will contact you shortly.')).toMatchObject({
      kind: 'follow_up',
      deadline: 'shortly',
    });
  });

  it('finds promises in Spanish', () => {
    expect(one('Nos pondremos en contacto con usted en 24 horas.')).toMatchObject({
      kind: 'follow_up',
      deadline: 'en 24 horas',
    });
    expect(one('Le reembolsaremos el billete mañana.')).toMatchObject({ kind: 'refund', deadline: 'mañana' });
  });

  it('keeps each promise of a reply, in order', () => {
    const found = detectPromises(
      'Nous sommes désolés. Nous allons vérifier avec l’escale. Vous recevrez un avoir sous 7 jours.',
      AT,
    );
    expect(found.map((p) => [p.kind, p.deadline])).toEqual([
      ['follow_up', null],
      ['refund', 'sous 7 jours'],
    ]);
  });

  it('ignores replies without a promise, and refusals', () => {
    for (const text of [
      // Plain answers and apologies.
      'Bonjour, votre vol part à 14 h 05 de la porte B12.',
      'Thank you for your kind words, have a nice flight!',
      'Es tut uns leid für die Verspätung.',
      'Grazie per la pazienza.',
      'Gracias por escribirnos.',
      // Refusals.
      'We cannot refund a non-refundable fare, sorry.',
      'Malheureusement, nous ne pouvons pas vous rembourser ce billet.',
      'Leider können wir Ihnen den Preis nicht erstatten.',
      'Purtroppo non possiamo rimborsarla.',
      'Lamentablemente no podemos reembolsarle el billete.',
      // The customer is asked to come back: no promise from the brand.
      'N’hésitez pas à nous recontacter si besoin.',
      'Feel free to get back to us if anything changes.',
    ]) {
      expect(detectPromises(text, AT), text).toEqual([]);
    }
  });

  it('quotes a long sentence shortened, and never more than the sentence', () => {
    const long = `We will get back to you ${'very '.repeat(80)}soon.`;
    const [p] = detectPromises(long, AT);
    expect(p!.sentence.length).toBe(240);
    expect(p!.sentence.endsWith('…')).toBe(true);
  });
});
