import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer } from '../support/server.ts';

describeEachDatabase('server lifecycle', (db) => {
  it('drains in-flight messages on shutdown: every 202 is stored, nothing half-done', async () => {
    const s = await startTestServer(db().url);
    let acceptedSoFar = 0;
    let someAccepted: () => void = () => {};
    const enoughAccepted = new Promise<void>((r) => {
      someAccepted = r;
    });
    const posts = Array.from({ length: 300 }, (_, i) =>
      fetch(`${s.base}/api/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: 'sandbox',
          external_id: `drain-${i}`,
          author: { handle: `@d${i % 40}` },
          text: `Bonjour AirSocial, question ${i} sur mon vol`,
        }),
      }).then(
        async (r) => {
          if (r.status === 202 && ++acceptedSoFar === 20) someAccepted();
          return { status: r.status, body: r.status === 202 ? await r.json() : null };
        },
        () => ({ status: 0, body: null }),
      ),
    );
    // Stop while requests are still arriving.
    await enoughAccepted;
    await s.close();
    const results = await Promise.all(posts);
    const accepted = results.filter((r) => r.status === 202);
    expect(accepted.length).toBeGreaterThan(0);
    for (const r of results) expect([0, 202, 503]).toContain(r.status);
    const stored = await db().pool.query<{ id: number }>(`select id from messages where external_id like 'drain-%'`);
    const ids = new Set(stored.rows.map((r) => r.id));
    for (const a of accepted) expect(ids.has(a.body.message_id)).toBe(true);
  });

  it('restarts on the same database without losing data or seeding twice', async () => {
    const first = await startTestServer(db().url);
    const r = await first.request('POST', '/api/v1/messages', {
      token: first.token,
      body: { channel: 'sandbox', external_id: 'restart-1', author: { handle: '@r' }, text: 'Bonjour, mon vol ?' },
    });
    expect(r.status).toBe(202);
    await first.close();
    const second = await startTestServer(db().url);
    try {
      const again = await second.request('GET', `/api/v1/cases/${r.body.case_id}`, { token: second.token });
      expect(again.body.messages.map((m: { external_id: string }) => m.external_id)).toEqual(['restart-1']);
      const counts = await db().pool.query(
        `select (select count(*)::int from organizations) as orgs, (select count(*)::int from people) as people,
                (select count(*)::int from channel_accounts) as accounts`,
      );
      expect(counts.rows[0]).toEqual({ orgs: 1, people: 12, accounts: 8 });
    } finally {
      await second.close();
    }
  });
});
