import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_CANNED_REPLIES } from '../../src/demo/corpus.ts';
import { AIRSOCIAL, DEMO_PASSWORD } from '../../src/demo/organization.ts';
import { seedOrganization } from '../../src/domain/organization/seed.ts';
import { describeEachDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describeEachDatabase('canned replies and the reply preview', (db) => {
  let s: TestServer;
  let lea: string;
  let marie: string;
  let frCase: number;
  let fr: number;
  let de: number;

  beforeAll(async () => {
    s = await startTestServer(db().url);
    lea = await s.login('lea@airsocial.example');
    marie = await s.login('marie@airsocial.example');
    const cs = await s.request('GET', '/api/v1/communities', { cookie: marie });
    fr = cs.body.find((c: { slug: string }) => c.slug === 'airsocial-fr').id;
    de = cs.body.find((c: { slug: string }) => c.slug === 'airsocial-de').id;
    const r = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'sandbox',
        external_id: 'cmp-1',
        account: '@AirSocial',
        author: { handle: '@jeanne', name: 'Jeanne Dupont' },
        text: 'Mon vol a 3 h de retard, je vais rater ma correspondance',
      },
    });
    frCase = r.body.case_id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('seeds the demo organization’s canned replies once, and again only when it has none', async () => {
    const count = async () =>
      (await db().pool.query('select count(*)::int as n from canned_replies')).rows[0].n as number;
    const expected = Object.values(DEMO_CANNED_REPLIES).reduce((n, list) => n + list.length, 0);
    expect(await count()).toBe(expected);
    await seedOrganization(db().pool, AIRSOCIAL, DEMO_PASSWORD);
    expect(await count()).toBe(expected);
    // An organization seeded before canned replies existed gets them at the next start.
    await db().pool.query('delete from canned_replies');
    await seedOrganization(db().pool, AIRSOCIAL, DEMO_PASSWORD);
    expect(await count()).toBe(expected);
    const list = await s.request('GET', '/api/v1/canned-replies?language=fr', { cookie: lea });
    expect(list.status).toBe(200);
    expect(list.body.map((c: { title: string }) => c.title)).toContain('retard + correspondance');
    expect(
      list.body.every((c: { language: string; community: null }) => c.language === 'fr' && c.community === null),
    ).toBe(true);
  });

  it('lets leaders edit every reply and managers those of their communities; backups read; viewers do not', async () => {
    const mine = await s.request('POST', '/api/v1/canned-replies', {
      cookie: lea,
      body: { community_id: fr, language: 'fr', title: 'Genève', body: 'Bonjour {{contact.name}} !' },
    });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ community: { id: fr }, editable: true });
    const elsewhere = await s.request('POST', '/api/v1/canned-replies', {
      cookie: lea,
      body: { community_id: de, language: 'de', title: 'Hallo', body: 'Hallo' },
    });
    expect(elsewhere.status).toBe(403);
    const everywhere = await s.request('POST', '/api/v1/canned-replies', {
      cookie: lea,
      body: { community_id: null, language: 'fr', title: 'Tous', body: 'Bonjour' },
    });
    expect(everywhere.status).toBe(403);
    const seeded = (await s.request('GET', '/api/v1/canned-replies?language=fr', { cookie: lea })).body[0];
    expect(seeded.editable).toBe(false);
    expect(
      (await s.request('PATCH', `/api/v1/canned-replies/${seeded.id}`, { cookie: lea, body: { title: 'x' } })).status,
    ).toBe(403);
    const byLeader = await s.request('PATCH', `/api/v1/canned-replies/${seeded.id}`, {
      cookie: marie,
      body: { title: `${seeded.title} (v2)` },
    });
    expect(byLeader.body.title).toBe(`${seeded.title} (v2)`);

    const sophie = await s.login('sophie@airsocial.example');
    const read = await s.request('GET', `/api/v1/canned-replies?community_id=${fr}`, { cookie: sophie });
    expect(read.body.map((c: { id: number }) => c.id)).toContain(mine.body.id);
    expect(
      (await s.request('PATCH', `/api/v1/canned-replies/${mine.body.id}`, { cookie: sophie, body: { title: 'x' } }))
        .status,
    ).toBe(403);
    const jonas = await s.login('jonas@airsocial.example');
    const hidden = await s.request('GET', '/api/v1/canned-replies?language=fr', { cookie: jonas });
    expect(hidden.body.map((c: { id: number }) => c.id)).not.toContain(mine.body.id);
    expect((await s.request('DELETE', `/api/v1/canned-replies/${mine.body.id}`, { cookie: jonas })).status).toBe(404);
    const paul = await s.login('paul@airsocial.example');
    expect((await s.request('GET', '/api/v1/canned-replies', { cookie: paul })).status).toBe(403);

    expect((await s.request('DELETE', `/api/v1/canned-replies/${mine.body.id}`, { cookie: lea })).status).toBe(204);
    const audit = await db().pool.query(
      `select action from audit_events where subject_type = 'canned_reply' and subject_id = $1 order by id`,
      [String(mine.body.id)],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['canned_reply.created', 'canned_reply.deleted']);
  });

  it('fills a canned reply for the case and the agent, with its length against the network’s limit', async () => {
    const list = await s.request('GET', '/api/v1/canned-replies?language=fr', { cookie: lea });
    const canned = list.body.find((c: { title: string }) => c.title === 'retard + correspondance');
    const r = await s.request('POST', `/api/v1/cases/${frCase}/render-reply`, {
      cookie: lea,
      body: { canned_reply_id: canned.id },
    });
    expect(r.status).toBe(200);
    expect(r.body.text).toContain('Bonjour Jeanne Dupont, nous sommes désolés');
    expect(r.body.text).toContain(`Dossier ${frCase} – Léa Martin`);
    expect(r.body).toMatchObject({
      canned_reply_id: canned.id,
      network: 'sandbox',
      max_length: 5000,
      fits: true,
      variables: { unknown: [], empty: [] },
      parts: [r.body.text],
    });
    expect(r.body.length).toBe([...new Intl.Segmenter().segment(r.body.text)].length);
  });

  it('reports unknown variables instead of dropping them', async () => {
    const r = await s.request('POST', `/api/v1/cases/${frCase}/render-reply`, {
      cookie: lea,
      body: { text: '{{agent.first_name}} de {{community.name}} pour {{contact.handle}} {{contact.nom}}' },
    });
    expect(r.body.text).toBe('Léa de AirSocial · FR pour @jeanne {{contact.nom}}');
    expect(r.body.variables.unknown).toEqual(['contact.nom']);
    const both = await s.request('POST', `/api/v1/cases/${frCase}/render-reply`, {
      cookie: lea,
      body: { text: 'x', canned_reply_id: 1 },
    });
    expect(both.status).toBe(400);
    const paul = await s.login('paul@airsocial.example');
    expect(
      (await s.request('POST', `/api/v1/cases/${frCase}/render-reply`, { cookie: paul, body: { text: 'x' } })).status,
    ).toBe(403);
  });

  it('splits a long reply into a thread where the network threads posts, and says when it cannot', async () => {
    s.ctx.connectors.register({
      manifest: {
        network: 'shortnet',
        displayName: 'Short',
        maxLength: 60,
        threads: true,
        supportsPrivate: false,
        inbound: ['push'],
        kinds: ['account'],
        canReply: true,
      },
      send: async () => ({ externalId: 'never' }),
    });
    const m = await s.request('POST', '/api/v1/messages', {
      token: s.token,
      body: {
        channel: 'shortnet',
        external_id: 'short-1',
        author: { handle: '@court' },
        text: 'AirSocial mon bagage est perdu à Genève depuis deux jours',
      },
    });
    const caseId = m.body.case_id;
    const marieCookie = marie;
    const text =
      'Bonjour {{contact.handle}}, nous sommes désolés pour votre bagage. Envoyez-nous le numéro de dossier remis ' +
      'à l’aéroport en message privé et nous organisons la livraison.';
    const r = await s.request('POST', `/api/v1/cases/${caseId}/render-reply`, { cookie: marieCookie, body: { text } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ network: 'shortnet', max_length: 60, fits: false, thread_allowed: true });
    expect(r.body.parts.length).toBeGreaterThan(2);
    r.body.parts.forEach((p: string, i: number) => {
      expect([...new Intl.Segmenter().segment(p)].length).toBeLessThanOrEqual(60);
      expect(p.endsWith(` ${i + 1}/${r.body.parts.length}`)).toBe(true);
    });
    expect(r.body.parts[0]).toMatch(/^Bonjour @court, /);

    const long = await s.request('POST', `/api/v1/cases/${frCase}/render-reply`, {
      cookie: lea,
      body: { text: 'mot '.repeat(1300) },
    });
    expect(long.body).toMatchObject({ fits: false, thread_allowed: false, parts: [] });
  });
});
