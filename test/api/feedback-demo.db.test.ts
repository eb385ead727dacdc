import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoStream } from '../../src/demo/corpus.ts';
import { ensureDemoFeedback } from '../../src/demo/feedback.ts';
import { ingest } from '../../src/domain/ingest/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** The demo's backlog: after some demo traffic, ideas from the suggestions and an incident from Wi-Fi complaints. */
describeEachDatabase('demo ideas and incidents', (db) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(db().url);
    const stream = createDemoStream({ seed: 11 });
    const now = new Date();
    for (let i = 0; i < 4; i++) {
      await ingest(
        s.ctx.ingestDeps,
        Array.from({ length: 150 }, () => stream.next(now)),
      );
    }
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('forwards the suggestions as ideas and the Wi-Fi complaints as an incident, once', async () => {
    const made = await ensureDemoFeedback(db().pool);
    expect(made.ideas).toBeGreaterThan(0);
    expect(made.incidents).toBe(1);
    const marie = await s.login('marie@airsocial.example');
    const ideas = await s.request('GET', '/api/v1/ideas', { cookie: marie });
    expect(ideas.body.items).toHaveLength(made.ideas);
    expect(ideas.body.items[0].votes).toBeGreaterThan(0);
    // Every case behind the USB idea asked for USB sockets.
    const usb = await db().pool.query<{ asked: boolean }>(
      `select bool_or(m.text ~* 'usb') as asked from ideas i join idea_cases l on l.idea_id = i.id
       join messages m on m.case_id = l.case_id where i.title like 'USB%' group by l.case_id`,
    );
    expect(usb.rows.length).toBeGreaterThan(0);
    expect(usb.rows.every((r) => r.asked)).toBe(true);
    const incidents = await s.request('GET', '/api/v1/incidents', { cookie: marie });
    expect(incidents.body.items).toEqual([
      expect.objectContaining({ title: 'Wi-Fi on board does not work', status: 'investigating' }),
    ]);
    expect(incidents.body.items[0].cases).toBeGreaterThan(0);
    expect(await ensureDemoFeedback(db().pool)).toEqual({ ideas: 0, incidents: 0 });
  });
});
