/**
 * Which items a monitor keeps. A keyword matches whole words, ignoring case and accents ("geneve" finds
 * « Genève », "airsocial" does not find "airsocialite"); `bagage*` matches words starting with "bagage";
 * `AirSocial + bagage*` needs both terms somewhere in the text. The item is kept when any keyword or the
 * regular expression matches its title and summary.
 */
const LETTER_OR_DIGIT = '[\\p{L}\\p{N}]';
const SPECIAL: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ł: 'l', ı: 'i', þ: 'th' };

/** Lower case, no accents, one space between words, straight apostrophes. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđłıþ]/g, (c) => SPECIAL[c] ?? c)
    .replace(/[\u2018\u2019\u02BC`´]/g, "'")
    .replace(/\s+/g, ' ');
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function termPattern(term: string): RegExp | undefined {
  let t = fold(term).trim();
  const prefix = t.endsWith('*');
  if (prefix) t = t.replace(/\*+$/, '').trim();
  if (!t) return undefined;
  const body = escapeRegex(t).replace(/ /g, '\\s+');
  return new RegExp(`(?<!${LETTER_OR_DIGIT})${body}${prefix ? `${LETTER_OR_DIGIT}*` : `(?!${LETTER_OR_DIGIT})`}`, 'u');
}

/** A keyword's terms (`a + b` needs both), or undefined when one of them is empty. */
export function keywordTerms(keyword: string): RegExp[] | undefined {
  const terms = keyword.split(/\s\+\s/).map(termPattern);
  return terms.every((t): t is RegExp => t !== undefined) && terms.length > 0 ? terms : undefined;
}

export interface Matcher {
  /** The keywords (and "regex") that match `text`; empty when none does. */
  matches(text: string): string[];
}

export function compileMatcher(keywords: readonly string[], regex?: string): Matcher {
  const compiled = keywords
    .map((k) => ({ keyword: k, terms: keywordTerms(k) }))
    .filter((k): k is { keyword: string; terms: RegExp[] } => k.terms !== undefined);
  const re = regex ? new RegExp(regex, 'iu') : undefined;
  return {
    matches(text) {
      const folded = fold(text);
      const hits = compiled.filter((k) => k.terms.every((t) => t.test(folded))).map((k) => k.keyword);
      if (re && (re.test(text) || re.test(folded))) hits.push('regex');
      return hits;
    },
  };
}
