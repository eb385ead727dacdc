import fs from 'node:fs';
import readline from 'node:readline';
import { type Alert, CrisisDetector } from '../../domain/crisis/detector.ts';
import { loadTriager } from '../../triage/index.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'offline crisis detection over a time-ordered stream of messages (.jsonl)';

const USAGE = 'passeur detect --in FILE.jsonl [--out FILE.jsonl] [--sensitivity X]';
const BATCH = 2000;

interface Line {
  line: number;
  id: string;
  text: string;
  at: number;
  community?: string;
  lang?: string;
}

function parseLine(raw: string, line: number): Line | string {
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (!o || typeof o !== 'object') return 'not a JSON object';
  const r = o as Record<string, unknown>;
  if (typeof r.id !== 'string' && typeof r.id !== 'number') return 'missing "id"';
  if (typeof r.text !== 'string') return 'missing "text"';
  if (typeof r.created_at !== 'string') return 'missing "created_at"';
  const at = Date.parse(r.created_at);
  if (Number.isNaN(at)) return `"created_at" is not a date: ${r.created_at}`;
  return {
    line,
    id: String(r.id),
    text: r.text,
    at,
    ...(typeof r.community === 'string' && r.community ? { community: r.community } : {}),
    ...(typeof r.lang === 'string' && r.lang ? { lang: r.lang } : {}),
  };
}

/**
 * Prints one JSON line per alert: the time it would have fired, the community, the kind, a score and the
 * evidence. Bad lines are reported on stderr and skipped; a line older than the one before it in its
 * community is judged at the latest time seen (streams must be in time order).
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(
    argv,
    { in: { type: 'string' }, out: { type: 'string' }, sensitivity: { type: 'string' } },
    USAGE,
  );
  if (!values.in) throw new UsageError(`--in is required\nusage: ${USAGE}`);
  if (!fs.existsSync(values.in)) throw new UsageError(`${values.in}: no such file`);
  const sensitivity = values.sensitivity === undefined ? 1 : Number(values.sensitivity);
  if (!(sensitivity > 0)) throw new UsageError('--sensitivity must be a positive number (1 is the default)');
  const out = values.out ? fs.createWriteStream(values.out) : process.stdout;
  const triager = await loadTriager();
  const detector = new CrisisDetector({ sensitivity });
  const latest = new Map<string, number>();
  let pending: Line[] = [];
  let alerts = 0;
  const flush = () => {
    const triaged = triager.triage(pending.map((l) => ({ text: l.text, ...(l.lang ? { lang: l.lang } : {}) })));
    pending.forEach((l, i) => {
      const key = l.community ?? '';
      const at = Math.max(l.at, latest.get(key) ?? 0);
      latest.set(key, at);
      const fired: Alert[] = detector.push({
        id: l.id,
        text: l.text,
        at,
        community: l.community,
        negative: triaged[i]!.sentiment === 'negative',
      });
      for (const a of fired) {
        out.write(`${JSON.stringify(a)}\n`);
        alerts++;
      }
    });
    pending = [];
  };
  const rl = readline.createInterface({
    input: fs.createReadStream(values.in, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const raw of rl) {
    n++;
    if (!raw.trim()) continue;
    const parsed = parseLine(raw, n);
    if (typeof parsed === 'string') {
      process.stderr.write(`${values.in}:${n}: skipped: ${parsed}\n`);
      continue;
    }
    pending.push(parsed);
    if (pending.length >= BATCH) flush();
  }
  flush();
  if (out !== process.stdout) await new Promise<void>((r) => (out as fs.WriteStream).end(r));
  process.stderr.write(`${n} lines read, ${alerts} alerts\n`);
  return 0;
}
