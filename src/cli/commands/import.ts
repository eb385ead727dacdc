import fs from 'node:fs';
import readline from 'node:readline';
import { CsvError, parse as parseCsv } from 'csv-parse';
import { AIRSOCIAL, DEMO_PASSWORD } from '../../demo/organization.ts';
import { type InboundMessage, parseInbound } from '../../domain/ingest/model.ts';
import { ingest } from '../../domain/ingest/service.ts';
import { ingestDepsFor } from '../../domain/ingest/setup.ts';
import { insertDeadLetter } from '../../domain/ingest/store.ts';
import { seedOrganization } from '../../domain/organization/seed.ts';
import { ValidationError } from '../../domain/validation.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { parseOptions, UsageError } from '../args.ts';

export const summary = 'import messages from a .jsonl or .csv file through the normal ingest path';

const USAGE = 'passeur import FILE.jsonl|FILE.csv [--data DIR] [--batch N]';
const CSV_COLUMNS = [
  'channel',
  'external_id',
  'account',
  'author_handle',
  'author_name',
  'text',
  'created_at',
  'in_reply_to',
];

/** One record of the file: its line number and either the parsed body or why it could not be read. */
type Record_ = { line: number; body?: unknown; error?: string };

export async function* jsonlRecords(file: string): AsyncGenerator<Record_> {
  const rl = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, body: JSON.parse(text) };
    } catch (err) {
      yield { line, error: `not valid JSON (${(err as Error).message})` };
    }
  }
}

/**
 * The records of a CSV parser; a file it cannot read (e.g. an unclosed quote) stops the import with the line,
 * not a stack trace.
 */
async function* readableCsv(
  file: string,
  parser: AsyncIterable<unknown>,
): AsyncGenerator<{ record: Record<string, string>; info: { lines: number } }> {
  try {
    yield* parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>;
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    throw new UsageError(`${file}: line ${err.lines ?? '?'}: ${err.message}`);
  }
}

export async function* csvRecords(file: string): AsyncGenerator<Record_> {
  const parser = fs
    .createReadStream(file)
    .pipe(parseCsv({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  let checked = false;
  for await (const rec of readableCsv(file, parser)) {
    if (!checked) {
      const missing = ['channel', 'external_id', 'author_handle', 'text'].filter((c) => !(c in rec.record));
      if (missing.length)
        throw new UsageError(`the CSV header lacks ${missing.join(', ')} (columns: ${CSV_COLUMNS.join(', ')})`);
      checked = true;
    }
    const r = rec.record;
    const blank = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
    yield {
      line: rec.info.lines,
      body: {
        channel: r.channel,
        external_id: r.external_id,
        ...(blank(r.account) ? { account: r.account } : {}),
        author: { handle: r.author_handle, ...(blank(r.author_name) ? { name: r.author_name } : {}) },
        text: r.text,
        ...(blank(r.created_at) ? { created_at: r.created_at } : {}),
        ...(blank(r.in_reply_to) ? { in_reply_to: r.in_reply_to } : {}),
      },
    };
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    { data: { type: 'string' }, batch: { type: 'string', default: '500' } },
    USAGE,
  );
  const file = positionals[0];
  if (!file || positionals.length !== 1) throw new UsageError(`usage: ${USAGE}`);
  if (!fs.existsSync(file)) throw new UsageError(`${file}: no such file`);
  const kind = file.endsWith('.csv')
    ? 'csv'
    : file.endsWith('.jsonl') || file.endsWith('.ndjson')
      ? 'jsonl'
      : undefined;
  if (!kind) throw new UsageError(`${file}: expected a .jsonl or .csv file`);
  const batchSize = Math.max(1, Math.min(5000, Number(values.batch) || 500));
  const config = loadConfig(process.env, values.data ? { dataDir: values.data } : {});
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    shareIfHeld: true,
    poolSize: 3,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  let read = 0;
  let stored = 0;
  let duplicates = 0;
  let bad = 0;
  const started = Date.now();
  try {
    const { orgId } = await seedOrganization(db.pool, AIRSOCIAL, DEMO_PASSWORD);
    const deps = await ingestDepsFor(db.pool, orgId);
    let batch: InboundMessage[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const results = await ingest(deps, batch);
      for (const r of results) r.created ? stored++ : duplicates++;
      batch = [];
      process.stderr.write(`\rimported ${stored} new, ${duplicates} already known, ${bad} refused (${read} read)`);
    };
    const records = kind === 'csv' ? csvRecords(file) : jsonlRecords(file);
    for await (const rec of records) {
      read++;
      let error = rec.error;
      if (!error) {
        try {
          batch.push(parseInbound(rec.body));
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          error = err.message;
        }
      }
      if (error) {
        bad++;
        process.stderr.write(`\n${file}:${rec.line}: skipped: ${error}\n`);
        await insertDeadLetter(db.pool, {
          orgId,
          source: `import:${file}:${rec.line}`,
          reason: error,
          payload: JSON.stringify(rec.body ?? null),
        });
      }
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await db.close();
  }
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `\ndone: ${stored} new messages, ${duplicates} already known, ${bad} lines refused, in ${seconds.toFixed(1)} s\n`,
  );
  return bad > 0 ? 1 : 0;
}
