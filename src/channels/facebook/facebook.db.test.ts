import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  feedComment,
  messengerEcho,
  messengerMessage,
  visitorPost,
} from '../../../test/fixtures/meta/facebook-payloads.ts';
import { metaSignature, startFakeGraph } from '../../../test/fixtures/meta/fake-graph.ts';
import {
  communityId,
  countMessages,
  deadLetters,
  messageRow,
  reply,
  until,
} from '../../../test/fixtures/social/harness.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

const APP_SECRET = 'meta-app-secret-0123456789';
const TOKEN_FR = 'page-token-airsocial-fr-0001';
const TOKEN_EXPRESS = 'page-token-express-de-0002';
const PAGE_FR = '1010101010';
const PAGE_EXPRESS = '2020202020';

describeEachDatabase('Facebook Pages through the Meta webhook and the Graph API', (db) => {
  let s: TestServer;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let marie: string;
  let lea: string;

  const post = (payload: unknown, secret = APP_SECRET) => {
    const body = JSON.stringify(payload);
    return fetch(`${s.base}/api/v1/channels/meta/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(secret, body) },
      body,
    });
  };
  const graphPosts = () => graph.requests.filter((r) => r.method === 'POST');

  beforeAll(async () => {
    graph = await startFakeGraph({
      version: 'v23.0',
      tokens: { [TOKEN_FR]: APP_SECRET, [TOKEN_EXPRESS]: APP_SECRET },
      objects: new Map([
        [PAGE_FR, 'page'],
        [PAGE_EXPRESS, 'page'],
        [`${PAGE_FR}_111`, 'post'],
        [`${PAGE_FR}_111_9001`, 'comment'],
        [`${PAGE_EXPRESS}_333`, 'post'],
      ]),
    });
    graph.state.names.set(PAGE_FR, { name: 'AirSocial' });
    s = await startTestServer(db().url, { PASSEUR_ALLOW_PRIVATE_FETCH: '1' });
    marie = await s.login('marie@airsocial.example');
    lea = await s.login('lea@airsocial.example');
    for (const [slug, handle, page, token] of [
      ['airsocial-fr', 'AirSocial', PAGE_FR, TOKEN_FR],
      ['express-de', 'AirSocialExpress.de', PAGE_EXPRESS, TOKEN_EXPRESS],
    ] as const) {
      const r = await s.request('POST', '/api/v1/accounts', {
        cookie: marie,
        body: {
          community_id: communityId(s, slug),
          network: 'facebook',
          handle,
          config: { page_id: page, graph_url: graph.url },
          credentials: { page_access_token: token, app_secret: APP_SECRET, verify_token: 'verify-me-please' },
        },
      });
      expect(r.status).toBe(201);
      expect(JSON.stringify(r.body)).not.toContain(APP_SECRET);
    }
  });
  afterAll(async () => {
    await s?.close();
    await graph?.close();
  });

  it('answers the subscription handshake only with the configured verify token', async () => {
    const ok = await fetch(
      `${s.base}/api/v1/channels/meta/webhook?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(
      `${s.base}/api/v1/channels/meta/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`,
    );
    expect(bad.status).toBe(403);
  });

  it('stores page comments, visitor posts and Messenger messages in the community of the page they reached', async () => {
    const res = await post(
      feedComment({
        pageId: PAGE_FR,
        postId: `${PAGE_FR}_111`,
        commentId: `${PAGE_FR}_111_9001`,
        from: { id: '5550001', name: 'Camille Dupont' },
        message: 'Mon vol AF1234 Genève–Paris a 3 h de retard, je vais rater ma correspondance !',
      }),
    );
    expect(res.status).toBe(200);
    expect(
      await post(
        visitorPost({
          pageId: PAGE_EXPRESS,
          postId: `${PAGE_EXPRESS}_333`,
          from: { id: '5550002', name: 'Jonas K' },
          message: 'Mein Koffer ist nicht angekommen.',
        }),
      ).then((r) => r.status),
    ).toBe(200);
    const comment = await messageRow(db(), 'facebook', `${PAGE_FR}_111_9001`);
    expect(comment).toMatchObject({
      kind: 'reply',
      author_handle: '5550001',
      in_reply_to: `${PAGE_FR}_111`,
      community_id: communityId(s, 'airsocial-fr'),
    });
    const visitor = await messageRow(db(), 'facebook', `${PAGE_EXPRESS}_333`);
    expect(visitor).toMatchObject({ kind: 'post', community_id: communityId(s, 'express-de') });

    // A reply to that comment threads into the same case.
    await post(
      feedComment({
        pageId: PAGE_FR,
        postId: `${PAGE_FR}_111`,
        commentId: `${PAGE_FR}_111_9002`,
        parentId: `${PAGE_FR}_111_9001`,
        from: { id: '5550001', name: 'Camille Dupont' },
        message: 'Et pour mon bagage ?',
      }),
    );
    expect((await messageRow(db(), 'facebook', `${PAGE_FR}_111_9002`)).case_id).toBe(comment.case_id);

    await post(
      messengerMessage({
        pageId: PAGE_FR,
        psid: '7770001',
        mid: 'm_dm_1',
        text: 'Bonjour, question sur ma réservation',
      }),
    );
    expect(await messageRow(db(), 'facebook', 'm_dm_1')).toMatchObject({ kind: 'dm', author_handle: '7770001' });
  });

  it('never takes the page’s own comments or Messenger echoes for customer messages', async () => {
    const before = await countMessages(db(), 'facebook');
    await post(
      feedComment({
        pageId: PAGE_FR,
        postId: `${PAGE_FR}_111`,
        commentId: `${PAGE_FR}_111_9100`,
        from: { id: PAGE_FR, name: 'AirSocial' },
        message: 'Nous regardons.',
      }),
    );
    await post(messengerEcho({ pageId: PAGE_FR, psid: '7770001', mid: 'm_echo_1', text: 'Bonjour !' }));
    expect(await countMessages(db(), 'facebook')).toBe(before);
  });

  it('refuses a forged signature and stores nothing; a replayed payload is stored once', async () => {
    const before = await countMessages(db(), 'facebook');
    const payload = feedComment({
      pageId: PAGE_FR,
      postId: `${PAGE_FR}_111`,
      commentId: `${PAGE_FR}_111_9200`,
      from: { id: '5550009', name: 'Mallory' },
      message: 'forged',
    });
    const forged = await post(payload, 'not-the-app-secret-at-all');
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${s.base}/api/v1/channels/meta/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(unsigned.status).toBe(401);
    expect(await countMessages(db(), 'facebook')).toBe(before);
    expect((await post(payload)).status).toBe(200);
    expect((await post(payload)).status).toBe(200);
    expect(await countMessages(db(), 'facebook')).toBe(before + 1);
  });

  it('dead-letters a malformed change with the reason and the payload as Meta sent it', async () => {
    const payload = feedComment({
      pageId: PAGE_FR,
      postId: `${PAGE_FR}_111`,
      commentId: `${PAGE_FR}_111_9300`,
      from: { id: '5550003', name: 'X' },
      message: 'x',
    });
    const value = payload.entry[0]!.changes[0]!.value as Record<string, unknown>;
    delete value.from;
    expect((await post(payload)).status).toBe(200);
    expect((await post({ object: 'page', entry: [{ id: '99999', time: 1, changes: [] }] })).status).toBe(200);
    const dead = await deadLetters(db(), 'facebook:');
    expect(dead.map((d) => d.reason)).toEqual([
      'author.handle: required',
      'entry.id: no connected facebook account has id 99999',
    ]);
    expect(JSON.parse(dead[0]!.payload)).toMatchObject({ field: 'feed', value: { comment_id: `${PAGE_FR}_111_9300` } });
  });

  it('replies under the comment as the page, and a reply to a reply goes under the top-level comment', async () => {
    const comment = await messageRow(db(), 'facebook', `${PAGE_FR}_111_9002`);
    graph.requests.length = 0;
    const sent = await reply(s, db(), lea, comment.case_id, { text: 'Bonjour Camille, nous regardons votre vol.' });
    expect(sent).toMatchObject({ status: 'sent', last_error: null });
    const [req] = graphPosts();
    expect(req!.path).toBe(`/v23.0/${PAGE_FR}_111_9001/comments`);
    expect(JSON.parse(req!.body)).toEqual({ message: 'Bonjour Camille, nous regardons votre vol.' });
    expect(req!.headers.authorization).toBe(`Bearer ${TOKEN_FR}`);
    expect(req!.query.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/);
    const out = await messageRow(db(), 'facebook', sent.external_id!);
    expect(out).toMatchObject({ direction: 'out', case_id: comment.case_id });
    // The page's comment coming back by webhook is not a customer message.
    const before = await countMessages(db(), 'facebook');
    await post(
      feedComment({
        pageId: PAGE_FR,
        postId: `${PAGE_FR}_111`,
        commentId: sent.external_id!,
        parentId: `${PAGE_FR}_111_9001`,
        from: { id: PAGE_FR, name: 'AirSocial' },
        message: 'Bonjour Camille, nous regardons votre vol.',
      }),
    );
    expect(await countMessages(db(), 'facebook')).toBe(before);
  });

  it('answers a Messenger conversation with the Send API, and refuses outside the 24-hour window', async () => {
    const dm = await messageRow(db(), 'facebook', 'm_dm_1');
    graph.requests.length = 0;
    const sent = await reply(s, db(), lea, dm.case_id, { text: 'Bonjour, avec plaisir.' });
    expect(sent.status).toBe('sent');
    expect(sent.external_id).toMatch(/^m_fake/);
    const [req] = graphPosts();
    expect(req!.path).toBe('/v23.0/me/messages');
    expect(JSON.parse(req!.body)).toEqual({
      recipient: { id: '7770001' },
      messaging_type: 'RESPONSE',
      message: { text: 'Bonjour, avec plaisir.' },
    });

    const old = Date.now() - 25 * 3600_000;
    await post(
      messengerMessage({ pageId: PAGE_FR, psid: '7770002', mid: 'm_dm_old', text: 'Bonjour ?', timestamp: old }),
    );
    const late = await messageRow(db(), 'facebook', 'm_dm_old');
    graph.requests.length = 0;
    const refused = await reply(s, db(), lea, late.case_id, { text: 'Désolés du retard.' });
    expect(refused.status).toBe('failed');
    expect(refused.last_error).toMatch(/^permanent: outside the 24-hour messaging window/);
    expect(graphPosts()).toEqual([]);
  });

  it('backs off when the Graph API throttles, then publishes', async () => {
    const visitor = await messageRow(db(), 'facebook', `${PAGE_EXPRESS}_333`);
    const jonas = await s.login('jonas@airsocial.example');
    graph.state.throttle = 1;
    const first = await reply(s, db(), jonas, visitor.case_id, { text: 'Wir kümmern uns darum.' });
    expect(first.status).toBe('pending');
    expect(first.last_error).toMatch(/^rate_limited: Graph API 400 \(code 80001\)/);
    // estimated_time_to_regain_access: 1 minute
    expect(first.not_before.getTime() - Date.now()).toBeGreaterThan(50_000);
    await db().pool.query(`update outbox set not_before = now() where status = 'pending'`);
    s.ctx.kickOutbox();
    await until(
      async () =>
        (await db().pool.query(`select status from outbox order by id desc limit 1`)).rows[0].status === 'sent',
    );
    const [req] = graphPosts().slice(-1);
    expect(req!.path).toBe(`/v23.0/${PAGE_EXPRESS}_333/comments`);
    expect(req!.headers.authorization).toBe(`Bearer ${TOKEN_EXPRESS}`);
  });

  it('tests the connection with the page token', async () => {
    const accounts = (await s.request('GET', '/api/v1/accounts', { cookie: marie })).body;
    const fr = accounts.find((a: { handle: string }) => a.handle === 'AirSocial');
    const r = await s.request('POST', `/api/v1/accounts/${fr.id}/test`, { cookie: marie });
    expect(r.body).toEqual({ ok: true, detail: `Page AirSocial (${PAGE_FR})` });
  });
});
