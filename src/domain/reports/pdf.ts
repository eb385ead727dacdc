import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';
import type { ReportFilter } from './filters.ts';
import type { Kpis } from './kpis.ts';

/**
 * A one-page PDF of the summary report: the filters, then each KPI of the period beside the previous
 * period's (definitions in docs/metrics.md), with the KPI extensions it knows (ideas and incidents, QA scores). English labels; names outside the standard PDF font's
 * character set are written with "?" in place of the missing characters.
 */
const A4: [number, number] = [595.28, 841.89];

const fmtMin = (m: number | null) => {
  if (m === null) return '-';
  if (m < 120) return `${m.toFixed(0)} min`;
  if (m < 48 * 60) return `${(m / 60).toFixed(1)} h`;
  return `${(m / 1440).toFixed(1)} d`;
};
const fmtPct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)} %`);
const fmtNum = (n: number | null) => (n === null ? '-' : String(n));

const get = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );
const num = (v: unknown) => (typeof v === 'number' ? v : null);

/**
 * Rows of the KPI extensions the PDF knows (ideas and incidents, QA scores), when their provider is registered;
 * a row is kept when the period or the previous one has it.
 */
const EXTENSION_ROWS: [string, string, (v: number | null) => string][] = [
  ['feedback.ideas.forwarded', 'Cases forwarded as ideas', fmtNum],
  ['feedback.ideas.created', 'Ideas created', fmtNum],
  ['feedback.ideas.accepted', 'Ideas accepted', fmtNum],
  ['feedback.incidents.raised', 'Incidents raised to quality', fmtNum],
  ['feedback.incidents.cases_linked', 'Cases linked to incidents', fmtNum],
  ['feedback.incidents.fixed', 'Incidents fixed', fmtNum],
  [
    'feedback.incidents.resolution_hours.median',
    'Incident resolution, median',
    (h) => fmtMin(h === null ? null : h * 60),
  ],
  ['quality.total.reviews', 'Replies reviewed (QA)', fmtNum],
  ['quality.total.mean_score', 'QA mean score (0 to 100)', (x) => (x === null ? '-' : x.toFixed(1))],
];

export function extensionRows(k: Kpis): [string, string][] {
  const ext = k.extensions ?? {};
  return EXTENSION_ROWS.filter(([path]) => get(ext, path) !== undefined).map(([path, label, fmt]) => [
    label,
    fmt(num(get(ext, path))),
  ]);
}

function rows(k: Kpis): [string, string][] {
  return [
    ['Messages received', fmtNum(k.messages_in)],
    ['Replies sent', fmtNum(k.messages_out)],
    ['New cases', fmtNum(k.cases_created)],
    ['Cases resolved', fmtNum(k.cases_resolved)],
    ['First response, median', fmtMin(k.first_response_minutes.median)],
    ['First response, p90', fmtMin(k.first_response_minutes.p90)],
    ['Resolution, median', fmtMin(k.resolution_minutes.median)],
    ['Resolution, p90', fmtMin(k.resolution_minutes.p90)],
    ['First responses on time', fmtPct(k.sla_first_response.compliance)],
    ['Resolutions on time', fmtPct(k.sla_resolution.compliance)],
    ['Reopened after resolution', fmtPct(k.reopen_rate.rate)],
    ['Replies out of hours', fmtPct(k.out_of_hours.share)],
    ['Net sentiment (-100 to +100)', fmtNum(k.net_sentiment.net)],
    ...extensionRows(k),
  ];
}

/** The rows of the report as text: label, value in the period, value in the previous period. */
export function reportLines(k: Kpis, previous: Kpis): [string, string, string][] {
  const before = new Map(rows(previous));
  return rows(k).map(([label, value]) => [label, value, before.get(label) ?? '-']);
}

function safeText(font: PDFFont, s: string): string {
  return [...s]
    .map((ch) => {
      try {
        font.encodeText(ch);
        return ch;
      } catch {
        return '?';
      }
    })
    .join('');
}

export async function summaryPdf(input: {
  organization: string;
  /** A title line under the organization's name (a scheduled report's name). */
  title?: string;
  filter: ReportFilter;
  scope: string;
  kpis: Kpis;
  previous: Kpis;
}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Passeur report ${input.filter.from.toISOString().slice(0, 10)}`);
  doc.setProducer('Passeur');
  const page = doc.addPage(A4);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let y = A4[1] - 60;
  const text = (s: string, x: number, size = 10, f = font, color = rgb(0.1, 0.1, 0.1)) =>
    page.drawText(safeText(f, s), { x, y, size, font: f, color });
  text(`${input.organization} - report`, 50, 18, bold);
  y -= 24;
  if (input.title) {
    text(input.title, 50, 13, bold);
    y -= 20;
  }
  const f = input.filter;
  text(`Period: ${f.from.toISOString()} to ${f.to.toISOString()} (end excluded)`, 50);
  y -= 14;
  text(`Scope: ${input.scope}`, 50);
  y -= 14;
  text(`Durations: ${f.businessHours ? 'business hours of each community' : 'wall-clock'}`, 50);
  y -= 14;
  const k = input.kpis.backlog;
  text(
    `Open cases now: ${k.count} (median age ${fmtMin(k.age_hours.median === null ? null : k.age_hours.median * 60)})`,
    50,
  );
  y -= 30;
  text('Indicator', 50, 11, bold);
  text('Period', 330, 11, bold);
  text('Previous period', 440, 11, bold);
  y -= 8;
  page.drawLine({ start: { x: 50, y }, end: { x: A4[0] - 50, y }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) });
  y -= 16;
  for (const [label, value, before] of reportLines(input.kpis, input.previous)) {
    text(label, 50);
    text(value, 330);
    text(before, 440);
    y -= 18;
  }
  y -= 10;
  text('Definitions: docs/metrics.md. Generated by Passeur.', 50, 8, font, rgb(0.4, 0.4, 0.4));
  return doc.save();
}
