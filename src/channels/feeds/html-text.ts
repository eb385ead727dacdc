import { decodeEntities } from './entities.ts';

/**
 * HTML to readable plain text. The result is only ever shown as text, so this is about readability, not
 * sanitizing: tags go, block elements become line breaks, scripts, styles and comments disappear, entities
 * are decoded once. Broken markup (unclosed tags, unterminated attributes, a bare `<` in prose) must never
 * swallow the text that follows it.
 */
const BLOCK =
  /^(p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|header|footer|aside|pre|hr|figure|figcaption|dd|dt|dl)$/i;
const DROP_WITH_CONTENT = /^(script|style|noscript|template|iframe|object|svg|head)$/i;

/** Where the tag that opens at `lt` ends (the index after `>`), or -1 when `<` does not open a tag. */
function tagEnd(s: string, lt: number): number {
  const next = s[lt + 1] ?? '';
  if (!/[A-Za-z/!?]/.test(next)) return -1;
  let quote = '';
  for (let i = lt + 1; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    } else if (c === '<' && i > lt + 1) {
      // A tag never closed before the next one starts: it ends here.
      return i;
    }
  }
  // An unterminated quote: end the tag at the first `>`, ignoring quotes.
  const gt = s.indexOf('>', lt + 1);
  return gt === -1 ? s.length : gt + 1;
}

export function htmlToText(html: string): string {
  let out = '';
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    const end = tagEnd(html, lt);
    if (end === -1) {
      out += '<';
      i = lt + 1;
      continue;
    }
    const m = /^<\/?\s*([A-Za-z][A-Za-z0-9-]*)/.exec(html.slice(lt, Math.min(end, lt + 40)));
    const name = m?.[1] ?? '';
    const closing = html[lt + 1] === '/';
    i = end;
    if (!closing && DROP_WITH_CONTENT.test(name)) {
      const close = html.toLowerCase().indexOf(`</${name.toLowerCase()}`, end);
      if (close !== -1) {
        const gt = html.indexOf('>', close);
        i = gt === -1 ? n : gt + 1;
      }
      continue;
    }
    if (BLOCK.test(name)) out += '\n';
    else if (/^(td|th)$/i.test(name) && !closing) out += ' ';
  }
  return tidy(decodeEntities(out));
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
