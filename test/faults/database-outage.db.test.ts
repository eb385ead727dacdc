import { afterAll, expect, it } from 'vitest';
import { createToken } from '../../src/domain/access/service.ts';
import { freePort } from '../../src/server/db/embedded.ts';
import { describeEachDatabase } from '../support/db.ts';
import {
  type Attempt,
  CuttableProxy,
  type ServerProcess,
  sendWithRetry,
  sleep,
  startServerProcess,
  stopServerProcess,
} from './support.ts';

/**
 * PostgreSQL becomes unreachable for 30 s in the middle of an ingest (every connection reset, new ones refused):
 * requests get 503 with Retry-After (never a 500, never a hang), nothing accepted is lost or doubled, and the
 * server recovers by itself once the database is back.
 */
const MESSAGES = 3_000;
const CLIENTS = 16;
const CUT_AFTER = 600;
const OUTAGE_MS = 30_000;

describeEachDatabase('PostgreSQL unreachable during ingest', (db) => {
  let proc: ServerProcess | undefined;
  let proxy: CuttableProxy | undefined;
  afterAll(async () => {
    await proxy?.open().catch(() => {});
    await stopServerProcess(proc);
    await proxy?.cut();
  });

  it('answers 503 with Retry-After during the outage, loses nothing and recovers', { timeout: 200_000 }, async () => {
    const target = new URL(db().url);
    proxy = new CuttableProxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(db().url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    proc = await startServerProcess(viaProxy.toString(), await freePort());
    const pool = db().pool;
    const orgId = (await pool.query<{ id: number }>('select id from organizations')).rows[0]!.id;
    const { token } = await createToken(pool, orgId, 'faults', ['ingest']);
    const url = `${proc.base}/api/v1/messages`;
    const body = (i: number) =>
      JSON.stringify({
        channel: 'sandbox',
        external_id: `fault-db-${i}`,
        account: i % 2 ? '@AirSocial' : '@AirSocial_de',
        author: { handle: `@outage${i % 500}` },
        text: `Message ${i}: le site ne répond plus`,
      });

    const attempts: Attempt[] = [];
    const ids = new Map<number, number>();
    let next = 0;
    let cutAt = 0;
    let restoredAt = 0;
    let readyAgainAt = 0;
    const chaos = (async () => {
      while (ids.size < CUT_AFTER) await sleep(5);
      cutAt = Date.now();
      await proxy!.cut();
      // While the database is away the server says so.
      await sleep(3000);
      const ready = await fetch(`${proc!.base}/readyz`, { signal: AbortSignal.timeout(10_000) });
      expect(ready.status).toBe(503);
      await sleep(OUTAGE_MS - 3000);
      await proxy!.open();
      restoredAt = Date.now();
      for (let i = 0; i < 200; i++) {
        const r = await fetch(`${proc!.base}/readyz`).catch(() => undefined);
        if (r?.status === 200) {
          readyAgainAt = Date.now();
          break;
        }
        await sleep(100);
      }
    })();

    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          const r = await sendWithRetry(url, token, body(i), attempts, { timeoutMs: 10_000 });
          expect(r.status).toBe(202);
          if (ids.has(i)) expect(ids.get(i)).toBe(r.body.message_id);
          ids.set(i, r.body.message_id!);
        }
      }),
    );
    await chaos;

    // The server never hung (a hang shows as a client timeout), never crashed, never answered 500.
    expect(attempts.filter((a) => a.status === 'network')).toEqual([]);
    expect(attempts.filter((a) => typeof a.status === 'number' && a.status >= 500 && a.status !== 503)).toEqual([]);
    expect(proc.child.exitCode).toBeNull();
    // During the outage: 503 with Retry-After, only.
    const during = attempts.filter((a) => a.at > cutAt + 500 && a.at < restoredAt);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((a) => a.status === 503 && a.retryAfter !== null && Number(a.retryAfter) > 0)).toBe(true);
    // Recovery is automatic.
    expect(readyAgainAt).toBeGreaterThan(0);

    const stored = await pool.query<{ external_id: string; id: number; case_id: number | null }>(
      `select external_id, id, case_id from messages where external_id like 'fault-db-%'`,
    );
    expect(stored.rows).toHaveLength(MESSAGES);
    const byExternal = new Map(stored.rows.map((r) => [r.external_id, r]));
    expect(byExternal.size).toBe(MESSAGES);
    for (const [i, id] of ids) expect(byExternal.get(`fault-db-${i}`)?.id).toBe(id);
    expect(stored.rows.every((r) => r.case_id !== null)).toBe(true);
    console.info(
      `[faults] database cut after ${CUT_AFTER}/${MESSAGES} accepted for ${OUTAGE_MS / 1000} s: ${during.length} answers ` +
        `during the outage, all 503 + Retry-After; ready again ${readyAgainAt - restoredAt} ms after the database came ` +
        `back; ${MESSAGES} stored once`,
    );
  });
});
