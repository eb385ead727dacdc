import { foldTerms } from '../crisis/terms.ts';

/**
 * "Similar" for ideas and incidents: texts are reduced to their folded terms (words of three letters or more
 * without stop words, and pairs of adjacent words, see crisis/terms.ts), then compared by overlap; a shared
 * topic adds to the score. Pure functions, so the scoring is tested without a database.
 */

/** At most this many terms are kept for an idea or incident (the longest texts are cut). */
export const MAX_TERMS = 200;

export function termsOf(...texts: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const t of texts) {
    if (!t) continue;
    for (const term of foldTerms(t)) {
      if (out.size >= MAX_TERMS) break;
      out.add(term);
    }
  }
  return [...out];
}

export interface Scored {
  score: number;
  /** The shared terms, single words first, at most eight (shown as "why similar"). */
  shared: string[];
}

/**
 * Similarity of two term sets in [0, 1]: the overlap coefficient |A ∩ B| / min(|A|, |B|) weighted 0.8, plus 0.2
 * when they share a topic. Fewer than two shared terms count as no overlap (one common word is chance).
 */
export function similarity(
  a: readonly string[] | ReadonlySet<string>,
  b: readonly string[] | ReadonlySet<string>,
  sameTopic: boolean,
): Scored {
  const setA = a instanceof Set ? a : new Set(a);
  const setB = b instanceof Set ? b : new Set(b);
  const [small, large] = setA.size <= setB.size ? [setA, setB] : [setB, setA];
  const shared: string[] = [];
  for (const t of small) if (large.has(t)) shared.push(t);
  const overlap = shared.length >= 2 && small.size > 0 ? shared.length / small.size : 0;
  const score = Math.round((overlap * 0.8 + (sameTopic ? 0.2 : 0)) * 1000) / 1000;
  shared.sort((x, y) => Number(x.includes(' ')) - Number(y.includes(' ')) || x.localeCompare(y));
  return { score, shared: shared.slice(0, 8) };
}

/** Suggestions below this score are not offered. */
export const MIN_ITEM_SCORE = 0.2;
/** Cases below this score are not suggested for an incident. */
export const MIN_CASE_SCORE = 0.4;
