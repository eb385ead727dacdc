import { describe, expect, it } from 'vitest';
import { foldForSearch, highlight, matchWords, searchTerms } from './highlight.ts';
import { afterCursor, cursorOf, parseCursor } from './inbox-order.ts';

const marked = (h: { text: string; matches: [number, number][] }) => h.matches.map(([s, e]) => h.text.slice(s, e));

describe('search highlights', () => {
  it('folds case and accents the way the search index does', () => {
    expect(foldForSearch('Genève GEPÄCK Straße Œuvre')).toBe('geneve gepack strasse oeuvre');
    expect(searchTerms('  Bagag, RETARD!! retard ')).toEqual(['bagag', 'retard']);
    expect(searchTerms('!!!')).toEqual([]);
  });

  it('marks whole words that start with a query word, with offsets into the returned text', () => {
    const h = highlight('Mon bagage est perdu à Genève, mes bagages aussi', searchTerms('bagag geneve'));
    expect(marked(h)).toEqual(['bagage', 'Genève', 'bagages']);
    expect(matchWords('débarquement', ['barq'])).toEqual([]);
  });

  it('cuts long texts around the first match, on word boundaries, and shifts the offsets', () => {
    const long = `${'lorem ipsum '.repeat(40)}mon Koffer ist weg ${'dolor sit '.repeat(40)}`;
    const h = highlight(long, ['koffer'], 120);
    expect(h.text.startsWith('…')).toBe(true);
    expect(h.text.endsWith('…')).toBe(true);
    expect(h.text.length).toBeLessThanOrEqual(122);
    expect(marked(h)).toEqual(['Koffer']);
    expect(h.text).not.toMatch(/ {2}/);
  });

  it('never returns markup: customer text stays text', () => {
    const h = highlight('<b>vol</b> annulé', ['vol']);
    expect(h.text).toBe('<b>vol</b> annulé');
    expect(marked(h)).toEqual(['vol']);
  });
});

describe('inbox cursors', () => {
  it('round-trips each order and refuses cursors of another order', () => {
    const at = new Date('2026-11-29T08:15:00.000Z');
    expect(cursorOf('priority', { sort_k0: 1, sort_k1: at, sort_k2: 42 })).toBe('1_2026-11-29T08:15:00.000Z_42');
    expect(parseCursor('priority', '1_2026-11-29T08:15:00.000Z_42')).toEqual([1, at, 42]);
    expect(parseCursor('updated', '1_2026-11-29T08:15:00.000Z_42')).toBeUndefined();
    expect(parseCursor('updated', 'x_42')).toBeUndefined();
    expect(parseCursor('relevance', '0.0607927_2026-11-29T08:15:00.000Z_42')).toEqual([0.0607927, at, 42]);
  });

  it('builds "after the cursor" for mixed directions', () => {
    const params: unknown[] = [];
    const sql = afterCursor('priority', [1, new Date(0), 5], (v) => {
      params.push(v);
      return `$${params.length}`;
    });
    expect(sql).toContain("case c.priority when 'urgent' then 0");
    expect(sql).toContain('c.updated_at < $2::timestamptz');
    expect(params).toHaveLength(3);
  });
});
