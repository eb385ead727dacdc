import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoHistory } from '../../src/demo/history.ts';
import { ingest } from '../../src/domain/ingest/service.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * The demo's past (what the server seeds when the demo stream runs): resolved cases answered with the desks' canned
 * replies, so that a training session can be started in the demo right away, on every main desk.
 */
describeEachDatabase('training in the demo', (db) => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer(db().url);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('seeds resolved past cases once, and Sophie can start a session on her desk at once', async () => {
    const deps = {
      pool: s.ctx.pool,
      directory: s.ctx.directory(),
      ingest: (batch: Parameters<typeof ingest>[1]) => ingest(s.ctx.ingestDeps, batch),
    };
    const resolved = await seedDemoHistory(deps);
    expect(resolved).toBeGreaterThan(20);
    expect(await seedDemoHistory(deps)).toBe(0);
    const open = await s.ctx.pool.query<{ n: number }>(
      `select count(*)::int as n from cases c where exists (select 1 from messages m where m.case_id = c.id and m.external_id like 'history-%')
         and c.status not in ('resolved', 'closed')`,
    );
    // Every past case is resolved (a second message of a thread joins its case, answered once).
    expect(open.rows[0]!.n).toBe(0);

    const sophie = await s.login('sophie@airsocial.example');
    const replays = await s.request('GET', '/api/v1/training/replays', { cookie: sophie });
    expect(replays.body).toHaveLength(1);
    expect(replays.body[0].available).toBeGreaterThanOrEqual(3);
    const started = await s.request('POST', '/api/v1/training/sessions', {
      cookie: sophie,
      body: { community_id: replays.body[0].community.id, count: 3 },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.items).toBe(3);
    // The replays vary: not three times the same intent and urgency when the desk has more.
    const items = await s.ctx.pool.query<{ intent: string | null; urgency: string; reference_text: string }>(
      'select intent, urgency, reference_text from training_items where session_id = $1',
      [started.body.id],
    );
    expect(new Set(items.rows.map((r) => `${r.intent}/${r.urgency}`)).size).toBeGreaterThan(1);
    expect(items.rows.every((r) => !r.reference_text.includes('Léa Martin'))).toBe(true);
    // The demo's answers name their case (« Dossier 59 »): a replay names itself instead.
    const own = await s.ctx.pool.query<{ id: number; reference_text: string }>(
      'select id, reference_text from training_items where session_id = $1',
      [started.body.id],
    );
    for (const r of own.rows) {
      if (/Dossier|dossier/.test(r.reference_text)) expect(r.reference_text).toMatch(new RegExp(`T${r.id}\\b`));
      expect(r.reference_text).not.toContain('{{case.id}}');
    }
    const marie = await s.login('marie@airsocial.example');
    const stock = await s.request('GET', '/api/v1/training/replays', { cookie: marie });
    const desks = new Map(
      stock.body.map((x: { community: { slug: string }; available: number }) => [x.community.slug, x.available]),
    );
    for (const slug of ['airsocial-fr', 'airsocial-de', 'airsocial-it', 'airsocial-en']) {
      expect(desks.get(slug), slug).toBeGreaterThan(0);
      const id = stock.body.find((x: { community: { slug: string } }) => x.community.slug === slug).community.id;
      const r = await s.request('POST', '/api/v1/training/sessions', {
        cookie: marie,
        body: { community_id: id, count: 20 },
      });
      expect(r.status).toBe(201);
    }
    // No booking reference left in any demo replay (flight numbers stay: they identify nobody).
    const all = await s.ctx.pool.query<{ text: string }>(
      `select t->>'text' as text from training_items i, jsonb_array_elements(i.thread) t
       union all select reference_text from training_items`,
    );
    const codes = all.rows.flatMap((r) => r.text.match(/(?<![\p{L}\p{N}])[A-Z0-9]{6}(?![\p{L}\p{N}])/gu) ?? []);
    const left = codes.filter((c) => /\d/.test(c) && /[A-Z]/.test(c) && !/^TRN\d{3}$/.test(c));
    expect(left.filter((c) => !/^(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\d{1,4}$/.test(c))).toEqual([]);
  });
});
