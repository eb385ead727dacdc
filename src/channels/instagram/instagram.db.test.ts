import { afterAll, beforeAll, expect, it } from 'vitest';
import { metaSignature, startFakeGraph } from '../../../test/fixtures/meta/fake-graph.ts';
import { igComment, igMention } from '../../../test/fixtures/meta/instagram-payloads.ts';
import { communityId, countMessages, deadLetters, messageRow, reply } from '../../../test/fixtures/social/harness.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

const APP_SECRET = 'meta-app-secret-for-instagram';
const TOKEN = 'ig-linked-page-token-0001';
const IG_USER = '17841400000000001';
const MEDIA = '17900000000000001';

describeEachDatabase('Instagram through the Meta webhook and the Graph API', (db) => {
  let s: TestServer;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
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
      tokens: { [TOKEN]: APP_SECRET },
      objects: new Map([
        [IG_USER, 'ig_user'],
        [MEDIA, 'ig_media'],
        ['17950000000000001', 'ig_comment'],
        ['17950000000000002', 'ig_comment'],
      ]),
    });
    graph.state.mentionedComments.set('17960000000000009', {
      id: '17960000000000009',
      text: '@airsocial_fr vous avez encore perdu ma valise à Genève',
      timestamp: '2026-05-11T22:01:04+0000',
      username: 'voyageuse.geneve',
      media: { id: '17910000000000042', permalink: 'https://www.instagram.com/p/AbCdEf/' },
    });
    s = await startTestServer(db().url, { PASSEUR_ALLOW_PRIVATE_FETCH: '1' });
    const marie = await s.login('marie@airsocial.example');
    lea = await s.login('lea@airsocial.example');
    const r = await s.request('POST', '/api/v1/accounts', {
      cookie: marie,
      body: {
        community_id: communityId(s, 'airsocial-fr'),
        network: 'instagram',
        handle: 'airsocial_fr',
        config: { ig_user_id: IG_USER, graph_url: graph.url },
        credentials: { access_token: TOKEN, app_secret: APP_SECRET, verify_token: 'instagram-verify' },
      },
    });
    expect(r.status).toBe(201);
  });
  afterAll(async () => {
    await s?.close();
    await graph?.close();
  });

  it('stores comments in both payload forms, in the account’s community, and leaves out its own', async () => {
    expect(
      (
        await post(
          igComment({
            igUserId: IG_USER,
            id: '17950000000000001',
            mediaId: MEDIA,
            from: { id: '600001', username: 'camille.d' },
            text: 'Mon bagage est resté à Genève',
          }),
        )
      ).status,
    ).toBe(200);
    await post(
      igComment({
        igUserId: IG_USER,
        id: '17950000000000002',
        mediaId: MEDIA,
        parentId: '17950000000000001',
        from: { id: '600001', username: 'camille.d' },
        text: 'Toujours rien ce matin',
        form: 'field',
      }),
    );
    const first = await messageRow(db(), 'instagram', '17950000000000001');
    expect(first).toMatchObject({
      kind: 'reply',
      author_handle: 'camille.d',
      in_reply_to: MEDIA,
      community_id: communityId(s, 'airsocial-fr'),
    });
    const second = await messageRow(db(), 'instagram', '17950000000000002');
    expect(second).toMatchObject({ in_reply_to: '17950000000000001', case_id: first.case_id });
    const before = await countMessages(db(), 'instagram');
    await post(
      igComment({
        igUserId: IG_USER,
        id: '17950000000000003',
        mediaId: MEDIA,
        from: { id: IG_USER, username: 'airsocial_fr' },
        text: 'Merci, nous regardons',
      }),
    );
    expect(await countMessages(db(), 'instagram')).toBe(before);
  });

  it('reads the text of an @mention from the Graph API; a passing failure asks Meta to deliver again', async () => {
    graph.state.failures = 1;
    const payload = igMention({ igUserId: IG_USER, mediaId: '17910000000000042', commentId: '17960000000000009' });
    expect((await post(payload)).status).toBe(503);
    expect(await messageRow(db(), 'instagram', '17960000000000009')).toBeUndefined();
    expect((await post(payload)).status).toBe(200);
    const lookup = graph.requests.filter((r) => r.method === 'GET').at(-1)!;
    expect(lookup.path).toBe(`/v23.0/${IG_USER}`);
    expect(lookup.query.get('fields')).toBe(
      'mentioned_comment.comment_id(17960000000000009){id,text,timestamp,username,media{id,permalink}}',
    );
    const mention = await messageRow(db(), 'instagram', '17960000000000009');
    expect(mention).toMatchObject({
      kind: 'mention',
      author_handle: 'voyageuse.geneve',
      text: '@airsocial_fr vous avez encore perdu ma valise à Genève',
      community_id: communityId(s, 'airsocial-fr'),
    });
    expect(mention.meta).toMatchObject({ url: 'https://www.instagram.com/p/AbCdEf/' });
  });

  it('replies to a comment under its top-level comment, and to a mention through the mentions edge', async () => {
    const second = await messageRow(db(), 'instagram', '17950000000000002');
    graph.requests.length = 0;
    const sent = await reply(s, db(), lea, second.case_id, { text: 'Bonjour Camille, nous cherchons votre bagage.' });
    expect(sent.status).toBe('sent');
    expect(graphPosts().map((r) => [r.path, JSON.parse(r.body)])).toEqual([
      ['/v23.0/17950000000000001/replies', { message: 'Bonjour Camille, nous cherchons votre bagage.' }],
    ]);

    const mention = await messageRow(db(), 'instagram', '17960000000000009');
    graph.requests.length = 0;
    const answered = await reply(s, db(), lea, mention.case_id, { text: 'Nous sommes désolés, écrivez-nous.' });
    expect(answered.status).toBe('sent');
    expect(graphPosts().map((r) => [r.path, JSON.parse(r.body)])).toEqual([
      [
        `/v23.0/${IG_USER}/mentions`,
        {
          media_id: '17910000000000042',
          comment_id: '17960000000000009',
          message: 'Nous sommes désolés, écrivez-nous.',
        },
      ],
    ]);
  });

  it('refuses a forged signature and dead-letters a malformed comment with the reason', async () => {
    const before = await countMessages(db(), 'instagram');
    const payload = igComment({
      igUserId: IG_USER,
      id: '17950000000000099',
      mediaId: MEDIA,
      from: { id: '600002', username: 'mallory' },
      text: 'forged',
    });
    expect((await post(payload, 'wrong-secret-wrong-secret')).status).toBe(401);
    expect(await countMessages(db(), 'instagram')).toBe(before);

    const broken = igComment({
      igUserId: IG_USER,
      id: 'x',
      mediaId: MEDIA,
      from: { id: '600003', username: 'someone' },
      text: 'no id',
    });
    delete (broken.entry[0] as { changes: { value: Record<string, unknown> }[] }).changes[0]!.value.id;
    expect((await post(broken)).status).toBe(200);
    const dead = await deadLetters(db(), 'instagram:');
    expect(dead.map((d) => d.reason)).toEqual(['external_id: required']);
    expect(await countMessages(db(), 'instagram')).toBe(before);
  });
});
