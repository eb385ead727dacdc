/**
 * Compiles lexicon tables into hash lookups (word → entries, prefix → entries, phrase → entries) and
 * matches them against tokenized text in one pass, without regular expressions.
 */
import {
  combine,
  FNV_OFFSET,
  fnvStep,
  hashPhrase,
  normalizeWord,
  SALT_LEX,
  TOK_EMOJI,
  TOK_PUNCT_BEFORE,
  type Tokens,
} from '../text.ts';
import type { LexiconTable } from './types.ts';

/** Languages with their own lexicon entries; a text in another language matches every entry. */
export const LEXICON_LANGS = ['en', 'fr', 'de', 'it', 'es', 'nl', 'pt'] as const;
export const ALL_LANGS_MASK = (1 << LEXICON_LANGS.length) - 1;

export function langMask(lang: string | undefined): number {
  if (!lang) return ALL_LANGS_MASK;
  const i = (LEXICON_LANGS as readonly string[]).indexOf(lang);
  return i < 0 ? ALL_LANGS_MASK : 1 << i;
}

export interface CompiledLexicon {
  categories: string[];
  /** Model feature of each category. */
  catFeature: Uint32Array;
  catIndex: Map<string, number>;
  entryCat: Int32Array;
  entryLang: Uint16Array;
  entryTerm: string[];
  /** Weight of each entry: 1, or 0.35 for weak terms written `~term`, 2 for strong terms written `!term`. */
  entryWeight: Float32Array;
  exact: HashIndex;
  prefix: HashIndex;
  prefixLen: Uint8Array;
  /** Phrases keyed by the chained hash of their words (2–4 words). */
  phrase: HashIndex;
  /** Phrases whose last word is a prefix: chained head hash + prefix hash. */
  phrasePrefix: HashIndex;
  phrasePrefixHeads: Set<number>;
  maxPhrase: number;
}

/** Open-addressing map from 32-bit hashes to entry lists (faster than a Map keyed by large numbers). */
export class HashIndex {
  private readonly keys: Uint32Array;
  private readonly slots: Int32Array;
  private readonly lists: number[][];
  private readonly mask: number;
  readonly size: number;

  constructor(map: Map<number, number[]>) {
    let cap = 16;
    while (cap < map.size * 2) cap <<= 1;
    this.mask = cap - 1;
    this.keys = new Uint32Array(cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.lists = [];
    for (const [k, list] of map) {
      let i = (k ^ (k >>> 15)) & this.mask;
      while (this.slots[i] !== -1) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.slots[i] = this.lists.length;
      this.lists.push(list);
    }
    this.size = map.size;
  }

  get(k: number): number[] | undefined {
    let i = (k ^ (k >>> 15)) & this.mask;
    for (;;) {
      const s = this.slots[i]!;
      if (s === -1) return undefined;
      if (this.keys[i] === k) return this.lists[s];
      i = (i + 1) & this.mask;
    }
  }
}

/** One matched entry: category, first and last token, index of the entry. */
export class LexiconHits {
  n = 0;
  cat = new Int32Array(512);
  first = new Int32Array(512);
  last = new Int32Array(512);
  entry = new Int32Array(512);

  push(cat: number, first: number, last: number, entry: number): void {
    if (this.n >= this.cat.length) return;
    const k = this.n++;
    this.cat[k] = cat;
    this.first[k] = first;
    this.last[k] = last;
    this.entry[k] = entry;
  }
}

function push(map: Map<number, number[]>, key: number, id: number): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(id)) list.push(id);
  } else map.set(key, [id]);
}

/** Builds lookups from several lexicon tables; category names are prefixed by their table's prefix. */
export function compileLexicon(tables: { prefix: string; table: LexiconTable }[]): CompiledLexicon {
  const categories: string[] = [];
  const catIndex = new Map<string, number>();
  const entryCat: number[] = [];
  const entryLang: number[] = [];
  const entryTerm: string[] = [];
  const entryWeight: number[] = [];
  const exact = new Map<number, number[]>();
  const prefix = new Map<number, number[]>();
  const prefixLen = new Uint8Array(256);
  const phrase = new Map<number, number[]>();
  const phrasePrefix = new Map<number, number[]>();
  const phrasePrefixHeads = new Set<number>();
  let maxPhrase = 1;
  const entryKey = new Map<string, number>();

  for (const { prefix: p, table } of tables) {
    for (const [catName, byLang] of Object.entries(table)) {
      const name = p + catName;
      let cat = catIndex.get(name);
      if (cat === undefined) {
        cat = categories.length;
        categories.push(name);
        catIndex.set(name, cat);
      }
      for (const [lang, terms] of Object.entries(byLang)) {
        if (!terms) continue;
        const mask = lang === '*' ? ALL_LANGS_MASK : langMask(lang);
        for (const raw of terms.split('|')) {
          let term = raw.trim();
          let weight = 1;
          if (term.startsWith('~')) {
            weight = 0.35;
            term = term.slice(1);
          } else if (term.startsWith('!')) {
            weight = 2;
            term = term.slice(1);
          }
          if (term.length === 0) continue;
          const isPrefix = term.endsWith('*');
          const body = isPrefix ? term.slice(0, -1) : term;
          const key = `${cat}\u0000${normalizeWord(body)}\u0000${isPrefix}\u0000${body.split(/[\s'’-]+/).length}`;
          let id = entryKey.get(key);
          if (id !== undefined) {
            entryLang[id] = (entryLang[id] ?? 0) | mask;
            continue;
          }
          id = entryCat.length;
          entryKey.set(key, id);
          entryCat.push(cat);
          entryLang.push(mask);
          entryTerm.push(term);
          entryWeight.push(weight);
          const words = hashPhrase(body);
          if (words.length === 0) continue;
          if (words.length === 1) {
            if (isPrefix) {
              const n = normalizeWord(body).length;
              if (n >= 2 && n < 256) {
                prefixLen[n] = 1;
                push(prefix, words[0]!, id);
              }
            } else push(exact, words[0]!, id);
            continue;
          }
          maxPhrase = Math.max(maxPhrase, words.length);
          let k = words[0]!;
          for (let i = 1; i < words.length - 1; i++) k = combine(k, words[i]!);
          if (isPrefix) {
            const last = normalizeWord(body.split(/[\s'’-]+/).at(-1) ?? '');
            if (last.length >= 2) prefixLen[last.length] = 1;
            phrasePrefixHeads.add(k);
            push(phrasePrefix, combine(k, words[words.length - 1]!), id);
          } else {
            push(phrase, combine(k, words[words.length - 1]!), id);
          }
        }
      }
    }
  }
  const catFeature = new Uint32Array(categories.length);
  for (let c = 0; c < categories.length; c++) {
    let h = FNV_OFFSET ^ SALT_LEX;
    const s = categories[c]!;
    for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
    catFeature[c] = h >>> 0;
  }
  return {
    categories,
    catFeature,
    catIndex,
    entryCat: Int32Array.from(entryCat),
    entryLang: Uint16Array.from(entryLang),
    entryTerm,
    entryWeight: Float32Array.from(entryWeight),
    exact: new HashIndex(exact),
    prefix: new HashIndex(prefix),
    prefixLen,
    phrase: new HashIndex(phrase),
    phrasePrefix: new HashIndex(phrasePrefix),
    phrasePrefixHeads,
    maxPhrase: Math.min(maxPhrase, 4),
  };
}

const chain2 = new Uint32Array(1024);
const chain3 = new Uint32Array(1024);

/**
 * Finds every lexicon entry in the tokens (word tokens only; emoji are handled by the caller).
 * `mask` restricts entries to the text's language.
 */
export function matchLexicon(lex: CompiledLexicon, t: Tokens, mask: number, hits: LexiconHits): void {
  hits.n = 0;
  const { exact, prefix, prefixLen, phrase, phrasePrefix, phrasePrefixHeads, entryCat, entryLang } = lex;
  const hasPhrase = phrase.size > 0;
  const hasPhrasePrefix = phrasePrefix.size > 0;
  let prevWord = -1;
  for (let i = 0; i < t.n; i++) {
    const flags = t.flags[i]!;
    if (flags & TOK_EMOJI) {
      prevWord = -1;
      continue;
    }
    const h = t.hash[i]!;
    const ex = exact.get(h);
    if (ex !== undefined) {
      for (const e of ex) if (entryLang[e]! & mask) hits.push(entryCat[e]!, i, i, e);
    }
    // prefixes
    const cs = t.charStart[i]!;
    const n = t.charLen[i]!;
    let ph = FNV_OFFSET;
    for (let k = 0; k < n; k++) {
      ph = fnvStep(ph, t.chars[cs + k]!);
      if (prefixLen[k + 1] === 1) {
        const pr = prefix.get(ph >>> 0);
        if (pr !== undefined) {
          for (const e of pr) if (entryLang[e]! & mask) hits.push(entryCat[e]!, i, i, e);
        }
      }
    }
    // phrases (not across a sentence break)
    if (hasPhrase || hasPhrasePrefix) {
      const linked = prevWord === i - 1 && (flags & TOK_PUNCT_BEFORE) === 0;
      if (linked) {
        const hp = t.hash[i - 1]!;
        const c2 = combine(hp, h);
        const prev2 = chain2[(i - 1) & 1023]!;
        const prev3 = chain3[(i - 1) & 1023]!;
        const c3 = prev2 !== 0 ? combine(prev2, h) : 0;
        chain2[i & 1023] = c2;
        chain3[i & 1023] = c3;
        const p2 = phrase.get(c2);
        if (p2 !== undefined) for (const e of p2) if (entryLang[e]! & mask) hits.push(entryCat[e]!, i - 1, i, e);
        if (c3 !== 0) {
          const p3 = phrase.get(c3);
          if (p3 !== undefined) for (const e of p3) if (entryLang[e]! & mask) hits.push(entryCat[e]!, i - 2, i, e);
          if (prev3 !== 0) {
            const p4 = phrase.get(combine(prev3, h));
            if (p4 !== undefined) for (const e of p4) if (entryLang[e]! & mask) hits.push(entryCat[e]!, i - 3, i, e);
          }
        }
        if (hasPhrasePrefix) {
          if (phrasePrefixHeads.has(hp)) prefixPhrase(lex, t, i, hp, mask, hits, i - 1);
          if (prev2 !== 0 && phrasePrefixHeads.has(prev2)) prefixPhrase(lex, t, i, prev2, mask, hits, i - 2);
        }
      } else {
        chain2[i & 1023] = 0;
        chain3[i & 1023] = 0;
      }
    }
    prevWord = i;
  }
}

function prefixPhrase(
  lex: CompiledLexicon,
  t: Tokens,
  i: number,
  head: number,
  mask: number,
  hits: LexiconHits,
  first: number,
): void {
  const cs = t.charStart[i]!;
  const n = t.charLen[i]!;
  let ph = FNV_OFFSET;
  for (let k = 0; k < n; k++) {
    ph = fnvStep(ph, t.chars[cs + k]!);
    if (lex.prefixLen[k + 1] === 1) {
      const pr = lex.phrasePrefix.get(combine(head, ph >>> 0));
      if (pr !== undefined) {
        for (const e of pr) if (lex.entryLang[e]! & mask) hits.push(lex.entryCat[e]!, first, i, e);
      }
    }
  }
}
