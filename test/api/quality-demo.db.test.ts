import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoReviews } from '../../src/domain/quality/demo.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** The demo organization's first quality reviews: three reviewed replies, feedback for Léa and Sophie, once. */
describeEachDatabase('quality review demo', (db) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(db().url);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('reviews three sent replies of AirSocial · FR once, and the authors see their feedback', async () => {
    const deps = { pool: s.ctx.pool, directory: s.ctx.directory(), ingestDeps: s.ctx.ingestDeps };
    expect(await seedDemoReviews(deps)).toBe(3);
    expect(await seedDemoReviews(deps)).toBe(0);
    const lea = await s.request('GET', '/api/v1/quality/feedback', { cookie: await s.login('lea@airsocial.example') });
    expect(lea.body.items).toHaveLength(2);
    expect(lea.body.unacknowledged).toBe(2);
    expect(lea.body.items.every((r: { reviewer_name: string }) => r.reviewer_name === 'Marie Lefèvre')).toBe(true);
    const sophie = await s.request('GET', '/api/v1/quality/feedback', {
      cookie: await s.login('sophie@airsocial.example'),
    });
    expect(sophie.body.items).toHaveLength(1);
    expect(sophie.body.items[0].overall_score).toBeLessThan(100);
    const notes = await s.request('GET', '/api/v1/notifications', { cookie: await s.login('lea@airsocial.example') });
    expect(notes.body.items.filter((n: { kind: string }) => n.kind === 'qa_feedback')).toHaveLength(2);
    const scores = await s.request('GET', '/api/v1/quality/scores', {
      cookie: await s.login('marie@airsocial.example'),
    });
    expect(scores.body.total.reviews).toBe(3);
    expect(scores.body.people.map((p: { name: string }) => p.name)).toEqual(['Léa Martin', 'Sophie Laurent']);
    // The customers' messages came through ingest: each case has the customer's message, then the reply.
    const cases = await s.ctx.pool.query<{ directions: string[] }>(
      `select array_agg(direction order by created_at) as directions from messages
       where external_id like 'qa-demo-%' group by case_id`,
    );
    expect(cases.rows.map((r) => r.directions)).toEqual([
      ['in', 'out'],
      ['in', 'out'],
      ['in', 'out'],
    ]);
  });
});
