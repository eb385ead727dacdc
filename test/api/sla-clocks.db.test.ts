import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Within `tolerance` ms of `expected` (a duration from now, or an instant). */
function near(iso: string | null, expectedMs: number, tolerance = 15_000) {
  expect(iso, 'a deadline').not.toBeNull();
  const at = new Date(iso!).getTime();
  const expected = expectedMs < 1e12 ? Date.now() + expectedMs : expectedMs;
  expect(Math.abs(at - expected), `${iso} vs ${new Date(expected).toISOString()}`).toBeLessThan(tolerance);
}

describeEachDatabase('SLA clocks follow the case', (db) => {
  let s: TestServer;
  let lea: string;
  let caseId: number;

  beforeAll(async () => {
    s = await startTestServer(db().url, { PASSEUR_SLA_SWEEP_MS: '0' });
    lea = await s.login('lea@airsocial.example');
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'clock-1',
        account: '@AirSocial',
        author: { handle: '@paul_client' },
        text: 'Bonjour, je voudrais changer la date de mon billet.',
      },
    });
    caseId = r.body.case_id;
    // The clocks as a new normal-priority case starts them under the built-in policy (around the clock).
    await db().pool.query(
      `update cases set priority = 'normal', first_response_due_at = now() + interval '240 minutes',
         resolution_due_at = now() + interval '72 hours', next_response_due_at = null, sla_policy_id = null
       where id = $1`,
      [caseId],
    );
  });
  afterAll(async () => {
    await s?.close();
  });

  const get = async () => (await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: lea })).body;
  const patch = async (body: unknown) => {
    const r = await s.request('PATCH', `/api/v1/cases/${caseId}`, { cookie: lea, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('pauses the resolution clock while waiting for the customer and resumes it with the time left', async () => {
    const waiting = await patch({ status: 'waiting_customer' });
    near(waiting.sla_paused_at, 0);
    // An hour passes while the customer is silent.
    await db().pool.query(
      `update cases set sla_paused_at = sla_paused_at - interval '1 hour',
         resolution_due_at = resolution_due_at - interval '1 hour' where id = $1`,
      [caseId],
    );
    const open = await patch({ status: 'open' });
    expect(open.sla_paused_at).toBeNull();
    near(open.resolution_due_at, 72 * HOUR);
    const events = (await get()).events.filter((e: { kind: string }) => e.kind === 'updated');
    expect(events.at(-1).data).toMatchObject({
      status: { from: 'waiting_customer', to: 'open' },
      sla: { resolution_due_at: expect.any(String), sla_paused_at: null },
    });
  });

  it('re-targets the running clocks when the priority changes', async () => {
    const high = await patch({ priority: 'high' });
    near(high.first_response_due_at, 60 * MIN);
    near(high.resolution_due_at, 24 * HOUR);
  });

  it('stops the response clocks when a reply is actually sent, and pauses resolution meanwhile', async () => {
    await db().pool.query(
      `update cases set next_response_due_at = now() + interval '30 minutes',
         last_inbound_at = now() - interval '1 minute' where id = $1`,
      [caseId],
    );
    const reply = await s.request('POST', `/api/v1/cases/${caseId}/replies`, {
      cookie: lea,
      body: { text: 'Bonjour, c’est possible : quelle nouvelle date souhaitez-vous ?' },
    });
    expect(reply.status).toBe(202);
    s.ctx.kickOutbox();
    let c = await get();
    for (let i = 0; i < 100 && !c.first_responded_at; i++) {
      await new Promise((r) => setTimeout(r, 50));
      c = await get();
    }
    near(c.first_responded_at, 0);
    expect(c.next_response_due_at).toBeNull();
    expect(c.status).toBe('waiting_customer');
    near(c.sla_paused_at, 0);
  });

  it('stops everything on resolve and restarts the resolution clock on reopen', async () => {
    await db().pool.query(`update cases set next_response_due_at = now() + interval '1 hour' where id = $1`, [caseId]);
    const resolved = await patch({ status: 'resolved' });
    expect(resolved.sla_paused_at).toBeNull();
    expect(resolved.next_response_due_at).toBeNull();
    const before = resolved.resolution_due_at;
    // A day later someone reopens it: the resolution clock starts again from the policy (high: 24 h).
    await db().pool.query(`update cases set resolution_due_at = resolution_due_at - interval '1 day' where id = $1`, [
      caseId,
    ]);
    const reopened = await patch({ status: 'open' });
    near(reopened.resolution_due_at, 24 * HOUR);
    expect(reopened.resolution_due_at).not.toBe(before);
  });

  it('resumes the clock when a reply waiting for its send delay is undone', async () => {
    const slow = await startTestServer(db().url, { PASSEUR_SEND_DELAY_MS: '60000', PASSEUR_SLA_SWEEP_MS: '0' });
    try {
      const cookie = await slow.login('lea@airsocial.example');
      const r = await slow.request('POST', `/api/v1/cases/${caseId}/replies`, {
        cookie,
        body: { text: 'Un instant…' },
      });
      const waiting = await get();
      expect(waiting.status).toBe('waiting_customer');
      near(waiting.sla_paused_at, 0);
      const due = waiting.resolution_due_at;
      expect((await slow.request('POST', `/api/v1/messages/${r.body.message_id}/undo`, { cookie })).status).toBe(204);
      const back = await get();
      expect(back.status).toBe('open');
      expect(back.sla_paused_at).toBeNull();
      near(back.resolution_due_at, new Date(due).getTime(), 5000);
    } finally {
      await slow.close();
    }
  });
});
