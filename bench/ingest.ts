import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from '../src/cli/commands/bench.ts';
import { createDemoStream } from '../src/demo/corpus.ts';
import { AIRSOCIAL, DEMO_PASSWORD } from '../src/demo/organization.ts';
import { type InboundMessage, parseInbound } from '../src/domain/ingest/model.ts';
import { createIngestQueue } from '../src/domain/ingest/service.ts';
import { ingestDepsFor } from '../src/domain/ingest/setup.ts';
import { seedOrganization } from '../src/domain/organization/seed.ts';
import type { TriageResult } from '../src/triage/types.ts';
import { benchDatabase, progress, rssSampler } from './support.ts';

/**
 * `passeur bench ingest`: messages stored + triaged + routed per second through the real ingest path
 * (the server's group-commit queue), against its slowest stage alone measured in the same run: triage of
 * the same texts, and plain multi-row INSERTs of the same message rows into the same database.
 */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const n = opts.messages ?? 100_000;
  const db = await benchDatabase({ poolSize: 6 });
  const rss = rssSampler(db.serverPids);
  try {
    const { orgId } = await seedOrganization(db.pool, AIRSOCIAL, DEMO_PASSWORD);
    const deps = await ingestDepsFor(db.pool, orgId);
    const messages = generate(n);
    progress(`ingest bench: ${n} messages on the ${db.kind} PostgreSQL`);

    // Stage 1 alone: triage of the same texts, same process.
    let t = performance.now();
    const triaged: TriageResult[] = [];
    for (let i = 0; i < n; i += 1000) {
      triaged.push(
        ...deps.triager().triage(messages.slice(i, i + 1000).map((m) => ({ text: m.text, channel: m.channel }))),
      );
    }
    const triageOnly = n / ((performance.now() - t) / 1000);
    progress(`  triage only: ${Math.round(triageOnly)} texts/s`);

    // Stage 2 alone: the same rows, triage precomputed, as plain multi-row INSERTs into a copy of messages.
    await db.pool.query(
      'create table bench_insert (like messages including defaults including identity including indexes)',
    );
    t = performance.now();
    const inserts: Promise<unknown>[] = [];
    for (let i = 0; i < n; i += 1000) {
      const rows = messages.slice(i, i + 1000).map((m, j) => {
        const tr = triaged[i + j]!;
        return [
          orgId,
          m.channel,
          m.external_id,
          i + j + 1,
          m.author.handle,
          m.author.name ?? null,
          m.text,
          m.created_at,
          tr.lang,
          tr.sentiment,
          tr.sentimentScore,
          tr.intent,
          tr.topics,
          tr.urgency,
          tr.sensitive,
          JSON.stringify({ model: tr.model, team: tr.team }),
        ];
      });
      const cols = 16;
      const values = rows.map(
        (_, r) => `(${Array.from({ length: cols }, (_, c) => `$${r * cols + c + 1}`).join(',')}, 'in')`,
      );
      const insert = db.pool.query(
        `insert into bench_insert (org_id, channel, external_id, case_id, author_handle, author_name, text, created_at,
             lang, sentiment, sentiment_score, intent, topics, urgency, sensitive, triage, direction) values ${values.join(',')}`,
        rows.flat(),
      );
      insert.catch(() => {}); // awaited below; this only stops an early failure from crashing the process
      inserts.push(insert);
      if (inserts.length >= 2) await inserts.shift();
    }
    await Promise.all(inserts);
    const insertOnly = n / ((performance.now() - t) / 1000);
    await db.pool.query('drop table bench_insert');
    progress(`  insert only: ${Math.round(insertOnly)} rows/s`);

    // The pipeline: every message through the queue the HTTP API uses, until all are stored and routed —
    // in this process, or shared by N worker processes on the same database.
    const workers = opts.workers ?? 1;
    let pipeline: number;
    let created: number;
    if (workers > 1) {
      progress(`  pipeline with ${workers} worker processes`);
      ({ rate: pipeline, created } = await runWorkers(db.url, orgId, n, workers));
    } else {
      const queue = createIngestQueue(deps);
      t = performance.now();
      const results = await Promise.all(messages.map((m) => queue.submit(m)));
      pipeline = n / ((performance.now() - t) / 1000);
      created = results.filter((r) => r.created).length;
    }
    const routed = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from messages m join cases c on c.id = m.case_id where c.team_id is not null`,
    );
    if (created !== n || routed.rows[0]!.n !== n) {
      throw new Error(`pipeline stored ${created} and routed ${routed.rows[0]!.n} of ${n} messages`);
    }
    progress(`  pipeline: ${Math.round(pipeline)} msgs/s`);
    const baseline = Math.min(triageOnly, insertOnly);
    return {
      name: 'ingest',
      db: db.kind,
      messages: n,
      workers,
      msgs_per_s: Math.round(pipeline),
      triage_only_per_s: Math.round(triageOnly),
      insert_only_per_s: Math.round(insertOnly),
      baseline_msgs_per_s: Math.round(baseline),
      ratio: Number((pipeline / baseline).toFixed(3)),
      rss_mb: rss.stop(),
    };
  } finally {
    rss.stop();
    await db.cleanup();
  }
}

/** Realistic varied traffic from the demo corpus (threads, follow-ups, several languages and brands). */
export function generate(n: number): InboundMessage[] {
  const stream = createDemoStream({ seed: 7, start: new Date('2026-03-02T06:00:00Z') });
  return Array.from({ length: n }, () => parseInbound(stream.next()));
}

/**
 * Starts `workers` processes, waits until each has generated its share, then says "go" to all at once;
 * the rate is all messages over the time until the last one is done.
 */
async function runWorkers(
  url: string,
  orgId: number,
  n: number,
  workers: number,
): Promise<{ rate: number; created: number }> {
  const script = fileURLToPath(new URL('./ingest-worker.ts', import.meta.url));
  const children = Array.from({ length: workers }, (_, i) =>
    spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', script, url, String(orgId), String(n), String(i), String(workers)],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    ),
  );
  const replies = children.map((c) => readline.createInterface({ input: c.stdout! })[Symbol.asyncIterator]());
  const nextReply = async (i: number) => {
    const r = await replies[i]!.next();
    if (r.done) throw new Error(`ingest worker ${i} stopped early`);
    return JSON.parse(r.value) as { ready?: boolean; done?: number; created?: number };
  };
  try {
    await Promise.all(children.map((_, i) => nextReply(i)));
    const t = performance.now();
    for (const c of children) c.stdin!.write('go\n');
    const done = await Promise.all(children.map((_, i) => nextReply(i)));
    const seconds = (performance.now() - t) / 1000;
    return { rate: n / seconds, created: done.reduce((sum, d) => sum + (d.created ?? 0), 0) };
  } finally {
    for (const c of children) c.kill();
  }
}
