/**
 * One pass over a message: normalization (lower case, accents folded), tokenization that knows social
 * media noise (@handles, #tags, URLs, emoji, emoticons, elongations), and 32-bit feature hashing.
 * Everything lives in preallocated typed arrays that are reused from one text to the next, so analysing
 * a tweet allocates almost nothing.
 */

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Feature-kind salts: the same string hashed as a word, a bigram or a character n-gram gives different features. */
export const SALT_WORD = 0x3c6ef372;
export const SALT_BIGRAM = 0x1b873593;
export const SALT_CHAR = 0x5bd1e995;
export const SALT_NEG = 0x27d4eb2f;
export const SALT_LEX = 0x165667b1;
export const SALT_META = 0x61c88647;
export const SALT_EMOJI = 0x7feb352d;

export function fnvStep(h: number, c: number): number {
  return Math.imul(h ^ c, FNV_PRIME);
}

/** Murmur3 finalizer: spreads a hash before it is reduced to a bucket. */
export function fmix(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function combine(a: number, b: number): number {
  return fmix((Math.imul(a, 0x9e3779b1) ^ b) >>> 0);
}

/** Lower case + accent folding for U+0000–U+024F (0 = not a letter/digit). Built once. */
const FOLD = new Uint16Array(0x250);
(() => {
  for (let c = 0x30; c <= 0x39; c++) FOLD[c] = c;
  for (let c = 0x61; c <= 0x7a; c++) FOLD[c] = c;
  for (let c = 0x41; c <= 0x5a; c++) FOLD[c] = c + 32;
  const groups: Record<string, string> = {
    a: 'àáâãäåāăąÀÁÂÃÄÅĀĂĄ',
    c: 'çćĉċčÇĆĈĊČ',
    d: 'ďđĎĐ',
    e: 'èéêëēĕėęěÈÉÊËĒĔĖĘĚ',
    g: 'ĝğġģĜĞĠĢ',
    h: 'ĥħĤĦ',
    i: 'ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ',
    j: 'ĵĴ',
    k: 'ķĶ',
    l: 'ĺļľŀłĹĻĽĿŁ',
    n: 'ñńņňÑŃŅŇ',
    o: 'òóôõöøōŏőÒÓÔÕÖØŌŎŐ',
    r: 'ŕŗřŔŖŘ',
    s: 'śŝşšŚŜŞŠ',
    t: 'ţťŧŢŤŦ',
    u: 'ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ',
    w: 'ŵŴ',
    y: 'ýÿŷÝŸŶ',
    z: 'źżžŹŻŽ',
  };
  for (const [base, chars] of Object.entries(groups)) {
    for (const ch of chars) FOLD[ch.charCodeAt(0)] = base.charCodeAt(0);
  }
  // Letters kept as themselves (lower-cased).
  for (const [lower, upper] of [
    ['ß', 'ẞ'],
    ['æ', 'Æ'],
    ['œ', 'Œ'],
    ['ð', 'Ð'],
    ['þ', 'Þ'],
  ] as const) {
    FOLD[lower.charCodeAt(0)] = lower.charCodeAt(0);
    if (upper.charCodeAt(0) < 0x250) FOLD[upper.charCodeAt(0)] = lower.charCodeAt(0);
  }
  FOLD[0xaa] = 0x61;
  FOLD[0xba] = 0x6f;
  // Remaining Latin Extended letters: keep (lower-cased when possible).
  for (let c = 0x180; c < 0x250; c++) {
    if (FOLD[c] === 0) {
      const s = String.fromCharCode(c);
      const l = s.toLowerCase();
      FOLD[c] = l.length === 1 ? l.charCodeAt(0) : c;
    }
  }
})();

/** Folds one UTF-16 code unit; returns 0 when the unit separates words. */
export function foldChar(c: number): number {
  if (c < 0x250) return FOLD[c]!;
  // Greek, Cyrillic, Armenian, Hebrew, Arabic … and CJK / Hangul / kana: letters.
  if ((c >= 0x370 && c < 0x2000) || (c >= 0x3040 && c < 0xd800) || (c >= 0xf900 && c < 0xfb00)) {
    if (c >= 0x391 && c <= 0x3a9) return c + 32; // Greek capitals
    if (c >= 0x410 && c <= 0x42f) return c + 32; // Cyrillic capitals
    return c;
  }
  return 0;
}

/** Normalizes a lexicon term or any string exactly as the tokenizer normalizes words (without elongation folding). */
export function normalizeWord(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const f = foldChar(s.charCodeAt(i));
    if (f !== 0) out += String.fromCharCode(f >= 0x30 && f <= 0x39 ? 0x30 : f);
  }
  return out;
}

/** FNV hash of a normalized word, as the tokenizer computes it. */
export function hashWord(norm: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < norm.length; i++) h = fnvStep(h, norm.charCodeAt(i));
  return h >>> 0;
}

/** Splits a lexicon phrase into the hashes of its normalized words. */
export function hashPhrase(phrase: string): number[] {
  const out: number[] = [];
  for (const part of phrase.split(/[\s'’-]+/)) {
    const n = normalizeWord(part);
    if (n.length > 0) out.push(hashWord(n));
  }
  return out;
}

export const TOK_CAPS = 1;
export const TOK_HASHTAG = 2;
export const TOK_NT = 4; // English "n't" attached (don't, isn't …)
export const TOK_DIGIT = 8;
export const TOK_ELONG = 16;
export const TOK_EMOJI = 32;
export const TOK_PUNCT_BEFORE = 64; // a clause break (. , ; ! ? …) precedes this token

const MAX_TEXT = 4000;
const MAX_TOKENS = 1024;

/** Emoticons recognized as pseudo emoji (mapped to private code points). */
export const EMOTICON_SMILE = 0xf0001;
export const EMOTICON_SAD = 0xf0002;
export const EMOTICON_HEART = 0xf0003;
export const EMOTICON_WINK = 0xf0004;
export const EMOTICON_LAUGH = 0xf0005;

/**
 * Tokens of one text, struct-of-arrays. Word tokens hold folded chars in `chars`; emoji tokens hold
 * their code point in `hash` with TOK_EMOJI set.
 */
export class Tokens {
  text = '';
  n = 0;
  hash = new Uint32Array(MAX_TOKENS);
  start = new Int32Array(MAX_TOKENS);
  end = new Int32Array(MAX_TOKENS);
  flags = new Uint8Array(MAX_TOKENS);
  charStart = new Int32Array(MAX_TOKENS);
  charLen = new Uint8Array(MAX_TOKENS);
  chars = new Uint16Array(MAX_TEXT + MAX_TOKENS);
  nChars = 0;
  questionMarks = 0;
  exclamations = 0;
  /** Position (token index) after the last '?' — tokens before it belong to a question. */
  lastQuestionTok = -1;
  mentions = 0;
  urls = 0;
  capsWords = 0;
  /** Text with URLs and e-mail addresses removed (for language detection); null = use `text`. */
  cleaned: string | null = null;

  /** The original spelling of token i. */
  surface(i: number): string {
    return this.text.slice(this.start[i]!, this.end[i]!);
  }
}

function isWordChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || foldChar(c) !== 0
  );
}

/** Tokenizes `text` into `t` (reused). */
export function tokenize(input: string, t: Tokens): void {
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  t.text = text;
  t.n = 0;
  t.nChars = 0;
  t.questionMarks = 0;
  t.exclamations = 0;
  t.lastQuestionTok = -1;
  t.mentions = 0;
  t.urls = 0;
  t.capsWords = 0;
  let cleanParts: string[] | null = null;
  let cleanFrom = 0;
  let pendingFlags = TOK_PUNCT_BEFORE;
  const len = text.length;
  let i = 0;
  while (i < len && t.n < MAX_TOKENS) {
    const c = text.charCodeAt(i);
    // URLs
    if ((c === 0x68 || c === 0x48 || c === 0x77) && (i === 0 || !isWordChar(text.charCodeAt(i - 1)))) {
      if (text.startsWith('http://', i) || text.startsWith('https://', i) || text.startsWith('www.', i)) {
        let j = i;
        while (j < len && text.charCodeAt(j) > 0x20) j++;
        cleanParts ??= [];
        cleanParts.push(text.slice(cleanFrom, i));
        cleanFrom = j;
        t.urls++;
        i = j;
        continue;
      }
    }
    // @handles and e-mail domains
    if (c === 0x40) {
      let j = i + 1;
      while (j < len && isHandleChar(text.charCodeAt(j))) j++;
      if (j > i + 1) {
        const emailLike = i > 0 && isHandleChar(text.charCodeAt(i - 1));
        if (emailLike) {
          // drop the local part already tokenized: e-mail addresses say nothing about the message
          let k = t.n - 1;
          while (k >= 0 && t.end[k] === i) {
            t.n--;
            k--;
          }
        } else {
          t.mentions++;
        }
        if (emailLike) {
          // e-mail addresses are removed from the language-detection text; @handles are kept (their
          // words help on short texts)
          cleanParts ??= [];
          let k = i;
          while (k > 0 && isHandleChar(text.charCodeAt(k - 1))) k--;
          cleanParts.push(text.slice(cleanFrom, k));
          cleanFrom = j;
        }
        i = j;
        continue;
      }
      i++;
      continue;
    }
    const f = c < 0x250 ? FOLD[c]! : foldChar(c);
    if (f !== 0) {
      i = readWord(text, i, t, pendingFlags);
      pendingFlags = 0;
      continue;
    }
    // Emoji (surrogate pairs and BMP symbols)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const cp = 0x10000 + ((c & 0x3ff) << 10) + (text.charCodeAt(i + 1) & 0x3ff);
      if (cp < 0x1f3fb || cp > 0x1f3ff) pushEmoji(t, cp, i, i + 2);
      i += 2;
      continue;
    }
    if (c >= 0x2600 && c <= 0x27bf) {
      pushEmoji(t, c, i, i + 1);
      i++;
      continue;
    }
    switch (c) {
      case 0x3f: // ?
        t.questionMarks++;
        t.lastQuestionTok = t.n;
        pendingFlags = TOK_PUNCT_BEFORE;
        break;
      case 0x21: // !
        t.exclamations++;
        pendingFlags = TOK_PUNCT_BEFORE;
        break;
      case 0x2e: // .
      case 0x2c: // ,
      case 0x3b: // ;
      case 0x2026: // …
        if (c === 0x3b || i + 1 >= len || !isEmoticonTail(text.charCodeAt(i + 1))) pendingFlags = TOK_PUNCT_BEFORE;
        if (c === 0x3b) {
          const e = emoticonAt(text, i);
          if (e !== 0) {
            pushEmoji(t, e >>> 4, i, i + (e & 15));
            i += e & 15;
            continue;
          }
        }
        break;
      case 0x3a: // :
      case 0x3d: // =
      case 0x3c: {
        // <
        const e = emoticonAt(text, i);
        if (e !== 0) {
          pushEmoji(t, e >>> 4, i, i + (e & 15));
          i += e & 15;
          continue;
        }
        if (c === 0x3a) pendingFlags = TOK_PUNCT_BEFORE;
        break;
      }
      case 0x23: // #
        if (i + 1 < len && isWordChar(text.charCodeAt(i + 1))) pendingFlags |= TOK_HASHTAG;
        break;
    }
    i++;
  }
  if (cleanParts !== null) {
    cleanParts.push(text.slice(cleanFrom));
    t.cleaned = cleanParts.join(' ');
  } else {
    t.cleaned = null;
  }
}

function isHandleChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e;
}

function isEmoticonTail(c: number): boolean {
  return c === 0x29 || c === 0x28 || c === 0x44 || c === 0x50 || c === 0x70;
}

/** Returns (codepoint << 4 | length) of an emoticon starting at i, or 0. */
function emoticonAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x3c) return text.charCodeAt(i + 1) === 0x33 ? (EMOTICON_HEART << 4) | 2 : 0; // <3
  let j = i + 1;
  if (text.charCodeAt(j) === 0x2d || text.charCodeAt(j) === 0x27) j++; // :-) :')
  const d = text.charCodeAt(j);
  const after = text.charCodeAt(j + 1);
  // the next char must not be a letter (":Durant", "=Paris")
  if (!Number.isNaN(after) && ((after >= 0x61 && after <= 0x7a) || (after >= 0x41 && after <= 0x5a))) {
    if (d !== 0x29 && d !== 0x28) return 0;
  }
  let cp = 0;
  if (d === 0x29 || d === 0x5d) cp = c === 0x3b ? EMOTICON_WINK : EMOTICON_SMILE;
  else if (d === 0x28 || d === 0x5b) cp = EMOTICON_SAD;
  else if (d === 0x44) cp = EMOTICON_LAUGH;
  else if ((d === 0x50 || d === 0x70) && c !== 0x3d) cp = EMOTICON_WINK;
  else if (d === 0x2f && c === 0x3a && text.charCodeAt(j + 1) !== 0x2f) cp = EMOTICON_SAD;
  if (cp === 0) return 0;
  return (cp << 4) | (j + 1 - i);
}

function pushEmoji(t: Tokens, cp: number, start: number, end: number): void {
  const k = t.n++;
  t.hash[k] = cp;
  t.start[k] = start;
  t.end[k] = end;
  t.flags[k] = TOK_EMOJI;
  t.charStart[k] = t.nChars;
  t.charLen[k] = 0;
}

/** Reads one word starting at i; returns the index after it. Handles apostrophes and elongations. */
function readWord(text: string, i: number, t: Tokens, pendingFlags: number): number {
  const len = text.length;
  const k = t.n;
  const cs = t.nChars;
  let h = FNV_OFFSET;
  let n = 0;
  let upper = 0;
  let letters = 0;
  let flags = pendingFlags;
  let prev = -1;
  let run = 0;
  let j = i;
  while (j < len) {
    const c = text.charCodeAt(j);
    let f = c < 0x250 ? FOLD[c]! : foldChar(c);
    if (f === 0) break;
    if (c >= 0x41 && c <= 0x5a) upper++;
    if (f >= 0x30 && f <= 0x39) {
      f = 0x30;
      flags |= TOK_DIGIT;
    } else {
      letters++;
      if (c !== f && c < 0x250 && c >= 0xc0 && text[j]!.toUpperCase() === text[j]) upper++;
    }
    if (f === prev) {
      run++;
      if (run >= 2 && f !== 0x30) {
        // 3+ repeated letters fold to 2: "soooo" → "soo", "noooon" → "noon"
        flags |= TOK_ELONG;
        j++;
        continue;
      }
    } else {
      run = 0;
      prev = f;
    }
    if (n < 255) {
      t.chars[cs + n] = f;
      n++;
      h = fnvStep(h, f);
    }
    j++;
  }
  // English n't: "don't", "isn’t" → token "don" with TOK_NT.
  if (j + 1 < len) {
    const a = text.charCodeAt(j);
    if ((a === 0x27 || a === 0x2019) && (text.charCodeAt(j + 1) | 0x20) === 0x74) {
      const after = j + 2 < len ? text.charCodeAt(j + 2) : 0x20;
      if (after >= 0x250 ? foldChar(after) === 0 : FOLD[after] === 0) {
        if (n > 1 && t.chars[cs + n - 1] === 0x6e) {
          flags |= TOK_NT;
          j += 2;
        }
      }
    }
  }
  if (letters >= 2 && upper === letters) flags |= TOK_CAPS;
  if (flags & TOK_CAPS) t.capsWords++;
  t.hash[k] = h >>> 0;
  t.start[k] = i;
  t.end[k] = j;
  t.flags[k] = flags;
  t.charStart[k] = cs;
  t.charLen[k] = n;
  t.nChars = cs + n;
  t.n = k + 1;
  return j;
}
