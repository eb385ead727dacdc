/**
 * Turns a text into (1) lexicon evidence — category counts, negation-aware sentiment polarity — and
 * (2) the sparse feature vector shared by every linear head: hashed word unigrams and bigrams,
 * character n-grams, emoji, lexicon categories and a few meta features.
 */

import { type CompiledLexicon, LexiconHits, langMask, matchLexicon } from './lexicon/compile.ts';
import { EMOJI_POLARITY } from './lexicon/sentiment.ts';
import {
  combine,
  FNV_OFFSET,
  fnvStep,
  SALT_BIGRAM,
  SALT_CHAR,
  SALT_EMOJI,
  SALT_META,
  SALT_NEG,
  SALT_WORD,
  TOK_CAPS,
  TOK_ELONG,
  TOK_EMOJI,
  TOK_NT,
  TOK_PUNCT_BEFORE,
  Tokens,
  tokenize,
} from './text.ts';

export interface FeatureConfig {
  /** Word bigrams. */
  bigrams: boolean;
  /** Character n-gram range inside words (0 = none). */
  charMin: number;
  charMax: number;
  /** Lexicon category and polarity features (off = plain n-gram model). */
  lexicon?: boolean;
  /**
   * Normalization: 'joint' = every text n-gram gets 1/sqrt(n); 'groups' = words (unigrams, bigrams,
   * emoji) and character n-grams are normalized separately, characters scaled by `charScale`.
   */
  norm?: 'joint' | 'groups';
  charScale?: number;
  /** Value of a lexicon category feature. */
  lexValue?: number;
}

export const DEFAULT_FEATURES: FeatureConfig = { bigrams: true, charMin: 3, charMax: 5 };

export function metaFeature(name: string): number {
  let h = FNV_OFFSET ^ SALT_META;
  for (let i = 0; i < name.length; i++) h = fnvStep(h, name.charCodeAt(i));
  return h >>> 0;
}

const SENT_POLARITY: Record<string, number> = { 's:pos': 1, 's:pos2': 2, 's:neg': -1, 's:neg2': -2, 's:negd': -1 };

const MAX_FEATS = 8192;
const POL_BINS = ['<-3', '-3..-1.5', '-1.5..-0.5', '-0.5..0', '0', '0..0.5', '0.5..1.5', '1.5..3', '>3'];

function polBin(p: number): number {
  if (p === 0) return 4;
  if (p < -3) return 0;
  if (p < -1.5) return 1;
  if (p < -0.5) return 2;
  if (p < 0) return 3;
  if (p <= 0.5) return 5;
  if (p <= 1.5) return 6;
  if (p <= 3) return 7;
  return 8;
}

/** The analysis of one text; reused from text to text by an Analyzer. */
export class Analysis {
  readonly tokens = new Tokens();
  readonly hits = new LexiconHits();
  /** Category hit counts (sentiment categories weighted by intensity, before negation). */
  catCount: Float32Array;
  /** Effective polarity of each hit (sentiment categories only; 0 otherwise). */
  hitPolarity = new Float32Array(512);
  hitNegated = new Uint8Array(512);
  /** Sum of negation/intensity-adjusted polarities, emoji included. */
  polarity = 0;
  posEvidence = 0;
  negEvidence = 0;
  /** Emoji polarity contributions. */
  emojiPolarity = 0;
  feats = new Uint32Array(MAX_FEATS);
  vals = new Float32Array(MAX_FEATS);
  nFeats = 0;
  lang = '';

  constructor(nCats: number) {
    this.catCount = new Float32Array(nCats);
  }

  has(cat: number): boolean {
    return cat >= 0 && this.catCount[cat]! > 0;
  }
}

const MARK_NEGATOR = 1;
const MARK_INTENS = 2;
const MARK_DIMIN = 4;
const MARK_CONTRAST = 8;

export class Analyzer {
  readonly lex: CompiledLexicon;
  readonly config: FeatureConfig;
  private readonly catPolarity: Float32Array;
  /** Feature of a negated sentiment category. */
  readonly catNegFeature: Uint32Array;
  private readonly catNegator: number;
  private readonly catIntens: number;
  private readonly catDimin: number;
  private readonly catContrast: number;
  private readonly marks = new Uint8Array(1024);
  private readonly negScope = new Uint8Array(1024);
  readonly fQ: number;
  readonly fQEnd: number;
  readonly fExcl: number;
  readonly fExcl2: number;
  readonly fCaps: number;
  readonly fUrl: number;
  readonly fMention0: number;
  readonly fMention2: number;
  readonly fBias: number;
  readonly fNoSent: number;
  /** Polarity bins: <-3, -3..-1.5, -1.5..-0.5, -0.5..0, 0, 0..0.5, 0.5..1.5, 1.5..3, >3. */
  readonly fPol: Uint32Array;
  readonly fLen: Uint32Array;
  private readonly langFeat = new Map<string, number>();

  constructor(lex: CompiledLexicon, config: FeatureConfig = DEFAULT_FEATURES) {
    this.lex = lex;
    this.config = config;
    const n = lex.categories.length;
    this.catPolarity = new Float32Array(n);
    this.catNegFeature = new Uint32Array(n);
    for (let c = 0; c < n; c++) {
      const name = lex.categories[c]!;
      this.catPolarity[c] = SENT_POLARITY[name] ?? 0;
      this.catNegFeature[c] = metaFeature(`${name}~neg`);
    }
    this.catNegator = lex.catIndex.get('s:negator') ?? -1;
    this.catIntens = lex.catIndex.get('s:intens') ?? -1;
    this.catDimin = lex.catIndex.get('s:dimin') ?? -1;
    this.catContrast = lex.catIndex.get('s:contrast') ?? -1;
    this.fQ = metaFeature('q');
    this.fQEnd = metaFeature('q_end');
    this.fExcl = metaFeature('excl');
    this.fExcl2 = metaFeature('excl2');
    this.fCaps = metaFeature('caps');
    this.fUrl = metaFeature('url');
    this.fMention0 = metaFeature('mention0');
    this.fMention2 = metaFeature('mention2');
    this.fBias = metaFeature('bias');
    this.fNoSent = metaFeature('nosent');
    this.fPol = Uint32Array.from(POL_BINS, (b) => metaFeature(`pol${b}`));
    this.fLen = Uint32Array.from([0, 1, 2, 3, 4], (b) => metaFeature(`len${b}`));
  }

  newAnalysis(): Analysis {
    return new Analysis(this.lex.categories.length);
  }

  /** Tokenizes only (language detection needs the cleaned text before lexicon matching). */
  tokenize(text: string, a: Analysis): void {
    tokenize(text, a.tokens);
  }

  /** Lexicon matching, polarity and features for an already tokenized text in language `lang`. */
  analyze(a: Analysis, lang: string): void {
    const t = a.tokens;
    const lex = this.lex;
    a.lang = lang;
    matchLexicon(lex, t, langMask(lang), a.hits);
    const hits = a.hits;
    a.catCount.fill(0);
    const marks = this.marks;
    const nTok = Math.min(t.n, 1024);
    marks.fill(0, 0, nTok);
    for (let k = 0; k < hits.n; k++) {
      const c = hits.cat[k]!;
      const i = hits.last[k]!;
      if (c === this.catNegator) marks[i]! |= MARK_NEGATOR;
      else if (c === this.catIntens) marks[i]! |= MARK_INTENS;
      else if (c === this.catDimin) marks[i]! |= MARK_DIMIN;
      else if (c === this.catContrast) marks[i]! |= MARK_CONTRAST;
    }
    // negation scope: up to 3 words after a negator (or a word with n't), stopped by punctuation
    const neg = this.negScope;
    let left = 0;
    let lastContrast = -1;
    for (let i = 0; i < nTok; i++) {
      const f = t.flags[i]!;
      if (f & TOK_PUNCT_BEFORE) left = 0;
      neg[i] = left > 0 ? 1 : 0;
      if (left > 0) left--;
      if (marks[i]! & MARK_NEGATOR || f & TOK_NT) left = 3;
      if (marks[i]! & MARK_CONTRAST) lastContrast = i;
    }
    // polarity
    let pol = 0;
    let pos = 0;
    let negEv = 0;
    for (let k = 0; k < hits.n; k++) {
      const c = hits.cat[k]!;
      const base = this.catPolarity[c]!;
      a.hitPolarity[k] = 0;
      a.hitNegated[k] = 0;
      const first = hits.first[k]!;
      if (base === 0) {
        a.catCount[c]! += lex.entryWeight[hits.entry[k]!]!;
        continue;
      }
      let w = base;
      if (first > 0) {
        const m = marks[first - 1]! | (first > 1 ? marks[first - 2]! & MARK_INTENS : 0);
        if (m & MARK_INTENS) w *= 1.6;
        else if (m & MARK_DIMIN) w *= 0.5;
      }
      const f = t.flags[first]!;
      if (f & TOK_CAPS) w *= 1.3;
      if (f & TOK_ELONG) w *= 1.2;
      if (lastContrast >= 0) w *= first > lastContrast ? 1.3 : 0.8;
      if (neg[first] === 1) {
        a.hitNegated[k] = 1;
        w = w > 0 ? -0.8 * w : -0.3 * w;
      }
      a.hitPolarity[k] = w;
      a.catCount[c]! += 1;
      pol += w;
      if (w > 0) pos += w;
      else negEv -= w;
    }
    let emoji = 0;
    for (let i = 0; i < nTok; i++) {
      if (t.flags[i]! & TOK_EMOJI) {
        const p = EMOJI_POLARITY[t.hash[i]!];
        if (p !== undefined) emoji += p;
      }
    }
    a.emojiPolarity = emoji;
    pol += emoji;
    if (emoji > 0) pos += emoji;
    else negEv -= emoji;
    if (t.exclamations > 0 && pol !== 0) pol *= 1 + Math.min(t.exclamations, 3) * 0.1;
    a.polarity = pol;
    a.posEvidence = pos;
    a.negEvidence = negEv;
    this.features(a, lang);
  }

  private features(a: Analysis, lang: string): void {
    const t = a.tokens;
    const feats = a.feats;
    const vals = a.vals;
    const cfg = this.config;
    const nTok = Math.min(t.n, 1024);
    const neg = this.negScope;
    let n = 0;
    const limit = MAX_FEATS - 64;
    // text n-grams first; their values are normalized afterwards
    let prev = 0;
    for (let i = 0; i < nTok && n < limit; i++) {
      const f = t.flags[i]!;
      if (f & TOK_EMOJI) {
        feats[n] = fmixLite(t.hash[i]! ^ SALT_EMOJI);
        vals[n++] = 1;
        prev = 0;
        continue;
      }
      const h = t.hash[i]!;
      const w = neg[i] === 1 ? combine(h, SALT_NEG) : h ^ SALT_WORD;
      feats[n] = w;
      vals[n++] = 1;
      if (cfg.bigrams && prev !== 0 && (f & TOK_PUNCT_BEFORE) === 0) {
        feats[n] = combine(prev, h) ^ SALT_BIGRAM;
        vals[n++] = 1;
      }
      prev = h;
      if (cfg.charMax > 0) {
        const cs = t.charStart[i]!;
        const len = t.charLen[i]!;
        const chars = t.chars;
        const L = len + 2;
        if (len >= 2 && len <= 30) {
          for (let s = 0; s < L && n < limit; s++) {
            let g = FNV_OFFSET ^ SALT_CHAR;
            const maxE = Math.min(L, s + cfg.charMax);
            for (let e = s; e < maxE; e++) {
              const ch = e === 0 ? 0x3c : e === L - 1 ? 0x3e : chars[cs + e - 1]!;
              g = fnvStep(g, ch);
              if (e - s + 1 >= cfg.charMin) {
                feats[n] = g >>> 0;
                vals[n++] = 2;
              }
            }
          }
        }
      }
    }
    const nText = n;
    if (nText > 0) {
      if (cfg.norm === 'groups') {
        let nc = 0;
        for (let k = 0; k < nText; k++) if (vals[k] === 2) nc++;
        const nw = nText - nc;
        const vw = nw > 0 ? 1 / Math.sqrt(nw) : 0;
        const vc = nc > 0 ? (cfg.charScale ?? 1) / Math.sqrt(nc) : 0;
        for (let k = 0; k < nText; k++) vals[k] = vals[k] === 2 ? vc : vw;
      } else {
        const v = 1 / Math.sqrt(nText);
        for (let k = 0; k < nText; k++) vals[k] = v;
      }
    }
    const lexValue = cfg.lexValue ?? 1;
    // lexicon categories
    const hits = a.hits;
    const useLex = cfg.lexicon !== false;
    for (let k = 0; useLex && k < hits.n && n < MAX_FEATS - 32; k++) {
      const c = hits.cat[k]!;
      feats[n] = a.hitNegated[k] === 1 ? this.catNegFeature[c]! : this.lex.catFeature[c]!;
      vals[n++] = lexValue * this.lex.entryWeight[hits.entry[k]!]!;
    }
    // meta
    feats[n] = this.fBias;
    vals[n++] = 1;
    if (t.questionMarks > 0) {
      feats[n] = this.fQ;
      vals[n++] = 1;
      if (t.lastQuestionTok >= t.n - 1) {
        feats[n] = this.fQEnd;
        vals[n++] = 1;
      }
    }
    if (t.exclamations > 0) {
      feats[n] = t.exclamations > 1 ? this.fExcl2 : this.fExcl;
      vals[n++] = 1;
    }
    if (t.capsWords > 0) {
      feats[n] = this.fCaps;
      vals[n++] = Math.min(t.capsWords, 3) / 3;
    }
    if (t.urls > 0) {
      feats[n] = this.fUrl;
      vals[n++] = 1;
    }
    if (t.mentions === 0 || t.mentions > 1) {
      feats[n] = t.mentions === 0 ? this.fMention0 : this.fMention2;
      vals[n++] = 1;
    }
    if (useLex) {
      feats[n] = this.fPol[polBin(a.polarity)]!;
      vals[n++] = 1;
    }
    if (useLex && a.posEvidence === 0 && a.negEvidence === 0) {
      feats[n] = this.fNoSent;
      vals[n++] = 1;
    }
    feats[n] = this.fLen[nTok < 6 ? 0 : nTok < 12 ? 1 : nTok < 24 ? 2 : nTok < 60 ? 3 : 4]!;
    vals[n++] = 1;
    let lf = this.langFeat.get(lang);
    if (lf === undefined) {
      lf = metaFeature(`lang:${lang}`);
      this.langFeat.set(lang, lf);
    }
    feats[n] = lf;
    vals[n++] = 1;
    a.nFeats = n;
  }
}

export function emojiFeature(cp: number): number {
  return fmixLite(cp ^ SALT_EMOJI);
}

function fmixLite(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
}
