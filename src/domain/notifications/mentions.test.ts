import { describe, expect, it } from 'vitest';
import { fold, matchMentions, mentionTokens } from './mentions.ts';

const people = [
  { id: 1, name: 'Léa Martin', email: 'lea@airsocial.example' },
  { id: 2, name: 'Marie Lefèvre', email: 'm.lefevre@airsocial.example' },
  { id: 3, name: 'Jean-Pierre Roux', email: 'jp@airsocial.example' },
  { id: 4, name: 'Léa Dubois', email: 'lea.dubois@airsocial.example' },
  { id: 5, name: 'Çağla Öz', email: 'cagla@airsocial.example' },
];

describe('mentions', () => {
  it('folds case and accents', () => {
    expect(fold('Léa')).toBe('lea');
    expect(fold('ÇAĞLA')).toBe('cagla');
  });

  it('finds @names, without trailing punctuation, ignoring email addresses', () => {
    expect(mentionTokens('Merci @Léa, et @m.lefevre. Voir jean@example.com ou @@x @')).toEqual(['lea', 'm.lefevre']);
    expect(mentionTokens('(@jp) @Jean-Pierre: ok')).toEqual(['jp', 'jean-pierre']);
    expect(mentionTokens('pas de mention ici')).toEqual([]);
  });

  it('matches first names and email local parts, accent- and case-insensitively', () => {
    expect(matchMentions('@lea peux-tu voir ?', people)).toEqual([1, 4]);
    expect(matchMentions('@LÉA.DUBOIS', people)).toEqual([4]);
    expect(matchMentions('cc @m.lefevre @marie', people)).toEqual([2]);
    expect(matchMentions('@jean-pierre @cagla', people)).toEqual([3, 5]);
    expect(matchMentions('@martin @nobody', people)).toEqual([]);
  });
});
