import { describe, expect, it } from 'vitest';
import { composeEmail, languageOf, plainExcerpt } from './email.ts';

const base = {
  caseId: 42,
  caseSubject:
    'Mon vol AS1234 Genève–Paris a 3 h de retard,\nje vais rater ma correspondance, que faire ? Merci beaucoup !!',
  recipientName: 'Léa Martin',
  timezone: 'Europe/Zurich',
};

describe('notification emails', () => {
  it('writes in the recipient’s language, with a link and a short plain excerpt', () => {
    const fr = composeEmail(
      { ...base, kind: 'assigned', data: { by_name: 'Marie Lefèvre' }, locale: 'fr' },
      'https://passeur.example/',
    );
    expect(fr.subject).toBe('[Passeur] Le dossier n° 42 vous est attribué');
    expect(fr.text).toContain('Bonjour Léa Martin,');
    expect(fr.text).toContain('Marie Lefèvre vous a attribué le dossier n° 42.');
    expect(fr.text).toContain('https://passeur.example/cases/42');
    const excerpt = fr.text.split('\n').find((l) => l.startsWith('Objet'))!;
    expect(excerpt.length).toBeLessThan(100);
    expect(excerpt).not.toContain('Merci beaucoup');
  });

  it('names the clock and its due time in the recipient’s zone', () => {
    const de = composeEmail(
      {
        ...base,
        kind: 'sla_breach',
        data: { clock: 'first_response', due_at: '2026-03-02T09:00:00.000Z', escalation: 1 },
        locale: 'de',
      },
      'http://localhost:8080',
    );
    expect(de.subject).toBe('[Passeur] Fall #42: Erste Antwort überfällig');
    expect(de.text).toContain('10:00');
    expect(de.text).toContain('Der Fall wurde eskaliert.');
    const it_ = composeEmail({ ...base, kind: 'mention', data: { by_name: 'Giulia' }, locale: 'it' }, 'http://x');
    expect(it_.subject).toBe('[Passeur] Giulia l’ha menzionata nel caso n. 42');
    expect(
      composeEmail({ ...base, kind: 'sla_warning', data: { clock: 'resolution' }, locale: 'es' }, 'http://x').subject,
    ).toBe('[Passeur] Case #42: resolution due soon');
  });

  it('keeps excerpts on one line and short', () => {
    expect(plainExcerpt('a\u0000b\r\nc\u2028d', 80)).toBe('a b c d');
    expect(plainExcerpt('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(languageOf('fr-CH')).toBe('fr');
    expect(languageOf('pt')).toBe('en');
  });
});
