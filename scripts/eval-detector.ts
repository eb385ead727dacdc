/**
 * Measures the crisis detector on replayed weeks: false alarms on normal traffic and the delay to the first
 * alert after a 5x surge injected into the smallest community. `npm run eval:detector [-- --seeds N]`.
 */
import { parseArgs } from 'node:util';
import { type Alert, CrisisDetector } from '../src/domain/crisis/detector.ts';
import { replay } from '../src/domain/crisis/replay.ts';
import { loadTriager } from '../src/triage/index.ts';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '5' }, sensitivity: { type: 'string', default: '1' } },
});
const triager = await loadTriager();
const communities = [
  { name: 'small-it', peakPerHour: 200, language: 'it' as const },
  { name: 'mid-de', peakPerHour: 600, language: 'de' as const },
  { name: 'large-fr', peakPerHour: 1500, language: 'fr' as const },
];
const rows: string[] = [];
let totalFalse = 0;
const delays: number[] = [];
for (let seed = 1; seed <= Number(values.seeds); seed++) {
  const start = new Date('2026-03-02T00:00:00Z');
  const onset = new Date('2026-03-08T14:17:00Z');
  const stream = replay({
    seed,
    start,
    days: 7,
    communities,
    surge: { community: 'small-it', at: onset, minutes: 120, factor: 5 },
  });
  const triaged = triager.triage(stream.map((m) => ({ text: m.text })));
  const detector = new CrisisDetector({ sensitivity: Number(values.sensitivity) });
  const alerts: Alert[] = [];
  for (const [i, m] of stream.entries())
    alerts.push(...detector.push({ ...m, negative: triaged[i]!.sentiment === 'negative' }));
  const before = alerts.filter((a) => Date.parse(a.at) < onset.getTime() || a.community !== 'small-it');
  const falseAlarms = before.filter((a) => !(a.community === 'small-it' && Date.parse(a.at) >= onset.getTime()));
  const first = alerts.find((a) => a.community === 'small-it' && Date.parse(a.at) >= onset.getTime());
  const delay = first ? (Date.parse(first.at) - onset.getTime()) / 1000 : Number.NaN;
  totalFalse += falseAlarms.length;
  delays.push(delay);
  rows.push(
    `seed ${seed}: ${stream.length} messages, false alarms ${falseAlarms.length}` +
      `${falseAlarms.length ? ` (${falseAlarms.map((a) => `${a.community} ${a.kind} ${a.at} ${a.score}`).join('; ')})` : ''}` +
      `, first surge alert after ${delay} s (${first?.kind ?? 'none'})`,
  );
}
console.log(rows.join('\n'));
console.log(`total false alarms ${totalFalse} over ${values.seeds} weeks; delays ${delays.join(', ')} s`);
