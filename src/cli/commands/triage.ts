/**
 * `passeur triage --in FILE.jsonl [--out FILE.jsonl] [--model-dir DIR] [--taxonomy FILE.json]`: offline
 * triage, no server, no database. Streams the input, triages in batches, writes one line per input line
 * (blank lines skipped), in order; bad lines become `{"id"?, "error"}` and a message on stderr.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { loadTriager, parseTaxonomy } from '../../triage/index.ts';
import type { TriageInput, TriageResult } from '../../triage/types.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'triage a JSONL file of messages offline (language, sentiment, intent, topics, urgency…)';

const USAGE = 'passeur triage --in FILE.jsonl [--out FILE.jsonl] [--model-dir DIR] [--taxonomy FILE.json]';
const BATCH = 512;

type Pending = { kind: 'ok'; id: string; input: TriageInput } | { kind: 'error'; line: string };

export function formatResult(id: string, r: TriageResult): string {
  return JSON.stringify({
    id,
    lang: r.lang,
    sentiment: r.sentiment,
    sentiment_score: r.sentimentScore,
    intent: r.intent,
    topics: r.topics,
    urgency: r.urgency,
    team: r.team,
    sensitive: r.sensitive,
    pii: r.pii,
    explain: r.explain,
    model: r.model,
  });
}

/** Parses one input line: a TriageInput with its id, or an error line (with the id when readable). */
export function parseLine(line: string, lineNo: number, warn: (msg: string) => void): Pending {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    warn(`line ${lineNo}: invalid JSON (${err instanceof Error ? err.message : String(err)})`);
    return { kind: 'error', line: JSON.stringify({ error: 'invalid JSON' }) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    warn(`line ${lineNo}: expected a JSON object`);
    return { kind: 'error', line: JSON.stringify({ error: 'expected a JSON object' }) };
  }
  const o = value as Record<string, unknown>;
  const id = o.id;
  const hasId = typeof id === 'string';
  if (!hasId || typeof o.text !== 'string') {
    const missing = !hasId
      ? id === undefined
        ? 'missing "id"'
        : '"id" must be a string'
      : 'missing or non-string "text"';
    warn(`line ${lineNo}: ${missing}`);
    const err: Record<string, unknown> = {};
    if (hasId) err.id = id;
    else if (typeof id === 'number') err.id = id;
    err.error = missing;
    return { kind: 'error', line: JSON.stringify(err) };
  }
  const input: TriageInput = { text: o.text as string };
  if (typeof o.channel === 'string') input.channel = o.channel;
  if (typeof o.lang === 'string' && o.lang.length > 0) input.lang = o.lang;
  return { kind: 'ok', id, input };
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export async function run(argv: string[]): Promise<number> {
  let values: { in?: string; out?: string; 'model-dir'?: string; taxonomy?: string };
  try {
    ({ values } = parseOptions(
      argv,
      {
        in: { type: 'string' },
        out: { type: 'string' },
        'model-dir': { type: 'string' },
        taxonomy: { type: 'string' },
      },
      USAGE,
    ));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`passeur triage: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (!values.in) {
    process.stderr.write(`passeur triage: --in is required\nusage: ${USAGE}\n`);
    return 2;
  }
  const opts: Parameters<typeof loadTriager>[0] = {};
  if (values['model-dir']) opts.modelDir = values['model-dir'];
  if (values.taxonomy) opts.taxonomy = parseTaxonomy(JSON.parse(readFileSync(values.taxonomy, 'utf8')));
  const triager = await loadTriager(opts);

  if (values.in !== '-' && !existsSync(values.in)) {
    process.stderr.write(`passeur triage: ${values.in}: no such file\n`);
    return 1;
  }
  const input = values.in === '-' ? process.stdin : createReadStream(values.in, { encoding: 'utf8' });
  const out: Writable = values.out ? createWriteStream(values.out) : process.stdout;
  const warn = (msg: string) => process.stderr.write(`passeur triage: ${msg}\n`);
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let batch: Pending[] = [];
  let errors = 0;
  let total = 0;
  const flush = async () => {
    const ok = batch.filter((p): p is Extract<Pending, { kind: 'ok' }> => p.kind === 'ok');
    const results = triager.triage(ok.map((p) => p.input));
    let k = 0;
    let chunk = '';
    for (const p of batch) {
      if (p.kind === 'ok') chunk += `${formatResult(p.id, results[k++]!)}\n`;
      else chunk += `${p.line}\n`;
    }
    batch = [];
    await write(out, chunk);
  };
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = raw.trim();
    if (line.length === 0) continue;
    const p = parseLine(line, lineNo, warn);
    if (p.kind === 'error') errors++;
    total++;
    batch.push(p);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  if (errors > 0) warn(`${errors} of ${total} lines could not be triaged`);
  return 0;
}
