import { decodeEntities } from './entities.ts';

/**
 * HTML to readable plain text. The result is only ever shown as text, so this is about readability, not
 * sanitizing: tags go, block elements become line breaks, scripts, styles and comments disappear, entities
 * are decoded once. Broken markup (unclosed tags, unterminated attributes, a bare `<` in prose) must never
 * swallow the text that follows it.
 */
const PARAGRAPH = /^(p|h[1-6]|blockquote|pre|ul|ol|dl|table|figure|section|article|header|footer|aside|hr)$/i;
const LINE = /^(br|li|div|tr|dt|dd|figcaption|main|nav|address)$/i;
const CELL = /^(td|th)$/i;
const DROP_WITH_CONTENT = /^(script|style|noscript|template|iframe|object|svg|head|title)$/i;

/** Where the tag that opens at `lt` ends (the index after `>`), or -1 when `<` does not open a tag. */
function tagEnd(s: string, lt: number): number {
  const next = s[lt + 1] ?? '';
  if (!/[A-Za-z/!?]/.test(next)) return -1;
  const firstGt = () => {
    const gt = s.indexOf('>', lt + 1);
    return gt === -1 ? s.length : gt + 1;
  };
  let quote = '';
  for (let i = lt + 1; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      // A `<` inside an attribute value means its quote was never closed: the tag ends at its first `>`.
      if (c === quote) quote = '';
      else if (c === '<') return firstGt();
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    } else if (c === '<') {
      // A tag never closed before the next one starts: it ends here.
      return i;
    }
  }
  return firstGt();
}

/** Text with line and paragraph breaks, never more than one empty line. */
class TextOut {
  private readonly parts: string[] = [];
  private newlines = 0;
  private started = false;
  text(t: string): void {
    const flat = decodeEntities(t).replace(/\s+/g, ' ');
    if (!flat) return;
    this.parts.push(flat);
    if (flat.trim()) {
      this.newlines = 0;
      this.started = true;
    }
  }
  space(): void {
    this.parts.push(' ');
  }
  brk(n: 1 | 2): void {
    if (!this.started || this.newlines >= n) return;
    this.parts.push('\n'.repeat(n - this.newlines));
    this.newlines = n;
  }
  toString(): string {
    return this.parts.join('');
  }
}

export function htmlToText(html: string): string {
  const out = new TextOut();
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out.text(html.slice(i));
      break;
    }
    out.text(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    const end = tagEnd(html, lt);
    if (end === -1) {
      out.text('<');
      i = lt + 1;
      continue;
    }
    const m = /^<\/?\s*([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(lt, Math.min(end, lt + 40)));
    const name = m?.[1] ?? '';
    const closing = html[lt + 1] === '/';
    i = end;
    if (!closing && DROP_WITH_CONTENT.test(name)) {
      const close = new RegExp(`</${name}\\s*>`, 'gi');
      close.lastIndex = end;
      const found = close.exec(html);
      if (found) i = found.index + found[0].length;
      continue;
    }
    if (PARAGRAPH.test(name)) out.brk(2);
    else if (LINE.test(name)) out.brk(1);
    else if (CELL.test(name)) out.space();
  }
  return tidy(out.toString());
}

/** Collapses spaces, keeps paragraph breaks (at most one empty line). */
export function tidy(text: string): string {
  return text
    .replace(/[\u00A0\u2000-\u200B\u202F\u205F\u3000\t\f\v\r]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** One line of text (titles). */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** At most `max` characters, cut at a word boundary with an ellipsis. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.search(/\s\S*$/);
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
