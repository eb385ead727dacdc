import { parseOptions, UsageError } from '../args.ts';

export const summary = 'run a benchmark (ingest, triage, …) and print its figures; --json for one JSON line';

export interface BenchOptions {
  json: boolean;
  messages?: number;
  workers?: number;
}

type BenchModule = { run(opts: BenchOptions): Promise<Record<string, unknown>> };

/** Benchmarks live in bench/<name>.ts; each returns its figures as one object (DESIGN §6). */
const BENCHES: Record<string, () => Promise<BenchModule>> = {
  ingest: () => import('../../../bench/ingest.ts'),
  inbox: () => import('../../../bench/inbox.ts'),
  reports: () => import('../../../bench/reports.ts'),
  latency: () => import('../../../bench/latency.ts'),
  triage: () => import('../../../bench/triage.ts') as Promise<BenchModule>,
};

const USAGE = `passeur bench <${Object.keys(BENCHES).join('|')}> [--json] [--messages N] [--workers N]`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    { json: { type: 'boolean' }, messages: { type: 'string' }, workers: { type: 'string' } },
    USAGE,
  );
  const name = positionals[0];
  const load = name ? BENCHES[name] : undefined;
  if (!load) throw new UsageError(`${name ? `unknown benchmark "${name}"` : 'which benchmark?'}\nusage: ${USAGE}`);
  const opts: BenchOptions = {
    json: values.json ?? false,
    ...(values.messages ? { messages: Number(values.messages) } : {}),
    ...(values.workers ? { workers: Number(values.workers) } : {}),
  };
  if (opts.messages !== undefined && !(Number.isInteger(opts.messages) && opts.messages > 0)) {
    throw new UsageError('--messages must be a positive integer');
  }
  const result = await (await load()).run(opts);
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    for (const [k, v] of Object.entries(result)) {
      process.stdout.write(`${k.padEnd(22)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
    }
  }
  return 0;
}
