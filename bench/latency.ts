import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BenchOptions } from '../src/cli/commands/bench.ts';
import { createDemoStream } from '../src/demo/corpus.ts';
import { createToken, openSession } from '../src/domain/access/service.ts';
import { freePort } from '../src/server/db/embedded.ts';
import { progress } from './support.ts';

/**
 * `passeur bench latency`: from `POST /api/v1/messages` sent to the matching Server-Sent Event received, under a
 * steady load (default 500 messages/s for 30 s). The server is a real `passeur start` in its own process, on
 * a fresh embedded PostgreSQL (or a fresh schema of DATABASE_URL); this process only sends and listens.
 */
const RATE = 500;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function waitReady(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not become ready within 60 s');
}

export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const total = opts.messages ?? RATE * 30;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passeur-latency-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const external = process.env.DATABASE_URL;
  let schema: string | undefined;
  let dbUrl = external;
  if (external) {
    schema = `bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const u = new URL(external);
    u.searchParams.set('options', `-c search_path=${schema}`);
    dbUrl = u.toString();
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PASSEUR_DEMO_STREAM: '0',
    LOG_LEVEL: 'warn',
    PASSEUR_SECRET_KEY: `bench:${Buffer.alloc(32, 1).toString('base64')}`,
  };
  if (dbUrl) env.DATABASE_URL = dbUrl;
  else delete env.DATABASE_URL;
  const child = spawn(
    path.join(root, 'bin/passeur'),
    ['start', '--port', String(port), '--data', path.join(dir, 'data')],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(base, child);
    // Token and session straight from the database the server uses (the embedded one is shared, not restarted).
    const connection = dbUrl ?? JSON.parse(fs.readFileSync(path.join(dir, 'data', 'passeur-db.json'), 'utf8'));
    const url =
      typeof connection === 'string'
        ? connection
        : `postgres://${connection.user}:${encodeURIComponent(connection.password)}@127.0.0.1:${JSON.parse(fs.readFileSync(path.join(dir, 'data', 'passeur.lock'), 'utf8')).port}/passeur`;
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const org = await pool.query<{ id: number }>('select id from organizations order by id limit 1');
    const leader = await pool.query<{ id: number }>(`select id from people where role = 'leader' order by id limit 1`);
    const { token } = await createToken(pool, org.rows[0]!.id, 'latency-bench', ['ingest']);
    const cookie = await openSession(pool, leader.rows[0]!.id, 1);
    await pool.end();

    // The SSE listener: message id → arrival time.
    const arrived = new Map<number, number>();
    const sse = await fetch(`${base}/api/v1/events`, { headers: { cookie: `passeur_session=${cookie}` } });
    if (!sse.ok || !sse.body) throw new Error(`SSE: ${sse.status}`);
    const reader = sse.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        const now = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          for (const line of frame.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            const e = JSON.parse(line.slice(6)) as { type: string; message_id?: number };
            if (e.type === 'message.created' && e.message_id !== undefined) arrived.set(e.message_id, now);
          }
          cut = buffer.indexOf('\n\n');
        }
      }
    })();

    const stream = createDemoStream({ seed: 5 });
    const messages = Array.from({ length: total }, (_, i) => ({ ...stream.next(), external_id: `lat-${i}` }));
    const sentAt = new Map<number, number>();
    const pending: Promise<void>[] = [];
    let failed = 0;
    progress(`latency bench: ${total} messages at ${RATE}/s to ${base}`);
    const started = performance.now();
    // Steady pacing: each message leaves at its scheduled time, whatever happened to the previous ones.
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const t0 = performance.now();
      pending.push(
        fetch(`${base}/api/v1/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(messages[i]),
        }).then(
          async (r) => {
            if (r.status !== 202) failed++;
            else sentAt.set(((await r.json()) as { message_id: number }).message_id, t0);
          },
          () => {
            failed++;
          },
        ),
      );
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - started) / 1000;
    // Give the last events a moment to arrive.
    for (let i = 0; i < 50 && [...sentAt.keys()].some((id) => !arrived.has(id)); i++)
      await new Promise((r) => setTimeout(r, 100));
    await reader.cancel().catch(() => {});
    const latencies = [...sentAt].filter(([id]) => arrived.has(id)).map(([id, t]) => arrived.get(id)! - t);
    latencies.sort((a, b) => a - b);
    const round = (x: number) => Number(x.toFixed(1));
    return {
      name: 'latency',
      db: external ? 'external' : 'embedded',
      messages: total,
      rate_per_s: Math.round(total / elapsed),
      p50_ms: round(percentile(latencies, 50)),
      p95_ms: round(percentile(latencies, 95)),
      p99_ms: round(percentile(latencies, 99)),
      max_ms: round(latencies[latencies.length - 1] ?? Number.NaN),
      received: latencies.length,
      failed,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (schema && external) {
      const admin = new pg.Client({ connectionString: external });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
