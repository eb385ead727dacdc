import { inflateRawSync, inflateSync } from 'node:zlib';

/** The entries of a zip archive (stored or deflated), read from its central directory. */
export function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive');
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    const local = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
    const data = buf.subarray(local, local + compressed);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLength + extra + comment;
  }
  return out;
}

const unescapeXml = (s: string) =>
  s
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)![0];
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The rows of a worksheet's XML (inline strings, numbers, booleans) as text cells; missing cells are ''. */
export function sheetRows(xml: string): string[][] {
  const rows: string[][] = [];
  for (const row of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: string[] = [];
    for (const c of row[1]!.matchAll(/<c r="([A-Z]+\d+)"([^>]*)>([\s\S]*?)<\/c>/g)) {
      const i = columnIndex(c[1]!);
      while (cells.length < i) cells.push('');
      const inline = /<t[^>]*>([\s\S]*?)<\/t>/.exec(c[3]!);
      const value = /<v>([\s\S]*?)<\/v>/.exec(c[3]!);
      cells[i] = unescapeXml(inline ? inline[1]! : (value?.[1] ?? ''));
    }
    rows.push(cells);
  }
  return rows;
}

/** A workbook's sheets by name, each as rows of text cells. */
export function readXlsx(buf: Buffer): Map<string, string[][]> {
  const files = unzip(buf);
  const workbook = files.get('xl/workbook.xml')!.toString('utf8');
  const rels = files.get('xl/_rels/workbook.xml.rels')!.toString('utf8');
  const target = new Map([...rels.matchAll(/Id="([^"]+)"[^>]*Target="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  const out = new Map<string, string[][]>();
  for (const m of workbook.matchAll(/<sheet name="([^"]*)"[^>]*r:id="([^"]+)"/g)) {
    const path = `xl/${target.get(m[2]!)}`;
    out.set(unescapeXml(m[1]!), sheetRows(files.get(path)!.toString('utf8')));
  }
  return out;
}

/** The text a PDF draws with Tj (hex strings of standard fonts), content streams inflated. */
export function pdfText(buf: Buffer): string {
  const text: string[] = [];
  const raw = buf.toString('latin1');
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    const data = buf.subarray(start, end);
    let content: string;
    try {
      content = inflateSync(data).toString('latin1');
    } catch {
      content = data.toString('latin1');
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) text.push(Buffer.from(t[1]!, 'hex').toString('latin1'));
    for (const t of content.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj/g)) text.push(t[1]!);
  }
  return text.join('\n');
}
