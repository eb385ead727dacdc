import { describe, expect, it } from 'vitest';
import { composeEmail } from '../notifications/email.ts';
import { NOTIFICATION_KINDS } from '../notifications/model.ts';

const base = { caseId: 0, caseSubject: null, recipientName: 'Anna Keller', timezone: 'Europe/Zurich' };
const KINDS = ['post_approval_requested', 'post_approval_decided', 'post_approval_overdue', 'post_approval_late'];

describe('post approval emails', () => {
  it('are notification kinds a person can choose by email', () => {
    for (const k of KINDS) expect(NOTIFICATION_KINDS).toContain(k);
  });

  it('have their own text in the four languages, and link to the queue or the calendar, not to a case', () => {
    for (const locale of ['en', 'fr', 'de', 'it']) {
      for (const kind of KINDS) {
        const mail = composeEmail(
          {
            ...base,
            kind,
            locale,
            data: { post_id: 17, by_name: 'Léa Martin', due_at: '2026-07-01T10:00:00Z', decision: 'approved' },
          },
          'https://passeur.example/',
        );
        expect(mail.subject).not.toBe('[Passeur] Passeur #17');
        expect(mail.subject).toContain('17');
        expect(mail.text).not.toContain('/cases/');
        expect(mail.text).toContain(
          kind === 'post_approval_decided' ? 'https://passeur.example/publishing' : 'https://passeur.example/approvals',
        );
      }
    }
    const fr = composeEmail(
      { ...base, kind: 'post_approval_requested', locale: 'fr', data: { post_id: 17, by_name: 'Léa Martin' } },
      'https://passeur.example',
    );
    expect(fr.subject).toBe('[Passeur] Léa Martin vous demande de valider une publication (n° 17)');
    expect(fr.text).toContain('Ouvrir les validations: https://passeur.example/approvals');
  });
});
