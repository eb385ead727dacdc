import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runMigrations } from '../src/server/db/database.ts';
import { type EmbeddedServer, startEmbedded } from '../src/server/db/embedded.ts';

/**
 * The database a benchmark runs on: a fresh temporary embedded PostgreSQL, or — when DATABASE_URL is set —
 * a fresh schema on that server, dropped afterwards. Never ./data.
 */
export interface BenchDatabase {
  kind: 'embedded' | 'external';
  url: string;
  pool: pg.Pool;
  /** PIDs of the embedded server's processes (for RSS); empty for an external server. */
  serverPids(): number[];
  cleanup(): Promise<void>;
}

export async function benchDatabase(opts: { poolSize?: number } = {}): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  let embedded: EmbeddedServer | undefined;
  let dir: string | undefined;
  let url: string;
  let schema: string | undefined;
  if (external) {
    schema = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const u = new URL(external);
    u.searchParams.set('options', `-c search_path=${schema}`);
    url = u.toString();
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-bench-'));
    fs.chmodSync(dir, 0o755);
    embedded = await startEmbedded({ dataDir: dir, log: (m) => progress(m) });
    url = embedded.url;
  }
  await runMigrations(url, schema);
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  // The server stopping under idle connections at the end must not crash the benchmark.
  pool.on('error', () => {});
  return {
    kind: external ? 'external' : 'embedded',
    url,
    pool,
    serverPids: () => (dir ? postgresPids(dir) : []),
    cleanup: async () => {
      await pool.end();
      if (schema && external) {
        const admin = new pg.Client({ connectionString: external });
        await admin.connect();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      }
      await embedded?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The postmaster of `dataDir` and its children, read from /proc (no subprocess: this runs while measuring). */
function postgresPids(dataDir: string): number[] {
  let master: number;
  try {
    master = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  const pids = [master];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (after the parenthesised command name) is the parent PID.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === master) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

export function rssOf(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (m) total += Number(m[1]) * 1024;
    } catch {}
  }
  return total;
}

/** Samples RSS of this process plus `extra()` processes every 100 ms; returns the peak in MB. */
export function rssSampler(extra: () => number[]): { stop(): number } {
  let peak = 0;
  let pids = extra();
  let sampled = 0;
  const sample = () => {
    // Server processes come and go (backends per connection): list them again every second.
    if (++sampled % 10 === 0) pids = extra();
    peak = Math.max(peak, process.memoryUsage().rss + rssOf(pids));
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return Math.round(peak / 1024 / 1024);
    },
  };
}

export function progress(msg: string): void {
  process.stderr.write(`${msg}\n`);
}
