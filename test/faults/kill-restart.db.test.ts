import { afterAll, expect, it } from 'vitest';
import { createToken, openSession } from '../../src/domain/access/service.ts';
import { freePort } from '../../src/server/db/embedded.ts';
import { describeEachDatabase } from '../support/db.ts';
import {
  type Attempt,
  type ServerProcess,
  sendWithRetry,
  sleep,
  startServerProcess,
  stopServerProcess,
} from './support.ts';

/**
 * A Passeur process is killed (SIGKILL: no drain, no cleanup) in the middle of a 10,000-message ingest through
 * `POST /api/v1/messages`, with clients that retry on connection errors, then started again on the same
 * database. Every accepted message is stored exactly once, and the replies queued before the kill are sent
 * exactly once after the restart.
 */
const MESSAGES = 10_000;
const CLIENTS = 32;
const KILL_AFTER = 3_000;
const REPLIES = 20;

describeEachDatabase('a server killed during ingest', (db) => {
  let proc: ServerProcess | undefined;
  afterAll(async () => {
    await stopServerProcess(proc);
  });

  it('stores every accepted message once and sends queued replies once after a restart', {
    timeout: 300_000,
  }, async () => {
    const port = await freePort();
    // Replies wait 10 s before they leave (the undo window): they are still queued when the process dies.
    const env = { PASSEUR_SEND_DELAY_MS: '10000' };
    proc = await startServerProcess(db().url, port, env);
    const pool = db().pool;
    const orgId = (await pool.query<{ id: number }>('select id from organizations')).rows[0]!.id;
    const { token } = await createToken(pool, orgId, 'faults', ['ingest']);
    const leader = (await pool.query<{ id: number }>(`select id from people where role = 'leader' order by id`))
      .rows[0]!.id;
    const cookie = `passeur_session=${await openSession(pool, leader, 1)}`;
    const url = `http://127.0.0.1:${port}/api/v1/messages`;
    const body = (i: number) =>
      JSON.stringify({
        channel: 'sandbox',
        external_id: `fault-kill-${i}`,
        account: i % 2 ? '@AirSocial' : '@AirSocial_de',
        author: { handle: `@fault${i % 2000}` },
        text: `Message ${i}: mon bagage est perdu, aidez-moi`,
      });

    // Cases to reply to, before the storm.
    const replyCases: number[] = [];
    for (let i = 0; i < REPLIES; i++) {
      const r = await sendWithRetry(
        url,
        token,
        JSON.stringify({
          channel: 'sandbox',
          external_id: `fault-reply-case-${i}`,
          account: '@AirSocial',
          author: { handle: `@replycase${i}` },
          text: `Où est ma valise ? (${i})`,
        }),
        [],
      );
      expect(r.status).toBe(202);
      replyCases.push(r.body.case_id!);
    }

    const attempts: Attempt[] = [];
    const ids = new Map<number, number>();
    let next = 0;
    let acceptedAtKill = -1;
    let killedAt = 0;
    const queuedReplies: number[] = [];

    let pendingAtKill = 0;
    const killer = (async () => {
      while (ids.size < KILL_AFTER) await sleep(5);
      try {
        // Replies queued just before the kill: they wait for their send time in the outbox.
        const queued = await Promise.all(
          replyCases.map(async (caseId, i) => {
            const res = await fetch(`${proc!.base}/api/v1/cases/${caseId}/replies`, {
              method: 'POST',
              headers: { cookie, 'x-requested-with': 'passeur', 'content-type': 'application/json' },
              body: JSON.stringify({ text: `Nous cherchons votre valise (réponse ${i}).` }),
            });
            return { status: res.status, body: (await res.json()) as { message_id: number; approval?: unknown } };
          }),
        );
        for (const q of queued) {
          expect(q.status).toBe(202);
          expect(q.body.approval ?? null).toBeNull();
          queuedReplies.push(q.body.message_id);
        }
        acceptedAtKill = ids.size;
        killedAt = Date.now();
        proc!.child.kill('SIGKILL');
        await proc!.exited;
        const pending = await pool.query<{ n: number }>(
          `select count(*)::int as n from outbox where message_id = any($1::bigint[]) and status <> 'sent'`,
          [queuedReplies],
        );
        pendingAtKill = pending.rows[0]!.n;
      } finally {
        // Whatever happened above, the server comes back: the clients are waiting for it.
        if (proc!.child.exitCode === null && proc!.child.signalCode === null) {
          proc!.child.kill('SIGKILL');
          await proc!.exited;
        }
        await sleep(1000);
        proc = await startServerProcess(db().url, port, env);
      }
    })();

    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          const r = await sendWithRetry(url, token, body(i), attempts);
          expect(r.status).toBe(202);
          if (ids.has(i)) expect(ids.get(i)).toBe(r.body.message_id);
          ids.set(i, r.body.message_id!);
        }
      }),
    );
    await killer;

    // The kill happened mid-ingest, and clients saw it.
    expect(acceptedAtKill).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acceptedAtKill).toBeLessThan(MESSAGES);
    expect(pendingAtKill).toBeGreaterThan(0);
    const networkErrors = attempts.filter((a) => a.status === 'network' && a.at >= killedAt).length;
    expect(networkErrors).toBeGreaterThan(0);
    expect(attempts.filter((a) => typeof a.status === 'number' && a.status >= 500 && a.status !== 503)).toEqual([]);

    // Exactly once: every message stored once, under the id its client was given.
    const stored = await pool.query<{ external_id: string; id: number; case_id: number | null }>(
      `select external_id, id, case_id from messages where external_id like 'fault-kill-%'`,
    );
    expect(stored.rows).toHaveLength(MESSAGES);
    const byExternal = new Map(stored.rows.map((r) => [r.external_id, r]));
    expect(byExternal.size).toBe(MESSAGES);
    for (const [i, id] of ids) expect(byExternal.get(`fault-kill-${i}`)?.id).toBe(id);
    expect(stored.rows.every((r) => r.case_id !== null)).toBe(true);
    const cases = await pool.query(
      `select (select count(distinct case_id)::int from messages where external_id like 'fault-kill-%') as cases,
              (select count(*)::int from case_events e where e.kind = 'created' and e.case_id in
                 (select case_id from messages where external_id like 'fault-kill-%')) as created`,
    );
    expect(cases.rows[0].created).toBe(cases.rows[0].cases);

    // The replies queued before the kill leave once, after the restart.
    for (let wait = 0; wait < 300; wait++) {
      const sent = await pool.query<{ n: number }>(
        `select count(*)::int as n from outbox where message_id = any($1::bigint[]) and status = 'sent'`,
        [queuedReplies],
      );
      if (sent.rows[0]!.n === REPLIES) break;
      await sleep(200);
    }
    const outbox = await pool.query<{ status: string; idempotency_key: string }>(
      `select status, idempotency_key from outbox where message_id = any($1::bigint[])`,
      [queuedReplies],
    );
    expect(outbox.rows).toHaveLength(REPLIES);
    expect(outbox.rows.every((r) => r.status === 'sent')).toBe(true);
    const posts = await pool.query<{ idempotency_key: string; n: number }>(
      `select idempotency_key, count(*)::int as n from sandbox_posts where text like 'Nous cherchons votre valise%'
       group by idempotency_key`,
    );
    expect(posts.rows).toHaveLength(REPLIES);
    expect(posts.rows.every((r) => r.n === 1)).toBe(true);
    expect(new Set(posts.rows.map((r) => r.idempotency_key))).toEqual(
      new Set(outbox.rows.map((r) => r.idempotency_key)),
    );
    console.info(
      `[faults] killed after ${acceptedAtKill}/${MESSAGES} accepted; ${networkErrors} connection errors retried; ` +
        `${MESSAGES} stored once; ${REPLIES} queued replies (${pendingAtKill} still waiting at the kill) sent once`,
    );
  });
});
