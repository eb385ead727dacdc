import { constants, crc32, createDeflateRaw } from 'node:zlib';

/**
 * A minimal streaming XLSX (Office Open XML spreadsheet) writer: a zip of XML parts, each entry deflated as it
 * is produced and followed by a data descriptor (sizes and CRC known only at the end), so a sheet of any
 * length is written with bounded memory. Cells are numbers or inline strings (text is never a formula);
 * dates are written as ISO 8601 text like the CSV exports.
 */
export type Cell = string | number | boolean | Date | null | undefined | readonly string[];

export interface SheetSource {
  /** Sheet name (at most 31 characters, no []:*?/\). */
  name: string;
  /** Rows in pages: each yielded array is a batch of rows. */
  rows: AsyncIterable<Cell[][]> | Iterable<Cell[][]>;
}

// XML 1.0 forbids most control characters; they are dropped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is removed
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** The text of a cell as the CSV export writes it, formula characters neutralised the same way. */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join('|') : String(v);
  return /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
}

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function rowXml(r: number, cells: Cell[]): string {
  let xml = `<row r="${r}">`;
  for (const [i, v] of cells.entries()) {
    if (v === null || v === undefined || v === '') continue;
    const ref = `${columnName(i)}${r}`;
    if (typeof v === 'number' && Number.isFinite(v)) xml += `<c r="${ref}"><v>${v}</v></c>`;
    else if (typeof v === 'boolean') xml += `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
    else xml += `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(cellText(v))}</t></is></c>`;
  }
  return `${xml}</row>`;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** A worksheet holds at most this many rows (the spreadsheet format's limit); rows past it are left out. */
export const MAX_SHEET_ROWS = 1_048_576;

async function* sheetXml(rows: SheetSource['rows']): AsyncGenerator<string> {
  yield `${XML_HEAD}<worksheet xmlns="${NS_MAIN}"><sheetData>`;
  let r = 0;
  for await (const batch of rows) {
    let chunk = '';
    for (const cells of batch) {
      if (r >= MAX_SHEET_ROWS) break;
      chunk += rowXml(++r, cells);
    }
    if (chunk) yield chunk;
    if (r >= MAX_SHEET_ROWS) break;
  }
  yield '</sheetData></worksheet>';
}

function safeSheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';
}

function staticParts(names: string[]): [string, string][] {
  const sheets = names.map((_, i) => i + 1);
  return [
    [
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        sheets
          .map(
            (i) =>
              `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '</Types>',
    ],
    [
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      'xl/workbook.xml',
      `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets>` +
        names
          .map((n, i) => `<sheet name="${xmlEscape(safeSheetName(n))}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
          .join('') +
        '</sheets></workbook>',
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
        sheets
          .map((i) => `<Relationship Id="rId${i}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i}.xml"/>`)
          .join('') +
        '</Relationships>',
    ],
  ];
}

interface Entry {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** DOS date/time of an instant (local fields of UTC). */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/** A streamed zip archive: local header, deflated data, data descriptor per entry, then the central directory. */
async function* zip(parts: AsyncIterable<[string, AsyncIterable<string>]>, at: Date): AsyncGenerator<Buffer> {
  const entries: Entry[] = [];
  let offset = 0;
  const { time, date } = dosTime(at);
  for await (const [path, content] of parts) {
    const name = Buffer.from(path, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(0x0808, 6); // data descriptor follows; UTF-8 names
    header.writeUInt16LE(8, 8); // deflate
    header.writeUInt16LE(time, 10);
    header.writeUInt16LE(date, 12);
    // crc and sizes are zero here: they follow in the data descriptor.
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    const entry: Entry = { name, crc: 0, compressed: 0, size: 0, offset };
    yield Buffer.concat([header, name]);
    offset += header.length + name.length;
    const deflate = createDeflateRaw({ level: 6 });
    const out: Buffer[] = [];
    deflate.on('data', (b: Buffer) => out.push(b));
    const drain = function* () {
      while (out.length > 0) {
        const b = out.shift()!;
        entry.compressed += b.length;
        yield b;
      }
    };
    for await (const text of content) {
      const raw = Buffer.from(text, 'utf8');
      entry.crc = crc32(raw, entry.crc);
      entry.size += raw.length;
      if (!deflate.write(raw)) await new Promise<void>((resolve) => deflate.once('drain', () => resolve()));
      // Each chunk is a page of rows: the deflate stream hands over what it has compressed so far.
      await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
      yield* drain();
    }
    await new Promise<void>((resolve, reject) => {
      deflate.once('end', () => resolve());
      deflate.once('error', reject);
      deflate.end();
    });
    yield* drain();
    offset += entry.compressed;
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc >>> 0, 4);
    descriptor.writeUInt32LE(entry.compressed, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    yield descriptor;
    offset += descriptor.length;
    entries.push(entry);
  }
  const central: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(20, 4); // made by
    h.writeUInt16LE(20, 6); // needed
    h.writeUInt16LE(0x0808, 8);
    h.writeUInt16LE(8, 10);
    h.writeUInt16LE(time, 12);
    h.writeUInt16LE(date, 14);
    h.writeUInt32LE(e.crc >>> 0, 16);
    h.writeUInt32LE(e.compressed, 20);
    h.writeUInt32LE(e.size, 24);
    h.writeUInt16LE(e.name.length, 28);
    h.writeUInt32LE(e.offset, 42);
    central.push(h, e.name);
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  yield Buffer.concat([dir, end]);
}

/** The workbook of the given sheets, streamed as zip bytes. */
export function xlsx(sheets: SheetSource[], at = new Date()): AsyncGenerator<Buffer> {
  const names = sheets.map((s) => s.name);
  async function* parts(): AsyncGenerator<[string, AsyncIterable<string>]> {
    for (const [path, text] of staticParts(names)) {
      yield [
        path,
        (async function* () {
          yield text;
        })(),
      ];
    }
    for (const [i, s] of sheets.entries()) yield [`xl/worksheets/sheet${i + 1}.xml`, sheetXml(s.rows)];
  }
  return zip(parts(), at);
}
