import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createToken, openSession } from '../../src/domain/access/service.ts';
import { freePort } from '../../src/server/db/embedded.ts';
import { describeEachDatabase } from '../support/db.ts';

/**
 * Several Passeur processes on one PostgreSQL share the work: an API process, an API-and-worker process and a
 * worker process take
 * 20,000 messages (with duplicates sent to different processes); each is stored once and routed once, every
 * SSE client — whichever process it is connected to — sees every event, and an SLA deadline fires once.
 */
const MESSAGES = 20_000;
const DUPLICATES = 500;

interface Proc {
  child: ChildProcess;
  base: string;
}

async function startProcess(databaseUrl: string, role: 'all' | 'api' | 'worker'): Promise<Proc> {
  const port = await freePort();
  const child = spawn(path.resolve('bin/passeur'), ['start', '--port', String(port), '--role', role], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PASSEUR_DEMO_STREAM: '0',
      LOG_LEVEL: 'warn',
      PASSEUR_SLA_SWEEP_MS: '500',
      PASSEUR_SECRET_KEY: `test:${Buffer.alloc(32, 7).toString('base64')}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`passeur --role ${role} exited with ${child.exitCode}`);
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, base };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`passeur --role ${role} did not become ready`);
}

function listen(base: string, cookie: string, seen: Set<number>): () => void {
  const abort = new AbortController();
  void (async () => {
    const res = await fetch(`${base}/api/v1/events`, {
      headers: { cookie: `passeur_session=${cookie}` },
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        for (const line of buffer.slice(0, cut).split('\n')) {
          if (!line.startsWith('data: ')) continue;
          const e = JSON.parse(line.slice(6)) as { type: string; message_id?: number };
          if (e.type === 'message.created' && e.message_id !== undefined) seen.add(e.message_id);
        }
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
      }
    }
  })().catch(() => {});
  return () => abort.abort();
}

describeEachDatabase('several processes on one PostgreSQL', (db) => {
  const procs: Proc[] = [];
  beforeAll(async () => {
    // The first process migrates and seeds; the others start together.
    procs.push(await startProcess(db().url, 'api'));
    procs.push(...(await Promise.all([startProcess(db().url, 'all'), startProcess(db().url, 'worker')])));
  }, 120_000);
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(
      procs.map((p) => new Promise((r) => (p.child.exitCode !== null ? r(null) : p.child.once('exit', r)))),
    );
  });

  it('stores and routes every message once and shows every event on every process', { timeout: 300_000 }, async () => {
    const pool = db().pool;
    const orgId = (await pool.query<{ id: number }>('select id from organizations')).rows[0]!.id;
    const { token } = await createToken(pool, orgId, 'scale', ['ingest']);
    const leader = (await pool.query<{ id: number }>(`select id from people where role = 'leader'`)).rows[0]!.id;
    const apis = procs.slice(0, 2);
    const seen = apis.map(() => new Set<number>());
    const cookie = await openSession(pool, leader, 1);
    const stops = apis.map((p, i) => listen(p.base, cookie, seen[i]!));
    await new Promise((r) => setTimeout(r, 300));

    const body = (i: number) =>
      JSON.stringify({
        channel: 'sandbox',
        external_id: `scale-${i}`,
        account: i % 2 ? '@AirSocial' : '@AirSocial_de',
        author: { handle: `@scale${i % 3000}` },
        text: `Message ${i}: mon vol est en retard, que faire ?`,
      });
    // The same message sent to both API processes for the first DUPLICATES, then spread over them.
    const jobs = [
      ...Array.from({ length: MESSAGES }, (_, i) => ({ i, to: apis[i % 2]! })),
      ...Array.from({ length: DUPLICATES }, (_, i) => ({ i, to: apis[(i + 1) % 2]! })),
    ];
    const ids = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          const r = await fetch(`${job.to.base}/api/v1/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: body(job.i),
          });
          expect(r.status).toBe(202);
          const { message_id } = (await r.json()) as { message_id: number };
          if (ids.has(job.i)) expect(ids.get(job.i)).toBe(message_id);
          ids.set(job.i, message_id);
        }
      }),
    );
    const counts = await pool.query(
      `select (select count(*)::int from messages where external_id like 'scale-%') as messages,
              (select count(distinct external_id)::int from messages where external_id like 'scale-%') as distinct_ids,
              (select count(*)::int from case_events e join cases c on c.id = e.case_id where e.kind = 'created'
                 and exists (select 1 from messages m where m.case_id = c.id and m.external_id like 'scale-%')) as created,
              (select count(distinct case_id)::int from messages where external_id like 'scale-%') as cases,
              (select count(*)::int from messages m join cases c on c.id = m.case_id
                 where m.external_id like 'scale-%' and c.team_id is null) as unrouted`,
    );
    expect(counts.rows[0]).toMatchObject({ messages: MESSAGES, distinct_ids: MESSAGES, unrouted: 0 });
    expect(counts.rows[0].created).toBe(counts.rows[0].cases);

    // Every SSE client, whichever process it is connected to, saw every new message.
    const all = [...ids.values()];
    for (let wait = 0; wait < 100 && seen.some((s) => all.some((id) => !s.has(id))); wait++)
      await new Promise((r) => setTimeout(r, 100));
    for (const s of seen) expect(all.filter((id) => !s.has(id))).toEqual([]);
    for (const stop of stops) stop();

    // An overdue first response fires once, although the sweepers of two processes race for it.
    const some = await pool.query<{ id: number }>(`select id from cases order by id desc limit 20`);
    await pool.query(
      `update cases set status = 'open', first_responded_at = null, first_response_due_at = now() - interval '1 minute'
       where id = any($1::bigint[])`,
      [some.rows.map((r) => r.id)],
    );
    for (let wait = 0; wait < 100; wait++) {
      const n = await pool.query(
        `select count(*)::int as n from sla_events where kind = 'breach' and case_id = any($1::bigint[])`,
        [some.rows.map((r) => r.id)],
      );
      if (n.rows[0].n >= 20) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const fired = await pool.query(
      `select case_id, count(*)::int as n from sla_events where kind = 'breach' and clock = 'first_response'
         and case_id = any($1::bigint[]) group by case_id`,
      [some.rows.map((r) => r.id)],
    );
    expect(fired.rows).toHaveLength(20);
    expect(fired.rows.every((r) => r.n === 1)).toBe(true);
  });
});
