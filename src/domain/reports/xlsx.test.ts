import { describe, expect, it } from 'vitest';
import { pdfText, readXlsx, unzip } from '../../../test/support/files.ts';
import { csvField, summaryRows } from './export.ts';
import { emptyKpis } from './kpis.ts';
import { summaryPdf } from './pdf.ts';
import { type Cell, xlsx } from './xlsx.ts';

const collect = async (it: AsyncIterable<Buffer>) => {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(b);
  return Buffer.concat(parts);
};

describe('XLSX writer', () => {
  it('writes a workbook whose sheets read back cell for cell, text escaped and formulas neutralised', async () => {
    const rows: Cell[][] = [
      ['id', 'name', 'count', 'when', 'tags'],
      [1, 'A & B <tag> "quoted"', 2.5, new Date('2026-12-01T10:00:00Z'), ['x', 'y']],
      [2, '=HYPERLINK("http://evil.example","click")', -3, null, []],
      [3, '+1+2', 0, '@SUM(A1:A2)', ['-cmd']],
      [4, 'line\nbreak\u0001', null, '-12', 'tab'],
    ];
    const book = await collect(xlsx([{ name: 'Cases', rows: [rows.slice(0, 2), rows.slice(2)] }]));
    expect(book.subarray(0, 2).toString()).toBe('PK');
    const files = unzip(book);
    expect([...files.keys()]).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/worksheets/sheet1.xml',
    ]);
    const sheet = readXlsx(book).get('Cases')!;
    expect(sheet[0]).toEqual(['id', 'name', 'count', 'when', 'tags']);
    expect(sheet[1]).toEqual(['1', 'A & B <tag> "quoted"', '2.5', '2026-12-01T10:00:00.000Z', 'x|y']);
    // A formula is written as text with a leading apostrophe, exactly as the CSV export writes it.
    expect(sheet[2]![1]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(sheet[2]![2]).toBe('-3');
    expect(sheet[3]!.slice(1, 5)).toEqual([`'+1+2`, '0', `'@SUM(A1:A2)`, `'-cmd`]);
    expect(sheet[4]).toEqual(['4', 'line\nbreak', '', '-12', 'tab']);
    // No cell of the sheet is a formula, and every string is inline.
    const xml = files.get('xl/worksheets/sheet1.xml')!.toString();
    expect(xml).not.toContain('<f>');
    // The same values through the CSV export's field rule.
    for (const [i, r] of rows.entries()) {
      for (const [j, v] of r.entries()) {
        const csv = csvField(v);
        const unquoted = csv.startsWith('"') ? csv.slice(1, -1).replaceAll('""', '"') : csv;
        expect(sheet[i]![j] ?? '').toBe(unquoted.replace('\u0001', ''));
      }
    }
  });

  it('streams a large sheet in bounded chunks', async () => {
    async function* pages() {
      for (let p = 0; p < 50; p++) yield Array.from({ length: 2000 }, (_, i): Cell[] => [p * 2000 + i, `row ${i}`]);
    }
    let largest = 0;
    const parts: Buffer[] = [];
    for await (const b of xlsx([{ name: 'Big', rows: pages() }])) {
      largest = Math.max(largest, b.length);
      parts.push(b);
    }
    const rows = readXlsx(Buffer.concat(parts)).get('Big')!;
    expect(rows).toHaveLength(100_000);
    expect(rows[99_999]).toEqual(['99999', 'row 1999']);
    // Chunks are pages, never the whole file.
    expect(largest).toBeLessThan(200_000);
  });

  it('flattens the summary KPIs, extensions included, beside the previous period', () => {
    const k = { ...emptyKpis(), messages_in: 5, extensions: { feedback: { ideas: { created: 2 } } } };
    const rows = summaryRows(k, { ...emptyKpis(), messages_in: 3 });
    expect(rows[0]).toEqual(['indicator', 'period', 'previous_period']);
    expect(rows).toContainEqual(['messages_in', 5, 3]);
    expect(rows).toContainEqual(['extensions.feedback.ideas.created', 2, null]);
    expect(rows).toContainEqual(['first_response_minutes.median', null, null]);
  });
});

describe('summary PDF', () => {
  it('includes the feedback and quality extensions beside the core KPIs', async () => {
    const kpis = {
      ...emptyKpis(),
      messages_in: 42,
      extensions: {
        feedback: {
          ideas: { forwarded: 9, created: 7, accepted: 3 },
          incidents: { raised: 4, cases_linked: 11, fixed: 2, resolution_hours: { median: 5, p90: 9 } },
        },
        quality: { total: { reviews: 12, mean_score: 83.5, most_failed: [] }, people: [], communities: [] },
      },
    };
    const previous = {
      ...emptyKpis(),
      extensions: { feedback: { ideas: { forwarded: 1, created: 6, accepted: 0 }, incidents: {} } },
    };
    const pdf = Buffer.from(
      await summaryPdf({
        organization: 'AirSocial',
        title: 'Weekly quality report',
        filter: {
          orgId: 1,
          from: new Date('2026-11-16T00:00:00Z'),
          to: new Date('2026-11-23T00:00:00Z'),
          communities: null,
          businessHours: false,
          tz: 'UTC',
          now: new Date('2026-11-23T00:00:00Z'),
        },
        scope: 'all communities',
        kpis,
        previous,
      }),
    );
    const text = pdfText(pdf).split('\n');
    expect(text).toContain('Weekly quality report');
    const valuesOf = (label: string) => text.slice(text.indexOf(label) + 1, text.indexOf(label) + 3);
    expect(valuesOf('Messages received')).toEqual(['42', '0']);
    expect(valuesOf('Ideas created')).toEqual(['7', '6']);
    expect(valuesOf('Cases forwarded as ideas')).toEqual(['9', '1']);
    expect(valuesOf('Incidents raised to quality')).toEqual(['4', '-']);
    expect(valuesOf('Incidents fixed')).toEqual(['2', '-']);
    expect(valuesOf('Incident resolution, median')).toEqual(['5.0 h', '-']);
    expect(valuesOf('QA mean score (0 to 100)')).toEqual(['83.5', '-']);
    expect(valuesOf('Replies reviewed (QA)')).toEqual(['12', '-']);
  });
});
