import { describe, expect, it } from 'vitest';
import { Anonymizer } from './anonymize.ts';

describe('training replays: anonymization', () => {
  const anon = () =>
    new Anonymizer({
      customers: [{ name: 'Jeanne Dupuis', handles: ['@jeanne_dupuis', 'jeanne.dupuis@mail.example'] }],
      agents: ['Léa Martin'],
      brandHandles: ['@AirSocial'],
    });

  it('replaces names, handles, e-mails, phones and booking references consistently', () => {
    const a = anon();
    const asked = a.text(
      'Bonjour @AirSocial, ici Jeanne Dupuis (@jeanne_dupuis), réservation QX7K2P, tél. 06 12 34 56 78, jeanne.dupuis@mail.example',
    );
    expect(asked).toBe(
      'Bonjour @AirSocial, ici Customer A (@customer-a), réservation TRN001, tél. +00 0000 0001, customer1@example.invalid',
    );
    // The same values in a later message get the same stand-ins; first names and signatures too.
    const answered = a.text('Bonjour Jeanne, votre dossier QX7K2P est rebooké. Appelez le 06 12 34 56 78. Léa');
    expect(answered).toBe('Bonjour Customer A, votre dossier TRN001 est rebooké. Appelez le +00 0000 0001. Agent A');
    expect(a.handle('@jeanne_dupuis')).toBe('@customer-a');
  });

  it('replaces other people’s handles and a second reference with new stand-ins, and keeps the brand', () => {
    const a = anon();
    const t = a.text('@paul_r et @jeanne_dupuis : dossiers AB12CD et QX7K2P, écrivez à @AirSocial');
    expect(t).toBe('@customer-1 et @customer-a : dossiers TRN001 et TRN002, écrivez à @AirSocial');
    expect(a.text('@paul_r encore')).toBe('@customer-1 encore');
  });

  it('hides booking references the detector misses, but not flight numbers or ordinary capitals', () => {
    const a = anon();
    // The detector takes the reference after "dossier"; the one after "Réf" (accented) is caught here.
    expect(a.text('URGENT : vol AS1208, 5h de retard. Réf 5WBDWU, dossier ABCDEF. MERCI')).toBe(
      'URGENT : vol AS1208, 5h de retard. Réf TRN002, dossier TRN001. MERCI',
    );
    expect(a.text('Toujours rien pour 5WBDWU')).toBe('Toujours rien pour TRN002');
  });

  it('leaves ordinary words that merely contain a name alone', () => {
    const a = new Anonymizer({ customers: [{ name: 'Ana', handles: [] }], agents: [], brandHandles: [] });
    expect(a.text('Ana, votre banane est arrivée à Nantes')).toBe('Customer A, votre banane est arrivée à Nantes');
  });
});
