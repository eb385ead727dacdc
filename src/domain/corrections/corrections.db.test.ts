import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

describeEachDatabase('triage corrections and retraining', (db) => {
  let s: TestServer;
  let lea: string;
  const post = async (external_id: string, text: string, account = '@AirSocial') =>
    (
      await s.request('POST', '/api/v1/messages', {
        token: s.token,
        body: { channel: 'sandbox', external_id, account, author: { handle: `@${external_id}` }, text },
      })
    ).body as { message_id: number; case_id: number };

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('stores a correction, updates the message and its case, and refuses labels outside the taxonomy', async () => {
    const m = await post('c1', 'Vol correct, rien à dire de spécial sur le repas servi à bord');
    const r = await s.request('POST', `/api/v1/messages/${m.message_id}/triage`, {
      cookie: lea,
      body: { sentiment: 'negative', intent: 'complaint', topics: ['onboard'] },
    });
    expect(r.status).toBe(204);
    const c = await s.request('GET', `/api/v1/cases/${m.case_id}`, { cookie: lea });
    expect(c.body).toMatchObject({ sentiment: 'negative', intent: 'complaint', topics: ['onboard'] });
    expect(c.body.messages[0].triage).toMatchObject({ sentiment: 'negative', topics: ['onboard'] });
    expect(Object.keys(c.body.messages[0].triage.corrected).sort()).toEqual(['intent', 'sentiment', 'topics']);
    const rows = await db().pool.query(
      `select field, value from triage_corrections where message_id = $1 order by field`,
      [m.message_id],
    );
    expect(rows.rows).toEqual([
      { field: 'intent', value: 'complaint' },
      { field: 'sentiment', value: 'negative' },
      { field: 'topics', value: ['onboard'] },
    ]);
    const bad = await s.request('POST', `/api/v1/messages/${m.message_id}/triage`, {
      cookie: lea,
      body: { topics: ['weather'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('topics');
    const empty = await s.request('POST', `/api/v1/messages/${m.message_id}/triage`, { cookie: lea, body: {} });
    expect(empty.status).toBe(400);
    const paul = await s.login('paul@airsocial.example');
    expect(
      (
        await s.request('POST', `/api/v1/messages/${m.message_id}/triage`, {
          cookie: paul,
          body: { sentiment: 'positive' },
        })
      ).status,
    ).toBe(403);
    const de = await post('c-de', 'Mein Koffer ist weg', '@AirSocial_de');
    expect(
      (
        await s.request('POST', `/api/v1/messages/${de.message_id}/triage`, {
          cookie: lea,
          body: { sentiment: 'positive' },
        })
      ).status,
    ).toBe(404);
  });

  it('retrains the organization model from corrections; every process then triages with it', async () => {
    const marie = await s.login('marie@airsocial.example');
    const before = await s.request('GET', '/api/v1/triage/model', { cookie: marie });
    expect(before.body.trained).toBeNull();
    const shipped = before.body.model;
    // The team teaches Passeur that their "Blue Card" programme is about loyalty.
    const texts = Array.from(
      { length: 24 },
      (_, i) => `Ma Blue Card ${i} n'apparaît pas, les avantages Blue Card sont où ?`,
    );
    for (const [i, text] of texts.entries()) {
      const m = await post(`bc-${i}`, text);
      await s.request('POST', `/api/v1/messages/${m.message_id}/triage`, {
        cookie: lea,
        body: { topics: ['loyalty'] },
      });
    }
    expect((await s.request('POST', '/api/v1/triage/retrain', { cookie: lea })).status).toBe(403);
    const trained = await s.request('POST', '/api/v1/triage/retrain', { cookie: marie });
    expect(trained.status).toBe(200);
    expect(trained.body).toMatchObject({ trained: true, examples: 25 });
    expect(trained.body.held_out.topics.after.n).toBeGreaterThan(0);
    const after = await s.request('GET', '/api/v1/triage/model', { cookie: marie });
    expect(after.body.model).not.toBe(shipped);
    expect(after.body.trained).toMatchObject({ examples: 25 });
    expect(after.body.corrections).toEqual({ total: 27, pending: 0 });

    // A second server on the same database (another process) loads the same model.
    const other = await startTestServer(db().url);
    try {
      expect(other.ctx.triager().model).toBe(after.body.model);
      const m = (
        await other.request('POST', '/api/v1/messages', {
          token: other.token,
          body: {
            channel: 'sandbox',
            external_id: 'bc-new',
            account: '@AirSocial',
            author: { handle: '@n' },
            text: 'Où sont mes avantages Blue Card ?',
          },
        })
      ).body;
      const c = await other.request('GET', `/api/v1/cases/${m.case_id}`, { token: other.token });
      expect(c.body.messages[0].triage.topics[0]).toBe('loyalty');
    } finally {
      await other.close();
    }
  });
});
