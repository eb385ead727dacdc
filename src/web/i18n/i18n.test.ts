import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import {
  DICTIONARIES,
  formatDuration,
  formattingLocale,
  interpolate,
  LANGUAGES,
  labelFor,
  languageOf,
  placeholders,
  plural,
  translator,
} from './index.ts';

const keys = Object.keys(en).sort();

describe('dictionaries', () => {
  for (const lang of LANGUAGES) {
    describe(lang, () => {
      const dict = DICTIONARIES[lang] as Record<string, string>;

      it('has every key of the reference, and no other', () => {
        expect(Object.keys(dict).sort()).toEqual(keys);
      });

      it('has a non-empty text for every key', () => {
        const empty = keys.filter((k) => typeof dict[k] !== 'string' || dict[k]!.trim() === '');
        expect(empty).toEqual([]);
      });

      it('uses exactly the placeholders of the reference', () => {
        const wrong = keys.filter(
          (k) => placeholders(dict[k]!).join() !== placeholders((en as Record<string, string>)[k]!).join(),
        );
        expect(wrong).toEqual([]);
      });
    });
  }

  it('is really translated (most texts differ from English)', () => {
    for (const lang of ['fr', 'de', 'it'] as const) {
      const dict = DICTIONARIES[lang] as Record<string, string>;
      const same = keys.filter((k) => dict[k] === (en as Record<string, string>)[k]);
      expect(same.length / keys.length, lang).toBeLessThan(0.2);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(translator('fr')('case.number', { id: 42 })).toBe('Cas n° 42');
    expect(translator('de')('view.count.other', { n: 3 })).toBe('3 Fälle');
  });

  it('chooses plural forms by each language’s rules', () => {
    expect(plural('en', translator('en'), 'view.count', 1)).toBe('1 case');
    expect(plural('en', translator('en'), 'view.count', 0)).toBe('0 cases');
    expect(plural('fr', translator('fr'), 'inbox.shown', 0)).toBe('0 cas affiché');
    expect(plural('fr', translator('fr'), 'inbox.shown', 2)).toBe('2 cas affichés');
    expect(plural('de', translator('de'), 'view.count', 1)).toBe('1 Fall');
    expect(plural('it', translator('it'), 'inbox.shown', 12)).toBe('12 casi mostrati');
  });

  it('falls back to a readable label for values without a translation', () => {
    const t = translator('en');
    expect(labelFor(t, 'topic', 'delay')).toBe('Delay');
    expect(labelFor(t, 'topic', 'lost_and_found')).toBe('lost and found');
    expect(labelFor(translator('it'), 'status', 'waiting_customer')).toBe('In attesa del cliente');
  });

  it('picks the interface language from a locale', () => {
    expect(languageOf('fr')).toBe('fr');
    expect(languageOf('de-CH')).toBe('de');
    expect(languageOf('it_IT')).toBe('it');
    expect(languageOf('pt-BR')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });

  it('formats with the person’s own locale when it matches the interface language', () => {
    expect(formattingLocale('fr', 'fr-CH')).toBe('fr-CH');
    expect(formattingLocale('de', 'fr-CH')).toBe('de');
    expect(formattingLocale('en', 'not a locale!')).toBe('en');
  });

  it('formats compact durations per language', () => {
    const fr = translator('fr');
    expect(formatDuration(fr, { unit: 'min', n: 42 })).toBe('42 min');
    expect(formatDuration(fr, { unit: 'h', h: 2, m: 5 })).toBe('2 h 05');
    expect(formatDuration(fr, { unit: 'h', h: 3, m: 0 })).toBe('3 h');
    expect(formatDuration(fr, { unit: 'd', d: 2, h: 0 })).toBe('2 j');
    expect(formatDuration(translator('de'), { unit: 'd', d: 1, h: 4 })).toBe('1 T. 4 Std.');
    expect(formatDuration(translator('en'), { unit: 's', n: 9 })).toBe('9 s');
  });
});
