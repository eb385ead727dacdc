/**
 * Search highlights as plain text with match offsets: the web app draws the marks itself, so no HTML ever
 * leaves the server. Matching mirrors `passeur_search_query` (migration 0003): lower case, accents removed,
 * each query word matches the start of a word of the text.
 */

export interface Highlight {
  text: string;
  /** [start, end) offsets in `text`, in UTF-16 code units (JavaScript string indices), ascending. */
  matches: [number, number][];
}

/** Letters PostgreSQL's `unaccent` rewrites to more than one letter or that NFD does not decompose. */
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower case without accents, as the search index stores words. */
export function foldForSearch(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøłđðþı]/g, (ch) => SPECIAL[ch] ?? ch);
}

/** The words of a query, as `passeur_search_query` splits them. */
export function searchTerms(q: string): string[] {
  return [...new Set(foldForSearch(q).split(/[^\p{L}\p{N}]+/u))].filter((w) => w !== '');
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Offsets of the words of `text` that start with one of `terms`. */
export function matchWords(text: string, terms: string[]): [number, number][] {
  if (terms.length === 0) return [];
  const out: [number, number][] = [];
  for (const m of text.matchAll(WORD)) {
    const folded = foldForSearch(m[0]);
    if (terms.some((t) => folded.startsWith(t))) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** The part of the text around its first match, whitespace collapsed, with the matches it contains. */
export function highlight(text: string, terms: string[], width = 200): Highlight {
  const flat = text.replace(/\s+/g, ' ').trim();
  const all = matchWords(flat, terms);
  if (flat.length <= width) return { text: flat, matches: all };
  const first = all[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  if (start > 0) {
    // Start on a word: after the next space, unless that would skip the match.
    const space = flat.indexOf(' ', start);
    start = space !== -1 && space < first ? space + 1 : start;
  }
  let end = Math.min(flat.length, start + width);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    if (space > first && space > start) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < flat.length ? '…' : '';
  const shift = prefix.length - start;
  return {
    text: `${prefix}${flat.slice(start, end)}${suffix}`,
    matches: all.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s + shift, e + shift]),
  };
}
