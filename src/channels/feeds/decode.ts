/**
 * Bytes to text for a feed. The encoding comes from, in order: a byte-order mark, then the HTTP charset and
 * the XML declaration. When those two disagree, the one the bytes actually satisfy wins: many servers announce
 * `ISO-8859-1` for UTF-8 files, and many old feeds declare UTF-8 while being written in Windows-1252. Labels
 * go through the WHATWG decoder, which reads `ISO-8859-1` as Windows-1252 (what such feeds really hold).
 */
export interface Decoded {
  text: string;
  /** The encoding used, as the decoder names it. */
  encoding: string;
}

function decoderFor(label: string | undefined, fatal = false): TextDecoder | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim().toLowerCase(), { fatal, ignoreBOM: false });
  } catch {
    return undefined;
  }
}

/** The charset parameter of a Content-Type header. */
export function httpCharset(contentType: string | null | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}

/** The encoding named by an XML declaration (read as ASCII from the first bytes). */
export function xmlDeclaredEncoding(bytes: Uint8Array): string | undefined {
  const head = String.fromCharCode(...bytes.subarray(0, 256));
  const m = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return m?.[1];
}

function bomEncoding(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return undefined;
}

function tryDecode(bytes: Uint8Array, label: string | undefined): Decoded | undefined {
  const strict = decoderFor(label, true);
  if (!strict) return undefined;
  try {
    return { text: strict.decode(bytes), encoding: strict.encoding };
  } catch {
    return undefined;
  }
}

export function decodeFeed(bytes: Uint8Array, contentType?: string | null): Decoded {
  const bom = bomEncoding(bytes);
  if (bom) return { text: new TextDecoder(bom).decode(bytes), encoding: bom };
  const candidates = [httpCharset(contentType), xmlDeclaredEncoding(bytes)].filter((x): x is string => !!x);
  // A declared encoding the bytes satisfy: UTF-8 first, since a wrong UTF-8 claim fails loudly.
  const ordered = [
    ...candidates.filter((c) => decoderFor(c)?.encoding === 'utf-8'),
    ...candidates.filter((c) => decoderFor(c)?.encoding !== 'utf-8'),
  ];
  for (const label of ordered) {
    const d = tryDecode(bytes, label);
    if (d) return d;
  }
  // Nothing declared (or nothing that fits): UTF-8 when valid, else the Windows-1252 of old feeds.
  return tryDecode(bytes, 'utf-8') ?? { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
}
