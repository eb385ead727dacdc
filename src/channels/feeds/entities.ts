/**
 * Character references. Feeds use HTML's named entities freely (`&eacute;`, `&nbsp;`, `&rsquo;`), in XML
 * text as much as in escaped HTML, so both are decoded with the HTML 4 set: the five of XML, Latin-1 and
 * the usual typography. An unknown name is left as written.
 */
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute ' +
  'micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring ' +
  'AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml ' +
  'times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil ' +
  'egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ' +
  'ugrave uacute ucirc uuml yacute thorn yuml';

const NAMED_LIST: Record<string, number> = {
  amp: 38,
  lt: 60,
  gt: 62,
  quot: 34,
  apos: 39,
  OElig: 338,
  oelig: 339,
  Scaron: 352,
  scaron: 353,
  Yuml: 376,
  fnof: 402,
  circ: 710,
  tilde: 732,
  ensp: 8194,
  emsp: 8195,
  thinsp: 8201,
  zwnj: 8204,
  zwj: 8205,
  lrm: 8206,
  rlm: 8207,
  ndash: 8211,
  mdash: 8212,
  lsquo: 8216,
  rsquo: 8217,
  sbquo: 8218,
  ldquo: 8220,
  rdquo: 8221,
  bdquo: 8222,
  dagger: 8224,
  Dagger: 8225,
  bull: 8226,
  hellip: 8230,
  permil: 8240,
  prime: 8242,
  Prime: 8243,
  lsaquo: 8249,
  rsaquo: 8250,
  euro: 8364,
  trade: 8482,
  larr: 8592,
  rarr: 8594,
  harr: 8596,
  minus: 8722,
};
const NAMED = new Map<string, number>(Object.entries(NAMED_LIST));
for (const [i, name] of LATIN1.split(' ').entries()) NAMED.set(name, 160 + i);

const WINDOWS_1252 = new TextDecoder('windows-1252');

function fromCode(code: number): string {
  // NUL, surrogates and values beyond Unicode are not characters: the replacement character says so.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
  // Windows-1252 code points written as numeric references (&#146;) mean the Windows characters.
  if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252.decode(new Uint8Array([code]));
  return String.fromCodePoint(code);
}

const REF = /&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});/g;

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(REF, (whole, ref: string) => {
    if (ref[0] === '#') {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      return fromCode(Number.parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    const code = NAMED.get(ref);
    return code === undefined ? whole : String.fromCodePoint(code);
  });
}
