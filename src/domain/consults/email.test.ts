import { describe, expect, it } from 'vitest';
import { composeEmail } from '../notifications/email.ts';

/** Consult emails: an expert is sent to the consult (never the case), in their language. */
describe('consult notification emails', () => {
  const base = {
    caseSubject: null,
    recipientName: 'Marc Girard',
    locale: 'fr',
    timezone: 'Europe/Zurich',
  };

  it('links an expert to the consult’s minimal view, without the case', () => {
    const mail = composeEmail(
      {
        ...base,
        kind: 'consult',
        caseId: null as unknown as number,
        data: { consult_id: 7, by_name: 'Léa Martin', due_at: '2026-11-29T10:00:00.000Z' },
      },
      'https://passeur.example/',
    );
    expect(mail.subject).toBe('[Passeur] Léa Martin sollicite votre expertise (consultation n° 7)');
    expect(mail.text).toContain('https://passeur.example/consults/7');
    expect(mail.text).not.toContain('/cases/');
    expect(mail.text).toContain('Ouvrir la consultation');
  });

  it('says when it is a reminder', () => {
    const mail = composeEmail(
      {
        ...base,
        locale: 'de',
        kind: 'consult',
        caseId: null as unknown as number,
        data: { consult_id: 8, reminder: true },
      },
      'https://passeur.example',
    );
    expect(mail.text).toContain('Erinnerung: Die Antwort ist jetzt fällig.');
    expect(mail.text).toContain('https://passeur.example/consults/8');
  });

  it('sends the asker of an answered consult to the case', () => {
    const mail = composeEmail(
      {
        ...base,
        locale: 'en',
        kind: 'consult_answered',
        caseId: 42,
        caseSubject: 'Wheelchair on the connecting flight',
        data: { consult_id: 7, by_name: 'Marc Girard' },
      },
      'https://passeur.example',
    );
    expect(mail.subject).toBe('[Passeur] Marc Girard answered a consult on case #42');
    expect(mail.text).toContain('https://passeur.example/cases/42');
    expect(mail.text).toContain('Subject: "Wheelchair on the connecting flight"');
  });
});
