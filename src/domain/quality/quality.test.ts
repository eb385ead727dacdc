import { describe, expect, it } from 'vitest';
import type { Guideline } from '../governance/policy.ts';
import { drawSample } from './sampling.ts';
import { overallScore, scorecard } from './scorecard.ts';

describe('quality scorecard', () => {
  const guidelines: Guideline[] = [
    { id: 'rivals', kind: 'terms', severity: 'block', terms: ['SkyRival'] },
    { id: 'caps', kind: 'all_caps', severity: 'warn', communities: ['airsocial-de'] },
    { id: 'pii', kind: 'pii', severity: 'block', communities: ['airsocial-fr'], message: 'Never a card number' },
  ];

  it('lists the standard criteria, then the guidelines that apply to the community', () => {
    const card = scorecard(guidelines, 'airsocial-fr');
    expect(card.map((c) => c.id)).toEqual([
      'answered',
      'tone',
      'accuracy',
      'personalization',
      'account_language',
      'guideline:rivals',
      'guideline:pii',
    ]);
    expect(card.at(-1)).toMatchObject({
      label: 'Never a card number',
      message: 'Never a card number',
      kind: 'guideline',
    });
    expect(card.at(-2)).toMatchObject({ label: 'No forbidden topics or terms (rivals)', guideline_kind: 'terms' });
    expect(card.at(-2)).not.toHaveProperty('message');
  });

  it('scores 100 × the mean points of the rated criteria', () => {
    expect(overallScore([{ rating: 'pass' }, { rating: 'partial' }, { rating: 'fail' }, { rating: 'na' }])).toBe(50);
    expect(overallScore([{ rating: 'pass' }, { rating: 'pass' }, { rating: 'partial' }])).toBe(83);
    expect(overallScore([{ rating: 'fail' }])).toBe(0);
    expect(overallScore([{ rating: 'na' }])).toBeNull();
  });
});

describe('quality sample draw', () => {
  const candidates = [
    ...Array.from({ length: 20 }, (_, i) => ({ message_id: 100 + i, author_id: 1 })),
    { message_id: 50, author_id: 2 },
    { message_id: 300, author_id: 3 },
  ];

  it('is reproducible from its seed, whatever the order of the candidates', () => {
    const a = drawSample(candidates, 5, 1234);
    const b = drawSample([...candidates].reverse(), 5, 1234);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(5);
    const seeds = [1, 2, 3, 4, 5].map((s) => drawSample(candidates, 5, s).join(','));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('takes one reply of every author first', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const picked = drawSample(candidates, 3, seed);
      expect(picked).toContain(50);
      expect(picked).toContain(300);
      const two = drawSample(candidates, 2, seed);
      const authors = two.map((id) => candidates.find((c) => c.message_id === id)!.author_id);
      expect(new Set(authors).size).toBe(2);
    }
  });

  it('returns every candidate when the size exceeds them, and nothing from nothing', () => {
    expect(drawSample(candidates, 500, 9).sort((x, y) => x - y)).toEqual(
      candidates.map((c) => c.message_id).sort((x, y) => x - y),
    );
    expect(drawSample([], 5, 9)).toEqual([]);
  });
});
