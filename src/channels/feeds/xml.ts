import { decodeEntities } from './entities.ts';

/**
 * A small, forgiving XML reader for feeds. Feeds in the wild carry HTML entities XML does not define, stray
 * `&` and `<`, unescaped HTML inside descriptions and tags closed in the wrong order; a strict parser would
 * lose the whole feed for one bad item. This one never expands DOCTYPE entities (no entity bombs, no
 * external entities), resolves namespaces, and reports a document whose root was never closed (a truncated
 * download) so the caller can refuse it.
 */
export interface XmlElement {
  /** The name as written (`content:encoded`). */
  name: string;
  local: string;
  /** The namespace URI ('' for none). */
  ns: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export interface XmlDocument {
  root: XmlElement | undefined;
  /** False when the input ended inside the root element. */
  complete: boolean;
}

/** Prefixes feeds use without declaring them. */
const CONVENTIONAL: Record<string, string> = {
  xml: 'http://www.w3.org/XML/1998/namespace',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  atom: 'http://www.w3.org/2005/Atom',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  feedburner: 'http://rssnamespace.org/feedburner/ext/1.0',
  thr: 'http://purl.org/syndication/thread/1.0',
};

const MAX_DEPTH = 256;
const EMPTY_HTML = /^(br|hr|img|wbr)$/i;
const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHARS = /[^\s/>=]/y;

interface Open {
  el: XmlElement;
  scope: Record<string, string>;
}

function resolve(el: XmlElement, scope: Record<string, string>): void {
  const colon = el.name.indexOf(':');
  const prefix = colon > 0 ? el.name.slice(0, colon) : '';
  el.local = colon > 0 ? el.name.slice(colon + 1) : el.name;
  el.ns = scope[prefix] ?? CONVENTIONAL[prefix] ?? (prefix ? `undeclared:${prefix}` : '');
}

function readName(s: string, from: number): number {
  NAME_CHARS.lastIndex = from;
  let i = from;
  while (i < s.length && NAME_CHARS.test(s)) i = NAME_CHARS.lastIndex;
  return i;
}

/** Reads attributes from `i` to the end of the tag; returns where the tag ends and whether it closed itself. */
function readAttributes(s: string, i: number, attrs: Record<string, string>): { end: number; selfClosing: boolean } {
  const n = s.length;
  while (i < n) {
    const c = s[i]!;
    if (c === '>') return { end: i + 1, selfClosing: false };
    if (c === '/' && s[i + 1] === '>') return { end: i + 2, selfClosing: true };
    if (c <= ' ' || c === '/') {
      i++;
      continue;
    }
    const nameEnd = readName(s, i);
    if (nameEnd === i) {
      i++;
      continue;
    }
    const name = s.slice(i, nameEnd);
    i = nameEnd;
    while (i < n && s[i]! <= ' ') i++;
    if (s[i] !== '=') {
      attrs[name] = '';
      continue;
    }
    i++;
    while (i < n && s[i]! <= ' ') i++;
    const q = s[i];
    let value: string;
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, i + 1);
      // An unterminated quote: take the value up to the tag's end rather than swallowing the document.
      const stop = close === -1 ? s.indexOf('>', i + 1) : close;
      value = s.slice(i + 1, stop === -1 ? n : stop);
      i = close === -1 ? (stop === -1 ? n : stop) : close + 1;
    } else {
      let j = i;
      while (j < n && s[j]! > ' ' && s[j] !== '>') j++;
      value = s.slice(i, j);
      i = j;
    }
    attrs[name] = decodeEntities(value);
  }
  return { end: n, selfClosing: false };
}

export function parseXml(input: string): XmlDocument {
  const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const n = s.length;
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let rootClosed = false;
  let i = 0;
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top && text) top.el.children.push(text);
  };
  while (i < n) {
    const lt = s.indexOf('<', i);
    if (lt === -1) {
      addText(decodeEntities(s.slice(i)));
      break;
    }
    if (lt > i) addText(decodeEntities(s.slice(i, lt)));
    i = lt;
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      i = end === -1 ? n : end + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i + 9);
      addText(s.slice(i + 9, end === -1 ? n : end));
      i = end === -1 ? n : end + 3;
    } else if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (s.startsWith('<!', i)) {
      // DOCTYPE (with an internal subset in brackets): skipped, its entities are never expanded.
      let depth = 0;
      let j = i + 2;
      for (; j < n; j++) {
        const c = s[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      i = j + 1;
    } else if (s[i + 1] === '/') {
      const nameEnd = readName(s, i + 2);
      const name = s.slice(i + 2, nameEnd);
      const gt = s.indexOf('>', nameEnd);
      i = gt === -1 ? n : gt + 1;
      // Close up to the matching element; a closing tag that matches nothing open is ignored.
      let k = stack.length - 1;
      while (k >= 0 && stack[k]!.el.name !== name) k--;
      if (k >= 0) {
        stack.length = k;
        if (k === 0) rootClosed = true;
      }
    } else if (NAME_START.test(s[i + 1] ?? '')) {
      const nameEnd = readName(s, i + 1);
      const el: XmlElement = { name: s.slice(i + 1, nameEnd), local: '', ns: '', attrs: {}, children: [] };
      const { end, selfClosing } = readAttributes(s, nameEnd, el.attrs);
      i = end;
      const parent = stack[stack.length - 1];
      let scope = parent?.scope ?? {};
      let copied = false;
      for (const [k, v] of Object.entries(el.attrs)) {
        if (k !== 'xmlns' && !k.startsWith('xmlns:')) continue;
        if (!copied) {
          scope = { ...scope };
          copied = true;
        }
        scope[k === 'xmlns' ? '' : k.slice(6)] = v;
      }
      resolve(el, scope);
      if (parent) parent.el.children.push(el);
      else if (!root) root = el;
      else continue; // a second root: ignored
      // HTML line breaks and images left unescaped in a description are never closed: they hold nothing.
      const empty = selfClosing || EMPTY_HTML.test(el.name);
      if (!empty && stack.length < MAX_DEPTH) stack.push({ el, scope });
      else if (!parent) rootClosed = true;
    } else {
      addText('<');
      i++;
    }
  }
  return { root, complete: root !== undefined && rootClosed };
}

/** Direct children that are elements, optionally only those named `local` in one of `ns`. */
export function elements(el: XmlElement, local?: string, ns?: readonly string[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (local !== undefined && c.local !== local) continue;
    if (ns !== undefined && !ns.includes(c.ns)) continue;
    out.push(c);
  }
  return out;
}

export function child(el: XmlElement, local: string, ns?: readonly string[]): XmlElement | undefined {
  return elements(el, local, ns)[0];
}

/** The text of an element and its descendants. */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}

const VOID = /^(br|hr|img|wbr|input|meta|link|source)$/i;
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The content of an element as HTML: its text when it holds only text (escaped HTML, CDATA), else its
 * children written back as markup (XHTML content, or HTML a publisher forgot to escape).
 */
export function innerHtml(el: XmlElement | undefined): string {
  if (!el) return '';
  if (el.children.every((c) => typeof c === 'string')) return el.children.join('');
  let out = '';
  for (const c of el.children) {
    if (typeof c === 'string') out += escapeHtml(c);
    else if (VOID.test(c.local)) out += `<${c.local}>${innerHtml(c)}`;
    else out += `<${c.local}>${innerHtml(c)}</${c.local}>`;
  }
  return out;
}
