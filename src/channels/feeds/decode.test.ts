import { describe, expect, it } from 'vitest';
import { decodeFeed, httpCharset, xmlDeclaredEncoding } from './decode.ts';

const cp1252 = (s: string) => {
  const map: Record<string, number> = { '’': 0x92, '…': 0x85, '€': 0x80, '«': 0xab, '»': 0xbb };
  return Uint8Array.from([...s].map((c) => map[c] ?? c.charCodeAt(0)));
};
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('feed charset decoding', () => {
  it('reads the HTTP charset and the XML declaration', () => {
    expect(httpCharset('application/rss+xml; charset="ISO-8859-1"')).toBe('ISO-8859-1');
    expect(httpCharset('text/xml')).toBeUndefined();
    expect(xmlDeclaredEncoding(utf8(`<?xml version='1.0' encoding='windows-1252' standalone="yes"?><rss/>`))).toBe(
      'windows-1252',
    );
  });

  it('decodes Latin-1 and Windows-1252 feeds, whichever way they are announced', () => {
    const bytes = cp1252('<?xml version="1.0" encoding="ISO-8859-1"?><t>Été à l’aéroport… 5 € « ok »</t>');
    for (const ct of ['text/xml; charset=iso-8859-1', 'text/xml', undefined, 'text/xml; charset=windows-1252']) {
      const d = decodeFeed(bytes, ct);
      expect(d.text).toContain('Été à l’aéroport… 5 € « ok »');
      expect(d.encoding).toBe('windows-1252');
    }
  });

  it('prefers what the bytes satisfy when the server and the document disagree', () => {
    // A UTF-8 file served as ISO-8859-1 (a common server default).
    const u = utf8('<?xml version="1.0" encoding="utf-8"?><t>Genève</t>');
    expect(decodeFeed(u, 'text/xml; charset=ISO-8859-1').text).toContain('Genève');
    // A Windows-1252 file that claims UTF-8.
    const w = cp1252('<?xml version="1.0" encoding="UTF-8"?><t>Genève’</t>');
    expect(decodeFeed(w, 'application/rss+xml; charset=utf-8').text).toContain('Genève’');
    // Undeclared UTF-8.
    expect(decodeFeed(utf8('<t>Zürich</t>')).text).toBe('<t>Zürich</t>');
  });

  it('follows a byte-order mark first', () => {
    const le = new Uint8Array([0xff, 0xfe, ...[...'<t>é</t>'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeFeed(le, 'text/xml; charset=iso-8859-1')).toEqual({ text: '<t>é</t>', encoding: 'utf-16le' });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('<t>ü</t>')]);
    expect(decodeFeed(bom, 'text/xml; charset=iso-8859-1').text).toBe('<t>ü</t>');
    expect(decodeFeed(utf8('<t>x</t>'), 'text/xml; charset=x-unknown-label').text).toBe('<t>x</t>');
  });
});
