import { describe, expect, it } from 'vitest';
import type { BriefContent } from './content.ts';
import { composeHandoverEmail, escapeHtml } from './email.ts';
import type { BriefRow } from './store.ts';

const content: BriefContent = {
  generated_at: '2026-03-09T14:00:00.000Z',
  cases: [
    {
      key: 'case:7',
      case_id: 7,
      subject: 'Mon vol <script>alert(1)</script> & "retard"',
      status: 'open',
      priority: 'high',
      urgency: 'high',
      assignee: { id: 2, name: 'Léa Martin' },
      risk: 'breached',
      clock: 'first_response',
      due_at: '2026-03-09T13:25:00.000Z',
      minutes_left: -95,
    },
    {
      key: 'case:8',
      case_id: 8,
      subject: 'Facture introuvable',
      status: 'waiting_customer',
      priority: 'normal',
      urgency: 'normal',
      assignee: null,
      risk: 'none',
      clock: null,
      due_at: null,
      minutes_left: null,
    },
  ],
  consults: [],
  promises: [
    {
      key: 'promise:31:0',
      case_id: 7,
      case_status: 'open',
      message_id: 31,
      sent_at: '2026-03-09T09:00:00.000Z',
      author: 'Léa Martin',
      kind: 'follow_up',
      sentence: 'Je reviens vers vous demain.',
      deadline: 'demain',
      due_at: '2026-03-10T22:59:00.000Z',
      overdue: false,
    },
  ],
  incidents: [],
  counts: {
    received: 12,
    answered: 9,
    new_cases: 5,
    resolved: 3,
    open: 2,
    breached: 1,
    at_risk: 0,
    consults_waiting: 0,
  },
};

const brief = {
  id: 4,
  period_from: new Date('2026-03-09T06:00:00Z'),
  period_to: new Date('2026-03-09T14:00:00Z'),
  content,
  note: 'Rappeler <b>Mme Roux</b> avant 9 h.',
  item_edits: { 'case:8': { hidden: true }, 'case:7': { comment: 'Client VIP & pressé' } },
} as unknown as BriefRow;

describe('handover email', () => {
  it('escapes text for HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('writes the brief in the recipient’s language, hidden items left out, as text and as escaped HTML', () => {
    const mail = composeHandoverEmail(
      {
        brief,
        communityName: 'AirSocial · FR',
        byName: 'Léa Martin',
        recipientName: 'Sophie Laurent',
        locale: 'fr-CH',
        timezone: 'Europe/Zurich',
      },
      'https://care.example/',
    );
    expect(mail.subject).toBe('[Passeur] Passation : AirSocial · FR, jusqu’à 15:00');
    expect(mail.text).toContain('Bonjour Sophie Laurent,');
    expect(mail.text).toContain('Léa Martin a publié la passation de AirSocial · FR');
    expect(mail.text).toContain('- #7 · en retard de 1 h 35 · Léa Martin');
    expect(mail.text).toContain('"Mon vol <script>alert(1)</script> & "retard""');
    expect(mail.text).toContain('Commentaire : Client VIP & pressé');
    expect(mail.text).toContain('"Je reviens vers vous demain."');
    expect(mail.text).toContain('Consultations en attente :\n  Aucun.');
    expect(mail.text).toContain('https://care.example/handover/4');
    expect(mail.text).not.toContain('Facture introuvable');
    expect(mail.html).toContain('Mon vol &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;retard&quot;');
    expect(mail.html).toContain('Rappeler &lt;b&gt;Mme Roux&lt;/b&gt; avant 9 h.');
    expect(mail.html).not.toMatch(/<script|<b>/);
    expect(mail.html).not.toContain('Facture introuvable');
  });

  it('speaks German to a German reader, English to others', () => {
    const facts = { brief, communityName: 'AirSocial · DE', byName: null, recipientName: 'Jonas', timezone: 'UTC' };
    expect(composeHandoverEmail({ ...facts, locale: 'de' }, 'https://x').subject).toBe(
      '[Passeur] Schichtübergabe: AirSocial · DE, bis 14:00',
    );
    expect(composeHandoverEmail({ ...facts, locale: 'es' }, 'https://x').text).toContain(
      'Here is the handover brief of AirSocial · DE',
    );
  });
});
