import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  communityId,
  countMessages,
  deadLetters,
  messageRow,
  reply,
  until,
} from '../../../test/fixtures/social/harness.ts';
import { startFakeX } from '../../../test/fixtures/x/fake-x.ts';
import {
  accountActivityDm,
  accountActivityTweets,
  activityDm,
  activityMention,
  v1Tweet,
  v2Post,
  type XUser,
} from '../../../test/fixtures/x/payloads.ts';
import { describeEachDatabase } from '../../../test/support/db.ts';
import { startTestServer, type TestServer } from '../../../test/support/server.ts';

const CONSUMER = { key: 'consumer-key-airsocial', secret: 'consumer-secret-airsocial-0123456789' };
const BRAND: XUser = { id: '1111', screen_name: 'AirSocial', name: 'AirSocial' };
const BRAND_DE: XUser = { id: '2222', screen_name: 'AirSocial_de', name: 'AirSocial Deutschland' };
const CAMILLE: XUser = { id: '9001', screen_name: 'camille_voyage', name: 'Camille' };
const HANS: XUser = { id: '9002', screen_name: 'hans_fliegt', name: 'Hans' };

describeEachDatabase('X through webhooks, the mentions timeline and API v2', (db) => {
  let s: TestServer;
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let lea: string;
  let accountId: number;
  let nextId = 1_800_000_000_000_000_000n;
  const id = () => String(++nextId);

  const deliver = (payload: unknown, secret = CONSUMER.secret) => {
    const body = JSON.stringify(payload);
    return fetch(`${s.base}/api/v1/channels/x/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-twitter-webhooks-signature': `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`,
      },
      body,
    });
  };
  const mention = (author: XUser, text: string, forUser = BRAND, repliedTo?: string) => {
    const post = v2Post({ id: id(), author, text, ...(repliedTo ? { repliedTo } : {}) });
    x.state.posts.set(post.id, post);
    const list = x.state.mentions.get(forUser.id) ?? [];
    list.push({ post, author });
    x.state.mentions.set(forUser.id, list);
    return post;
  };
  const start = () => startTestServer(db().url, { PASSEUR_ALLOW_PRIVATE_FETCH: '1' });

  beforeAll(async () => {
    x = await startFakeX({
      consumerKey: CONSUMER.key,
      consumerSecret: CONSUMER.secret,
      tokens: {
        'token-1111': { secret: 'token-secret-1111-abcdefgh', user: BRAND },
        'token-2222': { secret: 'token-secret-2222-abcdefgh', user: BRAND_DE },
      },
    });
    mention(CAMILLE, '@AirSocial bonjour, mon vol AF1234 est annulé ?');
    s = await start();
    const marie = await s.login('marie@airsocial.example');
    lea = await s.login('lea@airsocial.example');
    for (const [slug, user, token, poll] of [
      ['airsocial-fr', BRAND, 'token-1111', 1],
      ['airsocial-de', BRAND_DE, 'token-2222', 0],
    ] as const) {
      const r = await s.request('POST', '/api/v1/accounts', {
        cookie: marie,
        body: {
          community_id: communityId(s, slug),
          network: 'x',
          handle: `@${user.screen_name}`,
          config: { user_id: user.id, api_url: x.url, poll_interval_seconds: poll },
          credentials: {
            consumer_key: CONSUMER.key,
            consumer_secret: CONSUMER.secret,
            access_token: token,
            access_token_secret: `token-secret-${user.id}-abcdefgh`,
          },
        },
      });
      expect(r.status).toBe(201);
      if (user === BRAND) accountId = r.body.id;
    }
  });
  afterAll(async () => {
    await s?.close();
    await x?.close();
  });

  it('answers the CRC with the consumer secret', async () => {
    const r = await fetch(`${s.base}/api/v1/channels/x/webhook?crc_token=challenge-123`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      response_token: `sha256=${createHmac('sha256', CONSUMER.secret).update('challenge-123').digest('base64')}`,
    });
  });

  it('polls the mentions timeline from the start and keeps its since_id cursor', async () => {
    await until(async () => (await countMessages(db(), 'x')) === 1);
    const first = x.requests.find((r) => r.path === `/2/users/${BRAND.id}/mentions`)!;
    expect(first.query.get('since_id')).toBeNull();
    expect(first.query.get('expansions')).toBe('author_id');
    await until(
      async () =>
        (await db().pool.query('select cursor from channel_accounts where id = $1', [accountId])).rows[0].cursor
          ?.since_id !== undefined,
    );
    const m = (await db().pool.query(`select external_id from messages where channel = 'x'`)).rows[0];
    expect(await messageRow(db(), 'x', m.external_id)).toMatchObject({
      kind: 'mention',
      author_handle: '@camille_voyage',
      community_id: communityId(s, 'airsocial-fr'),
    });
  });

  it('stores Account Activity and X Activity deliveries in the community of the account they are for', async () => {
    const t1 = v1Tweet({ id: id(), user: CAMILLE, text: '@AirSocial mon bagage est perdu' });
    const own = v1Tweet({ id: id(), user: BRAND, text: '@camille_voyage nous regardons' });
    expect((await deliver(accountActivityTweets(BRAND.id, [t1, own]))).status).toBe(200);
    const t2 = v1Tweet({ id: id(), user: HANS, text: '@AirSocial_de Wo ist mein Koffer?' });
    await deliver(accountActivityTweets(BRAND_DE.id, [t2]));
    await deliver(
      accountActivityDm({
        forUserId: BRAND.id,
        id: id(),
        sender: CAMILLE,
        recipient: BRAND,
        text: 'Mon numéro de dossier est ABC123',
      }),
    );
    const xaa = id();
    await deliver(
      activityMention({ forUserId: BRAND.id, id: xaa, author: HANS, text: '@AirSocial Vol annulé, que faire ?' }),
    );
    const xdm = id();
    await deliver(activityDm({ forUserId: BRAND.id, id: xdm, sender: HANS, text: 'Hallo, eine Frage' }));

    expect(await messageRow(db(), 'x', t1.id_str)).toMatchObject({
      kind: 'mention',
      author_handle: '@camille_voyage',
      community_id: communityId(s, 'airsocial-fr'),
    });
    expect(await messageRow(db(), 'x', own.id_str)).toBeUndefined();
    expect(await messageRow(db(), 'x', t2.id_str)).toMatchObject({ community_id: communityId(s, 'airsocial-de') });
    expect(await messageRow(db(), 'x', xaa)).toMatchObject({ kind: 'mention', author_handle: '@hans_fliegt' });
    expect(await messageRow(db(), 'x', xdm)).toMatchObject({ kind: 'dm', author_handle: '@hans_fliegt' });
    const dms = await db().pool.query(`select count(*)::int as n from messages where channel = 'x' and kind = 'dm'`);
    expect(dms.rows[0].n).toBe(2);
  });

  it('refuses a forged delivery and dead-letters a malformed one with the reason', async () => {
    const before = await countMessages(db(), 'x');
    const t = v1Tweet({ id: id(), user: CAMILLE, text: 'forged' });
    expect((await deliver(accountActivityTweets(BRAND.id, [t]), 'not-the-consumer-secret')).status).toBe(401);
    expect(await countMessages(db(), 'x')).toBe(before);
    const broken = v1Tweet({ id: id(), user: CAMILLE, text: 'no author' }) as Record<string, unknown>;
    broken.user = { id_str: '9009' };
    expect((await deliver(accountActivityTweets(BRAND.id, [broken]))).status).toBe(200);
    const dead = await deadLetters(db(), 'x:');
    expect(dead.map((d) => d.reason)).toEqual(['author.handle: required']);
    expect(JSON.parse(dead[0]!.payload)).toMatchObject({ id_str: broken.id_str });
    expect(await countMessages(db(), 'x')).toBe(before);
  });

  it('replies as a thread under the customer post, and answers a DM by DM', async () => {
    const customer = mention(CAMILLE, '@AirSocial et mon remboursement ?');
    await until(async () => (await messageRow(db(), 'x', customer.id)) !== undefined);
    const m = await messageRow(db(), 'x', customer.id);
    x.requests.length = 0;
    const text = `${'Nous sommes désolés pour cette annulation, votre remboursement est en cours. '.repeat(5)}Bon voyage.`;
    const sent = await reply(s, db(), lea, m.case_id, { text });
    expect(sent.status).toBe('sent');
    const posts = x.requests
      .filter((r) => r.method === 'POST' && r.path === '/2/tweets')
      .map((r) => JSON.parse(r.body));
    expect(posts.length).toBe(2);
    expect(posts[0]).toMatchObject({ reply: { in_reply_to_tweet_id: customer.id } });
    expect(posts[0].text).toMatch(/ 1\/2$/);
    const ours = [...x.state.posts.values()].filter((p) => p.author_id === BRAND.id);
    expect(sent.external_id).toBe(ours.at(-2)!.id);
    expect(posts[1]).toMatchObject({ reply: { in_reply_to_tweet_id: sent.external_id } });

    const dm = (
      await db().pool.query(
        `select case_id from messages where channel = 'x' and kind = 'dm' and author_handle = '@hans_fliegt'`,
      )
    ).rows[0];
    x.requests.length = 0;
    const answered = await reply(s, db(), lea, dm.case_id, { text: 'Merci, nous vérifions votre dossier.' });
    expect(answered.status).toBe('sent');
    const [req] = x.requests.filter((r) => r.method === 'POST');
    expect(req!.path).toBe(`/2/dm_conversations/with/${HANS.id}/messages`);
    expect(JSON.parse(req!.body)).toEqual({ text: 'Merci, nous vérifions votre dossier.' });
  });

  it('resumes from its cursor after a restart: nothing lost, nothing read twice', async () => {
    await s.close();
    const cursor = (await db().pool.query('select cursor from channel_accounts where id = $1', [accountId])).rows[0]
      .cursor.since_id;
    const before = await countMessages(db(), 'x');
    const a = mention(CAMILLE, '@AirSocial toujours rien ?');
    const b = mention(HANS, '@AirSocial Und jetzt?', BRAND, a.id);
    x.requests.length = 0;
    s = await start();
    lea = await s.login('lea@airsocial.example');
    await until(async () => (await countMessages(db(), 'x')) === before + 2);
    const first = x.requests.find((r) => r.path === `/2/users/${BRAND.id}/mentions`)!;
    expect(first.query.get('since_id')).toBe(cursor);
    expect((await messageRow(db(), 'x', b.id)).in_reply_to).toBe(a.id);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await countMessages(db(), 'x')).toBe(before + 2);
  });

  it('waits for x-rate-limit-reset when the timeline answers 429, then catches up', async () => {
    x.state.limitSeconds = 2;
    x.state.limited = 1;
    x.requests.length = 0;
    await until(
      async () =>
        (await db().pool.query('select status from channel_accounts where id = $1', [accountId])).rows[0].status ===
        'rate_limited',
    );
    const health = (await db().pool.query('select last_error from channel_accounts where id = $1', [accountId]))
      .rows[0];
    expect(health.last_error).toBe('rate_limited: X API 429: Too Many Requests');
    const before = await countMessages(db(), 'x');
    mention(CAMILLE, '@AirSocial allô ?');
    await until(async () => (await countMessages(db(), 'x')) === before + 1);
    // The read after the refusal waited for the reset the refusal announced (whole seconds, 1–2 s away).
    const reads = x.requests.filter((r) => r.path === `/2/users/${BRAND.id}/mentions`);
    expect(reads[1]!.at - reads[0]!.at).toBeGreaterThanOrEqual(950);
    // The poller records its health once the batch it read is stored.
    await until(
      async () =>
        (await db().pool.query('select status from channel_accounts where id = $1', [accountId])).rows[0].status ===
        'active',
    );
  });
});
