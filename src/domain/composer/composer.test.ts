import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitThread, textLength } from './thread.ts';
import { fillVariables, firstName } from './variables.ts';

describe('reply variables', () => {
  it('fills the known variables and reports unknown and empty ones without dropping them', () => {
    const r = fillVariables(
      'Bonjour {{contact.name}}, dossier {{ case.id }} – {{agent.first_name}} {{agnet.name}} {{contact.handle}}',
      {
        'contact.name': 'Jeanne',
        'case.id': '42',
        'agent.first_name': 'Léa',
        'contact.handle': null,
      },
    );
    expect(r.text).toBe('Bonjour Jeanne, dossier 42 – Léa {{agnet.name}} {{contact.handle}}');
    expect(r.unknown).toEqual(['agnet.name']);
    expect(r.empty).toEqual(['contact.handle']);
    expect(r.used).toEqual(['contact.name', 'case.id', 'agent.first_name', 'contact.handle']);
    expect(firstName('  Léa Martin ')).toBe('Léa');
  });

  it('does not treat a value as a template', () => {
    const r = fillVariables('{{contact.name}}', { 'contact.name': '{{agent.name}}' });
    expect(r.text).toBe('{{agent.name}}');
    expect(r.unknown).toEqual([]);
  });
});

describe('threads', () => {
  it('counts characters as people see them', () => {
    expect(textLength('Genève ✈️ 👨‍👩‍👧')).toBe(10);
  });

  it('keeps a text that fits as one post', () => {
    expect(splitThread('Bonjour Jeanne', 280)).toEqual(['Bonjour Jeanne']);
  });

  it('splits at word boundaries with position markers, every part within the limit', () => {
    const text = 'Nous sommes désolés pour ce retard. Votre correspondance est assurée sur le vol suivant.';
    const parts = splitThread(text, 40);
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(textLength(p)).toBeLessThanOrEqual(40);
      expect(p.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
    });
    const words = parts.map((p) => p.replace(/ \d+\/\d+$/, '')).join(' ');
    expect(words).toBe(text);
  });

  it('holds for any text: parts within the limit, nothing lost, markers in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zé✈]{1,30}$/), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 12, max: 300 }),
        (words, max) => {
          const text = words.join(' ');
          const parts = splitThread(text, max);
          for (const p of parts) expect(textLength(p)).toBeLessThanOrEqual(max);
          if (parts.length === 1) {
            expect(parts[0]).toBe(text);
            return;
          }
          const body = parts.map((p, i) => {
            expect(p.endsWith(` ${i + 1}/${parts.length}`)).toBe(true);
            return p.slice(0, p.lastIndexOf(' '));
          });
          expect(body.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
        },
      ),
    );
  });
});
