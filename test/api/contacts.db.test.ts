import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('customers: profile, notes, sentiment and merge', (db) => {
  let s: TestServer;
  let lea: string;
  let n = 0;

  const ingest = async (body: Record<string, unknown>) => {
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: { channel: 'sandbox', external_id: `ct-${++n}`, ...body },
    });
    expect(r.status).toBe(202);
    return r.body as { message_id: number; case_id: number };
  };
  const contactOf = async (caseId: number) =>
    (await s.request('GET', `/api/v1/cases/${caseId}`, { cookie: lea })).body.contact.id as number;

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('changes the VIP flag and notes, for people who work the customer’s cases', async () => {
    const c = await ingest({ account: '@AirSocial', author: { handle: '@vip', name: 'Anne Vip' }, text: 'Bonjour' });
    const id = await contactOf(c.case_id);
    const r = await s.request('PATCH', `/api/v1/contacts/${id}`, {
      cookie: lea,
      body: { vip: true, notes: 'Frequent flyer, prefers DMs' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id, name: 'Anne Vip', vip: true, notes: 'Frequent flyer, prefers DMs' });
    const profile = await s.request('GET', `/api/v1/contacts/${id}`, { cookie: lea });
    expect(profile.body).toMatchObject({ vip: true, notes: 'Frequent flyer, prefers DMs' });
    const paul = await s.login('paul@airsocial.example');
    expect((await s.request('PATCH', `/api/v1/contacts/${id}`, { cookie: paul, body: { vip: false } })).status).toBe(
      403,
    );
    const jonas = await s.login('jonas@airsocial.example');
    expect((await s.request('PATCH', `/api/v1/contacts/${id}`, { cookie: jonas, body: { vip: false } })).status).toBe(
      404,
    );
    const audit = await db().pool.query(
      `select data from audit_events where action = 'contact.updated' and subject_id = $1`,
      [String(id)],
    );
    expect(audit.rows[0].data).toEqual({ fields: ['vip', 'notes'], vip: true });
  });

  it('counts the customer’s messages per week and sentiment', async () => {
    const first = await ingest({
      account: '@AirSocial',
      author: { handle: '@moody' },
      text: 'Service horrible, vol annulé, personne ne répond, scandaleux !',
    });
    await ingest({ account: '@AirSocial', author: { handle: '@moody' }, text: 'Merci beaucoup, équipage génial !' });
    await ingest({
      account: '@AirSocial',
      author: { handle: '@moody' },
      text: 'Un message de la semaine passée',
      created_at: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    });
    const id = await contactOf(first.case_id);
    const profile = await s.request('GET', `/api/v1/contacts/${id}`, { cookie: lea });
    const weeks = profile.body.sentiment_by_week as {
      week: string;
      negative: number;
      neutral: number;
      positive: number;
    }[];
    expect(weeks).toHaveLength(2);
    for (const w of weeks) expect(new Date(`${w.week}T00:00:00Z`).getUTCDay()).toBe(1);
    const total = weeks.reduce((sum, w) => sum + w.negative + w.neutral + w.positive, 0);
    expect(total).toBe(3);
    expect(weeks.at(-1)!.negative).toBeGreaterThanOrEqual(1);
  });

  it('merges a customer into another: identities, cases and messages move, and ingest follows', async () => {
    // Both identities answered the same brand post: their threads share a root.
    const a = await ingest({
      author: { handle: '@alice' },
      text: 'Mon bagage ?',
      in_reply_to: 'brand-post-1',
      account: '@AirSocial',
    });
    const b = await ingest({
      author: { handle: '@alice_pro', name: 'Alice (pro)' },
      text: 'Toujours pas de bagage',
      in_reply_to: 'brand-post-1',
      account: '@AirSocial',
    });
    const target = await contactOf(a.case_id);
    const source = await contactOf(b.case_id);
    expect(source).not.toBe(target);

    const self = await s.request('POST', `/api/v1/contacts/${source}/merge`, { cookie: lea, body: { into: source } });
    expect(self.status).toBe(400);
    const paul = await s.login('paul@airsocial.example');
    expect(
      (await s.request('POST', `/api/v1/contacts/${source}/merge`, { cookie: paul, body: { into: target } })).status,
    ).toBe(403);

    const r = await s.request('POST', `/api/v1/contacts/${source}/merge`, { cookie: lea, body: { into: target } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      contact_id: target,
      merged_contact_id: source,
      moved: { identities: 1, cases: 1, messages: 1 },
    });
    const profile = await s.request('GET', `/api/v1/contacts/${target}`, { cookie: lea });
    expect(profile.body.identities.map((i: { handle: string }) => i.handle).sort()).toEqual(['@alice', '@alice_pro']);
    expect(profile.body.cases.map((c: { id: number }) => c.id)).toContain(b.case_id);
    expect((await s.request('GET', `/api/v1/contacts/${source}`, { cookie: lea })).status).toBe(404);
    const row = await db().pool.query('select merged_into from contacts where id = $1', [source]);
    expect(row.rows[0].merged_into).toBe(target);
    const events = await db().pool.query(`select kind from case_events where case_id = $1`, [b.case_id]);
    expect(events.rows.map((e) => e.kind)).toContain('contact_merged');
    const audit = await db().pool.query(`select data from audit_events where action = 'contact.merged'`);
    expect(audit.rows[0].data).toMatchObject({ into: target, cases: 1 });

    // The merged identity now resolves to the target customer.
    const later = await ingest({ account: '@AirSocial', author: { handle: '@alice_pro' }, text: 'Nouvelle question' });
    expect(await contactOf(later.case_id)).toBe(target);
    const again = await s.request('POST', `/api/v1/contacts/${source}/merge`, { cookie: lea, body: { into: target } });
    expect(again.status).toBe(404);
  });

  it('refuses a merge with a customer whose cases the person cannot read', async () => {
    const fr = await ingest({ account: '@AirSocial', author: { handle: '@fr-only' }, text: 'Bonjour' });
    const de = await ingest({ account: '@AirSocial_de', author: { handle: '@de-only' }, text: 'Hallo' });
    const frId = await contactOf(fr.case_id);
    const marie = await s.login('marie@airsocial.example');
    const deId = (await s.request('GET', `/api/v1/cases/${de.case_id}`, { cookie: marie })).body.contact.id;
    const r = await s.request('POST', `/api/v1/contacts/${frId}/merge`, { cookie: lea, body: { into: deId } });
    expect(r.status).toBe(404);
    const ok = await s.request('POST', `/api/v1/contacts/${frId}/merge`, { cookie: marie, body: { into: deId } });
    expect(ok.status).toBe(200);
  });
});
