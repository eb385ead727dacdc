import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoAdvocates } from '../../src/demo/advocates.ts';
import { askText } from '../../src/domain/advocates/crisis-ask.ts';
import { advocateKpis } from '../../src/domain/advocates/kpis.ts';
import { ingest } from '../../src/domain/ingest/service.ts';
import { kpiExtensions } from '../../src/domain/reports/extensions.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Advocates: a fixed dataset of customer messages written straight into the tables (so sentiment and intent are
 * known), ranked with scores computed by hand from docs/advocates.md:
 *   score = 3 × helping + 2 × positive + 1 × active days − 3 × negative, at least 2 messages, 90 days.
 */

interface Msg {
  by: number;
  days: number;
  hour?: number;
  sentiment?: 'positive' | 'neutral' | 'negative';
  intent?: string;
}

describeEachDatabase('advocates', (db) => {
  let s: TestServer;
  let orgId: number;
  let fr: number;
  let de: number;
  let frAccount: number;
  let lea: string;
  let marie: string;
  let sophie: string;
  let jonas: string;
  let paul: string;
  const c: Record<string, number> = {};
  const cases: Record<string, number> = {};
  let n = 0;

  async function contact(name: string): Promise<number> {
    const r = await db().pool.query<{ id: number }>(
      'insert into contacts (org_id, display_name) values ($1, $2) returning id',
      [orgId, name],
    );
    const id = Number(r.rows[0]!.id);
    await db().pool.query(
      `insert into contact_identities (org_id, contact_id, channel, handle) values ($1, $2, 'sandbox', $3)`,
      [orgId, id, `@${name.toLowerCase()}`],
    );
    return id;
  }

  /** A case of `owner` in a community with the given customer messages (by the owner or by others). */
  async function thread(owner: number, community: number, msgs: Msg[]): Promise<number> {
    const account = community === fr ? frAccount : null;
    const r = await db().pool.query<{ id: number }>(
      `insert into cases (org_id, community_id, contact_id, status, channel, account_id, subject, language,
         message_count, created_at, updated_at, last_inbound_at, resolved_at)
       values ($1, $2, $3, 'resolved', 'sandbox', $4, 'fixture', 'fr', $5, now() - interval '120 days', now(), now(), now())
       returning id`,
      [orgId, community, owner, account, msgs.length],
    );
    const caseId = Number(r.rows[0]!.id);
    for (const m of msgs) {
      n++;
      await db().pool.query(
        `insert into messages (org_id, channel, external_id, case_id, account_id, contact_id, direction, kind,
           author_handle, text, created_at, sentiment, intent)
         values ($1, 'sandbox', $2, $3, $4, $5, 'in', 'reply', '@x', 'fixture message', 
           date_trunc('day', now()) - make_interval(days => $6) + make_interval(hours => $7), $8, $9)`,
        [orgId, `adv-${n}`, caseId, account, m.by, m.days, m.hour ?? 12, m.sentiment ?? 'neutral', m.intent ?? 'other'],
      );
    }
    return caseId;
  }

  beforeAll(async () => {
    s = await startTestServer(db().url);
    orgId = s.ctx.directory().orgId;
    const pool = db().pool;
    const slug = async (x: string) =>
      (await pool.query<{ id: number }>('select id from communities where slug = $1', [x])).rows[0]!.id;
    fr = await slug('airsocial-fr');
    de = await slug('airsocial-de');
    frAccount = (
      await pool.query<{ id: number }>(
        `select id from channel_accounts where community_id = $1 and network = 'sandbox' and kind = 'account' limit 1`,
        [fr],
      )
    ).rows[0]!.id;
    [lea, marie, sophie, jonas, paul] = (await Promise.all(
      ['lea', 'marie', 'sophie', 'jonas', 'paul'].map((p) => s.login(`${p}@airsocial.example`)),
    )) as [string, string, string, string, string];
    for (const name of ['Alice', 'Bob', 'Carla', 'Dan', 'Eve', 'Frank', 'Gina', 'Hugo', 'Ida']) {
      c[name] = await contact(name);
    }
    // Alice praises in her own case (days 1, 2) and answers Bob twice on day 3: helping 2.
    cases.alice = await thread(c.Alice!, fr, [
      { by: c.Alice!, days: 1, sentiment: 'positive' },
      { by: c.Alice!, days: 2, sentiment: 'positive', intent: 'praise' },
    ]);
    cases.bob = await thread(c.Bob!, fr, [
      { by: c.Bob!, days: 5, sentiment: 'negative', intent: 'complaint' },
      { by: c.Bob!, days: 5, hour: 13 },
      { by: c.Alice!, days: 3 },
      { by: c.Alice!, days: 3, hour: 14 },
      // Eve answers Bob too: helping.
      { by: c.Eve!, days: 12 },
    ]);
    // Carla: three praises (neutral sentiment, intent praise) and one negative message, four days.
    cases.carla = await thread(c.Carla!, fr, [
      { by: c.Carla!, days: 1, intent: 'praise' },
      { by: c.Carla!, days: 2, intent: 'praise' },
      { by: c.Carla!, days: 3, intent: 'praise' },
      { by: c.Carla!, days: 4, sentiment: 'negative' },
    ]);
    // Dan was merged into Eve: his message (left on his id) counts for Eve, and Eve writing in Dan's case is
    // her own thread, not helping.
    cases.dan = await thread(c.Dan!, fr, [
      { by: c.Dan!, days: 10, sentiment: 'positive' },
      { by: c.Eve!, days: 11 },
    ]);
    await pool.query('update contacts set merged_into = $2 where id = $1', [c.Dan, c.Eve]);
    // Frank scores 9 (excluded later), Gina has a single message, Hugo's praise is older than 90 days.
    cases.frank = await thread(c.Frank!, fr, [
      { by: c.Frank!, days: 1, sentiment: 'positive' },
      { by: c.Frank!, days: 2, sentiment: 'positive' },
      { by: c.Frank!, days: 3, sentiment: 'positive' },
    ]);
    await thread(c.Gina!, fr, [{ by: c.Gina!, days: 1, sentiment: 'positive' }]);
    await thread(c.Hugo!, fr, [
      { by: c.Hugo!, days: 100, sentiment: 'positive' },
      { by: c.Hugo!, days: 101, sentiment: 'positive' },
    ]);
    // Ida is an advocate in the German community only.
    await thread(c.Ida!, de, [
      { by: c.Ida!, days: 1, sentiment: 'positive' },
      { by: c.Ida!, days: 2, sentiment: 'positive' },
    ]);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const ranking = async (cookie: string, query = `community_id=${fr}`) => {
    const r = await s.request('GET', `/api/v1/advocates?${query}`, { cookie });
    expect(r.status).toBe(200);
    return r.body;
  };
  const frList = async (cookie = lea) =>
    (await ranking(cookie)).communities[0].advocates as {
      name: string;
      contact_id: number;
      score: number;
      signals: Record<string, number>;
      highlighted: { by: string } | null;
      last_thanked: { by: string; at: string } | null;
      handles: { handle: string }[];
    }[];

  it('ranks a community by the documented score, following merged contacts', async () => {
    const list = await frList();
    expect(list.map((a) => [a.name, a.score])).toEqual([
      ['Alice', 13], // 3×2 helping + 2×2 positive + 3 days
      ['Frank', 9], // 2×3 positive + 3 days
      ['Eve', 8], // 3×1 helping + 2×1 positive (Dan's) + 3 days
      ['Carla', 7], // 2×3 praise + 4 days − 3×1 negative
    ]);
    expect(list[0]!.signals).toEqual({ messages: 4, positive: 2, helping: 2, negative: 0, active_days: 3 });
    expect(list[2]!.signals).toEqual({ messages: 3, positive: 1, helping: 1, negative: 0, active_days: 3 });
    expect(list[3]!.signals).toEqual({ messages: 4, positive: 3, helping: 0, negative: 1, active_days: 4 });
    // Eve carries Dan's handle too.
    expect(list[2]!.handles.map((h) => h.handle).sort()).toEqual(['@dan', '@eve']);
    // Bob (no praise, no help), Gina (one message), Hugo (outside 90 days) and Ida (German) are not there.
    expect(list.map((a) => a.name)).not.toContain('Bob');
    // A longer period brings Hugo in.
    const longer = await ranking(lea, `community_id=${fr}&days=120`);
    expect(longer.communities[0].advocates.map((a: { name: string }) => a.name)).toContain('Hugo');
    const german = await ranking(marie, `community_id=${de}`);
    expect(german.communities[0].advocates.map((a: { name: string; score: number }) => [a.name, a.score])).toEqual([
      ['Ida', 6],
    ]);
  });

  it('lists only the communities the reader reads, and refuses the others', async () => {
    const all = await ranking(lea, '');
    const ids = all.communities.map((x: { id: number }) => x.id);
    expect(ids).toContain(fr);
    expect(ids).not.toContain(de);
    const refused = await s.request('GET', `/api/v1/advocates?community_id=${fr}`, { cookie: jonas });
    expect(refused.status).toBe(403);
    // A viewer reads them (read-only).
    expect((await frList(paul)).length).toBe(4);
    const bad = await s.request('GET', `/api/v1/advocates?community_id=${fr}&days=0`, { cookie: lea });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('days');
  });

  it('thanks an advocate with a reply through governance, recorded, audited and in their history', async () => {
    const r = await s.request('POST', '/api/v1/advocates/actions', {
      cookie: lea,
      body: {
        community_id: fr,
        contact_id: c.Alice,
        kind: 'thanked',
        note: 'Answered Bob before we did',
        reply_text: 'Merci beaucoup pour votre aide auprès des autres voyageurs !',
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.action).toMatchObject({ kind: 'thanked', case_id: cases.alice, outcome: 'queued' });
    const out = await db().pool.query<{ text: string }>(
      `select text from messages where case_id = $1 and direction = 'out'`,
      [cases.alice],
    );
    expect(out.rows.map((x) => x.text)).toEqual(['Merci beaucoup pour votre aide auprès des autres voyageurs !']);
    // The resolved case stays resolved.
    const st = await db().pool.query<{ status: string }>('select status from cases where id = $1', [cases.alice]);
    expect(st.rows[0]!.status).toBe('resolved');
    const audit = await db().pool.query<{ data: Record<string, unknown> }>(
      `select data from audit_events where action = 'advocate.thanked' and subject_id = $1`,
      [String(c.Alice)],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.data).toMatchObject({ community_id: fr, outcome: 'queued', case_id: cases.alice });
    const alice = (await frList()).find((a) => a.name === 'Alice')!;
    expect(alice.last_thanked?.by).toMatch(/^Léa/);
    const history = await s.request('GET', `/api/v1/advocates/contacts/${c.Alice}`, { cookie: lea });
    expect(history.status).toBe(200);
    expect(history.body.actions[0]).toMatchObject({ kind: 'thanked', note: 'Answered Bob before we did' });
    // Someone who does not read the community does not see it.
    expect((await s.request('GET', `/api/v1/advocates/contacts/${c.Alice}`, { cookie: jonas })).status).toBe(404);
  });

  it('highlights an advocate, shown in the ranking and on the contact', async () => {
    const r = await s.request('POST', '/api/v1/advocates/actions', {
      cookie: lea,
      body: { community_id: fr, contact_id: c.Carla, kind: 'highlighted' },
    });
    expect(r.status).toBe(201);
    expect(r.body.action.outcome).toBe('recorded');
    const carla = (await frList()).find((a) => a.name === 'Carla')!;
    expect(carla.highlighted?.by).toMatch(/^Léa/);
    const history = await s.request('GET', `/api/v1/advocates/contacts/${c.Carla}`, { cookie: lea });
    expect(history.body.communities).toEqual([
      expect.objectContaining({ community_id: fr, highlighted: expect.objectContaining({ by: expect.any(String) }) }),
    ]);
    // A viewer may not act; a bad kind is a clear 400.
    const viewer = await s.request('POST', '/api/v1/advocates/actions', {
      cookie: paul,
      body: { community_id: fr, contact_id: c.Carla, kind: 'highlighted' },
    });
    expect(viewer.status).toBe(403);
    const bad = await s.request('POST', '/api/v1/advocates/actions', {
      cookie: lea,
      body: { community_id: fr, contact_id: c.Carla, kind: 'adored' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('kind');
    // A contact who never wrote in the community is not an advocate there.
    const elsewhere = await s.request('POST', '/api/v1/advocates/actions', {
      cookie: lea,
      body: { community_id: fr, contact_id: c.Ida, kind: 'highlighted' },
    });
    expect(elsewhere.status).toBe(404);
  });

  it('lets leaders exclude a contact from the ranking and include them back', async () => {
    const manager = await s.request('POST', '/api/v1/advocates/actions', {
      cookie: lea,
      body: { community_id: fr, contact_id: c.Frank, kind: 'excluded' },
    });
    expect(manager.status).toBe(403);
    const ex = await s.request('POST', '/api/v1/advocates/actions', {
      cookie: marie,
      body: { community_id: fr, contact_id: c.Frank, kind: 'excluded', note: 'Employee of the airline' },
    });
    expect(ex.status).toBe(201);
    const body = await ranking(lea);
    expect(body.communities[0].advocates.map((a: { name: string }) => a.name)).toEqual(['Alice', 'Eve', 'Carla']);
    expect(body.communities[0].excluded).toEqual([
      expect.objectContaining({ contact_id: c.Frank, name: 'Frank', reason: 'Employee of the airline' }),
    ]);
    // Excluded in the French community only.
    const audit = await db().pool.query(`select 1 from audit_events where action = 'advocate.excluded'`);
    expect(audit.rowCount).toBe(1);
    await s.request('POST', '/api/v1/advocates/actions', {
      cookie: marie,
      body: { community_id: fr, contact_id: c.Frank, kind: 'included' },
    });
    expect((await frList()).map((a) => a.name)).toEqual(['Alice', 'Frank', 'Eve', 'Carla']);
  });

  it('asks advocates to share the official sources during a crisis', async () => {
    const playbooks = await s.request('GET', '/api/v1/crisis/playbooks', { cookie: marie });
    const ash = playbooks.body.find((p: { slug: string }) => p.slug === 'volcanic-ash');
    const declared = await s.request('POST', '/api/v1/crisis/crises', {
      cookie: marie,
      body: { playbook_id: ash.id, community_ids: [fr] },
    });
    expect(declared.status).toBe(201);
    const crisisId = declared.body.id;
    const body = { crisis_id: crisisId, community_id: fr, contact_ids: [c.Alice, c.Eve] };

    // Sophie works the community but is not in the task force.
    const refused = await s.request('POST', '/api/v1/advocates/crisis-asks', { cookie: sophie, body });
    expect(refused.status).toBe(403);

    const preview = await s.request('POST', '/api/v1/advocates/crisis-asks', {
      cookie: lea,
      body: { ...body, dry_run: true },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.text).toContain('https://airsocial.example/status');
    expect(preview.body.text).toBe(askText('fr', preview.body.sources));
    expect(preview.body.results).toEqual([
      expect.objectContaining({ contact_id: c.Alice, outcome: 'prepared', case_id: cases.alice }),
      // Eve has no case of her own to answer in: a task done by hand.
      expect.objectContaining({ contact_id: c.Eve, outcome: 'task', case_id: null }),
    ]);
    // Governance judges the message in Alice's case: a source outside the allowed links is a warning.
    expect(preview.body.results[0].check).toEqual({
      warnings: [expect.stringContaining('www.eurocontrol.int')],
      blocks: [],
      approval_required: 0,
    });
    const nothing = await db().pool.query(`select 1 from advocate_actions where kind = 'asked_to_share'`);
    expect(nothing.rowCount).toBe(0);

    const noSource = await s.request('POST', '/api/v1/advocates/crisis-asks', {
      cookie: lea,
      body: { ...body, text: 'Partagez nos informations !' },
    });
    expect(noSource.status).toBe(400);
    expect(JSON.stringify(noSource.body)).toContain('text');

    const sent = await s.request('POST', '/api/v1/advocates/crisis-asks', {
      cookie: lea,
      body: { ...body, acknowledge_warnings: true },
    });
    expect(sent.status).toBe(200);
    expect(sent.body.results.map((x: { outcome: string; error?: string }) => x.error ?? x.outcome)).toEqual([
      'queued',
      'task',
    ]);
    const out = await db().pool.query<{ text: string }>(
      `select text from messages where case_id = $1 and direction = 'out' order by id`,
      [cases.alice],
    );
    expect(out.rows.at(-1)!.text).toBe(preview.body.text);
    const actions = await db().pool.query<{ contact_id: number; outcome: string; crisis_id: number }>(
      `select contact_id, outcome, crisis_id from advocate_actions where kind = 'asked_to_share' order by id`,
    );
    expect(actions.rows.map((a) => [Number(a.contact_id), a.outcome, a.crisis_id])).toEqual([
      [c.Alice, 'queued', crisisId],
      [c.Eve, 'task', crisisId],
    ]);
    const audit = await db().pool.query(`select 1 from audit_events where action = 'advocate.asked_to_share'`);
    expect(audit.rowCount).toBe(2);
    const timeline = await db().pool.query<{ data: Record<string, number> }>(
      `select data from crisis_timeline where crisis_id = $1 and kind = 'advocates_asked'`,
      [crisisId],
    );
    expect(timeline.rows[0]!.data).toMatchObject({ queued: 1, tasks: 1, failed: 0 });
  });

  it('counts advocates and thank-yous in the report KPIs', async () => {
    const now = new Date();
    const k = await advocateKpis(db().pool, {
      orgId,
      from: new Date(now.getTime() - 90 * 86_400_000),
      to: now,
      communities: [fr],
      businessHours: false,
      tz: 'UTC',
      now,
    });
    expect(k).toEqual({ advocates: 4, thanked: 1, asked_to_share: 2 });
    // The report summary carries them under kpis.extensions.advocates.
    expect(kpiExtensions().find((e) => e.name === 'advocates')?.compute).toBe(advocateKpis);
  });
});

/** The demo's first advocates: each community has a fan and a helper as soon as the demo's past is seeded. */
describeEachDatabase('demo advocates', (db) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(db().url);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('gives every community a fan and a helper, once', async () => {
    const deps = {
      pool: s.ctx.pool,
      directory: s.ctx.directory(),
      ingest: (batch: Parameters<typeof ingest>[1]) => ingest(s.ctx.ingestDeps, batch),
    };
    expect(await seedDemoAdvocates(deps)).toBeGreaterThan(0);
    expect(await seedDemoAdvocates(deps)).toBe(0);
    const marie = await s.login('marie@airsocial.example');
    const r = await s.request('GET', '/api/v1/advocates', { cookie: marie });
    expect(r.status).toBe(200);
    const withAccount = [...s.ctx.directory().communities.values()].filter((c) =>
      s.ctx.directory().accountOf(c.id, 'sandbox'),
    );
    for (const c of withAccount) {
      const ranked = r.body.communities.find((x: { id: number }) => x.id === c.id).advocates as {
        name: string;
        signals: { helping: number; positive: number };
      }[];
      expect(ranked.length, c.slug).toBeGreaterThanOrEqual(2);
      expect(
        ranked.some((a) => a.signals.helping === 2),
        c.slug,
      ).toBe(true);
      expect(
        ranked.some((a) => a.signals.positive === 2 && a.signals.helping === 0),
        c.slug,
      ).toBe(true);
    }
  });
});
