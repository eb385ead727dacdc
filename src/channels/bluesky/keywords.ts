/**
 * Keyword listening: a post matches when it contains one of the monitor's keywords as a whole word (or a whole
 * phrase), whatever the case and the accents: "airsocial" matches "AirSocial", "#AirSocial" and "@airsocial.test",
 * "bagage" matches "Bagage" and "bagagé" but not "bagages".
 */

/** Lower case, accents removed, runs of white space as one space. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface KeywordMatcher {
  /** The keywords (as configured) found in the text; empty when none. */
  match(text: string): string[];
}

export function keywordMatcher(keywords: readonly string[]): KeywordMatcher {
  const compiled = keywords
    .map((k) => ({ keyword: k, folded: foldText(k.trim()) }))
    .filter((k) => k.folded.length > 0)
    .map((k) => ({
      keyword: k.keyword,
      // Letters and digits around the keyword mean it is part of a longer word.
      re: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(k.folded).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`, 'u'),
    }));
  return {
    match(text: string): string[] {
      if (compiled.length === 0) return [];
      const folded = foldText(text);
      return compiled.filter((k) => k.re.test(folded)).map((k) => k.keyword);
    },
  };
}

/** Whether a post's declared languages fit the monitor's (a post that declares none is kept). */
export function languageAccepted(postLangs: readonly string[] | undefined, wanted: readonly string[] | undefined) {
  if (!wanted || wanted.length === 0 || !postLangs || postLangs.length === 0) return true;
  const want = new Set(wanted.map((l) => l.toLowerCase().slice(0, 2)));
  return postLangs.some((l) => want.has(l.toLowerCase().slice(0, 2)));
}
