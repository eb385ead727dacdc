/**
 * Lengths and threads of outbound text. Lengths count user-perceived characters (grapheme clusters), as the
 * networks do: an emoji or an accented letter is one. A text over a network's limit is split into a thread at
 * word boundaries, each part ending with its position ("1/3").
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function textLength(s: string): number {
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}

function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (g) => g.segment);
}

/** Words with the whitespace before them; a word longer than `cap` is cut into pieces of `cap`. */
function tokens(text: string, cap: number): { sep: string; word: string }[] {
  const out: { sep: string; word: string }[] = [];
  for (const m of text.trim().matchAll(/(\s*)(\S+)/g)) {
    const word = m[2]!;
    if (textLength(word) <= cap) {
      out.push({ sep: m[1]!, word });
      continue;
    }
    const g = graphemes(word);
    for (let i = 0; i < g.length; i += cap) out.push({ sep: i === 0 ? m[1]! : '', word: g.slice(i, i + cap).join('') });
  }
  return out;
}

function pack(text: string, cap: number): string[] {
  const parts: string[] = [];
  let current = '';
  let length = 0;
  for (const { sep, word } of tokens(text, cap)) {
    const w = textLength(word);
    if (current === '') {
      current = word;
      length = w;
    } else if (length + textLength(sep) + w <= cap) {
      current += sep;
      current += word;
      length += textLength(sep) + w;
    } else {
      parts.push(current);
      current = word;
      length = w;
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}

/**
 * The text as posts of at most `max` characters each, markers included: one post when it fits, else a thread
 * "… 1/3", "… 2/3", "… 3/3" cut between words. Whitespace inside a part is kept as written.
 */
export function splitThread(text: string, max: number): string[] {
  if (textLength(text) <= max) return [text];
  let n = 2;
  for (let guard = 0; guard < 10; guard++) {
    const marker = ` ${n}/${n}`.length;
    if (marker >= max) break;
    const parts = pack(text, max - marker);
    if (String(parts.length).length <= String(n).length) {
      return parts.map((p, i) => `${p} ${i + 1}/${parts.length}`);
    }
    n = parts.length;
  }
  throw new Error(`cannot split a text into posts of ${max} characters`);
}
