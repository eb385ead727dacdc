import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  FeedPeer,
  fixture,
  publishSamples,
  rssItem,
  SAMPLE_FEEDS,
  withItems,
} from '../../../test/fixtures/feeds/peer.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

/**
 * Blogs and press monitors end to end: a real Passeur (default connectors) polls a local feed server. The
 * samples are real-world shaped: WordPress RSS and Atom, an RDF press feed, a JSON Feed, a Windows-1252 feed,
 * a forum with broken HTML.
 */
const ENV = { PASSEUR_ALLOW_PRIVATE_FETCH: '1' };
const J7 = 'voyages-leman.example/2025/06/airsocial-bagages-geneve';
const KEYWORDS = ['AirSocial + bagage*', 'AirSocial + retard*', 'AirSocial + valise*'];

async function until<T>(check: () => Promise<T | false | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached');
}

describeEachDatabase('blogs and press monitors (feeds)', (db) => {
  const peer = new FeedPeer();
  let s: TestServer;
  let marie: string;
  let lea: string;
  let monitorId: number;
  const q = async (sql: string, params: unknown[] = []) => (await db().pool.query(sql, params)).rows;
  const ids = async () =>
    (await q(`select external_id from messages where channel = 'feeds' and direction = 'in' order by external_id`)).map(
      (r) => r.external_id,
    );
  const account = async (id: number) =>
    (await q('select status, last_error, cursor from channel_accounts where id = $1', [id]))[0];
  const community = (lang: string) => {
    const dir = s.ctx.directory();
    const brand = dir.brands.find((b) => b.name === 'AirSocial')!;
    return dir.communityFor(brand.id, lang)!;
  };
  const config = (extra: string[] = []) => ({
    feeds: [...SAMPLE_FEEDS, ...extra].map((p) => peer.url(p)),
    keywords: KEYWORDS,
    languages: ['fr'],
    interval_seconds: 1,
  });

  beforeAll(async () => {
    await peer.start();
    publishSamples(peer);
    s = await startTestServer(db().url, ENV);
    marie = await s.login('marie@airsocial.example');
    lea = await s.login('lea@airsocial.example');
  });
  afterAll(async () => {
    await s?.close();
    await peer.close();
  });

  it('connects a monitor with validated settings; the network cannot reply', async () => {
    const body = { community_id: community('fr').id, network: 'feeds', handle: 'airsocial-fr-presse' };
    const asAccount = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: { ...body, config: config() },
    });
    expect(asAccount.status).toBe(400);
    expect(asAccount.body.issues[0].field).toBe('kind');
    const bad = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: { ...body, kind: 'monitor', config: { feeds: ['ftp://x.example/f'], regex: '(', languages: ['french'] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'config.feeds.0',
      'config.languages.0',
      'config.regex',
    ]);
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: { ...body, kind: 'monitor', config: config() },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'monitor', connector: { can_reply: false, inbound: ['poll'] } });
    monitorId = r.body.id;
    const test = await s.request('POST', `/api/v1/accounts/${monitorId}/test`, { cookie: marie });
    expect(test.body.ok).toBe(true);
    expect(test.body.detail).toContain(`${peer.url('/chronique.rss')}: rss2, 2 items, windows-1252`);
  });

  it('J7: a travel blog article becomes an article mention of AirSocial-fr, routed to Customer care', async () => {
    await until(async () => (await ids()).length === 8);
    const [m] = await q(`select case_id, kind, account_id from messages where external_id = $1`, [J7]);
    expect(m).toMatchObject({ kind: 'article', account_id: monitorId });
    const c = (await s.request('GET', `/api/v1/cases/${m.case_id}`, { cookie: lea })).body;
    expect(c).toMatchObject({
      community: { id: community('fr').id },
      team: { slug: 'customer_care' },
      subject: 'AirSocial perd encore des bagages à Genève',
      contact: { handle: 'voyages-leman.example', name: 'Le Blog du Voyageur Léman' },
      // No reply to a blog: an internal note instead.
      account: null,
      reply: { possible: false, reason: 'no_account' },
    });
    const article = c.messages.find((x: { external_id: string }) => x.external_id === J7);
    expect(article).toMatchObject({
      kind: 'article',
      url: 'https://www.voyages-leman.example/2025/06/airsocial-bagages-geneve/',
      text: expect.stringContaining('\n\nTroisième valise égarée cette année à l’aéroport de Genève'),
      triage: { lang: 'fr', topics: expect.arrayContaining(['baggage']) },
    });
    // A reader's comment (Atom threading) joins the article's conversation.
    const comment = c.messages.find((x: { external_id: string }) => x.external_id === `${J7}#comment-4411`);
    expect(comment).toMatchObject({ in_reply_to: J7, conversation_id: article.conversation_id });
    const reply = await s.request('POST', `/api/v1/cases/${m.case_id}/replies`, {
      cookie: lea,
      body: { text: 'Bonjour' },
    });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe('no_account');
    const note = await s.request('POST', `/api/v1/cases/${m.case_id}/notes`, {
      cookie: lea,
      body: { text: 'Voir avec Qualité (bagages GVA)' },
    });
    expect(note.status).toBe(201);
    // Every article went to the monitor's community; the German one was left out by the language filter.
    const communities = await q(
      `select distinct c.community_id from messages m join cases c on c.id = m.case_id where m.channel = 'feeds'`,
    );
    expect(communities).toEqual([{ community_id: community('fr').id }]);
    expect(await ids()).not.toContain('unterwegs-reiseblog.example/2025/06/airsocial-gepaeck-genf');
  });

  it('asks again with the validators it got, and finds items published between polls', async () => {
    await until(async () => peer.to('/voyages.rss').some((r) => r.status === 304 && r.headers['if-none-match']));
    await until(async () => peer.to('/gazette.rdf').some((r) => r.status === 304 && r.headers['if-modified-since']));
    const item = rssItem({
      title: 'AirSocial : mes bagages enfin retrouvés',
      link: 'https://www.voyages-leman.example/2025/06/bagages-retrouves/',
      description: 'Après six jours, la valise est revenue.',
    });
    peer.set('/voyages.rss', { body: withItems(fixture('voyages.rss'), item), contentType: 'application/rss+xml' });
    await until(async () => (await ids()).includes('voyages-leman.example/2025/06/bagages-retrouves'));
    expect(await ids()).toHaveLength(9);
  });

  it('resumes after a restart from its cursor: nothing lost, nothing read twice', async () => {
    await s.close();
    const before = await ids();
    const cursor = (await account(monitorId)).cursor;
    expect(cursor.feeds[peer.url('/voyages.rss')].etag).toBeDefined();
    const sent = peer.requests.length;
    const item = rssItem({
      title: 'Nouveau retard AirSocial à Cointrin',
      link: 'https://forum-voyageurs.example/t/nouveau-retard/9950',
      description: 'Trois heures.',
    });
    peer.set('/forum.rss', { body: withItems(fixture('forum-broken.rss'), item), contentType: 'text/xml' });
    s = await startTestServer(db().url, ENV);
    lea = await s.login('lea@airsocial.example');
    await until(async () => (await ids()).length === before.length + 1);
    expect((await ids()).sort()).toEqual([...before, 'forum-voyageurs.example/t/nouveau-retard/9950'].sort());
    // The first request after the restart already carried the saved validators.
    const firstAfter = peer.requests.slice(sent).find((r) => r.path === '/voyages.atom')!;
    expect(firstAfter).toMatchObject({ status: 304 });
    await new Promise((r) => setTimeout(r, 1500));
    const [{ n, distinct }] = await q(
      `select count(*)::int as n, count(distinct external_id)::int as distinct from messages where channel = 'feeds' and direction = 'in'`,
    );
    expect(n).toBe(distinct);
    expect(n).toBe(before.length + 1);
  });

  it('honours a 429 Retry-After, shows the account as rate limited, then recovers', async () => {
    const item = `<item rdf:about="https://gazette-romande.example/e/9"><title>AirSocial : retard record</title><link>https://gazette-romande.example/e/9</link></item>`;
    peer.set('/gazette.rdf', {
      body: Buffer.from(fixture('gazette.rdf').toString().replace('</rdf:RDF>', `${item}</rdf:RDF>`)),
      contentType: 'application/rdf+xml',
      etag: false,
    });
    peer.fail('/gazette.rdf', 429, { 'retry-after': '3' });
    const limited = await until(async () => {
      const a = await account(monitorId);
      return a.status === 'rate_limited' && a;
    });
    expect(limited.last_error).toContain(`${peer.url('/gazette.rdf')}: HTTP 429`);
    await until(async () => (await ids()).includes('gazette-romande.example/e/9'));
    const asked = peer.to('/gazette.rdf');
    const refused = asked.findIndex((r) => r.status === 429);
    expect(asked[refused + 1]!.at - asked[refused]!.at).toBeGreaterThanOrEqual(2900);
    await until(async () => (await account(monitorId)).status === 'active');
  });

  it('records a malformed feed on the account and loses none of its items once fixed', async () => {
    peer.set('/late.rss', { body: fixture('truncated.rss'), contentType: 'application/rss+xml' });
    const patched = await s.request('PATCH', `/api/v1/accounts/${monitorId}`, {
      cookie: marie,
      body: { config: config(['/late.rss']) },
    });
    expect(patched.status).toBe(200);
    const failing = await until(async () => {
      const a = (await s.request('GET', '/api/v1/accounts', { cookie: marie })).body.find(
        (x: { id: number }) => x.id === monitorId,
      );
      return a.status === 'error' && a;
    });
    expect(failing.health.last_error).toMatch(/late\.rss: the document ends inside <rss>/);
    const fixedBody = fixture('voyages.rss').toString().replaceAll('voyages-leman.example', 'late.example');
    peer.set('/late.rss', { body: Buffer.from(fixedBody), contentType: 'application/rss+xml' });
    await until(async () => (await ids()).filter((x) => x.startsWith('late.example/')).length === 2);
    await until(async () => (await account(monitorId)).status === 'active');
  });

  it('parks a monitor whose only feed refuses it, until an admin gives credentials', async () => {
    peer.set('/private.json', {
      body: fixture('reiseblog.json'),
      contentType: 'application/feed+json',
      auth: 'presse:s3cret',
    });
    const url = peer.url('/private.json');
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: community('de').id,
        network: 'feeds',
        handle: 'airsocial-de-presse',
        kind: 'monitor',
        config: { feeds: [url], languages: ['de'], interval_seconds: 1 },
      },
    });
    await until(async () => (await account(r.body.id)).status === 'needs_reconnect');
    const fixed = await s.request('PATCH', `/api/v1/accounts/${r.body.id}`, {
      cookie: marie,
      body: { credentials: { basic_auth: { [url]: { username: 'presse', password: 's3cret' } } } },
    });
    expect(fixed.body).toMatchObject({ has_credentials: true });
    const id = 'unterwegs-reiseblog.example/2025/06/airsocial-gepaeck-genf';
    await until(async () => (await ids()).includes(id));
    const [c] = await q(
      `select c.community_id from messages m join cases c on c.id = m.case_id where m.external_id = $1`,
      [id],
    );
    expect(c.community_id).toBe(community('de').id);
    await until(async () => (await account(r.body.id)).status === 'active');
  });
});
