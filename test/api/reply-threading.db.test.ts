import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('a customer answering the brand’s reply', (db) => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer(db().url);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('reopens the resolved case the reply belonged to, in the same conversation', async () => {
    const first = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'thr-1',
        account: '@AirSocial',
        author: { handle: '@renee' },
        text: 'Mon vol AS1234 a 3 h de retard, que faire ?',
      },
    });
    const lea = await s.login('lea@airsocial.example');
    const reply = await s.request('POST', `/api/v1/cases/${first.body.case_id}/replies`, {
      cookie: lea,
      body: { text: 'Nous regardons votre correspondance.', resolve: true },
    });
    expect(reply.status).toBe(202);
    s.ctx.kickOutbox();
    let ours: string | null = null;
    for (let i = 0; i < 200 && !ours; i++) {
      await new Promise((r) => setTimeout(r, 50));
      ours = (await db().pool.query('select external_id from messages where id = $1', [reply.body.message_id])).rows[0]
        .external_id;
    }
    expect(ours).toMatch(/^sbx-/);

    // The customer answers our reply (not her own first message), on a case that is resolved by now.
    const again = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'thr-2',
        account: '@AirSocial',
        author: { handle: '@renee' },
        text: 'merci, et pour mon bagage ?',
        in_reply_to: ours,
      },
    });
    expect(again.body.case_id).toBe(first.body.case_id);
    const c = await db().pool.query('select status, reopened_count from cases where id = $1', [first.body.case_id]);
    expect(c.rows[0]).toEqual({ status: 'open', reopened_count: 1 });
    const convs = await db().pool.query(
      'select count(distinct conversation_id)::int as n, count(*) filter (where conversation_id is null)::int as loose from messages where case_id = $1',
      [first.body.case_id],
    );
    expect(convs.rows[0]).toEqual({ n: 1, loose: 0 });
  });
});
