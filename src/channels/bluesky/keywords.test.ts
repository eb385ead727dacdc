import { describe, expect, it } from 'vitest';
import { foldText, keywordMatcher, languageAccepted } from './keywords.ts';

describe('keyword matching', () => {
  it('ignores case and accents, and matches whole words only', () => {
    const m = keywordMatcher(['AirSocial', 'bagage', 'Genève']);
    expect(m.match('never flying AIRSOCIAL again, 4h on the tarmac')).toEqual(['AirSocial']);
    expect(m.match('#airsocial perd encore des bagages à geneve')).toEqual(['AirSocial', 'Genève']);
    expect(m.match('mon bagagé est perdu')).toEqual(['bagage']);
    expect(m.match('the airsocialite magazine')).toEqual([]);
    expect(m.match('@airsocial.bsky.social hello')).toEqual(['AirSocial']);
  });

  it('matches phrases across any white space', () => {
    const m = keywordMatcher(['AirSocial Express']);
    expect(m.match('AirSocial\n  express cancelled my flight')).toEqual(['AirSocial Express']);
    expect(m.match('AirSocial expressly said')).toEqual([]);
  });

  it('treats keywords as text, not as patterns', () => {
    const m = keywordMatcher(['a.b', '(x)']);
    expect(m.match('axb')).toEqual([]);
    expect(m.match('a.b and (x)')).toEqual(['a.b', '(x)']);
    expect(keywordMatcher([]).match('anything')).toEqual([]);
  });

  it('folds text for comparison', () => {
    expect(foldText('Zürich  ÉTÉ\tçà')).toBe('zurich ete ca');
  });

  it('keeps posts in the monitored languages, and posts that declare none', () => {
    expect(languageAccepted(['fr-CH'], ['fr', 'de'])).toBe(true);
    expect(languageAccepted(['en'], ['fr'])).toBe(false);
    expect(languageAccepted([], ['fr'])).toBe(true);
    expect(languageAccepted(['en'], undefined)).toBe(true);
  });
});
