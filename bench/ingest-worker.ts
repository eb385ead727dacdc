/**
 * One process of `passeur bench ingest --workers N`: it ingests its contiguous share of the benchmark's
 * messages through the server's ingest queue into the shared database, once the parent says "go".
 * Protocol on stdio (one JSON object per line): → {"ready": true}; ← "go"; → {"done": ms, "created": n}.
 */
import readline from 'node:readline';
import pg from 'pg';
import { createIngestQueue } from '../src/domain/ingest/service.ts';
import { ingestDepsFor } from '../src/domain/ingest/setup.ts';
import { generate } from './ingest.ts';

const [url, orgIdArg, nArg, indexArg, workersArg] = process.argv.slice(2);
const n = Number(nArg);
const index = Number(indexArg);
const workers = Number(workersArg);
const pool = new pg.Pool({ connectionString: url, max: 4 });
pool.on('error', () => {});
const deps = await ingestDepsFor(pool, Number(orgIdArg));
const all = generate(n);
const share = all.slice(Math.floor((index * n) / workers), Math.floor(((index + 1) * n) / workers));
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  const queue = createIngestQueue(deps);
  const t = performance.now();
  const results = await Promise.all(share.map((m) => queue.submit(m)));
  process.stdout.write(
    `${JSON.stringify({ done: performance.now() - t, created: results.filter((r) => r.created).length })}\n`,
  );
  break;
}
lines.close();
await pool.end();
