import { describe, expect, it } from 'vitest';
import { compileMatcher, fold, keywordTerms } from './match.ts';

describe('monitor keywords', () => {
  it('folds case, accents and ligatures', () => {
    expect(fold('Genève ÉTÉ Œuvre Straße l’été')).toBe("geneve ete oeuvre strasse l'ete");
  });

  it('matches whole words, ignoring case and accents', () => {
    const m = compileMatcher(['AirSocial', 'Genève']);
    expect(m.matches('Encore un retard chez airsocial')).toEqual(['AirSocial']);
    expect(m.matches('#AIRSOCIAL et @AirSocial_fr, à GENEVE')).toEqual(['AirSocial', 'Genève']);
    expect(m.matches('La communauté AirSocialite')).toEqual([]);
    expect(m.matches('NotAirSocial')).toEqual([]);
  });

  it('matches word starts with *, and several terms with +', () => {
    const m = compileMatcher(['AirSocial + bagage*']);
    expect(m.matches('AirSocial perd encore des bagages à Genève')).toEqual(['AirSocial + bagage*']);
    expect(m.matches('AirSocial perd encore des valises')).toEqual([]);
    expect(m.matches('Les bagages de Swiss')).toEqual([]);
    expect(compileMatcher(['AirSocial Express']).matches('airsocial   express annule')).toEqual(['AirSocial Express']);
    expect(compileMatcher(['c++']).matches('on code en C++ ici')).toEqual(['c++']);
  });

  it('tries the regular expression on the text as written and without accents', () => {
    const m = compileMatcher([], 'air\\s?social.{0,40}(gepäck|bagage)');
    expect(m.matches('AirSocial verliert Gepäck')).toEqual(['regex']);
    expect(m.matches('Air Social et les bagages')).toEqual(['regex']);
    expect(m.matches('AirSocial et la météo')).toEqual([]);
  });

  it('refuses keywords without a letter or digit in a term', () => {
    expect(keywordTerms('*')).toBeUndefined();
    expect(keywordTerms('AirSocial + ')).toBeUndefined();
    expect(keywordTerms('AirSocial + bagage*')).toHaveLength(2);
    expect(keywordTerms('AirSocial + *')).toBeUndefined();
  });
});
