import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { CrisisReport } from './room.ts';

/** The post-crisis report as a PDF: summary, before/during/after table, volume chart, top issues, timeline. */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;

/** The standard fonts encode WinAnsi only: anything else is replaced, never an exception. */
function safe(font: PDFFont, s: string): string {
  let out = '';
  for (const ch of s) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += '?';
    }
  }
  return out;
}

const duration = (s: number | null) =>
  s === null ? '-' : s < 90 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 100)} %`);

export async function reportPdf(r: CrisisReport): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Crisis report: ${r.crisis.title}`);
  doc.setProducer('Passeur');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const line = (text: string, opts: { size?: number; bold?: boolean; x?: number } = {}) => {
    const size = opts.size ?? 10;
    if (y < MARGIN + size) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
    }
    const f = opts.bold ? bold : font;
    let t = safe(f, text);
    while (t.length > 3 && f.widthOfTextAtSize(t, size) > A4[0] - 2 * MARGIN - (opts.x ?? 0))
      t = `${t.slice(0, -4)}...`;
    page.drawText(t, { x: MARGIN + (opts.x ?? 0), y, size, font: f, color: rgb(0.1, 0.1, 0.12) });
    y -= size * 1.5;
  };

  line(`Crisis report: ${r.crisis.title}`, { size: 18, bold: true });
  line(`Playbook: ${r.crisis.playbook}`);
  line(
    `Declared ${r.crisis.declared_at}${r.crisis.stood_down_at ? `, stood down ${r.crisis.stood_down_at}` : ' (in progress)'}`,
  );
  line(`Cases resolved in the channel on call-center topics (deflected calls): ${r.deflected}`);
  y -= 8;

  line('Before / during / after', { size: 13, bold: true });
  const cols = [0, 70, 140, 210, 290, 370];
  const header = ['', 'messages', 'negative', 'cases', 'median 1st resp.', 'p90 1st resp.'];
  for (const [i, h] of header.entries()) page.drawText(h, { x: MARGIN + cols[i]!, y, size: 9, font: bold });
  y -= 14;
  for (const [name, w] of Object.entries(r.windows)) {
    const cells = [
      name,
      String(w.messages),
      pct(w.negative_share),
      `${w.answered}/${w.cases}`,
      duration(w.median_first_response_s),
      duration(w.p90_first_response_s),
    ];
    for (const [i, c] of cells.entries()) page.drawText(safe(font, c), { x: MARGIN + cols[i]!, y, size: 9, font });
    y -= 13;
  }
  y -= 10;

  line(`Volume (messages per ${r.volumes.bucket_minutes} min; dark: negative)`, { size: 13, bold: true });
  const chartH = 120;
  const chartW = A4[0] - 2 * MARGIN;
  if (y - chartH < MARGIN) {
    page = doc.addPage(A4);
    y = A4[1] - MARGIN;
  }
  const series = r.volumes.series;
  const max = Math.max(1, ...series.map((s) => s.n));
  const bw = chartW / Math.max(1, series.length);
  const base = y - chartH;
  page.drawLine({ start: { x: MARGIN, y: base }, end: { x: MARGIN + chartW, y: base }, thickness: 0.5 });
  series.forEach((s, i) => {
    const h = (s.n / max) * chartH;
    const hn = (s.negative / max) * chartH;
    const x = MARGIN + i * bw;
    if (h > 0) page.drawRectangle({ x, y: base, width: Math.max(0.5, bw - 1), height: h, color: rgb(0.6, 0.7, 0.85) });
    if (hn > 0)
      page.drawRectangle({ x, y: base, width: Math.max(0.5, bw - 1), height: hn, color: rgb(0.75, 0.2, 0.2) });
  });
  const declaredAt = Date.parse(r.crisis.declared_at);
  const first = series[0] ? Date.parse(series[0].at) : declaredAt;
  const last = series.at(-1) ? Date.parse(series.at(-1)!.at) + r.volumes.bucket_minutes * 60_000 : declaredAt;
  const xOf = (t: number) => MARGIN + ((t - first) / Math.max(1, last - first)) * chartW;
  page.drawLine({
    start: { x: xOf(declaredAt), y: base },
    end: { x: xOf(declaredAt), y: base + chartH },
    thickness: 1,
    color: rgb(0.8, 0.4, 0),
  });
  page.drawText(`max ${max}`, { x: MARGIN, y: base + chartH + 2, size: 8, font });
  y = base - 20;

  line('Top issues during the crisis', { size: 13, bold: true });
  for (const t of r.top_issues) line(`${t.topic}: ${t.n} messages`, { x: 10 });
  y -= 6;
  line('Timeline', { size: 13, bold: true });
  for (const t of r.timeline) {
    const data = Object.entries(t.data)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    line(`${t.at.slice(0, 19).replace('T', ' ')}  ${t.kind}${t.person ? ` (${t.person})` : ''}  ${data}`, {
      x: 10,
      size: 9,
    });
  }
  y -= 6;
  line('Changes applied and reverted', { size: 13, bold: true });
  for (const ch of r.changes) {
    line(`${ch.kind} ${ch.target}: ${ch.reverted_at ? `reverted (${ch.revert_note ?? ''})` : 'in force'}`, {
      x: 10,
      size: 9,
    });
  }
  return doc.save();
}
